"""The lab framework, with no Qt: a lab is embedded data plus ordered tasks, each with a check.

A lab family (labs/<family>/) supplies an engine whose *workspace* holds the learner's work and
can say it as a JSON-able snapshot (what autosave writes and resume replays). A lab definition
lists its tasks; each task's check reads a workspace and returns specific feedback:

    LAB = LabDefinition(id="data_analysis/open-data", family="data_analysis", title=N_("…"), …,
                        open=open_workspace, tasks=(Task("group", N_("…"), N_("…"), check_group), …),
                        reference=REFERENCE_STATE, wrong_attempts=(WrongAttempt(…), …))

Every lab ships a reference solution (a snapshot that passes every check) and wrong attempts
(plausible mistakes, each of which must fail the task it names); `selftest` runs both, for
`python main.py lab selftest LAB_ID` and for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from app.core.i18n import _
from app.core.tasks import TaskState


@dataclass(frozen=True)
class Feedback:
    passed: bool
    message: str  # translated; says what is right or exactly what differs from the task


class Workspace(Protocol):
    """What a lab engine's workspace offers the framework."""

    def snapshot(self) -> dict[str, Any]:
        """The learner's work as plain JSON data; `open(snapshot)` rebuilds the same workspace."""
        ...

    def code(self) -> str:
        """The pandas / scikit-learn code that does what the learner did, as a runnable script."""
        ...


@dataclass(frozen=True)
class Task:
    id: str
    title: str  # English, marked with N_(); screens show _(title)
    instructions: str  # English, marked with N_()
    check: Callable[[Any], Feedback]  # receives the family's workspace
    hint: str = ""  # marked with N_(); shown on request


@dataclass(frozen=True)
class WrongAttempt:
    """A plausible mistake: a snapshot that must fail the check of `task_id`."""

    name: str  # for developers and the self-test report, in English
    task_id: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class LabDefinition:
    id: str  # "<family>/<name>", as course manifests write it after `lab:`
    family: str
    title: str  # N_()-marked English
    summary: str  # N_()-marked English
    datasets: tuple[str, ...]
    tasks: tuple[Task, ...]
    # open(snapshot or None for a fresh start, TaskState, files folder or None) -> workspace. Long
    # work reports progress and honours cancel through the TaskState. `files` is the data folder's
    # lab-files/ where copies of learners' own imported files are kept (None in self-tests).
    open: Callable[[dict[str, Any] | None, TaskState, Path | None], Any]
    reference: dict[str, Any]
    wrong_attempts: tuple[WrongAttempt, ...] = ()
    panel: str = ""  # "module:Class" of the Qt panel, imported only by the UI

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)


def run_check(task: Task, workspace: Any) -> Feedback:
    """A check never crashes the lab: an unexpected error becomes feedback the learner can act on."""
    try:
        return task.check(workspace)
    except Exception as error:  # noqa: BLE001 - reported as feedback, and logged by the caller
        return Feedback(False, _("This task could not be checked yet: {reason}").format(reason=error))


@dataclass
class SelftestResult:
    lab_id: str
    reference: dict[str, Feedback] = field(default_factory=dict)  # task id -> feedback on the reference
    wrong: list[tuple[WrongAttempt, Feedback]] = field(default_factory=list)
    untested_tasks: list[str] = field(default_factory=list)  # tasks no wrong attempt targets

    @property
    def ok(self) -> bool:
        return (all(f.passed for f in self.reference.values()) and all(not f.passed for _w, f in self.wrong)
                and not self.untested_tasks)

    def as_dict(self) -> dict[str, Any]:
        return {"lab": self.lab_id, "ok": self.ok,
                "reference": {k: {"passed": f.passed, "message": f.message} for k, f in self.reference.items()},
                "wrong_attempts": [{"name": w.name, "task": w.task_id, "failed_as_expected": not f.passed,
                                    "message": f.message} for w, f in self.wrong],
                "untested_tasks": self.untested_tasks}


def selftest(lab: LabDefinition, state: TaskState | None = None) -> SelftestResult:
    """Run the reference solution and every wrong attempt against the checks."""
    state = state or TaskState()
    result = SelftestResult(lab.id)
    steps = 1 + len(lab.wrong_attempts)
    state.set_progress(0, steps)
    workspace = lab.open(lab.reference, state, None)
    for task in lab.tasks:
        result.reference[task.id] = run_check(task, workspace)
    for index, wrong in enumerate(lab.wrong_attempts, start=1):
        state.raise_if_cancelled()
        state.set_progress(index, steps)
        result.wrong.append((wrong, run_check(lab.task(wrong.task_id), lab.open(wrong.snapshot, state, None))))
    targeted = {w.task_id for w in lab.wrong_attempts}
    result.untested_tasks = [t.id for t in lab.tasks if t.id not in targeted]
    state.set_progress(steps, steps)
    return result
