"""The learner's work in the automation lab, in four parts, and how it is saved and rebuilt.

    workspace.decisions   DecisionWork: the decision table over the birth-package applications, and a
                          model trained on past decisions to compare with it (this module)
    workspace.routing     RoutingWork (engine/routing.py): routing citizen requests with a review queue
    workspace.letters     LetterWork (engine/letters.py): letters from sandboxed templates
    workspace.savings     SavingsInputs (engine/savings.py): the learner's numbers for the hours saved

`snapshot()` is plain JSON: {"version": 1, "decisions": ..., "routing": ..., "letters": ...,
"savings": ...}. `open_workspace(snapshot, ...)` rebuilds the same work, retraining what was trained
with the same seed, so a resumed lab shows the same numbers. `code()` is the runnable script of it all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from app.core.i18n import _
from app.core.tasks import TaskState
from labs.automation.engine.comparison import (Disagreements, ModelChoice, ModelRun, categorical_features, compare,
                                               comparison_code, train_model)
from labs.automation.engine.decisions import (UNDECIDED, DecisionTable, TableProblem, TableRun, run_table,
                                              table_code)
from labs.automation.engine.savings import (DECISIONS, LETTERS, ROUTING, SavingsEstimate, SavingsInputs, estimate,
                                            savings_code)

SNAPSHOT_VERSION = 1
DATASET = "birth-package-applications"
ID_COLUMN = "application_id"
TARGET = "past_decision"  # what caseworkers decided; the model learns it
# What the model may use: what is known when an application arrives (not the id, the date or the
# language letters are written in, and of course not the past decision or its tier).
FEATURES = ("region", "child_birth_order", "multiple_birth", "parent_age", "nationality_status", "residence_months",
            "household_size", "income_pct_of_median", "single_parent", "disability_in_household")
GROUP_COLUMNS = ("region", "nationality_status")  # disagreement shares per value are shown for these
OUTCOMES = ("approved", "partial", "declined")
REVIEWED_OUTCOMES = ("declined",)  # the lab's policy: a person reviews every refusal, so it is never automatic
DAYS_A_YEAR = 365


@dataclass(frozen=True)
class Question:
    """A question the lab asks about the comparison; the panel shows a field for each."""

    id: str
    prompt: str  # N_()-marked
    kind: str  # "percent", "value" (one of `column`'s values) or "choice" (one of `options`)
    column: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (id, N_()-marked text)


_MODEL_CACHE: dict[str, ModelRun] = {}  # the embedded data never changes: a choice always gives the same run
_MODEL_CACHE_SIZE = 6


def _cached_training(frame: pd.DataFrame, choice: ModelChoice, state: TaskState, cache: bool) -> ModelRun:
    if not cache:
        return train_model(frame, choice, FEATURES, TARGET, state)
    key = json.dumps(choice.to_dict(), sort_keys=True)
    if key not in _MODEL_CACHE:
        run = train_model(frame, choice, FEATURES, TARGET, state)
        while len(_MODEL_CACHE) >= _MODEL_CACHE_SIZE:
            _MODEL_CACHE.pop(next(iter(_MODEL_CACHE)))
        _MODEL_CACHE[key] = run
    return _MODEL_CACHE[key]


class DecisionWork:
    """The decision table, the last run of it (or the problems that stop it), the model comparison and
    the answers. Running the table over 2,000 cases takes milliseconds, so it runs on every change;
    training the model is long work (`training_job`, for the task runner)."""

    def __init__(self, frame: pd.DataFrame, table: DecisionTable, data_file: str = "",
                 questions: tuple[Question, ...] = (), cache_models: bool = False):
        self.frame = frame
        self.data_file = data_file  # the path the learner's script reads
        self.questions = questions
        self.cache_models = cache_models
        self.table = table
        self.choice = ModelChoice()
        self.model: ModelRun | None = None
        self.answers: dict[str, str] = {}
        self.run: TableRun | None = None
        self.problems: tuple[str, ...] = ()
        self._disagreements: tuple[Any, Disagreements] | None = None
        self.rerun()

    # --- the table (call on the GUI thread) ---------------------------------------------------------

    def rerun(self) -> None:
        try:
            self.run, self.problems = run_table(self.table, self.frame), ()
        except TableProblem as problem:
            self.run, self.problems = None, problem.problems

    def set_table(self, table: DecisionTable) -> None:
        self.table = table
        self.rerun()

    def ids(self, positions: Any) -> list[str]:
        return [str(v) for v in self.frame[ID_COLUMN].to_numpy()[np.asarray(positions, dtype=int)]]

    def automatable_share(self) -> float | None:
        """Cases the table decides that need no person: every decision except those a person must review."""
        if self.run is None:
            return None
        automatic = np.isin(self.run.outcomes, [o for o in OUTCOMES if o not in REVIEWED_OUTCOMES])
        return float(automatic.mean()) if len(automatic) else 0.0

    # --- the model --------------------------------------------------------------------------------

    def set_choice(self, choice: ModelChoice) -> None:
        self.choice = choice

    def training_job(self) -> Callable[[TaskState], ModelRun]:
        """Trains the current choice off the GUI thread; reads only what it captured now."""
        frame, choice, cache = self.frame, self.choice, self.cache_models
        return lambda state: _cached_training(frame, choice, state, cache)

    def set_model(self, run: ModelRun) -> None:
        self.model = run
        self._disagreements = None

    def disagreements(self) -> Disagreements | None:
        """The table against the model, for the current table (recomputed only when either changed)."""
        if self.model is None:
            return None
        outcomes = self.run.outcomes if self.run is not None else np.full(len(self.frame), UNDECIDED, dtype=object)
        key = (id(self.model), self.table)
        if self._disagreements is None or self._disagreements[0] != key:
            self._disagreements = (key, compare(outcomes, self.model, self.frame, GROUP_COLUMNS))
        return self._disagreements[1]

    def set_answer(self, question_id: str, answer: str) -> None:
        self.answers[question_id] = answer.strip()

    # --- saving and the script ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table.to_dict(), "model": self.choice.to_dict(), "trained": self.model is not None,
                "answers": dict(self.answers)}

    def load(self, data: dict[str, Any] | None, state: TaskState) -> None:
        """Take the saved part of a snapshot (the table is replaced only if the snapshot has one)."""
        data = data or {}
        if "table" in data:
            self.table = DecisionTable.from_dict(data["table"])
        self.choice = ModelChoice.from_dict(data.get("model"))
        self.answers = {str(k): str(v) for k, v in (data.get("answers") or {}).items()}
        self.rerun()
        if data.get("trained"):
            self.set_model(_cached_training(self.frame, self.choice, state, self.cache_models))

    def code(self) -> str:
        lines = ["# Decision table over the birth-package applications",
                 "import itertools", "", "import numpy as np", "import pandas as pd", "",
                 f"applications = pd.read_csv({self.data_file!r}, parse_dates=[\"registered_date\"])"]
        if self.run is None:
            lines.append("# Your table cannot run yet:")
            lines += [f"# - {p}" for p in self.problems]
            return "\n".join(lines)
        lines.append(table_code(self.table, self.frame))
        if self.model is not None:
            lines.append("")
            lines.append(comparison_code(self.model.choice, FEATURES, categorical_features(self.frame, FEATURES),
                                         TARGET, GROUP_COLUMNS[0]))
        return "\n".join(lines)


class AutomationWorkspace:
    def __init__(self, decisions: DecisionWork, routing: Any, letters: Any, savings: SavingsInputs | None = None):
        self.decisions = decisions
        self.routing = routing  # RoutingWork (engine/routing.py)
        self.letters = letters  # LetterWork (engine/letters.py)
        self.savings = savings or SavingsInputs()

    # --- hours saved ---------------------------------------------------------------------------------

    def measured(self) -> dict[str, dict[str, float | None]]:
        """What the learner's work says about each stream: cases a year and the share handled automatically
        (None: not measured yet). The hours-saved form starts from these."""
        run = self.decisions.run
        decided = float(run.decided) if run is not None else None
        routing = self.routing.summary() if self.routing is not None else None
        letters = self.letters.summary() if self.letters is not None else None
        letters_share = (letters["letters"] / letters["records"]) if letters and letters.get("records") else None
        return {
            DECISIONS: {"per_year": float(len(self.decisions.frame)), "share": self.decisions.automatable_share()},
            ROUTING: {"per_year": routing["requests_per_day"] * DAYS_A_YEAR if routing else None,
                      "share": routing["auto_share"] if routing else None},
            LETTERS: {"per_year": decided, "share": letters_share},
        }

    def set_savings(self, savings: SavingsInputs) -> None:
        self.savings = savings

    def savings_estimate(self) -> SavingsEstimate:
        return estimate(self.savings, self.measured())

    # --- saving and the script ---------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "decisions": self.decisions.to_dict(),
                "routing": self.routing.to_dict() if self.routing is not None else None,
                "letters": self.letters.to_dict() if self.letters is not None else None,
                "savings": self.savings.to_dict()}

    def code(self) -> str:
        parts = [self.decisions.code()]
        for part in (self.routing, self.letters):
            if part is not None:
                parts.append(part.code())
        parts.append(savings_code(self.savings_estimate()))
        return "\n\n\n".join(p.strip("\n") for p in parts if p) + "\n"


def catalog_frame() -> tuple[pd.DataFrame, str]:
    """The embedded applications and the path a script reads them from."""
    from labs.datasets.catalog import dataset_path, load_dataset

    return load_dataset(DATASET), str(dataset_path(DATASET))


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None, *,
                   fresh_table: DecisionTable, questions: tuple[Question, ...] = (),
                   parts: Callable[[dict[str, Any] | None, dict[str, Any] | None, TaskState], tuple[Any, Any]],
                   data: tuple[pd.DataFrame, str] | None = None) -> AutomationWorkspace:
    """Rebuild the workspace a snapshot describes (None: a fresh start with `fresh_table`).

    `parts(routing_data, letters_data, state)` builds the routing and letters parts (RoutingWork and
    LetterWork; tests may pass stand-ins). `data` is (frame, file) when not the embedded dataset;
    `files` is unused: this lab works on embedded data only."""
    state.set_progress(0, 1, _("Opening your work"))
    frame, data_file = data if data is not None else catalog_frame()
    decisions = DecisionWork(frame, fresh_table, data_file, questions, cache_models=data is None)
    snapshot = snapshot or {}
    if snapshot.get("decisions"):
        decisions.load(snapshot["decisions"], state)
    state.raise_if_cancelled()
    routing, letters = parts(snapshot.get("routing"), snapshot.get("letters"), state)
    savings = SavingsInputs.from_dict(snapshot.get("savings"))
    state.set_progress(1, 1)
    return AutomationWorkspace(decisions, routing, letters, savings)
