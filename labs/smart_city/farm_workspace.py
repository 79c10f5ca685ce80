"""The learner's work in the container farm lab, with no Qt and no text for learners.

The engine (labs/smart_city/farm/) grows lettuce with Van Henten's model in a 40-foot container and counts the
container's electricity. This module holds what the learner did, in the order of the lab's tasks:

1. `baseline`  the starting setpoints (START: a greenhouse habit of 12 h of modest light and no CO2) grown once:
               the growth curve, days to harvest, kg per m2 a year and the electricity; the learner works out
               harvests a year and kWh per kg from them (`answers["harvests"]`, `answers["kwh_per_kg"]`).
2. `setpoints`, `plan`, `tried`  the learner's own setpoints (light, hours, day and night temperature, CO2), the
               crop grown with them (None until grown, dropped by any change), and every plan grown so far.
3. `sweeps`    the computer's grid search (the engine's `best_by_budget`) over SWEEP_BUDGETS, with bottled CO2 or
               without; the learner reads the smallest budget that reaches the vendor's 13 harvests a year.
4. `answers`   the answers to the questions on the claim, and `price`, the electricity tariff the learner typed.

Long work (growing a crop, sweeping the budgets) is a job `fn(state) -> result` for the task runner; it reads
nothing from the workspace after it starts and changes nothing in it: the GUI thread stores its result. The
sweeps and the reference (the best plan of the grid within the default budget) never change, so they are computed
once per process and shared (`sweep`, `reference`); opening the lab computes the reference (about a second).

`snapshot()` is plain JSON; `open_workspace(snapshot, state, files)` rebuilds the same work (regrowing what had
been grown: a few milliseconds each), so a resumed lab shows the same numbers. `code()` is the runnable script of
it all (farm_script.py).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.core.tasks import TaskState
from labs.answers import parse_number  # noqa: F401 - read by the panel and the checks from here
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm import lettuce as lt
from labs.smart_city.farm.container import SEOUL_MONTHLY_TEMP, Container, DayEnergy, day_energy

SNAPSHOT_VERSION = 1
CONTAINER = Container()
AREA_M2 = CONTAINER.area_m2
START = fm.NAIVE  # the starting setpoints: 150 umol m-2 s-1 for 12 h, 20/18 degC, outdoor CO2
BUDGET_KWH = fm.BUDGET_KWH  # 45,000 kWh a year
SHARE = 0.90  # task 2: a plan within the budget must reach 90 % of the reference's kg per m2 a year
SWEEP_BUDGETS = tuple(float(b) for b in range(20_000, 70_001, 5_000))
CLAIMED_HARVESTS = 13.0  # "harvest up to 13 times per year"
FIELDS = ("ppfd", "photoperiod", "temp_day", "temp_night", "co2_ppm")
MAX_TRIED = 12  # plans kept in the table of task 2
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# What the model's light-use efficiency (c_eps) would be if it were a fifth lower, as it is, or a quarter higher:
# a quarter higher brings the model to Carotti et al.'s measurements at 200 and 400 umol m-2 s-1 (the tests check).
LUE_FACTORS = (0.8, 1.0, 1.25)
# Carotti et al. (2021), Frontiers in Plant Science 11:592171: g of shoot dry weight per mol of incident light, 16 h
# of light, 29 days after transplanting, averaged over the temperatures ("non-limiting" CO2: 1,000 ppm here).
CAROTTI = ((200, 1.01), (400, 0.87), (750, 0.76))
# Graamans et al. (2018), Agricultural Systems 160: kWh of electricity per kg of lettuce dry weight, a plant
# factory against a greenhouse in the Netherlands (which gets most of its light from the sun).
GRAAMANS_PLANT_FACTORY, GRAAMANS_GREENHOUSE_NL = 247.0, 70.0

# --- task 4: the questions' answers (the lab module holds their text) ----------------------------------------------
RIGHT = {"claim": "lettuce", "field": "sunlight", "model": "estimate"}
VENDOR_OPTIONS = ("measured", "ai", "metered", "data", "maximum", "staff")
VENDOR_RIGHT = frozenset({"measured", "metered", "data", "staff"})


# --- reading numbers as people type them ------------------------------------------------------------------------------

# --- setpoints --------------------------------------------------------------------------------------------------------

def setpoints_dict(setpoints: fm.Setpoints) -> dict[str, float | int]:
    return {name: _plain(getattr(setpoints, name)) for name in FIELDS}


def setpoints_from(data: Any, default: fm.Setpoints = START) -> fm.Setpoints:
    """Setpoints from a snapshot's dict; a missing or non-numeric value keeps the default's (never raises)."""
    data = data if isinstance(data, dict) else {}
    values = {}
    for name in FIELDS:
        value = data.get(name)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        values[name] = float(value) if ok else float(getattr(default, name))
    return fm.Setpoints(**values)


def out_of_range(setpoints: fm.Setpoints) -> list[tuple[str, float, float, float]]:
    """(field, value, lowest, highest) for each setpoint outside the range the model and the container are built
    for (the engine's LIMITS): such a plan cannot be grown."""
    found = []
    for name in FIELDS:
        low, high = fm.LIMITS[name]
        value = getattr(setpoints, name)
        if not low <= value <= high:
            found.append((name, value, low, high))
    return found


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


# --- a grown crop -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Grown:
    """One crop grown with some setpoints: the engine's result, the daily growth curve, the year's electricity
    month by month, and the same setpoints with the model's light-use efficiency changed (LUE_FACTORS)."""

    result: fm.FarmResult
    curve: tuple[tuple[float, float], ...]  # (X_sdw, X_nsdw) g m-2 at transplanting and each day after
    months: tuple[DayEnergy, ...]  # January..December: the kWh of the whole month
    what_if: tuple[tuple[float, fm.FarmResult], ...] = ()  # (factor on c_eps, result)

    @property
    def setpoints(self) -> fm.Setpoints:
        return self.result.setpoints

    def dry_weight(self) -> tuple[float, ...]:
        """The crop's dry weight, g per m2, at transplanting and at the end of each day."""
        return tuple(a + b for a, b in self.curve)

    def head_weights(self) -> tuple[float, ...]:
        """Fresh weight of a head, g, at transplanting and at the end of each day."""
        return tuple(fm.head_weight(a, b) for a, b in self.curve)


HARVEST_DRY_G_M2 = fm.HEAD_FW_G * fm.SHOOT_DRY_MATTER * fm.DENSITY / (1 - lt.DEFAULT.c_tau)  # 235 g m-2


def month_energy(setpoints: fm.Setpoints) -> tuple[DayEnergy, ...]:
    months = []
    for outdoor, days in zip(SEOUL_MONTHLY_TEMP, MONTH_DAYS):
        day = day_energy(setpoints.ppfd, setpoints.photoperiod, setpoints.temp_day, setpoints.temp_night, outdoor,
                         CONTAINER)
        months.append(DayEnergy(day.lighting_kwh * days, day.cooling_kwh * days, day.heating_kwh * days,
                                day.aux_kwh * days))
    return tuple(months)


def grow(setpoints: fm.Setpoints, state: TaskState | None = None, what_if: bool = False) -> Grown:
    """Grow a crop with `setpoints` (ValueError outside the engine's LIMITS); `what_if` also grows it with the
    model's light-use efficiency changed. Long work for the task runner: it honours cancel between crops."""
    state = state or TaskState()
    steps = 1 + (len(LUE_FACTORS) - 1 if what_if else 0)
    state.set_progress(0, steps)
    result = fm.evaluate(setpoints, BUDGET_KWH, CONTAINER)
    days = result.days_to_harvest or fm.MAX_DAYS
    curve = tuple(fm.growth_curve(setpoints, days))
    found = [(1.0, result)]
    if what_if:
        for index, factor in enumerate(f for f in LUE_FACTORS if f != 1.0):
            state.raise_if_cancelled()
            state.set_progress(1 + index, steps)
            params = replace(lt.DEFAULT, c_eps=lt.DEFAULT.c_eps * factor)
            found.append((factor, fm.evaluate(setpoints, BUDGET_KWH, CONTAINER, params)))
    state.set_progress(steps, steps)
    return Grown(result, curve, month_energy(setpoints), tuple(sorted(found)))


@lru_cache(maxsize=1)
def start_grown() -> Grown:
    """The starting setpoints grown (a few milliseconds; kept): what task 2 compares the learner's plan with."""
    return grow(START)


# --- the computer's search (shared: the data never change) ---------------------------------------------------------

_SWEEPS: dict[bool, dict[float, fm.FarmResult | None]] = {}
_LOCK = threading.Lock()


def search_grid(co2: bool) -> dict:
    """The engine's grid of setpoints; without bottled CO2 the crop gets the outdoor air's 420 ppm."""
    return fm.GRID if co2 else {**fm.GRID, "co2_ppm": (420,)}


def grid_size(co2: bool) -> int:
    grid = search_grid(co2)
    return math.prod(len(grid[k]) for k in ("ppfd", "photoperiod", "temp_day", "co2_ppm"))


def sweep(co2: bool, state: TaskState | None = None, fresh: bool = False) -> dict[float, fm.FarmResult | None]:
    """The best plan of the grid for every budget of SWEEP_BUDGETS (None: nothing fits), kept for the process
    (`fresh`: search again all the same, as when the learner asks for it). Long work (about a second with CO2):
    it reports progress and honours cancel."""
    with _LOCK:
        if co2 in _SWEEPS and not fresh:
            return _SWEEPS[co2]
    state = state or TaskState()

    def progress(done: int, total: int) -> None:
        state.raise_if_cancelled()
        state.set_progress(done, total)

    found = fm.best_by_budget(SWEEP_BUDGETS, CONTAINER, search_grid(co2), progress)
    with _LOCK:
        _SWEEPS[co2] = found
    return found


def is_swept(co2: bool) -> bool:
    with _LOCK:
        return co2 in _SWEEPS


def reference() -> fm.FarmResult:
    """The lab's reference for task 2: the best plan of the grid within the default budget (the engine's
    `search()`), taken from the sweep with CO2."""
    best = sweep(True)[BUDGET_KWH]
    assert best is not None
    return best


def smallest_budget(found: dict[float, fm.FarmResult | None], harvests: float = CLAIMED_HARVESTS) -> float | None:
    """The smallest budget of a sweep whose best plan reaches `harvests` a year."""
    for budget in sorted(found):
        best = found[budget]
        if best is not None and best.harvests_per_year >= harvests:
            return budget
    return None


_LUE: dict[tuple[int, float], float] = {}


def light_use(ppfd: float, factor: float = 1.0, days: int = 29) -> float:
    """The model's g of shoot dry weight per mol of incident light in Carotti et al.'s trial: 16 h at `ppfd`, 24
    degC, 1,000 ppm, 29 days from the lab's transplant (c_eps times `factor`)."""
    key = (int(ppfd), factor)
    if key not in _LUE:
        params = replace(lt.DEFAULT, c_eps=lt.DEFAULT.c_eps * factor)
        start = fm.SEEDLING_DW_G * fm.DENSITY
        x0 = (fm.STRUCTURAL_SHARE * start, (1 - fm.STRUCTURAL_SHARE) * start)
        final = lt.grow(lt.Climate(ppfd, 16, 24, 24, 1000), days, x0, params, step_s=900)[-1]
        _LUE[key] = (1 - params.c_tau) * (sum(final) - start) / (ppfd * 16 * 3600 * days / 1e6)
    return _LUE[key]


# --- the workspace ----------------------------------------------------------------------------------------------------

class FarmWorkspace:
    def __init__(self) -> None:
        self.baseline: Grown | None = None
        self.setpoints: fm.Setpoints = START
        self.plan: Grown | None = None
        self.tried: list[fm.Setpoints] = []
        self._results: dict[fm.Setpoints, fm.FarmResult] = {}
        self.sweeps: dict[bool, dict[float, fm.FarmResult | None]] = {}
        self.sweep_co2 = True  # the option shown in task 3
        self.answers: dict[str, str] = {}
        self.price = ""

    # --- 1. the starting setpoints ---------------------------------------------------------------------------------

    @staticmethod
    def baseline_job() -> Callable[[TaskState], Grown]:
        return lambda state: grow(START, state)

    def set_baseline(self, grown: Grown) -> None:
        self.baseline = grown

    # --- 2. the learner's setpoints --------------------------------------------------------------------------------

    def set_setpoint(self, name: str, value: float) -> None:
        if name not in FIELDS:
            raise KeyError(name)
        if getattr(self.setpoints, name) == value:
            return
        self.setpoints = replace(self.setpoints, **{name: float(value)})
        self.plan = None  # its numbers are no longer the learner's

    def set_setpoints(self, setpoints: fm.Setpoints) -> None:
        if setpoints != self.setpoints:
            self.setpoints = setpoints
            self.plan = None

    def problems(self) -> list[tuple[str, float, float, float]]:
        return out_of_range(self.setpoints)

    def plan_job(self) -> Callable[[TaskState], Grown]:
        """Growing the current setpoints (ValueError when one is outside the engine's LIMITS)."""
        setpoints = self.setpoints
        fm.check(setpoints)
        return lambda state: grow(setpoints, state, what_if=True)

    def set_plan(self, grown: Grown) -> None:
        """A grown plan; kept as the current one only if the setpoints have not changed meanwhile."""
        self._remember(grown.result)
        if grown.setpoints == self.setpoints:
            self.plan = grown

    def plan_is_current(self) -> bool:
        return self.plan is not None and self.plan.setpoints == self.setpoints

    def _remember(self, result: fm.FarmResult) -> None:
        setpoints = result.setpoints
        self._results[setpoints] = result
        if setpoints in self.tried:
            self.tried.remove(setpoints)
        self.tried.append(setpoints)
        del self.tried[:-MAX_TRIED]

    def tried_results(self) -> list[fm.FarmResult]:
        """Every plan grown in task 2, oldest first."""
        return [self._results[s] for s in self.tried if s in self._results]

    # --- 3. the search ---------------------------------------------------------------------------------------------

    @staticmethod
    def sweep_job(co2: bool) -> Callable[[TaskState], dict[float, fm.FarmResult | None]]:
        return lambda state: sweep(co2, state, fresh=True)

    def set_sweep(self, co2: bool, found: dict[float, fm.FarmResult | None]) -> None:
        self.sweeps[co2] = found

    def set_sweep_co2(self, co2: bool) -> None:
        self.sweep_co2 = bool(co2)

    @staticmethod
    def reference() -> fm.FarmResult:
        return reference()

    # --- answers ---------------------------------------------------------------------------------------------------

    def set_answer(self, question: str, answer: str) -> None:
        self.answers[question] = answer.strip()

    def vendor_choices(self) -> frozenset[str]:
        return frozenset(c for c in self.answers.get("vendor", "").split(",") if c in VENDOR_OPTIONS)

    def set_vendor_choices(self, choices: set[str] | frozenset[str]) -> None:
        self.answers["vendor"] = ",".join(c for c in VENDOR_OPTIONS if c in choices)

    def set_price(self, text: str) -> None:
        self.price = text.strip()

    def price_value(self) -> float | None:
        value = parse_number(self.price)
        return value if value is not None and value >= 0 else None

    # --- saving and the script -------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "baseline": self.baseline is not None,
                "setpoints": setpoints_dict(self.setpoints), "plan": self.plan_is_current(),
                "tried": [setpoints_dict(s) for s in self.tried],
                "sweeps": [co2 for co2 in (True, False) if co2 in self.sweeps], "sweep_co2": self.sweep_co2,
                "answers": dict(self.answers), "price": self.price}

    def load(self, snapshot: dict[str, Any], state: TaskState) -> None:
        """Rebuild the work of a snapshot; whatever in it is damaged is left at its start."""
        if snapshot.get("baseline") is True:
            self.baseline = grow(START, state)
        self.setpoints = setpoints_from(snapshot.get("setpoints"))
        tried = snapshot.get("tried")
        for data in tried if isinstance(tried, list) else []:
            setpoints = setpoints_from(data) if isinstance(data, dict) else None
            if setpoints is not None and not out_of_range(setpoints):
                state.raise_if_cancelled()
                self._remember(fm.evaluate(setpoints, BUDGET_KWH, CONTAINER))
        self.plan = None
        if snapshot.get("plan") is True and not self.problems():
            self.set_plan(grow(self.setpoints, state, what_if=True))
        sweeps = snapshot.get("sweeps")
        for co2 in (True, False):
            if isinstance(sweeps, list) and co2 in sweeps:
                self.sweeps[co2] = sweep(co2, state)
        self.sweep_co2 = snapshot.get("sweep_co2") is not False
        answers = snapshot.get("answers")
        self.answers = {str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {}
        self.price = str(snapshot.get("price") or "")

    def code(self) -> str:
        from labs.smart_city.farm_script import script

        return script(self)


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> FarmWorkspace:
    """Rebuild the work a snapshot describes (None: a fresh start). The first time in a process it runs the grid
    search for the reference (about a second): call it off the GUI thread. `files` is unused."""
    sweep(True, state)  # its progress is the opening's: loading the snapshot takes a few milliseconds
    for ppfd, _measured in CAROTTI:
        light_use(ppfd)
    workspace = FarmWorkspace()
    if snapshot:
        workspace.load(snapshot, state)
    state.set_progress(1, 1)
    return workspace
