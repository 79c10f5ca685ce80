"""The learner's work in the air-quality alerts lab, with no Qt and no text for learners.

The engine (labs/smart_city/air/) holds the real Beijing series, the forecasters and the alert arithmetic. This
module holds what the learner chose, in the order of the lab's tasks:

1. `forecast`  a ForecastChoice: the forecaster (ridge regression, persistence or climatology), the inputs of the
               ridge regression (today's PM2.5; today's weather and the season; tomorrow's weather, taken from
               the next day's observations) and how it is tested (by time: fitted on 2010-2013, tested on 2014;
               or at random: 355 days drawn from all five years). `fit_job` is the long work for the task
               runner; its ForecastRun keeps the forecasts and the alert sweeps of both years and both levels.
2. `miss_cost`, `threshold`  the alert: how many false alarms one missed very bad day is worth, and the forecast
               that triggers an alert (µg/m³). Counts and costs follow from the run at once (no long work).
3. `level`, `seen_levels`  the level explored in "where it fails" (very bad, or bad) and the levels looked at.
4. `answers`   the learner's answers to the questions of tasks 3 and 4.

`snapshot()` is plain JSON; `open_workspace(snapshot, state, files)` rebuilds the same work and refits a
forecaster that had been fitted (a few milliseconds), so a resumed lab shows the same numbers. `code()` is the
runnable script of it all (air_script.py). Any change to the forecaster drops the run: its numbers would no longer
be the learner's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.tasks import TaskState
from labs.smart_city.air import forecast as fc
from labs.smart_city.air.alerts import Confusion, confusion, sweep
from labs.smart_city.air.data import BAD, DATASET, VERY_BAD

if TYPE_CHECKING:
    import numpy

SNAPSHOT_VERSION = 1

# --- the forecaster -------------------------------------------------------------------------------------------------

RIDGE, PERSISTENCE, CLIMATOLOGY = "ridge", "persistence", "climatology"
MODELS = (RIDGE, PERSISTENCE, CLIMATOLOGY)
PM25, WEATHER_TODAY, WEATHER_TOMORROW = "pm25", "weather_today", "weather_tomorrow"
INPUTS = (PM25, WEATHER_TODAY, WEATHER_TOMORROW)
INPUT_FEATURES = {PM25: ("log_pm25",), WEATHER_TODAY: fc.TODAY[1:], WEATHER_TOMORROW: fc.TOMORROW}
TIME_SPLIT, RANDOM_SPLIT = "time", "random"
SPLITS = (TIME_SPLIT, RANDOM_SPLIT)
RANDOM_SEED = 2014  # the random split's draw: fixed, so the lab and its script show the same days
TUNE_YEAR, TEST_YEAR = fc.TUNE_YEARS[0], fc.TEST_YEARS[0]
MIN_SKILL = 0.10  # task 1: errors at least a tenth smaller than persistence's on the test year

# --- the alert --------------------------------------------------------------------------------------------------------

LEVELS = {"very_bad": VERY_BAD, "bad": BAD}  # Korea's bands, compared at the half (data.py)
VERY_BAD_LEVEL, BAD_LEVEL = "very_bad", "bad"
TUNE, TEST = "tune", "test"
THRESHOLDS = tuple(20 + 2.5 * i for i in range(73))  # the sweep: 20 to 200 µg/m³ (the engine's default)
FALSE_ALARM_COST = 1.0  # every cost is counted in false alarms
MISS_COST_RANGE = (0.5, 20.0)
THRESHOLD_RANGE = (0.0, 500.0)
DEFAULT_MISS_COST = 1.0
DEFAULT_THRESHOLD = VERY_BAD  # a fresh start alerts at the band's edge
WORST_MISSES = 10
# A "turn of the weather" between today and tomorrow: the north-westerly (the wind that clears Beijing's air, Liang
# et al. 2015) blows at least 10 hours more or fewer, or the mean wind speed at least doubles or halves.
TURN_NW_HOURS = 10.0
TURN_WIND_RATIO = 2.0


@dataclass(frozen=True)
class ForecastChoice:
    model: str = PERSISTENCE
    inputs: tuple[str, ...] = (PM25,)  # the ridge regression's; kept (and ignored) for the other forecasters
    split: str = TIME_SPLIT

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"unknown forecaster {self.model!r}")
        if self.split not in SPLITS:
            raise ValueError(f"unknown split {self.split!r}")
        unknown = set(self.inputs) - set(INPUTS)
        if unknown:
            raise ValueError(f"unknown inputs {sorted(unknown)}")
        object.__setattr__(self, "inputs", tuple(i for i in INPUTS if i in self.inputs))

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(name for i in self.inputs for name in INPUT_FEATURES[i])

    @property
    def ready(self) -> bool:
        """False for a ridge regression with no input: there is nothing to fit."""
        return self.model != RIDGE or bool(self.inputs)

    def forecaster(self) -> ForecastChoice:
        """The same forecaster with the inputs only a ridge regression uses: equal choices forecast alike."""
        return self if self.model == RIDGE else ForecastChoice(self.model, (), self.split)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "inputs": list(self.inputs), "split": self.split}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ForecastChoice:
        data = data or {}
        model = data.get("model") if data.get("model") in MODELS else PERSISTENCE
        inputs = data.get("inputs", [PM25])
        inputs = tuple(i for i in inputs if i in INPUTS) if isinstance(inputs, (list, tuple)) else (PM25,)
        split = data.get("split") if data.get("split") in SPLITS else TIME_SPLIT
        return cls(model, inputs, split)


def forecast_with(choice: ForecastChoice, fit: fc.Samples, part: fc.Samples):
    """`choice`'s forecast of every case of `part`, learnt from `fit` only."""
    if choice.model == PERSISTENCE:
        return fc.persistence(part)
    if choice.model == CLIMATOLOGY:
        return fc.climatology(fit, part)
    if not choice.inputs:
        raise ValueError("a ridge regression needs at least one input")
    return fc.fit_ridge(fit, choice.features).predict(part)


def random_split(cases: fc.Samples, size: int, seed: int = RANDOM_SEED) -> tuple[fc.Samples, fc.Samples]:
    """A mistake to show: `size` cases drawn at random from all years to test on, the rest to fit on."""
    import numpy as np

    order = np.random.default_rng(seed).permutation(len(cases))
    test = np.zeros(len(cases), dtype=bool)
    test[order[:size]] = True
    return cases.where(~test), cases.where(test)


@dataclass(frozen=True, eq=False)
class Part:
    """A forecaster's forecasts for one set of test cases, beside persistence's."""

    cases: fc.Samples
    forecast: numpy.ndarray
    persistence: numpy.ndarray

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return self.cases.target_dates

    @property
    def actual(self) -> numpy.ndarray:
        return self.cases.target

    def __len__(self) -> int:
        return len(self.cases)


@dataclass(frozen=True, eq=False)
class ForecastRun:
    """A forecaster fitted and tested: its errors and persistence's on the test cases, and (time split only) its
    forecasts of the tuning year, fitted on 2010-2012, with the alert sweeps of both years at both levels."""

    choice: ForecastChoice
    test: Part  # 2014 (fitted on 2010-2013), or the random split's 355 days (fitted on the rest)
    tune: Part | None  # 2013 (fitted on 2010-2012); None for a random split
    errors: fc.Errors
    baseline: fc.Errors  # persistence's on the same days
    sweeps: dict[tuple[str, str], tuple[Confusion, ...]] = field(default_factory=dict)  # (TUNE/TEST, level id)

    @property
    def ordered(self) -> bool:
        return self.tune is not None

    def part(self, which: str) -> Part:
        part = self.tune if which == TUNE else self.test
        if part is None:
            raise ValueError("a random split has no tuning year")
        return part


def fit_and_test(choice: ForecastChoice, cases: fc.Samples, state: TaskState) -> ForecastRun:
    """Fit and test `choice` (long work for the task runner, though it takes milliseconds: it reports progress and
    honours cancel between its steps)."""
    if not choice.ready:
        raise ValueError("a ridge regression needs at least one input")
    state.set_progress(0, 4)
    tune = None
    if choice.split == TIME_SPLIT:
        years = fc.split(cases)
        test_fit, test_cases = fc.concat(years.fit, years.tune), years.test
        tune = Part(years.tune, forecast_with(choice, years.fit, years.tune), fc.persistence(years.tune))
    else:
        test_fit, test_cases = random_split(cases, len(cases.years(fc.TEST_YEARS)))
    state.raise_if_cancelled()
    state.set_progress(1, 4)
    test = Part(test_cases, forecast_with(choice, test_fit, test_cases), fc.persistence(test_cases))
    state.raise_if_cancelled()
    state.set_progress(2, 4)
    errors = fc.errors(test.actual, test.forecast, test.persistence)
    baseline = fc.errors(test.actual, test.persistence, test.persistence)
    sweeps: dict[tuple[str, str], tuple[Confusion, ...]] = {}
    if tune is not None:
        for which, part in ((TUNE, tune), (TEST, test)):
            for level_id, level in LEVELS.items():
                sweeps[(which, level_id)] = tuple(sweep(part.actual, part.forecast, THRESHOLDS, level))
    state.raise_if_cancelled()
    state.set_progress(4, 4)
    return ForecastRun(choice, test, tune, errors, baseline, sweeps)


# --- alerts ----------------------------------------------------------------------------------------------------------


def cost(counts: Confusion, miss_cost: float) -> float:
    """False alarms plus missed bad days weighted by `miss_cost` (so the cost is counted in false alarms)."""
    return counts.cost(FALSE_ALARM_COST, miss_cost)


def lowest(rows: Sequence[Confusion], miss_cost: float) -> Confusion:
    """The threshold of the lowest cost (the lowest threshold if several tie), as alerts.best_threshold."""
    return min(rows, key=lambda c: (cost(c, miss_cost), c.threshold))


@dataclass(frozen=True)
class MissedDay:
    """A bad day with no alert, and the weather around it (the next day's is the "tomorrow" the forecast used)."""

    day: dt.date
    today: float  # PM2.5 of the day before, the forecast's starting point
    forecast: float
    actual: float
    wind_today: float  # m/s, daily mean
    wind_tomorrow: float
    nw_today: float  # hours of north-westerly wind
    nw_tomorrow: float
    rain_tomorrow: float  # hours

    @property
    def weather_turned(self) -> bool:
        low, high = sorted((self.wind_today, self.wind_tomorrow))
        return abs(self.nw_tomorrow - self.nw_today) >= TURN_NW_HOURS or high >= TURN_WIND_RATIO * low


def worst_misses(part: Part, threshold: float, level: float = VERY_BAD, count: int = WORST_MISSES) -> list[MissedDay]:
    """The bad days of `part` with no alert at `threshold`, worst (largest actual PM2.5) first."""
    columns = part.cases.columns
    found = []
    for i, (day, forecast, actual) in enumerate(zip(part.dates, part.forecast, part.actual)):
        if actual >= level and forecast < threshold:
            found.append(MissedDay(day, float(part.cases.today_pm25[i]), float(forecast), float(actual),
                                   float(columns["wind_speed"][i]), float(columns["next_wind_speed"][i]),
                                   float(columns["nw_hours"][i]), float(columns["next_nw_hours"][i]),
                                   float(columns["next_rain_hours"][i])))
    return sorted(found, key=lambda m: (-m.actual, m.day))[:count]


@dataclass(frozen=True)
class Explored:
    """What alerting for one level does, with the learner's forecaster and cost of a miss."""

    level: str
    bad_share: float  # share of the test year's days at or above the level
    best: Confusion  # the lowest cost on the tuning year
    test: Confusion  # that threshold on the test year


# --- the workspace ----------------------------------------------------------------------------------------------------


class AirWorkspace:
    def __init__(self, cases: fc.Samples, data_file: str = ""):
        self.cases = cases
        self.data_file = data_file  # the CSV the script reads
        self.forecast = ForecastChoice()
        self.run: ForecastRun | None = None
        self.tried: list[ForecastChoice] = []  # the forecasters fitted so far, in order
        self.miss_cost = DEFAULT_MISS_COST
        self.threshold = DEFAULT_THRESHOLD
        self.level = VERY_BAD_LEVEL
        self.seen_levels: list[str] = []
        self.answers: dict[str, str] = {}
        self._runs: dict[ForecastChoice, ForecastRun] = {}

    # --- 1. the forecaster --------------------------------------------------------------------------------------

    def set_forecast(self, choice: ForecastChoice) -> None:
        if choice != self.forecast:
            self.forecast = choice
            self.run = None

    def fit_job(self) -> Callable[[TaskState], ForecastRun]:
        """The fit and test of the current choice, for the task runner; ValueError if there is nothing to fit."""
        choice, cases = self.forecast, self.cases
        if not choice.ready:
            raise ValueError("a ridge regression needs at least one input")
        return lambda state: fit_and_test(choice, cases, state)

    def set_run(self, run: ForecastRun) -> None:
        self.run = run
        self._runs.setdefault(run.choice.forecaster(), run)
        if run.choice.forecaster() not in self.tried:
            self.tried.append(run.choice.forecaster())

    def run_is_current(self) -> bool:
        return self.run is not None and self.run.choice == self.forecast

    def result_of(self, choice: ForecastChoice, state: TaskState | None = None) -> ForecastRun:
        """Any forecaster's run (cached; a few milliseconds): the tried ones' table and the checks' comparisons."""
        key = choice.forecaster()
        if key not in self._runs:
            self._runs[key] = fit_and_test(key, self.cases, state or TaskState())
        return self._runs[key]

    # --- 2. the alert -------------------------------------------------------------------------------------------------

    def set_miss_cost(self, value: float) -> None:
        low, high = MISS_COST_RANGE
        if not low <= value <= high:
            raise ValueError(f"the cost of a miss must be from {low:g} to {high:g}")
        self.miss_cost = float(value)

    def set_threshold(self, value: float) -> None:
        low, high = THRESHOLD_RANGE
        if not low <= value <= high:
            raise ValueError(f"the threshold must be from {low:g} to {high:g}")
        self.threshold = float(value)

    def counts(self, which: str, threshold: float | None = None, level: str = VERY_BAD_LEVEL,
               run: ForecastRun | None = None) -> Confusion:
        """Hits, false alarms, misses and quiet days of the run's tuning or test year at `threshold`."""
        part = (run or self._current()).part(which)
        return confusion(part.actual, part.forecast, self.threshold if threshold is None else threshold,
                         LEVELS[level])

    def best(self, which: str, level: str = VERY_BAD_LEVEL, miss_cost: float | None = None,
             run: ForecastRun | None = None) -> Confusion:
        """The lowest-cost threshold of the sweep on the tuning year (or, to show the mistake, on the test year)."""
        rows = (run or self._current()).sweeps[(which, level)]
        return lowest(rows, self.miss_cost if miss_cost is None else miss_cost)

    def explored(self, level: str, run: ForecastRun | None = None) -> Explored:
        run = run or self._current()
        best = self.best(TUNE, level, run=run)
        test = self.counts(TEST, best.threshold, level, run)
        share = float((run.test.actual >= LEVELS[level]).mean())
        return Explored(level, share, best, test)

    def misses(self, run: ForecastRun | None = None) -> list[MissedDay]:
        return worst_misses((run or self._current()).test, self.threshold)

    def around(self, day: dt.date, span: int) -> tuple[list[int], list[float]]:
        """The hours of north-westerly wind on each day from `span` days before `day` to `span` days after (the
        weather is known on days without a PM2.5 mean too)."""
        from labs.smart_city.air.data import load_daily

        daily = load_daily()
        offsets, hours = [], []
        for offset in range(-span, span + 1):
            index = daily.index(day + dt.timedelta(days=offset))
            if 0 <= index < len(daily):
                offsets.append(offset)
                hours.append(float(daily.nw_hours[index]))
        return offsets, hours

    def _current(self) -> ForecastRun:
        if self.run is None:
            raise ValueError("fit and test a forecaster first")
        return self.run

    # --- 3. where it fails ---------------------------------------------------------------------------------------------

    def set_level(self, level: str) -> None:
        if level not in LEVELS:
            raise ValueError(level)
        self.level = level
        if self.run is not None and self.run.ordered and level not in self.seen_levels:
            self.seen_levels.append(level)

    # --- answers --------------------------------------------------------------------------------------------------------

    def set_answer(self, question: str, answer: str) -> None:
        self.answers[question] = answer.strip()

    # --- saving and the script ------------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION,
                "forecast": {**self.forecast.to_dict(), "run": self.run is not None},
                "tried": [c.to_dict() for c in self.tried],
                "alert": {"miss_cost": _plain(self.miss_cost), "threshold": _plain(self.threshold)},
                "explore": {"level": self.level, "seen": list(self.seen_levels)},
                "answers": dict(self.answers)}

    def load(self, snapshot: dict[str, Any], state: TaskState) -> None:
        forecast = snapshot.get("forecast") or {}
        self.forecast = ForecastChoice.from_dict(forecast)
        alert = snapshot.get("alert") or {}
        self.miss_cost = _number(alert.get("miss_cost"), MISS_COST_RANGE, DEFAULT_MISS_COST)
        self.threshold = _number(alert.get("threshold"), THRESHOLD_RANGE, DEFAULT_THRESHOLD)
        explore = snapshot.get("explore") or {}
        self.level = explore.get("level") if explore.get("level") in LEVELS else VERY_BAD_LEVEL
        self.seen_levels = [str(level) for level in explore.get("seen") or [] if level in LEVELS]
        self.answers = {str(k): str(v) for k, v in (snapshot.get("answers") or {}).items()}
        self.run = None
        self.tried = []
        for data in snapshot.get("tried") or []:
            if isinstance(data, dict):
                choice = ForecastChoice.from_dict(data)
                if choice.ready:
                    state.raise_if_cancelled()
                    self.set_run(self.result_of(choice, state))
        self.run = None
        if forecast.get("run") and self.forecast.ready:
            self.set_run(self.fit_job()(state))

    def code(self) -> str:
        from labs.smart_city.air_script import script

        return script(self)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _number(value: Any, bounds: tuple[float, float], default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value) if bounds[0] <= value <= bounds[1] else default


# The forecasters the checks' feedback quotes, prepared when the lab opens (off the GUI thread).
COMPARED = (ForecastChoice(PERSISTENCE), ForecastChoice(CLIMATOLOGY),
            ForecastChoice(RIDGE, (PM25, WEATHER_TODAY)), ForecastChoice(RIDGE, INPUTS))


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> AirWorkspace:
    """Rebuild the work a snapshot describes (None: a fresh start). Reads the daily series (pandas, about a third of
    a second the first time): call it off the GUI thread. `files` is unused: the lab works on the embedded data."""
    from labs.datasets.catalog import dataset_path

    state.set_progress(0, 2)
    cases = fc.samples()
    state.raise_if_cancelled()
    state.set_progress(1, 2)
    workspace = AirWorkspace(cases, data_file=str(dataset_path(DATASET)))
    for choice in COMPARED:
        workspace.result_of(choice, state)
    if snapshot:
        workspace.load(snapshot, state)
    state.set_progress(2, 2)
    return workspace
