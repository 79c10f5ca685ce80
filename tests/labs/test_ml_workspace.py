"""The machine-learning workspace: choices, runs, snapshot and resume, the shown code, the model card."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from app.core.atomic import write_text
from app.core.tasks import TaskState
from labs.machine_learning.engine.card import CardText
from labs.machine_learning.engine.models import ModelSpec
from labs.machine_learning.engine.problem import SetupProblem
from labs.machine_learning.engine.samples import make_benefit_frame, make_regression_frame
from labs.machine_learning.engine.split import SplitSpec
from labs.answers import parse_percent
from labs.machine_learning.engine.workspace import FrameSource, ModelWorkspace, Question, open_workspace

HONEST = ["applicant_age", "household_size", "monthly_income", "children_under_6", "employment", "region",
          "documents_complete", "previous_applications", "submitted_date"]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> FrameSource:
    """Two small datasets written as CSV files, read back the way the shown script reads them."""
    folder = tmp_path_factory.mktemp("data")
    files, frames = {}, {}
    for name, frame, dates in (("benefit", make_benefit_frame(1500, seed=5),
                                ["submitted_date", "decision_letter_sent_date"]),
                               ("bikes", make_regression_frame(2500, seed=6), ["datetime"])):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        files[name] = str(path)
        frames[name] = pd.read_csv(path, parse_dates=dates)
    return FrameSource(frames, {"benefit": "submitted_date", "bikes": "datetime"}, files)


def make_workspace(source: FrameSource) -> ModelWorkspace:
    return ModelWorkspace(source, ("benefit", "bikes"), (Question("q", "Q?", "percent"),))


def trained(workspace: ModelWorkspace) -> ModelWorkspace:
    workspace.add_run(workspace.training_job()(TaskState()))
    return workspace


def run_code(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


# --- choices ----------------------------------------------------------------------------------------

def test_choices_are_kept_per_dataset(source):
    workspace = make_workspace(source)
    workspace.set_target("approved")
    workspace.set_features(["region", "approved", "applicant_age"])
    assert workspace.setup.features == ("applicant_age", "region")  # table order, never the target
    workspace.choose_dataset("bikes")
    assert workspace.setup.target == "" and workspace.setup.split.time_column == "datetime"
    workspace.set_target("count")
    workspace.choose_dataset("benefit")
    assert workspace.setup.target == "approved" and workspace.setups["bikes"].target == "count"


def test_the_model_follows_the_task(source):
    workspace = make_workspace(source)
    workspace.set_target("approved")
    workspace.set_model(ModelSpec("logistic_regression"))
    workspace.set_target("monthly_income")  # regression: logistic regression does not fit
    assert workspace.setup.model.kind == "decision_tree"
    workspace.set_target(None)
    assert workspace.setup.model.kind == "kmeans" and workspace.task == "clustering"
    with pytest.raises(SetupProblem):
        workspace.set_target("submitted_date")
    with pytest.raises(SetupProblem, match="Choose the column to predict"):
        make_workspace(source).run_spec()


def test_percent_answers_are_read_the_way_people_type_them():
    assert parse_percent("79") == parse_percent("79 %") == parse_percent("0.79") == 79.0
    assert parse_percent("79,5") == 79.5
    assert parse_percent("\u0667\u0669\u066a") == 79.0  # Arabic-Indic digits and per cent sign
    assert parse_percent("about eighty") is None and parse_percent("150") is None


# --- snapshot and resume ---------------------------------------------------------------------------

def test_snapshot_then_open_shows_the_same_numbers(source):
    workspace = make_workspace(source)
    workspace.set_target("approved")
    workspace.set_features(HONEST)
    workspace.set_model(ModelSpec("random_forest", {"n_trees": 30}))
    first = trained(workspace).runs[-1]
    workspace.choose_dataset("bikes")
    workspace.set_target("count")
    workspace.set_features(["datetime", "temp", "weather"])
    workspace.set_split(SplitSpec("time", 0.2, "datetime"))
    workspace.set_model(ModelSpec("gradient_boosting", {"n_trees": 40}))
    latest = trained(workspace).runs[-1]
    workspace.set_card(CardText("purpose", "limits", "not for"))
    workspace.set_answer("q", " 80 ")
    workspace.note_card_exported("pdf")
    snapshot = workspace.snapshot()

    fits = []

    def counting_fit(*args):
        from labs.machine_learning.engine.training import train

        fits.append(args[1])
        return train(*args)

    again = open_workspace(snapshot, TaskState(), None, source=source, datasets=("benefit", "bikes"),
                           fit=counting_fit)
    assert fits == [latest.spec]  # only the latest run is refitted; the older keeps its saved numbers
    assert again.snapshot() == snapshot
    assert again.runs[0].metrics == first.metrics
    assert again.latest.summary.metrics == latest.metrics
    assert again.latest.summary.importance == latest.importance
    assert (again.latest.residuals == workspace.latest.residuals).all()
    assert again.dataset == "bikes" and again.answers == {"q": "80"} and again.card.not_for == "not for"


def test_a_run_saved_as_a_spec_only_is_trained_on_open(source):
    spec = {"dataset": "benefit", "target": "approved", "features": HONEST, "split": {}, "model": {}}
    workspace = open_workspace({"runs": [{"spec": spec}, {"spec": spec}]}, TaskState(), None, source=source,
                               datasets=("benefit", "bikes"))
    assert len(workspace.runs) == 2 and workspace.runs[0].metrics == workspace.runs[1].metrics
    assert workspace.runs[0].metrics["accuracy"] > 0.8


def test_open_without_a_snapshot_is_a_fresh_start(source):
    workspace = open_workspace(None, TaskState(), None, source=source, datasets=("benefit",))
    assert workspace.runs == [] and workspace.setup.target == "" and workspace.dataset == "benefit"


# --- the shown code runs and gives the lab's numbers -------------------------------------------------

def test_code_before_any_choice_loads_the_data(source):
    namespace = run_code(make_workspace(source).code())
    assert len(namespace["data"]) == 1500


def test_classification_code_gives_the_same_numbers(source):
    workspace = make_workspace(source)
    workspace.set_target("approved")
    workspace.set_features(HONEST)
    summary = trained(workspace).runs[-1]
    namespace = run_code(workspace.code())
    assert namespace["accuracy"] == pytest.approx(summary.metrics["accuracy"])
    assert namespace["balanced_accuracy"] == pytest.approx(summary.metrics["balanced_accuracy"])
    assert namespace["baseline_accuracy"] == pytest.approx(summary.baseline["accuracy"])
    importance = namespace["importance"]
    assert list(importance.index[:3]) == [name for name, _m, _s in summary.importance[:3]]
    assert importance.iloc[0] == pytest.approx(summary.importance[0][1])


def test_time_split_regression_code_gives_the_same_numbers(source):
    workspace = make_workspace(source)
    workspace.choose_dataset("bikes")
    workspace.set_target("count")
    workspace.set_features(["datetime", "season", "workingday", "temp", "weather"])
    workspace.set_split(SplitSpec("time", 0.25, "datetime"))
    workspace.set_model(ModelSpec("gradient_boosting", {"n_trees": 60, "learning_rate": 0.2}))
    summary = trained(workspace).runs[-1]
    code = workspace.code()
    assert "HistGradientBoostingRegressor(max_iter=60" in code and "quantile(0.75" in code
    namespace = run_code(code)
    assert namespace["r2"] == pytest.approx(summary.metrics["r2"])
    assert namespace["mae"] == pytest.approx(summary.metrics["mae"])
    assert namespace["baseline_r2"] == pytest.approx(summary.baseline["r2"])
    assert namespace["train"]["datetime"].max() < namespace["test"]["datetime"].min()


def test_scaled_logistic_regression_code_gives_the_same_numbers(source):
    workspace = make_workspace(source)
    workspace.set_target("fraud_flag")
    workspace.set_features(HONEST)
    workspace.set_model(ModelSpec("logistic_regression", {"balanced": True}))
    summary = trained(workspace).runs[-1]
    code = workspace.code()
    assert 'class_weight="balanced"' in code and "StandardScaler()" in code
    namespace = run_code(code)
    assert namespace["balanced_accuracy"] == pytest.approx(summary.metrics["balanced_accuracy"])


def test_clustering_code_gives_the_same_numbers(source):
    workspace = make_workspace(source)
    workspace.choose_dataset("bikes")
    workspace.set_target(None)
    workspace.set_features(["temp", "humidity", "season"])
    workspace.set_model(ModelSpec("kmeans", {"k": 4}))
    summary = trained(workspace).runs[-1]
    namespace = run_code(workspace.code())
    assert namespace["silhouette"] == pytest.approx(summary.metrics["silhouette"])
    assert namespace["inertia"] == pytest.approx(summary.metrics["inertia"])
    assert namespace["one_group"] == pytest.approx(summary.baseline["inertia"])


# --- the model card ----------------------------------------------------------------------------------

def test_the_card_has_every_section_with_the_runs_numbers(source, tmp_path: Path):
    workspace = make_workspace(source)
    with pytest.raises(SetupProblem, match="Train a model first"):
        workspace.card_markdown()
    workspace.set_target("approved")
    workspace.set_features(HONEST + ["approval_code"])
    summary = trained(workspace).runs[-1]
    workspace.set_card(CardText("Sort applications for review.", "Made-up data; misses refusals.", "Deciding alone."))
    card = workspace.card_markdown(written="2025-01-31")
    for heading in ("## Purpose", "## Data", "## Metrics", "## Limits and warnings", "## Intended use"):
        assert heading in card
    assert card.index("## Purpose") < card.index("## Data") < card.index("## Metrics") < card.index("## Limits")
    assert "Sort applications for review." in card and "Made-up data; misses refusals." in card
    assert "Deciding alone." in card and "2025-01-31" in card
    assert f"{summary.metrics['accuracy']:.3f}" in card and f"{summary.baseline['accuracy']:.3f}" in card
    assert "always \"yes\"" in card and "approval_code starts with a code" in card  # warnings travel
    assert "Rows used: 1,500 (1,125 to train, 375 to test)" in card
    path = tmp_path / "card.md"
    write_text(path, card)
    assert path.read_text(encoding="utf-8") == card
    assert [p.name for p in tmp_path.iterdir()] == ["card.md"]  # no temporary file left behind


def test_a_failed_write_leaves_the_old_card(tmp_path: Path, monkeypatch):
    path = tmp_path / "card.md"
    path.write_text("old", encoding="utf-8")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("app.core.atomic.os.replace", broken)
    with pytest.raises(OSError):
        write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old" and len(list(tmp_path.iterdir())) == 1


def test_a_saved_run_the_data_no_longer_fits_is_dropped_not_fatal(source):
    good = {"dataset": "benefit", "target": "approved", "features": HONEST}
    gone = {"dataset": "benefit", "target": "approved", "features": ["a_column_since_removed"]}
    workspace = open_workspace({"runs": [{"spec": good}, {"spec": gone}]}, TaskState(), None, source=source,
                               datasets=("benefit", "bikes"))
    assert [run.spec.features for run in workspace.runs] == [tuple(HONEST)]
    assert workspace.has_frame("benefit")  # read while opening (off the GUI thread), not by the panel
