"""Trainer tools: one screen listing what a trainer or administrator can open.

The list is data: each `Tool` says its title, the least role that may open it, and how to build its
screen. The lead adds the course editor and the translation workspace as entries here. Showing an
entry is only a convenience: the window checks the role again (`require`) and the tool's own core
operations refuse a principal without it, so a tool a learner cannot see is also one they cannot reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Signal

from app.core.accounts.roles import ADMIN, TRAINER, Principal, Role
from app.core.i18n import N_, _
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.ui.main_window import MainWindow


@dataclass(frozen=True)
class Tool:
    key: str  # stable id, used by the window's navigation (Location.item_id)
    title: str  # an N_() message id: translated when shown
    description: str  # an N_() message id
    minimum: Role
    factory: Callable[[MainWindow], QWidget]  # may raise NotAllowed: the window shows the message


def _accounts_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.accounts_admin import AccountsAdminScreen

    return AccountsAdminScreen.open(window.accounts, window.principal, runner=window.runner)


def _courses_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.course_hub import CourseHubScreen

    return CourseHubScreen(window)


def _cohorts_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.cohorts import CohortsScreen

    return CohortsScreen(window)


def _collected_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.collected_progress import CollectedProgressScreen

    return CollectedProgressScreen(window)


def _reports_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.reports import ReportsScreen

    return ReportsScreen(window)


def _certificates_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.certificates import CertificatesScreen

    return CertificatesScreen(window)


def _verify_screen(window: MainWindow) -> QWidget:
    from app.ui.screens.verify_certificate import VerifyCertificateScreen

    return VerifyCertificateScreen(window)


TOOLS: list[Tool] = [
    Tool("courses", N_("Courses"),
         N_("Create, edit, translate, publish and export courses; install a course package."), TRAINER,
         _courses_screen),
    Tool("accounts", N_("Accounts"),
         N_("Create accounts, reset forgotten passwords, unlock accounts and change roles."), ADMIN, _accounts_screen),
    Tool("cohorts", N_("Cohorts"),
         N_("Create cohorts and groups, enrol learners from a staff list, assign courses with due dates."), TRAINER,
         _cohorts_screen),
    Tool("progress", N_("Collected progress"),
         N_("Import the progress files learners bring from their offices; export statements as xAPI."), TRAINER,
         _collected_screen),
    Tool("reports", N_("Reports"),
         N_("Who finished what, which questions everyone gets wrong, who is overdue; export CSV or XLSX."), TRAINER,
         _reports_screen),
    Tool("certificates", N_("Certificates"),
         N_("Create the institution's issuing key, issue signed certificates for a cohort, trust other issuers."),
         TRAINER, _certificates_screen),
    Tool("verify", N_("Verify a certificate"),
         N_("Check a certificate file offline: valid, altered, or signed by an unknown issuer."), TRAINER,
         _verify_screen),
]


def tool(key: str) -> Tool | None:
    return next((t for t in TOOLS if t.key == key), None)


def tools_for(principal: Principal | None) -> list[Tool]:
    """The tools `principal` may open, in the order of TOOLS."""
    if principal is None or principal.must_change_password:
        return []
    return [t for t in TOOLS if principal.role.rank >= t.minimum.rank]


class TrainerToolsScreen(Page):
    open_tool = Signal(str)  # Tool.key

    def __init__(self, principal: Principal, parent=None):
        super().__init__(parent)
        self.buttons: dict[str, object] = {}
        self.body.addWidget(heading(_("Trainer tools")))
        self.body.addWidget(text(_("Signed in as {name} ({role}).").format(name=principal.name,
                                                                          role=principal.role.label), muted=True))
        available = tools_for(principal)
        if not available:
            self.body.addWidget(text(_("There are no tools for your role yet."), muted=True))
        for entry in available:
            box, layout = card()
            layout.addWidget(heading(_(entry.title), 2))
            layout.addWidget(text(_(entry.description), muted=True))
            open_button = button(_("Open"), lambda _checked=False, key=entry.key: self.open_tool.emit(key), primary=True,
                                 accessible=_("Open {tool}").format(tool=_(entry.title)))
            layout.addWidget(open_button)
            self.buttons[entry.key] = open_button
            self.body.addWidget(box)
        self.body.addStretch(1)

    def focus_first(self) -> None:
        if self.buttons:
            next(iter(self.buttons.values())).setFocus()
