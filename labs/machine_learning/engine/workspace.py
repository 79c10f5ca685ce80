"""The learner's work in the machine-learning lab, and how it is saved and rebuilt.

ModelWorkspace keeps, per dataset, the learner's choices (target, features, split, model), the list
of runs (spec + measured numbers, so runs can be compared and checked), the latest run in full
(fitted pipeline, residual points), the model card's text and the answers to the lab's questions.

`snapshot()` is plain JSON; `open_workspace(snapshot, ...)` refits the latest run with the same seed
(and any run saved without numbers, as a hand-written reference solution is), so a resumed lab
shows the same numbers and charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Protocol

import pandas as pd

from app.core.i18n import _
from app.core.tasks import TaskState
from labs.machine_learning.engine.card import CardText, DataFacts, card_markdown
from labs.machine_learning.engine.cautions import Caution, column_hints
from labs.machine_learning.engine.models import MODELS_FOR_TASK, ModelSpec, default_model
from labs.machine_learning.engine.prepare import parse_date_text
from labs.machine_learning.engine.problem import SetupProblem, infer_task
from labs.machine_learning.engine.script import script, step_sources
from labs.machine_learning.engine.split import SplitSpec
from labs.machine_learning.engine.training import RunResult, RunSpec, RunSummary, train

SNAPSHOT_VERSION = 1
MAX_RUNS = 20  # older runs drop off the comparison list
NOT_CHOSEN = ""  # Setup.target before the learner picks one; None means "no target: find groups"


@dataclass(frozen=True)
class Question:
    """A question the lab asks about the results; the panel shows an answer field for each."""

    id: str
    prompt: str  # N_()-marked
    kind: str = "text"  # "percent" (80, 80% or 0.8), "feature" (one of the run's features), "text"


@dataclass(frozen=True)
class Setup:
    """The learner's choices for one dataset."""

    target: str | None = NOT_CHOSEN
    features: tuple[str, ...] = ()
    split: SplitSpec = field(default_factory=SplitSpec)
    model: ModelSpec = field(default_factory=ModelSpec)

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "features": list(self.features), "split": self.split.to_dict(),
                "model": self.model.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Setup:
        return cls(data.get("target", NOT_CHOSEN), tuple(data.get("features", ())),
                   SplitSpec.from_dict(data.get("split", {})), ModelSpec.from_dict(data.get("model", {})))


class DataSource(Protocol):
    """Where the lab's datasets come from: the embedded catalog, or frames made in tests."""

    def load(self, dataset_id: str) -> pd.DataFrame: ...

    def facts(self, dataset_id: str) -> DataFacts: ...

    def time_column(self, dataset_id: str) -> str | None: ...

    def file(self, dataset_id: str) -> str: ...  # the path the learner's script reads


class CatalogSource:
    """The datasets embedded in the app (labs/datasets)."""

    def load(self, dataset_id: str) -> pd.DataFrame:
        from labs.datasets.catalog import load_dataset

        return load_dataset(dataset_id)

    def facts(self, dataset_id: str) -> DataFacts:
        from labs.datasets.catalog import dataset

        info = dataset(dataset_id)
        return DataFacts(_(info.title), info.source, info.licence, bool(info.synthetic), _(info.description))

    def time_column(self, dataset_id: str) -> str | None:
        from labs.datasets.catalog import dataset

        return dataset(dataset_id).time_column or None

    def file(self, dataset_id: str) -> str:
        from labs.datasets.catalog import dataset_path

        return str(dataset_path(dataset_id))


class FrameSource:
    """Frames held in memory (tests, previews, benchmarks); `files` names the CSV a script should read."""

    def __init__(self, frames: dict[str, pd.DataFrame], time_columns: dict[str, str] | None = None,
                 files: dict[str, str] | None = None):
        self.frames = frames
        self.time_columns = time_columns or {}
        self.files = files or {}

    def load(self, dataset_id: str) -> pd.DataFrame:
        return self.frames[dataset_id]

    def facts(self, dataset_id: str) -> DataFacts:
        return DataFacts(dataset_id, synthetic=True)

    def time_column(self, dataset_id: str) -> str | None:
        return self.time_columns.get(dataset_id)

    def file(self, dataset_id: str) -> str:
        return self.files.get(dataset_id, f"{dataset_id}.csv")


class ModelWorkspace:
    def __init__(self, source: DataSource, datasets: tuple[str, ...], questions: tuple[Question, ...] = ()):
        if not datasets:
            raise ValueError("a machine-learning workspace needs at least one dataset")
        self.source = source
        self.datasets = tuple(datasets)
        self.questions = tuple(questions)
        self.dataset = self.datasets[0]
        self.setups: dict[str, Setup] = {}
        self.runs: list[RunSummary] = []
        self.latest: RunResult | None = None  # the full result of runs[-1], when it has been fitted here
        self.card = CardText()
        self.answers: dict[str, str] = {}
        self.card_exports: list[str] = []  # "markdown" / "pdf", once each, when the card was saved
        self._frames: dict[str, pd.DataFrame] = {}

    # --- data -------------------------------------------------------------------------------------

    def load_frame(self, dataset_id: str) -> pd.DataFrame:
        """Read a dataset (slow for big files: the panel calls it off the GUI thread); dates parsed."""
        return parse_date_text(self.source.load(dataset_id))

    def has_frame(self, dataset_id: str | None = None) -> bool:
        return (dataset_id or self.dataset) in self._frames

    def put_frame(self, dataset_id: str, frame: pd.DataFrame) -> None:
        self._frames[dataset_id] = frame

    def frame(self, dataset_id: str | None = None) -> pd.DataFrame:
        dataset_id = dataset_id or self.dataset
        if dataset_id not in self._frames:
            self._frames[dataset_id] = self.load_frame(dataset_id)
        return self._frames[dataset_id]

    def time_column(self, dataset_id: str | None = None) -> str | None:
        return self.source.time_column(dataset_id or self.dataset)

    # --- the learner's choices (call on the GUI thread) ---------------------------------------------

    def setup_for(self, dataset_id: str) -> Setup:
        if dataset_id not in self.setups:
            self.setups[dataset_id] = Setup(split=SplitSpec(time_column=self.source.time_column(dataset_id)))
        return self.setups[dataset_id]

    @property
    def setup(self) -> Setup:
        return self.setup_for(self.dataset)

    def _change(self, **changes: Any) -> None:
        self.setups[self.dataset] = replace(self.setup, **changes)

    @property
    def task(self) -> str | None:
        """The task the current target makes, or None while no valid target is chosen."""
        if self.setup.target == NOT_CHOSEN:
            return None
        try:
            return infer_task(self.frame(), self.setup.target)
        except SetupProblem:
            return None

    def choose_dataset(self, dataset_id: str) -> None:
        if dataset_id not in self.datasets:
            raise SetupProblem(_("This lab has no dataset {dataset}.").format(dataset=dataset_id))
        self.dataset = dataset_id
        self.setup_for(dataset_id)

    def set_target(self, target: str | None) -> None:
        """Pick the column to predict (None: no target, find groups). SetupProblem if it cannot be one."""
        task = infer_task(self.frame(), target)
        model = self.setup.model if self.setup.model.kind in MODELS_FOR_TASK[task] else default_model(task)
        features = tuple(c for c in self.setup.features if c != target)
        self._change(target=target, model=model, features=features)

    def set_features(self, features: list[str] | tuple[str, ...]) -> None:
        columns = list(self.frame().columns)
        unknown = [c for c in features if c not in columns]
        if unknown:
            raise SetupProblem(_("These columns are not in the data: {columns}.").format(columns=", ".join(unknown)))
        ordered = tuple(c for c in columns if c in set(features) and c != self.setup.target)  # in table order
        self._change(features=ordered)

    def set_split(self, split: SplitSpec) -> None:
        self._change(split=split)

    def set_model(self, model: ModelSpec) -> None:
        self._change(model=model)

    def set_card(self, card: CardText) -> None:
        self.card = card

    def set_answer(self, question_id: str, answer: str) -> None:
        self.answers[question_id] = answer.strip()

    def note_card_exported(self, kind: str) -> None:
        if kind not in self.card_exports:
            self.card_exports.append(kind)

    # --- training ---------------------------------------------------------------------------------

    def run_spec(self) -> RunSpec:
        setup = self.setup
        if setup.target == NOT_CHOSEN:
            raise SetupProblem(_("Choose the column to predict first (or choose \"no target\" to find groups)."))
        return RunSpec(self.dataset, setup.target, setup.features, setup.split, setup.model)

    def training_job(self) -> Callable[[TaskState], RunResult]:
        """A function for the task runner: trains the current choices off the GUI thread. It reads
        only what it captured now, so the learner may keep clicking while it runs."""
        spec = self.run_spec()
        frame = self.frame()
        reference_time = self.time_column()
        return lambda state: train(frame, spec, state, reference_time)

    def hints_job(self) -> Callable[[TaskState], dict[str, list[Caution]]]:
        """Leakage hints for every column (beside the feature list), off the GUI thread."""
        frame, target, reference_time = self.frame(), self.setup.target, self.time_column()
        task = self.task
        if target == NOT_CHOSEN or task is None:
            return lambda state: {}
        return lambda state: column_hints(frame, target, task, reference_time, state)

    def add_run(self, result: RunResult) -> None:
        """Record a finished run (on the GUI thread, from the task runner's on_done)."""
        self.runs.append(result.summary)
        del self.runs[:-MAX_RUNS]
        self.latest = result

    def latest_run(self, dataset_id: str | None = None, task: str | None = None) -> RunSummary | None:
        for run in reversed(self.runs):
            if (dataset_id is None or run.spec.dataset == dataset_id) and (task is None or run.task == task):
                return run
        return None

    # --- what the learner sees and keeps --------------------------------------------------------------

    def code(self) -> str:
        setup = self.setup
        frame = self.frame()
        try:
            spec = self.run_spec() if setup.features else None
        except SetupProblem:
            spec = None
        parse_dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        return script(frame, setup.target, setup.features, spec, self.source.file(self.dataset), parse_dates,
                      self.source.facts(self.dataset).title)

    def step_code(self) -> dict[str, str]:
        """The lines behind each step ("target", "split", "model"), for the panel to show beside it."""
        setup = self.setup
        try:
            spec = self.run_spec() if setup.features else None
        except SetupProblem:
            spec = None
        return step_sources(self.frame(), setup.target, setup.features, spec)

    def card_markdown(self, written: str = "") -> str:
        """The model card of the latest run; SetupProblem before the first run."""
        if not self.runs:
            raise SetupProblem(_("Train a model first: the card describes your latest run."))
        run = self.runs[-1]
        return card_markdown(run, self.card, self.source.facts(run.spec.dataset), written)

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "dataset": self.dataset,
                "setups": {k: v.to_dict() for k, v in self.setups.items()},
                "runs": [r.to_dict() for r in self.runs],
                "card": {"purpose": self.card.purpose, "limits": self.card.limits, "not_for": self.card.not_for},
                "answers": dict(self.answers), "card_exports": list(self.card_exports)}


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None, *,
                   source: DataSource, datasets: tuple[str, ...], questions: tuple[Question, ...] = (),
                   fit: Callable[..., RunResult] = train) -> ModelWorkspace:
    """Rebuild the workspace a snapshot describes, refitting the latest run (same seed, same numbers)
    and any run saved as a spec only. `files` is unused: this lab works on the embedded datasets.
    `fit` is `train`, or a caching wrapper of it for data that never changes."""
    workspace = ModelWorkspace(source, datasets, questions)
    if not snapshot:
        workspace.frame()  # read here: open runs off the GUI thread
        return workspace
    state.set_progress(0, 1, _("Opening your work"))
    for dataset_id, data in snapshot.get("setups", {}).items():
        if dataset_id in workspace.datasets:
            workspace.setups[dataset_id] = Setup.from_dict(data)
    if snapshot.get("dataset") in workspace.datasets:
        workspace.dataset = snapshot["dataset"]
    card = snapshot.get("card", {})
    workspace.card = CardText(card.get("purpose", ""), card.get("limits", ""), card.get("not_for", ""))
    workspace.answers = {str(k): str(v) for k, v in snapshot.get("answers", {}).items()}
    workspace.card_exports = [str(k) for k in snapshot.get("card_exports", [])]
    saved = [r for r in snapshot.get("runs", []) if r.get("spec", {}).get("dataset") in workspace.datasets]
    saved = saved[-MAX_RUNS:]
    for index, run in enumerate(saved):
        state.raise_if_cancelled()
        if "metrics" in run and index < len(saved) - 1:
            workspace.runs.append(RunSummary.from_dict(run))
            continue
        spec = RunSpec.from_dict(run["spec"])
        try:
            result = fit(workspace.frame(spec.dataset), spec, state, workspace.time_column(spec.dataset))
        except SetupProblem:
            continue  # the data no longer has what this run used: the rest of the work still opens

        if "duration" in run:  # how long the learner's own run took, not this refit (copied: `fit` may cache)
            result = replace(result, summary=replace(result.summary, duration=float(run["duration"])))
        workspace.add_run(result)
    workspace.frame()  # the data on screen, read here: open runs off the GUI thread
    return workspace
