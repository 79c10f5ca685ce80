"""What the benchmarks call: gradient boosting on 100,000 rows, headless or through the lab's panel.

    result = fit_gradient_boosting(100_000)              # seconds: result.summary.duration
    workspace = benchmark_workspace(100_000)              # a ModelPanel(workspace, host) then .train()
"""

from __future__ import annotations

from app.core.tasks import TaskState
from labs.machine_learning.engine.models import BOOSTING, ModelSpec
from labs.machine_learning.engine.samples import make_regression_frame
from labs.machine_learning.engine.split import TIME, SplitSpec
from labs.machine_learning.engine.training import RunResult, RunSpec, train
from labs.machine_learning.engine.workspace import FrameSource, ModelWorkspace

DATASET = "synthetic-hourly"
FEATURES = ("datetime", "season", "workingday", "weather", "temp", "humidity", "windspeed")
BENCHMARK_SPEC = RunSpec(DATASET, "count", FEATURES, SplitSpec(TIME, 0.2, "datetime"),
                         ModelSpec(BOOSTING, {"n_trees": 100, "learning_rate": 0.1}))

__all__ = ["BENCHMARK_SPEC", "benchmark_workspace", "fit_gradient_boosting", "make_regression_frame"]


def fit_gradient_boosting(rows: int = 100_000, seed: int = 0, state: TaskState | None = None) -> RunResult:
    """Train the benchmark run (100 boosting iterations, time split, importance, cautions) on `rows` rows."""
    return train(make_regression_frame(rows, seed), BENCHMARK_SPEC, state or TaskState(), "datetime")


def benchmark_workspace(rows: int = 100_000, seed: int = 0) -> ModelWorkspace:
    """A workspace set up like the benchmark run: give it to ModelPanel and call panel.train()."""
    workspace = ModelWorkspace(FrameSource({DATASET: make_regression_frame(rows, seed)}, {DATASET: "datetime"}),
                               (DATASET,))
    workspace.set_target(BENCHMARK_SPEC.target)
    workspace.set_features(BENCHMARK_SPEC.features)
    workspace.set_split(BENCHMARK_SPEC.split)
    workspace.set_model(BENCHMARK_SPEC.model)
    return workspace
