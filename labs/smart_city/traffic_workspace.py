"""The learner's work in the adaptive traffic signals lab, with no Qt and no text for learners.

The engine (labs/smart_city/traffic/) models the district, its demand, Webster's timing and a simulated day. This
module holds what the learner chose, in the order of the lab's tasks:

1. `forecast`  a ForecastChoice: which forecaster predicts tomorrow's counts (and over how many past days); it is
               scored against the seasonal-naive baseline on the last 40 complete weekdays (`score`).
2. `basis`, `cycles`  the fixed-time plan: the demand it is designed for ("peak": each junction's busiest hour of
               the typical weekday; "average": the day's average hour) and the cycle the learner typed for each
               junction after working out Webster's C0; the greens follow Webster's split (`fixed_plan`).
3. `day`, `timed_on`, `run`  the simulated day: the fixed plan and a demand-responsive plan (Webster every hour,
               timed on the learner's forecast, on last week's counts, or on the actual counts) run against the
               day's real counts (`simulation_job`, long work for the task runner); `run` is the result, with
               per-15-minute frames for the schematic's animation.
4. `explored`, `answers`  the scenarios simulated so far ("2018-09-10/seasonal_naive") and the learner's answers.

`snapshot()` is plain JSON; `open_workspace(snapshot, state, files)` rebuilds the same work and re-simulates a day
that had been simulated (about 20 ms), so a resumed lab shows the same numbers. `code()` is the runnable pandas
script of it all (traffic_script.py). Any change to the forecast, the fixed plan or the day drops the simulated
day: its numbers would no longer be the learner's.

Levels of service (the schematic's colours) are those of the Highway Capacity Manual 2000 for signalised
intersections (TRB, HCM 2000, Exhibit 16-2), by control delay in seconds per vehicle: A <= 10, B <= 20,
C <= 35, D <= 55, E <= 80, F above 80.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.tasks import TaskState
from labs.smart_city.traffic import demand as dm
from labs.smart_city.traffic.demand import HOURS, CountHistory, Demand, ForecastScore
from labs.smart_city.traffic.district import District, sample_district
from labs.smart_city.traffic.plans import (FIXED_AVERAGE, FIXED_PEAK, Plan, design_hour, hour_flows,
                                          phase_flow_ratios, responsive_plan)
from labs.smart_city.traffic.simulate import PERIOD_MINUTES, Comparison, DayResult, compare, simulate_day
from labs.smart_city.traffic.webster import SignalTiming, green_splits, optimum_cycle

SNAPSHOT_VERSION = 1

# --- forecasters --------------------------------------------------------------------------------------------------

SEASONAL_NAIVE = "seasonal_naive"  # the same hour one week earlier: the baseline
SAME_HOUR_MEAN = "same_hour_mean"  # mean of the same hour over the last N complete weekdays
SAME_HOUR_MEDIAN = "same_hour_median"  # median of the same hour over the last N complete weekdays
SAME_WEEKDAY_MEAN = "same_weekday_mean"  # mean of the same hour on the same weekday over the last N weeks
METHODS = (SAME_HOUR_MEAN, SAME_HOUR_MEDIAN, SAME_WEEKDAY_MEAN, SEASONAL_NAIVE)
WINDOWS = {SAME_HOUR_MEAN: (1, 60, 20), SAME_HOUR_MEDIAN: (1, 60, 20), SAME_WEEKDAY_MEAN: (1, 12, 4),
           SEASONAL_NAIVE: (1, 1, 1)}  # method -> (smallest, largest, default) window
BACKTEST_DAYS = 40  # the forecasters are scored on the last 40 complete weekdays of the data


@dataclass(frozen=True)
class ForecastChoice:
    method: str = SEASONAL_NAIVE
    window: int = 1  # weekdays (mean, median) or weeks (same weekday); unused by the seasonal naive forecast

    def __post_init__(self) -> None:
        if self.method not in WINDOWS:
            raise ValueError(f"unknown forecaster {self.method!r}")
        low, high, _default = WINDOWS[self.method]
        object.__setattr__(self, "window", max(low, min(high, int(self.window))))

    @classmethod
    def default(cls, method: str) -> ForecastChoice:
        return cls(method, WINDOWS[method][2])

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "window": self.window}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ForecastChoice:
        data = data or {}
        method = str(data.get("method", SEASONAL_NAIVE))
        if method not in WINDOWS:
            method = SEASONAL_NAIVE
        return cls(method, int(data.get("window", WINDOWS[method][2])))


def forecast_counts(history: CountHistory, day: dt.date, choice: ForecastChoice) -> tuple[float, ...]:
    """The 24 hourly counts `choice` forecasts for `day`, from the days before it only (I-94 scale)."""
    import numpy as np

    if choice.method == SEASONAL_NAIVE:
        return dm.seasonal_naive(history, day)
    if choice.method == SAME_HOUR_MEAN:
        return dm.same_hour_mean(history, day, choice.window)
    earlier = history.complete_weekdays(before=day)
    if choice.method == SAME_WEEKDAY_MEAN:
        earlier = tuple(d for d in earlier if d.weekday() == day.weekday())
    earlier = earlier[-choice.window:]
    if not earlier:
        raise ValueError(f"no complete weekday before {day}")
    rows = history.volumes[[history.index(d) for d in earlier]]
    values = np.median(rows, axis=0) if choice.method == SAME_HOUR_MEDIAN else rows.mean(axis=0)
    return tuple(float(v) for v in values)


def backtest_days(history: CountHistory) -> tuple[dt.date, ...]:
    return history.complete_weekdays()[-BACKTEST_DAYS:]


def score(history: CountHistory, choice: ForecastChoice, days: Sequence[dt.date]) -> ForecastScore:
    """Mean absolute error and MAPE of `choice` over `days`, each forecast only from the days before it."""
    errors = []
    for day in days:
        actual, predicted = history.day(day), forecast_counts(history, day, choice)
        errors.append((day, dm.mae(actual, predicted), dm.mape(actual, predicted)))
    if not errors:
        raise ValueError("no day to score")
    worst = max(errors, key=lambda e: e[1])
    return ForecastScore(choice.method, len(errors), sum(e[1] for e in errors) / len(errors),
                         sum(e[2] for e in errors) / len(errors), worst[0], worst[1])


# --- the fixed plan -------------------------------------------------------------------------------------------------

PEAK, AVERAGE = "peak", "average"


@dataclass(frozen=True)
class DesignRow:
    """What Webster's method needs to time one junction for the fixed plan's design demand."""

    intersection: str
    hour: int | None  # the design hour, or None for the day's average hour
    flows: dict[str, float]  # approach id -> veh/h
    ratios: tuple[float, ...]  # critical y per phase (north-south, east-west)
    lost_time: float  # L, s
    c0: float  # Webster's optimum, s (math.inf when Y >= 1)
    cycle: float  # c0 bounded to the district's 30-120 s: the cycle the check expects

    @property
    def flow_ratio_sum(self) -> float:
        return sum(self.ratios)


def design_rows(district: District, typical: Demand, basis: str) -> tuple[DesignRow, ...]:
    rows = []
    for intersection in district.intersections:
        if basis == PEAK:
            hour: int | None = design_hour(intersection, typical)
            flows = hour_flows(intersection, typical, hour)
        else:
            hour = None
            flows = {a.id: sum(typical.volumes[(intersection.id, a.id)]) / HOURS for a in intersection.approaches}
        ratios = phase_flow_ratios(intersection, flows)
        found = optimum_cycle(intersection.lost_time, sum(ratios), min_cycle=district.min_cycle,
                              max_cycle=district.max_cycle)
        cycle = max(found.cycle, intersection.lost_time + len(ratios) * district.min_green)
        rows.append(DesignRow(intersection.id, hour, flows, ratios, intersection.lost_time, found.c0, cycle))
    return tuple(rows)


def timing_for(district: District, row: DesignRow, cycle: float) -> SignalTiming:
    """The learner's cycle with Webster's green split for the design flows; ValueError if the cycle is too short
    for the lost time and two minimum greens."""
    greens = green_splits(cycle, row.lost_time, row.ratios, min_green=district.min_green)
    return SignalTiming(cycle, greens, row.lost_time, row.ratios, row.c0, row.flow_ratio_sum >= 1)


def saturation_at(district: District, row: DesignRow, timing: SignalTiming) -> float:
    """The worst degree of saturation at the design flows under `timing` (x >= 1: queues grow)."""
    intersection = district.intersection(row.intersection)
    worst = 0.0
    for approach in intersection.approaches:
        capacity = approach.saturation_flow * timing.greens[approach.phase] / timing.cycle
        flow = row.flows[approach.id]
        worst = max(worst, flow / capacity if capacity > 0 else math.inf)
    return worst


# --- the simulated day ------------------------------------------------------------------------------------------------

ORDINARY_DAY = dt.date(2018, 9, 12)  # a Wednesday with complete counts, no holiday near
AFTER_HOLIDAY = dt.date(2018, 9, 10)  # the Monday a week after Labor Day (3 September 2018, a US public holiday)
DAYS = (ORDINARY_DAY, AFTER_HOLIDAY)
HOLIDAY = dt.date(2018, 9, 3)
TIMED_ON_FORECAST, TIMED_ON_LAST_WEEK, TIMED_ON_ACTUAL = "forecast", "last_week", "actual"
TIMED_ON = (TIMED_ON_FORECAST, TIMED_ON_LAST_WEEK, TIMED_ON_ACTUAL)
ACTUAL = "actual"  # the "forecaster" of a plan timed on the real counts: a perfect forecast
PERIODS = HOURS * 60 // PERIOD_MINUTES  # 96 frames of the animation
# The scenarios the lab's feedback quotes: the ordinary day with a perfect forecast (where no timing helps), and the
# Monday after the holiday week timed on last week's counts (where a forecast fails).
CHECKED_SCENARIOS = ((ORDINARY_DAY, TIMED_ON_ACTUAL), (AFTER_HOLIDAY, TIMED_ON_LAST_WEEK))

LOS_LIMITS = ((10.0, "A"), (20.0, "B"), (35.0, "C"), (55.0, "D"), (80.0, "E"))  # HCM 2000, s/veh
LOS_LETTERS = tuple(letter for _limit, letter in LOS_LIMITS) + ("F",)


def level_of_service(delay: float) -> int:
    """0 (A) .. 5 (F) for a control delay in s/veh (HCM 2000, signalised intersections)."""
    for index, (limit, _letter) in enumerate(LOS_LIMITS):
        if delay <= limit:
            return index
    return len(LOS_LIMITS)


@dataclass(frozen=True)
class Frames:
    """What the schematic shows in each 15-minute period (96 of them), for one plan.

    Approaches are in `District.approach_keys()` order, junctions in `District.intersections` order."""

    approach_delay: tuple[tuple[float, ...], ...]  # s per arriving vehicle
    approach_queue: tuple[tuple[float, ...], ...]  # vehicles delayed, on average over the period
    junction_delay: tuple[tuple[float, ...], ...]  # s per vehicle, flow-weighted over the junction's approaches
    junction_queue: tuple[tuple[float, ...], ...]  # vehicles, summed over the junction's approaches


def frames_of(district: District, result: DayResult) -> Frames:
    keys = district.approach_keys()
    position = {key: i for i, key in enumerate(keys)}
    junction_of = [next(j for j, i in enumerate(district.intersections) if i.id == key[0]) for key in keys]
    count, junctions = len(keys), len(district.intersections)
    delays = [[0.0] * count for _ in range(PERIODS)]
    queues = [[0.0] * count for _ in range(PERIODS)]
    for period in result.periods:
        frame = period.minute // PERIOD_MINUTES
        k = position[(period.intersection, period.approach)]
        delays[frame][k] = period.delay
        queues[frame][k] = period.queue
    junction_delay, junction_queue = [], []
    flows = {(p.intersection, p.approach, p.minute // PERIOD_MINUTES): p.flow for p in result.periods}
    for frame in range(PERIODS):
        total = [0.0] * junctions
        vehicles = [0.0] * junctions
        queue = [0.0] * junctions
        for k, key in enumerate(keys):
            j = junction_of[k]
            flow = flows[(key[0], key[1], frame)]
            total[j] += delays[frame][k] * flow
            vehicles[j] += flow
            queue[j] += queues[frame][k]
        junction_delay.append(tuple(t / v if v else 0.0 for t, v in zip(total, vehicles)))
        junction_queue.append(tuple(queue))
    return Frames(tuple(map(tuple, delays)), tuple(map(tuple, queues)), tuple(junction_delay), tuple(junction_queue))


@dataclass(frozen=True)
class DayRun:
    """A simulated day: the learner's fixed plan and a responsive plan on the same real counts."""

    day: dt.date
    timed_on: str  # TIMED_ON_*
    method: str  # the forecaster the responsive plan was timed on (a method id, or ACTUAL)
    fixed: DayResult
    responsive: DayResult
    comparison: Comparison  # fixed -> responsive: positive saving = the responsive plan does better
    fixed_frames: Frames
    responsive_frames: Frames
    forecast: tuple[float, ...]  # the 24 counts the responsive plan was timed on (I-94 scale)
    actual: tuple[float, ...]  # the day's real counts

    @property
    def key(self) -> str:
        return scenario_key(self.day, self.method)


def scenario_key(day: dt.date, method: str) -> str:
    return f"{day.isoformat()}/{method}"


def simulate(district: District, history: CountHistory, fixed: Plan, day: dt.date, timed_on: str,
             choice: ForecastChoice, state: TaskState) -> DayRun:
    """Run the fixed plan and a responsive plan against `day`'s real counts (long work: the task runner's)."""
    state.set_progress(0, 4)
    scale = dm.scaling(history)
    actual_counts = history.day(day)
    actual = dm.district_demand(district, actual_counts, scale, day.isoformat())
    if timed_on == TIMED_ON_ACTUAL:
        method, counts = ACTUAL, actual_counts
    else:
        used = choice if timed_on == TIMED_ON_FORECAST else ForecastChoice(SEASONAL_NAIVE)
        method, counts = used.method, forecast_counts(history, day, used)
    state.raise_if_cancelled()
    state.set_progress(1, 4)
    plan = responsive_plan(district, dm.district_demand(district, counts, scale, f"forecast {method}"))
    state.raise_if_cancelled()
    state.set_progress(2, 4)
    fixed_result = simulate_day(district, actual, fixed)
    responsive_result = simulate_day(district, actual, plan)
    state.raise_if_cancelled()
    state.set_progress(3, 4)
    run = DayRun(day, timed_on, method, fixed_result, responsive_result, compare(fixed_result, responsive_result),
                 frames_of(district, fixed_result), frames_of(district, responsive_result), tuple(counts),
                 tuple(actual_counts))
    state.set_progress(4, 4)
    return run


# --- the workspace ----------------------------------------------------------------------------------------------------


class TrafficWorkspace:
    def __init__(self, history: CountHistory, district: District | None = None, data_file: str = ""):
        self.history = history
        self.district = district or sample_district()
        self.data_file = data_file  # the counts file the script reads
        self.typical = dm.typical_demand(self.district, history)
        self.forecast = ForecastChoice()
        self.basis = PEAK
        self.cycles: dict[str, float | None] = {i.id: None for i in self.district.intersections}
        self.day = ORDINARY_DAY
        self.timed_on = TIMED_ON_FORECAST
        self.run: DayRun | None = None
        self.explored: list[str] = []
        self.answers: dict[str, str] = {}
        self._scores: dict[ForecastChoice, ForecastScore] = {}
        self._rows: dict[str, tuple[DesignRow, ...]] = {}
        self._scenarios: dict[tuple[dt.date, str], DayRun] = {}

    # --- 1. the forecast ---------------------------------------------------------------------------------------

    def set_forecast(self, choice: ForecastChoice) -> None:
        if choice != self.forecast:
            self.forecast = choice
            self.run = None

    def score(self, choice: ForecastChoice | None = None) -> ForecastScore:
        """The choice's errors over the last 40 complete weekdays (cached: the data never changes)."""
        choice = choice or self.forecast
        if choice not in self._scores:
            self._scores[choice] = score(self.history, choice, backtest_days(self.history))
        return self._scores[choice]

    def baseline(self) -> ForecastScore:
        return self.score(ForecastChoice(SEASONAL_NAIVE))

    def forecast_of(self, day: dt.date, choice: ForecastChoice | None = None) -> tuple[float, ...]:
        return forecast_counts(self.history, day, choice or self.forecast)

    # --- 2. the fixed plan ----------------------------------------------------------------------------------------

    def design_rows(self, basis: str | None = None) -> tuple[DesignRow, ...]:
        basis = basis or self.basis
        if basis not in self._rows:
            self._rows[basis] = design_rows(self.district, self.typical, basis)
        return self._rows[basis]

    def set_basis(self, basis: str) -> None:
        if basis not in (PEAK, AVERAGE):
            raise ValueError(basis)
        if basis != self.basis:
            self.basis = basis
            self.run = None

    def set_cycle(self, intersection_id: str, cycle: float | None) -> None:
        if intersection_id not in self.cycles:
            raise KeyError(intersection_id)
        cycle = None if cycle is None or cycle <= 0 else float(cycle)
        if self.cycles[intersection_id] != cycle:
            self.cycles[intersection_id] = cycle
            self.run = None

    def timings(self) -> dict[str, SignalTiming | None]:
        """The learner's timing per junction (None where no cycle is typed or it is too short to time)."""
        found: dict[str, SignalTiming | None] = {}
        for row in self.design_rows():
            cycle = self.cycles.get(row.intersection)
            try:
                found[row.intersection] = timing_for(self.district, row, cycle) if cycle else None
            except ValueError:
                found[row.intersection] = None
        return found

    def fixed_plan(self) -> Plan | None:
        """The learner's fixed-time plan (one timing all day), or None until every junction has a usable cycle."""
        timings = self.timings()
        if any(t is None for t in timings.values()):
            return None
        return Plan(FIXED_PEAK if self.basis == PEAK else FIXED_AVERAGE,
                    {key: (timing,) * HOURS for key, timing in timings.items()}, "typical weekday")

    # --- 3. the simulated day --------------------------------------------------------------------------------------

    def set_day(self, day: dt.date) -> None:
        if day not in DAYS:
            raise ValueError(day)
        if day != self.day:
            self.day = day
            self.run = None

    def set_timed_on(self, timed_on: str) -> None:
        if timed_on not in TIMED_ON:
            raise ValueError(timed_on)
        if timed_on != self.timed_on:
            self.timed_on = timed_on
            self.run = None

    def simulation_job(self) -> Callable[[TaskState], DayRun]:
        """The day's simulation for the task runner; reads only what it captured now. ValueError while the fixed
        plan is not complete."""
        plan = self.fixed_plan()
        if plan is None:
            raise ValueError("the fixed plan needs a cycle for every junction")
        district, history, day, timed_on, choice = self.district, self.history, self.day, self.timed_on, self.forecast
        return lambda state: simulate(district, history, plan, day, timed_on, choice, state)

    def set_run(self, run: DayRun) -> None:
        self.run = run
        if run.key not in self.explored:
            self.explored.append(run.key)

    def run_is_current(self) -> bool:
        return self.run is not None and self.run.day == self.day and self.run.timed_on == self.timed_on

    def reference_scenario(self, day: dt.date, timed_on: str, state: TaskState | None = None) -> DayRun:
        """A day simulated with Webster's own fixed plan for the peak hour (not the learner's), the responsive plan
        timed on the actual counts or last week's: what the checks' feedback quotes. Cached (about 20 ms each);
        `open_workspace` prepares the two the checks use, off the GUI thread."""
        key = (day, timed_on)
        if key not in self._scenarios:
            from labs.smart_city.traffic.plans import fixed_plan

            plan = fixed_plan(self.district, self.typical, "peak")
            self._scenarios[key] = simulate(self.district, self.history, plan, day, timed_on, self.forecast,
                                            state or TaskState())
        return self._scenarios[key]

    # --- 4. answers ------------------------------------------------------------------------------------------------

    def set_answer(self, question: str, answer: str) -> None:
        self.answers[question] = answer.strip()

    # --- saving and the script -------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "forecast": self.forecast.to_dict(),
                "fixed": {"basis": self.basis, "cycles": {k: _plain(v) for k, v in self.cycles.items()}},
                "simulation": {"day": self.day.isoformat(), "timed_on": self.timed_on, "run": self.run is not None},
                "explored": list(self.explored), "answers": dict(self.answers)}

    def load(self, snapshot: dict[str, Any], state: TaskState) -> None:
        self.forecast = ForecastChoice.from_dict(snapshot.get("forecast"))
        fixed = snapshot.get("fixed") or {}
        self.basis = fixed.get("basis") if fixed.get("basis") in (PEAK, AVERAGE) else PEAK
        for key, value in (fixed.get("cycles") or {}).items():
            if key in self.cycles:
                self.cycles[key] = float(value) if isinstance(value, (int, float)) and value > 0 else None
        simulation = snapshot.get("simulation") or {}
        day = _date(simulation.get("day"))
        self.day = day if day in DAYS else ORDINARY_DAY
        self.timed_on = simulation.get("timed_on") if simulation.get("timed_on") in TIMED_ON else TIMED_ON_FORECAST
        self.explored = [str(k) for k in snapshot.get("explored") or []]
        self.answers = {str(k): str(v) for k, v in (snapshot.get("answers") or {}).items()}
        self.run = None
        if simulation.get("run") and self.fixed_plan() is not None:
            self.set_run(self.simulation_job()(state))

    def code(self) -> str:
        from labs.smart_city.traffic_script import script

        return script(self)


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> TrafficWorkspace:
    """Rebuild the work a snapshot describes (None: a fresh start). Reads the counts (pandas, about half a second
    the first time): call it off the GUI thread. `files` is unused: the lab works on the embedded counts only."""
    from labs.datasets.catalog import dataset_path

    state.set_progress(0, 2)
    history = dm.load_history()
    state.raise_if_cancelled()
    state.set_progress(1, 2)
    workspace = TrafficWorkspace(history, data_file=str(dataset_path(dm.DATASET)))
    for day, timed_on in CHECKED_SCENARIOS:
        workspace.reference_scenario(day, timed_on, state)
    if snapshot:
        workspace.load(snapshot, state)
    state.set_progress(2, 2)
    return workspace
