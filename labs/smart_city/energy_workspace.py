"""The learner's work in the plant energy lab, with no Qt and no text for learners.

The engine (labs/smart_city/energy/) holds the plant's readings, the load models, the plant, KEPCO's tariff, the
schedule optimiser and the measurement-and-verification formulas. This module holds what the learner chose, in
the order of the lab's tasks:

1. `model`, `fitted`  the day-ahead load model the learner chose, and the models fitted so far (trained on
               January-September 2018, tested on October-December: `fit_job` is long work for the task runner);
               the seasonal-naive baseline is always fitted.
2. `plan`      tomorrow's schedule: the hours in which the mill and the finishing line run a batch. Tomorrow is
               a working weekday in December (KEPCO's winter tariff); `evaluation()` prices it and lists the
               limits it breaks, beside today's plan and the engine's exact optimiser (cheapest and leanest).
3. `days`, `true_saving`  the measurement-and-verification explorer: how small a saving `days` working days can
               show against the chosen model, and what a true saving of `true_saving` % looks like in the meter.
4. `answers`   typed numbers (task 3) and chosen answers (task 4), by question id.

`snapshot()` is plain JSON; `open_workspace(snapshot, state, files)` rebuilds the same work, refitting the models
that had been fitted (the fits are cached for the process: the embedded data never changes). `code()` is the
runnable pandas / scikit-learn script of it all (energy_script.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.tasks import TaskState
from labs.smart_city.energy import data as energy_data
from labs.smart_city.energy import forecast as fc
from labs.smart_city.energy import savings
from labs.smart_city.energy.plant import BASELINE, FINISHING, HOURS, MILL, Plant, Schedule, sample_plant, schedule
from labs.smart_city.energy.schedule import COST, ENERGY, DayResult, YearSaving, evaluate, optimise, year_saving
from labs.smart_city.energy.tariff import DEFAULT_TARIFF, PEAK, Tariff, period

if TYPE_CHECKING:
    import pandas

SNAPSHOT_VERSION = 1

# --- 1. load models ------------------------------------------------------------------------------------------------

SEASONAL_NAIVE, PROFILE, RIDGE, BOOSTING = fc.SEASONAL_NAIVE, fc.PROFILE, fc.RIDGE, fc.BOOSTING
NO_CALENDAR, LEAKY = fc.NO_CALENDAR, fc.LEAKY
MODELS = (SEASONAL_NAIVE, PROFILE, RIDGE, BOOSTING, NO_CALENDAR, LEAKY)  # the order the lab offers them
ALWAYS_FITTED = (SEASONAL_NAIVE, PROFILE)  # the baseline, and the calendar model the placebo of task 4 quotes
MAX_BIAS = savings.GUIDELINE_14["hourly"][1]  # |NMBE| <= 10 %: ASHRAE Guideline 14's limit for a savings baseline

_fits: dict[str, fc.ForecastResult] = {}  # model -> its fit on the embedded data, shared by every workspace
_fits_lock = threading.Lock()


def fit(name: str, hours: pandas.DataFrame, state: TaskState | None = None) -> fc.ForecastResult:
    """The model trained on January-September and scored on October-December (cached: the data never changes)."""
    if name not in MODELS:
        raise KeyError(name)
    with _fits_lock:
        known = _fits.get(name)
    if known is not None:
        return known
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    state = state or TaskState()
    state.raise_if_cancelled()
    # One thread: the same trees (the histograms are summed per feature), and no OpenMP threads spinning against
    # the GUI and other work for the machine's cores, which made fits several times slower on a busy machine.
    with threadpool_limits(limits=1):
        result = fc.score(name, fc.predict(name, hours))
    state.raise_if_cancelled()
    with _fits_lock:
        _fits.setdefault(name, result)
        return _fits[name]


# --- 2. tomorrow's schedule ----------------------------------------------------------------------------------------

MONTH = 12  # tomorrow is a working weekday in December: KEPCO's winter tariff (evening peak 17-20 and 22-23)
LINES = (MILL, FINISHING)
COST_TOLERANCE = 1.0  # % above the optimiser's cheapest plan that still counts as "as cheap"


def peak_batches(plan: Schedule, month: int = MONTH) -> int:
    """Batch-hours (of both lines) that fall in KEPCO's peak hours."""
    return sum(1 for line in LINES for hour in plan.hours(line) if period(month, hour) == PEAK)


def warmups(plant: Plant, plan: Schedule) -> dict[str, set[int]]:
    """The hours in which each line starts from cold and draws its warm-up energy (as plant.hourly_load counts)."""
    idle = {line.id: line.stays_hot + 1 for line in plant.lines}  # the day starts cold
    found: dict[str, set[int]] = {line.id: set() for line in plant.lines}
    for hour in range(HOURS):
        for line in plant.lines:
            if hour in plan.hours(line.id):
                if idle[line.id] > line.stays_hot:
                    found[line.id].add(hour)
                idle[line.id] = 0
            else:
                idle[line.id] = min(idle[line.id] + 1, line.stays_hot + 1)
    return found


def plan_key(plan: Schedule) -> tuple[tuple[int, ...], ...]:
    """The plan as (mill hours, finishing hours), sorted: hashable, and equal for equal plans."""
    return tuple(tuple(sorted(plan.hours(line))) for line in LINES)


def plan_from(runs: dict[str, Iterable[int]] | None) -> Schedule:
    runs = runs or {}
    return schedule(**{line: sorted({int(h) for h in runs.get(line, ()) if 0 <= int(h) < HOURS}) for line in LINES})


# --- 3. measurement and verification ----------------------------------------------------------------------------

CLAIM = 2.0  # %: POSCO's saving, the claim the lab asks the learner to verify
DEFAULT_DAYS = 20  # where the days slider starts: about a month of working weekdays
MAX_DAYS = 2000
MAX_TRUE_SAVING = 20.0

# --- 4. the year's savings the lab quotes (the engine's README table, on the data's working weekdays) -----------

CHEAPEST, LEANEST, LEANEST_LUNCH, CHEAPEST_LUNCH, CHEAPEST_NIGHT = (
    "cheapest", "leanest", "leanest_lunch", "cheapest_lunch", "cheapest_night")
YEAR_PLANS = ((CHEAPEST, {}, COST), (LEANEST, {}, ENERGY), (LEANEST_LUNCH, {"staggered_lunch": True}, ENERGY),
              (CHEAPEST_LUNCH, {"staggered_lunch": True}, COST), (CHEAPEST_NIGHT, {"night_shift": True}, COST))
_year: dict[str, YearSaving] = {}


def year_table(hours: pandas.DataFrame, state: TaskState | None = None) -> dict[str, YearSaving]:
    """The optimiser's plans against today's over a year of working weekdays (cached)."""
    if len(_year) < len(YEAR_PLANS):
        weights = energy_data.working_weekdays_by_month(hours)
        for key, options, objective in YEAR_PLANS:
            if state is not None:
                state.raise_if_cancelled()
            if key not in _year:
                _year[key] = year_saving(sample_plant(**options), objective, working_days=weights)
    return {key: _year[key] for key, _o, _obj in YEAR_PLANS}


@dataclass(frozen=True)
class Verdict:
    """What the checks and the panel say about the chosen model, without words."""

    fitted: bool
    beats_baseline: bool
    leaky: bool
    biased: bool  # |NMBE| above ASHRAE's 10 %

    @property
    def fair(self) -> bool:
        return self.fitted and self.beats_baseline and not self.leaky and not self.biased


# --- the workspace ---------------------------------------------------------------------------------------------------


class EnergyWorkspace:
    def __init__(self, hours: pandas.DataFrame, data_file: str = "", plant: Plant | None = None,
                 tariff: Tariff = DEFAULT_TARIFF):
        self.hours = hours
        self.data_file = data_file  # the readings file the script reads
        self.plant = plant or sample_plant()
        self.tariff = tariff
        self.month = MONTH
        self.model = SEASONAL_NAIVE
        self.fitted: list[str] = [SEASONAL_NAIVE]  # what the learner fitted, in order (the baseline first)
        self.results: dict[str, fc.ForecastResult] = {}
        self.plan: Schedule = BASELINE
        self.days = DEFAULT_DAYS
        self.true_saving = CLAIM
        self.answers: dict[str, str] = {}
        self.year: dict[str, YearSaving] = {}
        self._evaluated: dict[tuple[tuple[int, ...], ...], DayResult] = {}
        self._best: dict[str, Schedule] = {}
        self._claims: dict[tuple[str, float], savings.Claim] = {}

    # --- 1. load models -----------------------------------------------------------------------------------------

    def set_model(self, name: str) -> None:
        if name not in MODELS:
            raise KeyError(name)
        self.model = name

    def is_fitted(self, name: str | None = None) -> bool:
        name = name or self.model
        return name in self.fitted and name in self.results

    def result(self, name: str | None = None) -> fc.ForecastResult | None:
        name = name or self.model
        return self.results.get(name) if name in self.fitted or name in ALWAYS_FITTED else None

    def baseline(self) -> fc.ForecastResult:
        return self.results[SEASONAL_NAIVE]

    def fit_job(self, names: Sequence[str] | None = None) -> Callable[[TaskState], dict[str, fc.ForecastResult]]:
        """Fitting for the task runner (about a second for the regression and the boosted trees): reads only what
        it captured now; the result goes to `add_results` on the GUI thread."""
        names = tuple(names or (self.model,))
        hours = self.hours

        def job(state: TaskState) -> dict[str, fc.ForecastResult]:
            found = {}
            for index, name in enumerate(names):
                state.raise_if_cancelled()
                state.set_progress(index, len(names))
                found[name] = fit(name, hours, state)
            state.set_progress(len(names), len(names))
            return found
        return job

    def add_results(self, results: dict[str, fc.ForecastResult]) -> None:
        for name, result in results.items():
            self.results[name] = result
            if name not in self.fitted:
                self.fitted.append(name)

    def verdict(self, name: str | None = None) -> Verdict:
        name = name or self.model
        mine = self.result(name) if self.is_fitted(name) else None
        if mine is None:
            return Verdict(False, False, name == LEAKY, False)
        return Verdict(True, mine.mae < self.baseline().mae, name == LEAKY, abs(mine.nmbe) > MAX_BIAS)

    def test_week(self, index: int, name: str | None = None) -> tuple[pandas.DataFrame, int]:
        """The hours of the test period's week `index` (0 = the week of Monday 1 October 2018), with the chosen
        model's forecast when it is fitted, and how many weeks there are."""
        import pandas as pd

        baseline = self.baseline().test
        start = pd.Timestamp(fc.SPLIT)
        weeks = int(((baseline["date"].max() - start).days + 1) // 7)  # whole weeks: 13
        index = max(0, min(weeks - 1, int(index)))
        first, last = start + pd.Timedelta(weeks=index), start + pd.Timedelta(weeks=index + 1)
        window = baseline[(baseline["date"] >= first) & (baseline["date"] < last)]
        frame = pd.DataFrame({"datetime": window["datetime"].to_numpy(), "kwh": window["kwh"].to_numpy(),
                              "baseline": window["forecast"].to_numpy()})
        mine = self.result(name) if self.is_fitted(name) else None
        if mine is not None:
            test = mine.test
            frame["forecast"] = test[(test["date"] >= first) & (test["date"] < last)]["forecast"].to_numpy()
        return frame, weeks

    # --- 2. tomorrow's schedule -----------------------------------------------------------------------------------

    def set_batch(self, line: str, hour: int, run: bool) -> None:
        if line not in LINES or not 0 <= hour < HOURS:
            raise ValueError((line, hour))
        hours = set(self.plan.hours(line))
        (hours.add if run else hours.discard)(hour)
        self.set_plan({**{k: self.plan.hours(k) for k in LINES}, line: hours})

    def set_plan(self, runs: dict[str, Iterable[int]] | Schedule) -> None:
        if isinstance(runs, Schedule):
            runs = {line: runs.hours(line) for line in LINES}
        self.plan = plan_from(runs)

    def reset_plan(self) -> None:
        self.plan = plan_from({line: BASELINE.hours(line) for line in LINES})

    def evaluate(self, plan: Schedule) -> DayResult:
        key = plan_key(plan)
        if key not in self._evaluated:
            self._evaluated[key] = evaluate(self.plant, plan_from(dict(zip(LINES, key))), self.month, self.tariff)
        return self._evaluated[key]

    def evaluation(self) -> DayResult:
        return self.evaluate(self.plan)

    def today(self) -> DayResult:
        return self.evaluate(BASELINE)

    def best(self, objective: str = COST) -> DayResult:
        """The engine's exact optimum for tomorrow with today's crews: the cheapest (COST) or leanest (ENERGY)."""
        if objective not in self._best:
            self._best[objective] = optimise(self.plant, self.month, objective, self.tariff)
        return self.evaluate(self._best[objective])

    def is_today(self) -> bool:
        return plan_key(self.plan) == plan_key(BASELINE)

    def as_cheap_as_the_optimiser(self) -> bool:
        mine, best = self.evaluation(), self.best(COST)
        return mine.feasible and mine.cost_won <= best.cost_won * (1 + COST_TOLERANCE / 100) + 1e-6

    # --- 3. measurement and verification ------------------------------------------------------------------------

    def daily_cv(self) -> float | None:
        """The chosen model's CV(RMSE) of daily totals on working weekdays (%), or None until it is fitted."""
        mine = self.result() if self.is_fitted() else None
        return None if mine is None else mine.weekday_daily_cv_rmse

    def set_days(self, days: int) -> None:
        self.days = max(1, min(MAX_DAYS, int(days)))

    def set_true_saving(self, percent: float) -> None:
        self.true_saving = max(0.0, min(MAX_TRUE_SAVING, round(float(percent), 1)))

    def detectable(self, days: int | None = None) -> float | None:
        cv = self.daily_cv()
        return None if cv is None else savings.detectable(cv, days or self.days)

    def days_needed(self, saving: float = CLAIM) -> int | None:
        cv = self.daily_cv()
        return None if cv is None else savings.days_needed(saving, cv)

    def claim(self, true_saving: float | None = None, name: str | None = None) -> savings.Claim | None:
        """What the meter, judged against a model (the chosen one by default), reports over the test period's
        working weekdays when the change truly saved `true_saving` %."""
        name = name or self.model
        mine = self.results.get(name) if (name in ALWAYS_FITTED or self.is_fitted(name)) else None
        if mine is None:
            return None
        key = (name, self.true_saving if true_saving is None else float(true_saving))
        if key not in self._claims:  # a few milliseconds each (a group-by): cached for the slider and the questions
            self._claims[key] = savings.apparent_savings(mine, key[1])
        return self._claims[key]

    def test_days(self) -> int:
        return len(fc.errors_by_day(self.baseline()))

    # --- 4. answers -------------------------------------------------------------------------------------------------

    def set_answer(self, question: str, answer: str) -> None:
        self.answers[question] = str(answer).strip()

    # --- saving and the script ----------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION,
                "forecast": {"model": self.model, "fitted": list(self.fitted)},
                "schedule": {line: sorted(self.plan.hours(line)) for line in LINES},
                "verify": {"days": self.days, "true_saving": self.true_saving},
                "answers": dict(self.answers)}

    def load(self, snapshot: dict[str, Any], state: TaskState) -> None:
        forecast = snapshot.get("forecast") or {}
        model = forecast.get("model")
        self.model = model if model in MODELS else SEASONAL_NAIVE
        wanted = [str(n) for n in forecast.get("fitted") or [] if n in MODELS]
        self.add_results({name: self.results.get(name) or fit(name, self.hours, state)
                          for name in dict.fromkeys([SEASONAL_NAIVE, *wanted])})
        runs = snapshot.get("schedule")
        if isinstance(runs, dict):
            self.set_plan({line: [h for h in runs.get(line) or [] if isinstance(h, int)] for line in LINES})
        verify = snapshot.get("verify") or {}
        if isinstance(verify.get("days"), int):
            self.set_days(verify["days"])
        if isinstance(verify.get("true_saving"), (int, float)):
            self.set_true_saving(verify["true_saving"])
        self.answers = {str(k): str(v) for k, v in (snapshot.get("answers") or {}).items()}

    def code(self) -> str:
        from labs.smart_city.energy_script import script

        return script(self)


_hours: list[pandas.DataFrame] = []
_hours_lock = threading.Lock()


def load_hours() -> pandas.DataFrame:
    """The plant's readings by the hour (about half a second the first time; cached)."""
    with _hours_lock:
        if not _hours:
            _hours.append(energy_data.hourly())
        return _hours[0]


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> EnergyWorkspace:
    """Rebuild the work a snapshot describes (None: a fresh start). Reads the readings and fits the models that had
    been fitted (a second or two the first time): call it off the GUI thread. `files` is unused: the lab works on
    the embedded readings only."""
    from labs.datasets.catalog import dataset_path

    state.set_progress(0, 4)
    hours = load_hours()
    state.raise_if_cancelled()
    state.set_progress(1, 4)
    workspace = EnergyWorkspace(hours, data_file=str(dataset_path(energy_data.DATASET)))
    workspace.results.update({name: fit(name, hours, state) for name in ALWAYS_FITTED})
    state.raise_if_cancelled()
    state.set_progress(2, 4)
    workspace.year = year_table(hours, state)
    workspace.best(COST), workspace.best(ENERGY)
    state.set_progress(3, 4)
    if snapshot:
        workspace.load(snapshot, state)
    state.set_progress(4, 4)
    return workspace
