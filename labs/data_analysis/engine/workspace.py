"""The learner's analysis: a table (embedded dataset or their own file), the steps applied to it, one
chart, answers to the lab's questions and the exports made. It says itself as a JSON snapshot and as
one runnable pandas script.

    ws = open_workspace({"source": {"dataset": "citizen-complaints"}}, state, files_dir)
    outcome = ws.compute_step(DropDuplicates(), state)   # worker thread: pure, changes nothing
    ws.accept(outcome)                                   # GUI thread: the step becomes part of the work
    ws.snapshot(); ws.code()

Each applied step keeps the table it produced, so undo is instant; a resume replays the steps from
the snapshot. A saved step that no longer applies (a column renamed in a newer dataset) is kept and
shown with its error instead of breaking the resume.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from app.core.i18n import _, ngettext
from app.core.tasks import TaskState
from labs.data_analysis.engine.charts import (
    ChartData,
    ChartSpec,
    chart_code,
    chart_data,
)
from labs.data_analysis.engine.reading import (
    ReadOptions,
    ReadResult,
    UnreadableFile,
    read_table,
)
from labs.data_analysis.engine.steps import Step, StepError, step_from_dict

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Question:
    """A question the learner answers in words or a number (the lab's checks read the answer)."""

    id: str
    text: str  # N_()-marked English; the panel shows _(text)


@dataclass
class StepOutcome:
    step: Step
    frame: pd.DataFrame  # the data table after this step (a summary leaves it as it was)
    result: pd.DataFrame | None  # a summary's new table
    rows_before: int
    note: str  # what the step did, e.g. "212 rows removed; 11,790 left."
    error: str | None = None  # a saved step that could not be applied again
    version: int = -1  # the workspace version it was computed against


def _load_dataset(dataset_id: str) -> pd.DataFrame:
    from labs.datasets.catalog import (
        load_dataset,  # the catalog loads pandas data; only when needed
    )

    return load_dataset(dataset_id)


class AnalysisWorkspace:
    def __init__(self, original: pd.DataFrame, source: dict[str, Any], read_result: ReadResult | None = None,
                 questions: tuple[Question, ...] = ()):
        self.original = original
        self.source = dict(source)  # {"dataset": id} or {"file": stored name, "name": shown name, "options": {}}
        self.read_result = read_result
        self.questions = questions
        self.outcomes: list[StepOutcome] = []
        self.chart: ChartSpec | None = None
        self.answers: dict[str, str] = {}
        self.exports: list[dict[str, Any]] = []
        self.version = 0  # bumped on every change; a step computed against an older table is refused

    # --- what the learner sees ---

    @property
    def dataset_id(self) -> str | None:
        return self.source.get("dataset")

    @property
    def source_name(self) -> str:
        if self.dataset_id:
            try:
                from labs.datasets.catalog import dataset

                return _(dataset(self.dataset_id).title)
            except (ImportError, KeyError):
                return self.dataset_id
        return str(self.source.get("name", ""))

    @property
    def steps(self) -> list[Step]:
        return [o.step for o in self.outcomes]

    @property
    def applied_steps(self) -> list[Step]:
        return [o.step for o in self.outcomes if o.error is None]

    @property
    def table(self) -> pd.DataFrame:
        """The data after every applied transform step."""
        return self.outcomes[-1].frame if self.outcomes else self.original

    def results(self) -> list[tuple[str, StepOutcome]]:
        """The summaries' tables as ("result_1", outcome), in the order they were made."""
        named = []
        for outcome in self.outcomes:
            if outcome.result is not None:
                named.append((f"result_{len(named) + 1}", outcome))
        return named

    def tables(self) -> list[tuple[str, str]]:
        """(key, translated title) of every table the learner can look at or export."""
        steps = len(self.outcomes)
        entries = [("data", ngettext("The data (after {n} step)", "The data (after {n} steps)", steps).format(n=steps)
                    if steps else _("The data"))]
        for key, outcome in self.results():
            entries.append((key, _("{name}: {description}").format(name=key, description=outcome.step.describe())))
        return entries

    def table_named(self, key: str) -> pd.DataFrame:
        if key == "data":
            return self.table
        for name, outcome in self.results():
            if name == key:
                assert outcome.result is not None
                return outcome.result
        raise KeyError(key)

    def step_for_table(self, key: str) -> Step | None:
        for name, outcome in self.results():
            if name == key:
                return outcome.step
        return None

    # --- changing the work (compute anywhere, accept on the GUI thread) ---

    def compute_step(self, step: Step, state: TaskState | None = None) -> StepOutcome:
        """Validate and apply `step` to the current table; raises StepError; changes nothing."""
        state = state or TaskState()
        before = self.table
        step.validate(before)
        state.raise_if_cancelled()
        try:
            produced = step.apply(before)
        except (TypeError, ValueError) as err:  # what validate could not foresee, said plainly
            raise StepError(_("This step cannot be applied: {reason}").format(reason=err)) from err
        state.raise_if_cancelled()
        if step.summary:
            return StepOutcome(step, before, produced, len(before), step.report(before, produced),
                               version=self.version)
        return StepOutcome(step, produced, None, len(before), step.report(before, produced), version=self.version)

    def accept(self, outcome: StepOutcome) -> None:
        if outcome.version != self.version:
            raise StepError(_("The table changed while this step was computed; apply it again."))
        self.outcomes.append(outcome)
        self.version += 1

    def add_step(self, step: Step, state: TaskState | None = None) -> StepOutcome:
        outcome = self.compute_step(step, state)
        self.accept(outcome)
        return outcome

    def undo(self) -> Step | None:
        if not self.outcomes:
            return None
        self.version += 1
        return self.outcomes.pop().step

    def set_chart(self, spec: ChartSpec | None) -> None:
        self.chart = spec
        self.version += 1

    def chart_data(self, state: TaskState | None = None) -> ChartData | None:
        return chart_data(self.table, self.chart, state) if self.chart else None

    def set_answer(self, question_id: str, text: str) -> None:
        self.answers[question_id] = text.strip()
        self.version += 1

    def record_export(self, key: str, path: Path) -> None:
        """Remember that table `key` was saved to `path` (only its name: the snapshot holds no paths)."""
        frame = self.table_named(key)
        step = self.step_for_table(key)
        self.exports.append({"table": key, "step": step.to_dict() if step else None,
                             "format": Path(path).suffix.lower().lstrip("."), "file": Path(path).name,
                             "rows": len(frame), "columns": [str(c) for c in frame.columns]})
        self.version += 1

    def set_source(self, source: dict[str, Any], frame: pd.DataFrame, read_result: ReadResult | None = None) -> None:
        """Start over on another table: steps, chart and exports belong to the old one; answers stay."""
        self.source, self.original, self.read_result = dict(source), frame, read_result
        self.outcomes, self.chart, self.exports = [], None, []
        self.version += 1

    # --- saying it ---

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "source": dict(self.source),
                "steps": [s.to_dict() for s in self.steps],
                "chart": self.chart.to_dict() if self.chart else None,
                "answers": dict(self.answers), "exports": [dict(e) for e in self.exports]}

    def load_code(self, data_path: str | None = None) -> str:
        if self.dataset_id:
            name, parse = self.dataset_id + ".csv", []
            try:
                from labs.datasets.catalog import dataset

                info = dataset(self.dataset_id)
                name = Path(str(info.file)).name
                parse = [info.time_column] if info.time_column else []
            except (ImportError, KeyError):
                pass
            dates = f", parse_dates={parse!r}" if parse else ""
            return f"df = pd.read_csv({(data_path or name)!r}{dates})"
        if self.read_result is not None:
            return self.read_result.pandas_code(data_path or str(self.source.get("name", "")))
        return f"df = pd.read_csv({(data_path or str(self.source.get('name', 'data.csv')))!r})"

    def code(self, data_path: str | None = None) -> str:
        """The whole analysis as one pandas script, from reading the data on."""
        lines = ["import pandas as pd", "", f"# {self.source_name}", self.load_code(data_path)]
        results = {id(outcome): key for key, outcome in self.results()}
        for number, outcome in enumerate(self.outcomes, start=1):
            lines.append("")
            lines.append(f"# {number}. {outcome.step.describe()}")
            if outcome.error:
                lines.append("# " + _("(not applied: {reason})").format(reason=outcome.error))
                continue
            lines.append(outcome.step.code(results.get(id(outcome), "result")))
        for export in self.exports:
            if export["table"] != "data" and export["table"] not in results.values():
                continue
            variable = "df" if export["table"] == "data" else export["table"]
            lines.append("")
            lines.append("# " + _("Saved as {file}").format(file=export["file"]))
            if export["format"] == "xlsx":
                lines.append(f"{variable}.to_excel({export['file']!r}, index=False)")
            else:
                lines.append(f"{variable}.to_csv({export['file']!r}, index=False, encoding=\"utf-8-sig\")")
        if self.chart:
            lines += ["", f"# {self.chart.describe()}", chart_code(self.chart)]
        return "\n".join(lines) + "\n"


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState | None = None, files: Path | None = None,
                   questions: tuple[Question, ...] = (),
                   loader: Callable[[str], pd.DataFrame] | None = None) -> AnalysisWorkspace:
    """Rebuild a workspace from its snapshot: load the table, replay the steps, restore chart and answers.

    `files` is the folder holding copies of imported files; `loader` (tests) replaces the dataset catalog.
    """
    state = state or TaskState()
    snapshot = snapshot or {}
    source = dict(snapshot.get("source") or {"dataset": "citizen-complaints"})
    state.set_progress(0, 1, _("Opening the data"))
    read_result = None
    if "dataset" in source:
        frame = (loader or _load_dataset)(source["dataset"])
    else:
        stored = source.get("file", "")
        if files is None or not (Path(files) / stored).is_file():
            raise UnreadableFile(_("The copy of your file {name} is missing; open the file again.").format(
                name=source.get("name", stored)), str(source.get("name", stored)))
        read_result = read_table(Path(files) / stored, state, ReadOptions.from_dict(source.get("options")))
        frame = read_result.frame
    workspace = AnalysisWorkspace(frame, source, read_result, questions)
    saved_steps = snapshot.get("steps") or []
    for index, data in enumerate(saved_steps):
        state.raise_if_cancelled()
        state.set_progress(0.5 + 0.5 * index / max(1, len(saved_steps)), 1, _("Replaying your steps"))
        try:
            step = step_from_dict(data)
        except StepError:
            continue  # a step this version cannot read at all: nothing to show or replay
        try:
            workspace.add_step(step)
        except StepError as err:  # kept, with its reason, so the learner sees what no longer applies
            workspace.outcomes.append(StepOutcome(step, workspace.table, None, len(workspace.table), "", str(err)))
            workspace.version += 1
    if snapshot.get("chart"):
        workspace.chart = ChartSpec.from_dict(snapshot["chart"])
    workspace.answers = {str(k): str(v) for k, v in (snapshot.get("answers") or {}).items()}
    workspace.exports = [dict(e) for e in snapshot.get("exports") or []]
    state.set_progress(1, 1)
    return workspace
