"""Roles, the signed-in person (`Principal`) and `require`, the one check every trainer and
administrator operation in the core makes before doing anything.

Hiding a button is not a permission: the core refuses a learner's principal itself, so no screen,
shortcut or future command can reach a trainer or administrator operation by mistake.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core.i18n import N_, _


class Role(str, enum.Enum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Each role may do what the ones below it may: an administrator can also author courses."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_RANKS = {Role.LEARNER: 0, Role.TRAINER: 1, Role.ADMIN: 2}
_LABELS = {Role.LEARNER: N_("learner"), Role.TRAINER: N_("trainer"), Role.ADMIN: N_("administrator")}
LEARNER, TRAINER, ADMIN = Role.LEARNER, Role.TRAINER, Role.ADMIN


def parse_role(text: str) -> Role | None:
    try:
        return Role(text.strip().lower())
    except ValueError:
        return None


class Via(str, enum.Enum):
    """How the principal came to be: it decides what the core re-checks."""

    PASSWORD = "password"  # signed in to an account
    OPEN_PROFILE = "open-profile"  # picked a learner profile where no password is asked (kiosk)
    INSTALLATION = "installation"  # a headless command run by whoever can write the data folder


@dataclass(frozen=True)
class Principal:
    """Who is acting. Made by `Accounts.sign_in` / `open_profile` (or, for headless commands,
    `installation_principal`), carried by the UI, passed to every operation that needs a role."""

    name: str
    role: Role
    learner_id: str | None  # the learning record this person writes to
    account_id: str | None = None  # None for an open learner profile and for the installation
    must_change_password: bool = False
    via: Via = Via.PASSWORD


def installation_principal() -> Principal:
    """The authority of headless account commands (`python main.py account ...`). Whoever can run
    them on this PC can already write the data folder, so they act as an administrator. Screens
    never use this: they act as the person who signed in."""
    return Principal(name="installation", role=ADMIN, learner_id=None, via=Via.INSTALLATION)


class NotAllowed(Exception):
    """The signed-in person's role does not allow this operation."""


class PasswordChangeRequired(NotAllowed):
    """The password was reset: nothing else is allowed until its owner chooses a new one."""


def require(principal: Principal | None, role: Role) -> Principal:
    """Return `principal` when its role is `role` or above; raise NotAllowed otherwise."""
    if principal is None:
        raise NotAllowed(_("Sign in first: this needs the {role} role.").format(role=role.label))
    if principal.must_change_password:
        raise PasswordChangeRequired(_("Choose a new password first: an administrator reset yours."))
    if principal.role.rank < role.rank:
        raise NotAllowed(_("{name} is signed in with the {have} role; this needs the {role} role.").format(
            name=principal.name, have=principal.role.label, role=role.label))
    return principal
