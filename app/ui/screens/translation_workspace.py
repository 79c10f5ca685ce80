"""The translation workspace: a course's texts, source beside target, for one language at a time.

All the work is in app/core/course/translation_work.py (which checks the trainer role itself);
this screen lists the entries by lesson and quiz with coverage bars, edits one entry at a time in
the target language's direction, previews lesson blocks as learners will see them, and moves .po
files to and from external translators.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextOption
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QPlainTextEdit, QProgressBar, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.course import markdown
from app.core.course.model import LocalText
from app.core.course.source import PackageSource
from app.core.course.translation_work import Entry, TranslationWork, add_language, open_workspace
from app.core.i18n import _, locale_info, shipped_locales
from app.core.problems import InvalidInput
from app.ui.screens.lesson import LessonBrowser
from app.ui.widgets import button, heading, marked, text

KEY_ROLE = Qt.ItemDataRole.UserRole


class TranslationWorkspaceScreen(QWidget):
    def __init__(self, principal: Principal, course_folder: Path, parent: QWidget | None = None):
        require(principal, TRAINER)  # the core checks again on every call; this refuses before any widget
        super().__init__(parent)
        self.principal, self.folder = principal, Path(course_folder)
        self.work: TranslationWork | None = None
        self.current: Entry | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        self.title = heading(_("Translate: {course}").format(course=self.folder.name), level=2)
        outer.addWidget(self.title)

        pick = QHBoxLayout()
        language_label = QLabel(_("Language"))
        pick.addWidget(language_label)
        self.locale = QComboBox()
        self.locale.setAccessibleName(_("Language to translate into"))
        language_label.setBuddy(self.locale)
        pick.addWidget(self.locale)
        self.new_locale = QComboBox()
        self.new_locale.setAccessibleName(_("Language to add to the course"))
        pick.addWidget(self.new_locale)
        self.add_button = button(_("Add language"), self._add_language)
        pick.addWidget(self.add_button)
        pick.addStretch(1)
        self.export_button = button(_("Export .po…"), self._export)
        self.import_button = button(_("Import .po…"), self._import)
        pick.addWidget(self.export_button)
        pick.addWidget(self.import_button)
        outer.addLayout(pick)

        overall = QHBoxLayout()
        self.coverage = QProgressBar()
        self.coverage.setAccessibleName(_("Texts translated in the whole course"))
        overall.addWidget(self.coverage, 1)
        self.untranslated_only = QCheckBox(_("Untranslated only"))
        self.review_only = QCheckBox(_("Needs review only"))
        for box in (self.untranslated_only, self.review_only):
            box.toggled.connect(self._fill_tree)
            overall.addWidget(box)
        outer.addLayout(overall)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Text"), _("State")])
        self.tree.setAccessibleName(_("Texts of the course, by lesson and quiz"))
        self.tree.currentItemChanged.connect(self._picked)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.setColumnWidth(1, 150)  # wide enough for a coverage bar and "Not yet translated"
        split.addWidget(self.tree)

        editor = QWidget()
        column = QVBoxLayout(editor)
        column.setContentsMargins(0, 0, 0, 0)
        self.where = text("", muted=True)
        column.addWidget(self.where)
        sides = QHBoxLayout()
        self.source = QPlainTextEdit()
        self.source.setReadOnly(True)
        self.source.setAccessibleName(_("Source text"))
        self.target = QPlainTextEdit()
        self.target.setAccessibleName(_("Translation"))
        self.target.textChanged.connect(self._target_edited)
        sides.addWidget(self.source)
        sides.addWidget(self.target)
        column.addLayout(sides, 2)
        self.preview_label = text(_("Preview, as learners will see it"), muted=True)
        column.addWidget(self.preview_label)
        self.preview = LessonBrowser(PackageSource.open(self.folder))
        self.preview.setAccessibleName(_("Preview of the translation"))
        self.preview.document().setDefaultStyleSheet(markdown.LESSON_CSS)
        column.addWidget(self.preview, 2)
        actions = QHBoxLayout()
        self.needs_review = QCheckBox(_("Needs review"))
        actions.addWidget(self.needs_review)
        actions.addStretch(1)
        self.mark_reviewed = button(_("Mark reviewed"), self._mark_reviewed)
        self.save_button = button(_("Save translation"), self._save, primary=True)
        actions.addWidget(self.mark_reviewed)
        actions.addWidget(self.save_button)
        column.addLayout(actions)
        split.addWidget(editor)
        split.setStretchFactor(1, 2)
        split.setSizes([520, 780])
        outer.addWidget(split, 1)

        self.message = text("")
        outer.addWidget(self.message)
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Problems"))
        self.problems.setMaximumHeight(120)
        self.problems.hide()
        outer.addWidget(self.problems)
        QShortcut(QKeySequence("Ctrl+S"), self, self._save)

        self._dirty = False
        self.bars: dict[str, QProgressBar] = {}
        self._fill_locales()
        self.locale.currentIndexChanged.connect(self._locale_picked)
        self._locale_picked()

    # -- choosing the language ---------------------------------------------------------------------

    def _fill_locales(self, select: str | None = None) -> None:
        from app.core.course.loader import read_manifest

        manifest = read_manifest(PackageSource.open(self.folder), [])
        codes = list(manifest.translations) if manifest else []
        source_code = manifest.source_language if manifest else ""
        if manifest:
            self.title.setText(_("Translate: {course}").format(course=manifest.title))
        self.locale.blockSignals(True)
        self.locale.clear()
        for code in codes:
            self.locale.addItem(locale_info(code).name if locale_info(code).code == code else code, code)
        if select in codes:
            self.locale.setCurrentIndex(codes.index(select))
        self.locale.blockSignals(False)
        self.new_locale.clear()
        for info in shipped_locales():
            if info.code not in codes and info.code != source_code:
                self.new_locale.addItem(info.name, info.code)
        self.new_locale.setVisible(self.new_locale.count() > 0)  # every shipped language is there already
        self.add_button.setVisible(self.new_locale.count() > 0)
        self.source_rtl = bool(source_code) and locale_info(source_code).code == source_code and \
            locale_info(source_code).rtl

    def focus_first(self) -> None:
        self.tree.setFocus()

    def select_locale(self, code: str) -> None:
        index = self.locale.findData(code)
        if index >= 0:
            self.locale.setCurrentIndex(index)

    def _add_language(self) -> None:
        code = self.new_locale.currentData()
        if not code:
            return
        self._commit()
        try:
            add_language(self.principal, self.folder, code)
        except InvalidInput as err:
            self._show_problems(_("The language could not be added."), err.problems)
            return
        self._fill_locales(select=code)
        self._locale_picked()

    def _locale_picked(self, *_args) -> None:
        self._commit()
        code = self.locale.currentData()
        self.work = None
        if code:
            try:
                self.work = open_workspace(self.principal, self.folder, code)
            except InvalidInput as err:
                self._show_problems(_("The course cannot be translated until these problems are fixed."),
                                    err.problems)
        for widget in (self.export_button, self.import_button, self.tree, self.target, self.save_button,
                       self.mark_reviewed, self.needs_review):
            widget.setEnabled(self.work is not None)
        if self.work is None:
            self.tree.clear()
            return
        rtl = locale_info(code).code == code and locale_info(code).rtl
        _set_direction(self.target, rtl)
        _set_direction(self.source, self.source_rtl)
        self.preview.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        option = self.preview.document().defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        self.preview.document().setDefaultTextOption(option)
        self.message.setText("")
        self.problems.hide()
        self._fill_tree()

    # -- the list of entries -----------------------------------------------------------------------

    def _fill_tree(self, *_args) -> None:
        if self.work is None:
            return
        keep = self.current.key if self.current else None
        self.tree.blockSignals(True)
        self.tree.clear()
        self.bars = {}
        select = None
        for group in self.work.groups:
            entries = self.work.entries_of(group.context, self.untranslated_only.isChecked(),
                                           self.review_only.isChecked())
            if not entries:
                continue
            parent = QTreeWidgetItem([_group_label(group.kind, group.title), ""])
            parent.setData(0, KEY_ROLE, group.context)
            self.tree.addTopLevelItem(parent)
            bar = QProgressBar()
            bar.setAccessibleName(_("Texts translated in {title}").format(title=group.title))
            self.tree.setItemWidget(parent, 1, bar)
            self.bars[group.context] = bar
            for entry in entries:
                # the reader's fallback marker on texts still in the source language
                child = QTreeWidgetItem([marked(LocalText(_first_line(entry.source), not entry.translated)),
                                         _state(entry)])
                child.setData(0, KEY_ROLE, entry.key)
                parent.addChild(child)
                if entry.key == keep:
                    select = child
            parent.setExpanded(True)
        self._update_coverage()
        self.tree.blockSignals(False)
        first = select or next((self.tree.topLevelItem(i).child(0) for i in range(self.tree.topLevelItemCount())),
                               None)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self._show(None)

    def _update_coverage(self) -> None:
        assert self.work is not None
        for context, bar in self.bars.items():
            _show_coverage(bar, self.work.coverage(context))
        _show_coverage(self.coverage, self.work.coverage())

    def _picked(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        self._commit()
        key = item.data(0, KEY_ROLE) if item else None
        if isinstance(key, (tuple, list)) and self.work is not None:
            self._show(self.work.entry(tuple(key)))
        elif item is not None and item.childCount():
            self.tree.setCurrentItem(item.child(0))

    def _show(self, entry: Entry | None) -> None:
        self.current = entry
        self.source.setPlainText(entry.source if entry else "")
        self.target.blockSignals(True)
        self.target.setPlainText(entry.translation if entry else "")
        self.target.blockSignals(False)
        self.needs_review.setChecked(bool(entry and entry.needs_review))
        self.mark_reviewed.setEnabled(bool(entry and entry.needs_review and entry.translated))
        if entry:
            group = next(g for g in self.work.groups if g.context == entry.context)
            self.where.setText(_("{title} · {file}, line {line}").format(title=group.title, file=entry.context,
                                                                          line=entry.line))
        self._dirty = False
        self._preview()

    # -- editing -------------------------------------------------------------------------------------

    def _target_edited(self) -> None:
        self._dirty = True
        self._preview()

    def _preview(self) -> None:
        entry = self.current
        is_lesson = bool(entry and entry.kind == "lesson")
        self.preview.setVisible(is_lesson)
        self.preview_label.setVisible(is_lesson)
        if not is_lesson:
            return
        typed = self.target.toPlainText().strip()
        shown = typed or entry.source  # untranslated: the source, highlighted as the lesson reader does
        self.preview.setHtml(markdown.render_html(shown, entry.context, [] if typed else [0]))

    def _save(self) -> None:
        self._dirty = True
        self._commit()

    def _commit(self) -> bool:
        """Write the edited entry, if it changed. False when the core refused it."""
        entry = self.current
        if self.work is None or entry is None:
            return True
        typed, review = self.target.toPlainText(), self.needs_review.isChecked()
        if not self._dirty and review == entry.needs_review:
            return True
        try:
            updated = self.work.set_translation(self.principal, entry.key, typed, review)
        except InvalidInput as err:
            self._show_problems(_("This translation was not saved."), err.problems)
            return False
        self._dirty = False
        self.current = updated
        self.problems.hide()
        self.message.setText(_("Saved."))
        item = self._item_of(updated.key)
        if item is not None:
            item.setText(0, marked(LocalText(_first_line(updated.source), not updated.translated)))
            item.setText(1, _state(updated))
        self.mark_reviewed.setEnabled(updated.needs_review and updated.translated)
        self._update_coverage()
        return True

    # -- leaving: what is typed is saved like a move to another entry; a refused text keeps us here
    def confirm_leave(self) -> bool:
        return self._commit()

    def has_unsaved_changes(self) -> bool:
        return self._dirty or bool(self.current and self.needs_review.isChecked() != self.current.needs_review)

    def reopen(self) -> "TranslationWorkspaceScreen":
        screen = TranslationWorkspaceScreen(self.principal, self.folder)
        if self.work is not None:
            screen.select_locale(self.work.locale)
        return screen

    def _mark_reviewed(self) -> None:
        self.needs_review.setChecked(False)
        self._commit()

    def _item_of(self, key) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            for j in range(parent.childCount()):
                if tuple(parent.child(j).data(0, KEY_ROLE)) == tuple(key):
                    return parent.child(j)
        return None

    # -- .po files for external translators ----------------------------------------------------------

    def _export(self) -> None:
        if self.work is None or not self._commit():
            return
        suggested = str(Path.home() / f"{self.work.course_id}-{self.work.locale}.po")
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the translation"), suggested,
                                                   _("Translation files (*.po)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        assert self.work is not None
        try:
            self.work.export_po(self.principal, path)
        except OSError as err:
            self.message.setText(_("The file could not be written: {err}").format(err=err.strerror or err))
            return
        self.message.setText(_("Exported to {path}. Send it to the translator; import it here when it comes "
                               "back.").format(path=path))

    def _import(self) -> None:
        if self.work is None or not self._commit():
            return
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a translation"), str(Path.home()),
                                                   _("Translation files (*.po)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        assert self.work is not None
        try:
            report = self.work.import_po(self.principal, path)
        except InvalidInput as err:
            self._show_problems(_("Nothing was imported."), err.problems)
            return
        summary = _("Imported: {added} new, {changed} changed, {unchanged} unchanged.").format(
            added=report.added, changed=report.changed, unchanged=report.unchanged)
        if report.problems:
            self._show_problems(summary + " " + _("Some entries were not imported:"), report.problems)
        else:
            self.problems.hide()
            self.message.setText(summary)
        self.current = self.work.entry(self.current.key) if self.current else None
        self._fill_tree()

    def _show_problems(self, headline: str, problems) -> None:
        self.message.setText(headline)
        self.problems.clear()
        self.problems.addItems([str(p) for p in problems])
        self.problems.show()


def _set_direction(edit: QPlainTextEdit, rtl: bool) -> None:
    """The text's own direction, whatever the window's: Arabic starts on the right, English on the left."""
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    edit.setLayoutDirection(direction)
    option = edit.document().defaultTextOption()
    option.setTextDirection(direction)
    option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    edit.document().setDefaultTextOption(option)


def _show_coverage(bar: QProgressBar, coverage) -> None:
    bar.setRange(0, max(coverage.total, 1))
    bar.setValue(coverage.done)
    bar.setFormat(_("{done} of {total}").format(done=coverage.done, total=coverage.total))


def _group_label(kind: str, title: str) -> str:
    if kind == "course":
        return _("Course outline: {title}").format(title=title)
    if kind == "lesson":
        return _("Lesson: {title}").format(title=title)
    return _("Quiz: {title}").format(title=title)


def _state(entry: Entry) -> str:
    if not entry.translated:
        return _("Not yet translated")
    return _("Needs review") if entry.needs_review else _("Translated")


def _first_line(value: str, limit: int = 70) -> str:
    line = value.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit - 1] + "…"

