"""A large complaint-like table for the benchmark and the 1,000,000-row tests (made, never shipped).

    frame = make_large_frame(1_000_000, seed=0)       # ~2 s, ~150 MB
    write_large_csv(path, 1_000_000)                  # the same table as a CSV file, for reading
    engine_timings(frame)                             # seconds per engine operation on it
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from app.core.tasks import TaskState

DISTRICTS = ("Central", "North", "South", "East", "West", "Riverside", "Hillside", "Harbour")
CATEGORIES = ("roads", "waste", "noise", "water", "parks", "lighting", "permits", "other")
CHANNELS = ("phone", "web", "email", "counter", "app")


def make_large_frame(rows: int = 1_000_000, seed: int = 0) -> pd.DataFrame:
    """Columns of every kind the lab shows: ids, dates with times, categories, numbers with gaps, yes/no."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01T00:00")
    minutes = np.sort(rng.integers(0, 5 * 365 * 24 * 60, rows))
    district = rng.choice(np.array(DISTRICTS, dtype=object), rows)
    district[rng.random(rows) < 0.03] = None
    days = rng.gamma(2.0, 6.0, rows).round()
    days[rng.random(rows) < 0.01] = np.nan
    return pd.DataFrame({
        "complaint_id": np.arange(1, rows + 1),
        "received_date": start + minutes.astype("timedelta64[m]"),
        "district": pd.Series(district, dtype="str"),
        "category": pd.Series(rng.choice(np.array(CATEGORIES, dtype=object), rows), dtype="str"),
        "channel": pd.Series(rng.choice(np.array(CHANNELS, dtype=object), rows), dtype="str"),
        "days_to_resolve": days,
        "cost": rng.lognormal(4, 1, rows).round(2),
        "satisfied": pd.Series(np.where(rng.random(rows) < 0.7, "yes", "no"), dtype="str"),
    })


def write_large_csv(path: Path, rows: int = 1_000_000, seed: int = 0) -> Path:
    make_large_frame(rows, seed).to_csv(path, index=False)
    return Path(path)


def engine_timings(frame: pd.DataFrame, state: TaskState | None = None) -> dict[str, float]:
    """Seconds taken by what a learner does on `frame`: profile, filter, group, chart data, export-free."""
    from labs.data_analysis.engine.charts import ChartSpec, chart_data
    from labs.data_analysis.engine.profile import profile_frame
    from labs.data_analysis.engine.steps import DropDuplicates, Filter, GroupBy, Pivot

    state = state or TaskState()
    timings: dict[str, float] = {}

    def timed(name: str, work) -> None:
        start = time.perf_counter()
        work()
        timings[name] = round(time.perf_counter() - start, 3)

    timed("profile_all_columns", lambda: profile_frame(frame, state))
    timed("filter", lambda: Filter("days_to_resolve", ">=", 0).apply(frame))
    timed("drop_duplicates", lambda: DropDuplicates().apply(frame))
    timed("group_mean_by_district", lambda: GroupBy(("district",), "days_to_resolve", "mean").apply(frame))
    timed("pivot_category_channel", lambda: Pivot("category", "channel").apply(frame))
    timed("chart_bar_weekday", lambda: chart_data(frame, ChartSpec("bar", x="received_date", time_part="weekday")))
    timed("chart_scatter", lambda: chart_data(frame, ChartSpec("scatter", x="cost", y="days_to_resolve")))
    return timings
