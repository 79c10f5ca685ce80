"""Dialogs for things that went wrong: a damaged database, an error while saving, a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core import formatting
from app.core.i18n import _
from app.core.storage.database import DatabaseUnavailable

RESTORE, FRESH, QUIT = "restore", "fresh", "quit"


def ask_database_recovery(parent: QWidget | None, error: DatabaseUnavailable) -> str:
    """Say which file is unusable and why; offer the ways out. Never decides for the learner."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Your learning record cannot be opened"))
    box.setText(_("The file that keeps your progress cannot be opened:\n{path}\n\nReason: {reason}").format(
        path=formatting.isolated(str(error.path)), reason=error.reason))
    newest = error.backups[0] if error.backups else None
    if newest:
        info = _("You can restore the automatic backup of {date}, or start with an empty record. Either way the "
                 "damaged file is kept next to it, renamed, so nothing is deleted.").format(date=_backup_date(newest))
    else:
        info = _("There is no automatic backup yet. You can start with an empty record; the damaged file is kept "
                 "next to it, renamed, so nothing is deleted.")
    box.setInformativeText(info)
    restore = box.addButton(_("Restore the backup"), QMessageBox.ButtonRole.AcceptRole) if newest else None
    fresh = box.addButton(_("Start with an empty record"), QMessageBox.ButtonRole.DestructiveRole)
    quit_ = box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or quit_)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return RESTORE
    if clicked is fresh:
        return FRESH
    return QUIT


def _backup_date(path: Path) -> str:
    """The backup's day in the learner's locale; files are named learning-record-YYYY-MM-DD.*"""
    stamp = path.stem.replace("learning-record-", "")
    try:
        return formatting.date(stamp)
    except ValueError:
        return stamp


def _tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, message: str) -> None:
    """A message with one button in our own words: Qt has no "OK" for Khmer, Uzbek and others."""
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.NoButton, parent)
    box.setDefaultButton(box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole))
    box.exec()


def show_save_error(parent: QWidget | None, error: Exception) -> None:
    _tell(parent, QMessageBox.Icon.Warning, _("Not saved"),
          _("Your last step could not be saved, so it was not counted. Everything saved before is safe. Try "
            "again; if this keeps happening, check that the disk is not full.\n\nDetails: {error}").format(error=error))


def show_crash(parent: QWidget | None, log_path: Path | None) -> None:
    where = _("A report was written to {path}.").format(path=formatting.isolated(str(log_path))) if log_path else ""
    _tell(parent, QMessageBox.Icon.Critical, _("Something went wrong"),
          _("The app met an unexpected problem. Your saved progress is safe. {where}").format(where=where))


def tell(parent: QWidget | None, title: str, message: str, warning: bool = True) -> None:
    """A clear message in our own words, e.g. a lab file that cannot be read."""
    _tell(parent, QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information, title, message)


SAVE, DISCARD, STAY = "save", "discard", "stay"


def ask_unsaved(parent: QWidget | None, what: str) -> str:
    """Unsaved changes and the person is leaving: save them, throw them away, or stay. Our own
    button words (Qt has no "Save"/"Discard" in several of our languages)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Unsaved changes"),
                      _("{what} has changes that are not saved yet.").format(what=what),
                      QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard the changes"), QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else STAY
