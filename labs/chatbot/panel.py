"""The chatbot lab's work area: Intents -> When unsure -> Train and chat -> Evaluate, with the bot's
name, "start again from…", import and export above the tabs.

Every change goes to the ChatWorkspace on the GUI thread and emits `changed` (the lab screen then
autosaves and refreshes the code view). Training, evaluating and reading an imported file run off the
GUI thread through `host.run`; their results come back to on_done on the GUI thread. A test-chat
reply is one prediction (milliseconds) and runs on the GUI thread.

`python -m labs.chatbot.panel` opens the panel alone with the starter bot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QMessageBox, QPushButton, QScrollArea, QSlider, QTabWidget, QVBoxLayout,
                               QWidget)

from app.core.i18n import _, ngettext
from labs.chatbot.engine.bot import OUT_OF_SCOPE_ID, SUFFIX, Bot, BotFileError, bot_problems, load_bot
from labs.chatbot.engine.starters import starter_bots
from labs.chatbot.engine.workspace import (IMPORTED, QUESTIONS, STARTER, ChatWorkspace, EditProblem, Origin,
                                           pair_count, threshold_view)
from labs.chatbot.widgets.builder import IntentsTab, UnsureTab
from labs.chatbot.widgets.chat import ChatView
from labs.chatbot.widgets.evaluation_view import IntentScores, OverlapTable, ThresholdCurve

EMPTY_CHOICE = "\x00empty"  # the "start from" combo's value for an empty bot


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _button(text: str, on_click) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text)
    button.clicked.connect(lambda _checked=False: on_click())
    return button


def _bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def file_name_for(bot: Bot) -> str:
    """A file name from the bot's name ("Town hall bot" -> "town-hall-bot.bot.json"); "bot" when the
    name has no ASCII letters."""
    stem = re.sub(r"[^a-z0-9]+", "-", bot.name.casefold()).strip("-")[:50] or "bot"
    return stem + SUFFIX


class ChatbotPanel(QWidget):
    changed = Signal()
    trained = Signal()  # the model is trained and shown
    evaluated = Signal()  # the evaluation is on screen

    def __init__(self, workspace: ChatWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self._busy: set[str] = set()  # "train", "evaluate", "import" while they run
        self.confirm = self._ask  # (title, question) -> bool; tests replace it

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._top_bar())
        self.file_status = _wrapping()  # "Exported: …" / "Imported: …"
        self.file_status.setVisible(False)
        layout.addWidget(self.file_status)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.intents_tab = IntentsTab(workspace, host)
        self.intents_tab.confirm = lambda title, text: self.confirm(title, text)
        self.intents_tab.changed.connect(self._bot_edited)
        self.unsure_tab = UnsureTab(workspace)
        self.unsure_tab.changed.connect(self._bot_edited)
        self.tabs.addTab(self.intents_tab, _("1. Intents"))
        self.tabs.addTab(self.unsure_tab, _("2. When unsure"))
        self.tabs.addTab(self._chat_page(), _("3. Train and chat"))
        self.tabs.addTab(self._evaluation_page(), _("4. Evaluate"))
        self.tabs.currentChanged.connect(lambda _index: self.commit())
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # --- building -------------------------------------------------------------------------------------

    def _top_bar(self) -> QVBoxLayout:
        """The bot's name; below it, start again from a starter or an empty bot, import, export (two rows,
        so that large text still fits)."""
        bar = QVBoxLayout()
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(_("The bot's name"))
        self.name_edit.editingFinished.connect(self._name_edited)
        form.addRow(_("Bot:"), self.name_edit)
        bar.addLayout(form)
        row = QHBoxLayout()
        self.start_combo = QComboBox()
        self.start_combo.setAccessibleName(_("Start again from"))
        for starter in starter_bots():
            self.start_combo.addItem(starter.name, starter.id)
        self.start_combo.addItem(_("An empty bot"), EMPTY_CHOICE)
        row.addWidget(self.start_combo, 1)
        self.start_button = _button(_("Start again from this"), self.start_again)
        row.addWidget(self.start_button)
        row.addStretch(1)
        self.import_button = _button(_("Import…"), lambda: self.import_file())
        self.export_button = _button(_("Export…"), lambda: self.export_file())
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        bar.addLayout(row)
        return bar

    def _chat_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.train_button = _button(_("Train the bot"), self.train)
        row.addWidget(self.train_button)
        self.train_status = _wrapping()
        row.addWidget(self.train_status, 1)
        layout.addLayout(row)
        self.chat = ChatView(self._open_lesson if callable(getattr(self.host, "open_lesson", None)) else None)
        layout.addWidget(self.chat, 1)
        ask = QHBoxLayout()
        self.question_edit = QLineEdit()
        self.question_edit.setAccessibleName(_("Your question to the bot"))
        self.question_edit.setPlaceholderText(_("Ask the bot something, as a citizen would"))
        self.question_edit.returnPressed.connect(self.ask)
        ask.addWidget(self.question_edit, 1)
        self.ask_button = _button(_("Ask"), self.ask)
        ask.addWidget(self.ask_button)
        self.clear_button = _button(_("Clear the chat"), self.clear_chat)
        ask.addWidget(self.clear_button)
        layout.addLayout(ask)
        self.chat_threshold = _wrapping()
        layout.addWidget(self.chat_threshold)
        return page

    def _evaluation_page(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        row = QHBoxLayout()
        self.evaluate_button = _button(_("Evaluate on held-out examples"), self.evaluate)
        row.addWidget(self.evaluate_button)
        self.evaluation_status = _wrapping(_("Each example is answered by a bot trained without it (5-fold "
                                             "cross-validation), as a new citizen's question would be."))
        row.addWidget(self.evaluation_status, 1)
        layout.addLayout(row)
        self.summary = _bold(_wrapping())
        layout.addWidget(self.summary)

        threshold = QHBoxLayout()
        label = QLabel(_("Threshold:"))
        threshold.addWidget(label)
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal)
        self.threshold_slider.setRange(0, 100)
        self.threshold_slider.setPageStep(5)
        self.threshold_slider.setAccessibleName(_("Threshold: the confidence the bot needs to answer"))
        self.threshold_slider.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # like the curve below it
        self.threshold_slider.valueChanged.connect(self._threshold_moved)
        self.threshold_slider.sliderReleased.connect(self._threshold_settled)
        label.setBuddy(self.threshold_slider)
        threshold.addWidget(self.threshold_slider, 1)
        self.threshold_value = QLabel()
        threshold.addWidget(self.threshold_value)
        self.suggested_button = _button(_("Use the suggested threshold"), self.use_suggested_threshold)
        threshold.addWidget(self.suggested_button)
        layout.addLayout(threshold)
        self.curve = ThresholdCurve()
        self.curve.setMaximumHeight(max(320, self.curve.fontMetrics().lineSpacing() * 18))
        layout.addWidget(self.curve)

        layout.addWidget(_bold(QLabel(_("Each intent at your threshold (weakest recall first)"))))
        self.scores = IntentScores()
        self.scores.setMinimumHeight(self.scores.fontMetrics().lineSpacing() * 10)
        layout.addWidget(self.scores)
        layout.addWidget(_bold(QLabel(_("Intents that overlap: pairs the bot confuses"))))
        self.focus_label = _wrapping()
        layout.addWidget(self.focus_label)
        self.overlaps = OverlapTable()
        self.overlaps.setMinimumHeight(self.overlaps.fontMetrics().lineSpacing() * 8)
        self.overlaps.cellDoubleClicked.connect(self._overlap_chosen)
        self.overlaps.setToolTip(_("Double-click a pair to edit its first intent."))
        layout.addWidget(self.overlaps)
        layout.addWidget(_bold(QLabel(_("What to improve"))))
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName(_("Suggestions"))
        self.suggestions.setWordWrap(True)
        self.suggestions.setMinimumHeight(self.suggestions.fontMetrics().lineSpacing() * 5)
        layout.addWidget(self.suggestions)

        self.questions_box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(self.questions_box)
        self.answer_widgets: dict[str, QWidget] = {}
        for question in QUESTIONS:
            questions.addWidget(_wrapping(_(question.prompt)))
            if question.kind == "intent":
                widget: QWidget = QComboBox()
                widget.currentIndexChanged.connect(
                    lambda _i, q=question.id, w=widget: self._answered(q, w.currentData() or ""))
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(_("for example 12%"))
                widget.editingFinished.connect(lambda q=question.id, w=widget: self._answered(q, w.text()))
            widget.setAccessibleName(_(question.prompt))
            self.answer_widgets[question.id] = widget
            questions.addWidget(widget)
        layout.addWidget(self.questions_box)
        layout.addStretch(1)
        self.evaluation_scroll = QScrollArea()
        self.evaluation_scroll.setWidgetResizable(True)
        self.evaluation_scroll.setWidget(inner)
        return self.evaluation_scroll

    # --- showing the workspace ----------------------------------------------------------------------

    def title_of(self, label: str) -> str:
        if label == OUT_OF_SCOPE_ID:
            return _("out of scope")
        intent = self.workspace.bot.intent(label)
        return intent.title if intent else label

    def refresh(self) -> None:
        """Show the workspace as it is (after opening, starting again or importing)."""
        self._updating = True
        try:
            self.name_edit.setText(self.workspace.bot.name)
            origin = self.workspace.origin
            index = self.start_combo.findData(origin.id if origin.kind == STARTER else EMPTY_CHOICE)
            if index >= 0:
                self.start_combo.setCurrentIndex(index)
            self.intents_tab.discard()
            self.unsure_tab.discard()
            self.intents_tab.refresh()
            self.unsure_tab.refresh()
            self.chat.show_transcript(self.workspace.transcript, self.title_of)
            self._refresh_training()
            self._refresh_evaluation()
        finally:
            self._updating = False

    def _refresh_training(self) -> None:
        workspace = self.workspace
        busy = "train" in self._busy
        self.train_button.setEnabled(not busy)
        if busy:
            self.train_status.setText(_("Training… (the status bar shows the progress and a Cancel button)"))
        elif workspace.model is None:
            self.train_status.setText(_("Train the bot on its examples, then ask it questions below."))
        elif not workspace.model_is_current:
            self.train_status.setText(_("Your bot changed since it was trained: train it again to use your changes."))
        else:
            texts, labels = workspace.bot.training_pairs()
            intents = len({label for label in labels if label != OUT_OF_SCOPE_ID})
            self.train_status.setText(ngettext("Trained on {examples} examples of {count} intent.",
                                               "Trained on {examples} examples of {count} intents.", intents).format(
                examples=len(texts), count=intents))
        self.ask_button.setEnabled(workspace.model is not None)
        self.question_edit.setEnabled(workspace.model is not None)
        self.chat_threshold.setText(_("Threshold {threshold}: below this confidence the bot hands the question to a "
                                      "person (change it in Evaluate).").format(
            threshold=f"{workspace.threshold:.2f}"))

    def _refresh_evaluation(self) -> None:
        workspace = self.workspace
        busy = "evaluate" in self._busy
        self.evaluate_button.setEnabled(not busy)
        evaluation = workspace.evaluation
        self.threshold_slider.blockSignals(True)
        self.threshold_slider.setValue(round(workspace.threshold * 100))
        self.threshold_slider.blockSignals(False)
        self.threshold_value.setText(f"{workspace.threshold:.2f}")
        self.suggested_button.setEnabled(workspace.model is not None)
        if workspace.model is not None:
            self.suggested_button.setToolTip(_("The engine suggests {threshold}, from examples it held out while "
                                               "training.").format(
                threshold=f"{workspace.model.suggested_threshold:.2f}"))
        self.curve.show_sweep(evaluation)
        self.curve.show_threshold(workspace.threshold)
        self.overlaps.show_overlaps(evaluation)
        self._refresh_focus()
        self.suggestions.clear()
        if evaluation is not None:
            self.suggestions.addItems(evaluation.suggestions)
        if busy:
            self.evaluation_status.setText(_("Evaluating… (the status bar shows the progress and a Cancel button)"))
        elif evaluation is not None and not workspace.evaluation_is_current:
            self.evaluation_status.setText(_("Your bot's examples changed since this evaluation: evaluate again."))
        elif evaluation is not None:
            self.evaluation_status.setText(_("Held-out evaluation of {count} examples.").format(
                count=len(evaluation.rows)))
        self._refresh_numbers()
        self._refresh_answers()

    def _refresh_focus(self) -> None:
        """The pair the first evaluation pointed at, then and now (the overlap task is about it)."""
        focus, evaluation = self.workspace.overlap_focus, self.workspace.evaluation
        self.focus_label.setVisible(focus is not None and evaluation is not None)
        if focus is None or evaluation is None:
            return
        self.focus_label.setText(_("Your first evaluation confused {first} and {second} {before} times; this one "
                                   "{now} times.").format(first=focus.first, second=focus.second,
                                                          before=focus.count,
                                                          now=pair_count(evaluation, focus.first, focus.second)))

    def _refresh_numbers(self) -> None:
        """The numbers that move with the threshold: the summary and the per-intent table."""
        evaluation = self.workspace.evaluation
        if evaluation is None:
            self.summary.setText(_("Not evaluated yet."))
            self.scores.show_view(None, self.title_of)
            return
        view = threshold_view(evaluation, self.workspace.threshold)
        oos = _("no out-of-scope examples") if view.oos_recall is None else f"{view.oos_recall:.0%}"
        self.summary.setText(_("At threshold {threshold}: in-scope accuracy {accuracy} · out-of-scope recall "
                               "{oos} · handed to a person {handoff} · macro F1 {f1}").format(
            threshold=f"{view.threshold:.2f}", accuracy=f"{view.in_scope_accuracy:.0%}", oos=oos,
            handoff=f"{view.unsure_share:.0%}", f1=f"{evaluation.macro_f1:.2f}"))
        self.scores.show_view(view, self.title_of)

    def _refresh_answers(self) -> None:
        for question in QUESTIONS:
            widget = self.answer_widgets[question.id]
            answer = self.workspace.answers.get(question.id, "")
            if isinstance(widget, QComboBox):
                widget.blockSignals(True)
                widget.clear()
                widget.addItem(_("Choose an intent…"), "")
                for intent in self.workspace.bot.intents:
                    widget.addItem(f"{intent.title} ({intent.id})", intent.id)
                widget.setCurrentIndex(max(0, widget.findData(answer)))
                widget.blockSignals(False)
            elif widget.text() != answer:
                widget.setText(answer)

    # --- the learner's changes --------------------------------------------------------------------------

    def commit(self) -> None:
        """Put anything typed but not yet committed into the workspace (before reading the bot)."""
        self.intents_tab.commit()
        self.unsure_tab.commit()

    def _bot_edited(self) -> None:
        self._updating = True
        try:
            self._refresh_training()
            self._refresh_evaluation()
        finally:
            self._updating = False
        self.changed.emit()

    def _name_edited(self) -> None:
        if self._updating or self.name_edit.text().strip() == self.workspace.bot.name:
            return
        if not self.name_edit.text().strip():
            self.name_edit.setText(self.workspace.bot.name)
            return
        self.workspace.set_name(self.name_edit.text())
        self.changed.emit()

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def start_again(self) -> None:
        choice = self.start_combo.currentData()
        if not self.confirm(_("Start again?"), _("Your bot, its chat and its evaluation will be replaced. Export it "
                                                 "first if you want to keep it.")):
            return
        if choice == EMPTY_CHOICE:
            self.workspace.start_empty(self.host.locale)
        else:
            self.workspace.start_from_starter(choice)
        self.refresh()
        self.tabs.setCurrentIndex(0)
        self.changed.emit()

    def _name_filter(self) -> str:
        return _("Bot files (*.bot.json)")

    def import_file(self, path: str | Path | None = None) -> None:
        """Replace the bot with a .bot.json file (asks which when `path` is None). A malformed file is
        refused with the reason, and the current bot stays as it was."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self, _("Import a bot"), self._folder(),
                                                          self._name_filter())
            if not chosen or not self.confirm(_("Import this bot?"), _("Your bot, its chat and its evaluation will "
                                                                       "be replaced by the file's bot.")):
                return
            path = chosen
        path = Path(path)
        self._busy.add("import")

        def imported(bot: Bot) -> None:
            self._busy.discard("import")
            self.workspace.start(bot, Origin.of(IMPORTED, bot, path.name))
            self.refresh()
            self._file_status(_("Imported: {path}").format(path=path))
            self.tabs.setCurrentIndex(0)
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self._busy.discard("import")
            self.host.tell(_("This bot file cannot be imported"), str(error))

        self.host.run(lambda state: load_bot(path), imported, _("Reading the bot file"), on_error=failed,
                      on_cancel=lambda: self._busy.discard("import"))

    def _file_status(self, text: str) -> None:
        self.file_status.setText(text)
        self.file_status.setVisible(bool(text))

    def _folder(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())

    def export_file(self, path: str | Path | None = None) -> Path | None:
        """Save the bot as one .bot.json file (asks where when `path` is None); returns the path written."""
        self.commit()
        problems = bot_problems(self.workspace.bot)
        if problems:
            lines = [_("{path}: {problem}").format(path=where, problem=problem) for where, problem in problems[:6]]
            self.host.tell(_("The bot cannot be exported yet"), _("Complete these first:\n{problems}").format(
                problems="\n".join(lines)))
            return None
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export the bot"),
                                                          str(Path(self._folder()) / file_name_for(self.workspace.bot)),
                                                          self._name_filter())
            if not chosen:
                return None
            path = chosen if chosen.endswith(SUFFIX) else Path(chosen).with_suffix("").as_posix() + SUFFIX
        try:
            written = self.workspace.export(path)
        except (BotFileError, OSError) as error:
            reason = getattr(error, "strerror", None) or error
            self.host.tell(_("The bot was not exported"), _("Could not write {path}: {reason}").format(
                path=path, reason=reason))
            return None
        self._file_status(_("Exported: {path}").format(path=written))
        self.changed.emit()
        return written

    # --- training and the test chat ---------------------------------------------------------------------

    def train(self) -> None:
        """Train off the GUI thread; `trained` is emitted once the chat can use the new model."""
        if "train" in self._busy:
            return
        self.commit()
        try:
            job = self.workspace.training_job()
        except EditProblem as problem:
            self.host.tell(_("The bot cannot be trained yet"), str(problem))
            return
        self._busy.add("train")
        self._refresh_training()
        self.host.run(job, self._trained, _("Training the bot"), on_error=self._train_failed,
                      on_cancel=self._train_cancelled)

    def _trained(self, result) -> None:
        self._busy.discard("train")
        self.workspace.set_model(result)
        self._updating = True
        try:
            self._refresh_training()
            self._refresh_evaluation()
        finally:
            self._updating = False
        self.tabs.setCurrentIndex(2)
        self.question_edit.setFocus()
        self.changed.emit()
        self.trained.emit()

    def _train_failed(self, error: BaseException) -> None:
        self._busy.discard("train")
        self._refresh_training()
        self.host.tell(_("Training did not work"), str(error))

    def _train_cancelled(self) -> None:
        self._busy.discard("train")
        self._refresh_training()
        self.train_status.setText(_("Training was cancelled."))

    def ask(self, question: str | None = None) -> None:
        """Ask the bot `question` (default: what is typed) in the test chat."""
        text = self.question_edit.text() if question is None else question
        if not text.strip():
            return
        try:
            turn = self.workspace.ask(text)
        except EditProblem as problem:
            self.host.tell(_("The bot cannot answer yet"), str(problem))
            return
        self.question_edit.clear()
        self.chat.add_turn(turn, self.title_of)
        self.chat.scroll_to_end()
        self.changed.emit()

    def clear_chat(self) -> None:
        if not self.workspace.transcript:
            return
        self.workspace.clear_transcript()
        self.chat.clear()
        self.changed.emit()

    def _open_lesson(self, target: str) -> None:
        if not self.host.open_lesson(target):
            self.host.tell(_("No such lesson"), _("The lesson {target} is not in the courses on this computer.")
                           .format(target=target))

    # --- evaluation and the threshold ---------------------------------------------------------------------

    def evaluate(self) -> None:
        """Held-out evaluation off the GUI thread; `evaluated` is emitted once it is shown."""
        if "evaluate" in self._busy:
            return
        self.commit()
        try:
            job = self.workspace.evaluation_job()
        except EditProblem as problem:
            self.host.tell(_("The bot cannot be evaluated yet"), str(problem))
            return
        self._busy.add("evaluate")
        self._refresh_evaluation()
        self.host.run(job, self._evaluated, _("Evaluating the bot"), on_error=self._evaluation_failed,
                      on_cancel=self._evaluation_stopped)

    def _evaluated(self, result) -> None:
        self._busy.discard("evaluate")
        self.workspace.set_evaluation(result)
        self._updating = True
        try:
            self._refresh_evaluation()
        finally:
            self._updating = False
        self.tabs.setCurrentIndex(3)
        self.changed.emit()
        self.evaluated.emit()

    def _evaluation_failed(self, error: BaseException) -> None:
        self._evaluation_stopped()
        self.host.tell(_("The evaluation did not work"), str(error))

    def _evaluation_stopped(self) -> None:
        self._busy.discard("evaluate")
        self._refresh_evaluation()

    def set_threshold(self, threshold: float) -> None:
        """Move the threshold as the learner does with the slider (one change)."""
        self.threshold_slider.setValue(round(threshold * 100))
        self._threshold_settled()

    def _threshold_moved(self, value: int) -> None:
        if self._updating:
            return
        self.workspace.set_threshold(value / 100)
        self.threshold_value.setText(f"{value / 100:.2f}")
        self.curve.show_threshold(value / 100)
        self._refresh_numbers()
        self.chat_threshold.setText(_("Threshold {threshold}: below this confidence the bot hands the question to a "
                                      "person (change it in Evaluate).").format(threshold=f"{value / 100:.2f}"))
        if not self.threshold_slider.isSliderDown():  # keys and clicks: one change each; a drag: on release
            self.changed.emit()

    def _threshold_settled(self) -> None:
        self.changed.emit()

    def use_suggested_threshold(self) -> None:
        if self.workspace.model is not None:
            self.set_threshold(self.workspace.model.suggested_threshold)

    def _overlap_chosen(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.overlaps.pairs):
            self.intents_tab.select_intent(self.overlaps.pairs[row][0])
            self.tabs.setCurrentIndex(0)

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer.strip():
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.chatbot.consultation", ChatbotPanel)
