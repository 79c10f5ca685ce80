"""Evaluate a day's production schedule (kWh, cost, CO2, peak, broken limits) and find the best one.

`evaluate(plant, plan, month)` prices a schedule with KEPCO's time-of-use tariff (tariff.py) and lists what it
breaks (plant.violations): output short, a line without a crew, a load above the maximum, finishing before the
coils are rolled.

`optimise(plant, month, objective)` finds the schedule with the lowest cost (objective "cost": the energy charge
in won, ties broken by kWh) or the fewest kWh (objective "energy", ties broken by cost) that breaks no limit. It
is exact: a dynamic programme over the 24 hours whose state after each hour is (mill batches done, finishing
batches done, idle hours of each line since it last ran, capped at the point where nothing changes any more).
That state decides everything the next hour costs: whether a line starts cold (warm-up), whether the auxiliaries
still run (tail), whether finishing has coils to work on. About 1,100 states an hour and four choices each
(run the mill or not, run finishing or not), so a day takes milliseconds; a greedy "move the dearest batch to the
cheapest free hour" rule can miss the best plan because warm-ups and the auxiliaries' tail make batches interact.

Wrong plans for the lab (each breaks a limit; `violations` says which):
`cheapest_hours` puts every batch in the cheapest hours of the day, ignoring crews and the coil flow;
`stack_off_peak` doubles up both lines in the non-peak staffed hours, above the maximum load;
`skip_peak` simply drops the batches that fall in peak hours: cheap, and short of the day's output.
"""

from __future__ import annotations

from dataclasses import dataclass

from labs.smart_city.energy.plant import BASELINE, FINISHING, HOURS, MILL, Plant, Schedule, hourly_load, schedule
from labs.smart_city.energy.plant import violations as plant_violations
from labs.smart_city.energy.tariff import DEFAULT_TARIFF, PEAK, Tariff, co2_tonnes, period

COST, ENERGY = "cost", "energy"


@dataclass(frozen=True)
class DayResult:
    plan: Schedule
    month: int
    load_kw: tuple[float, ...]  # 24 hourly values (kWh in the hour)
    kwh: float  # the day's energy, with the auxiliaries' tail past midnight
    cost_won: float  # energy charge
    co2_t: float
    peak_kw: float
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def evaluate(plant: Plant, plan: Schedule, month: int, tariff: Tariff = DEFAULT_TARIFF) -> DayResult:
    load, tail = hourly_load(plant, plan)
    kwh = sum(load) + tail
    cost = tariff.energy_cost(load, month) + tail * tariff.price(month, 0)
    return DayResult(plan, month, load, kwh, cost, co2_tonnes(kwh), max(load),
                     tuple(plant_violations(plant, plan)))


@dataclass(frozen=True)
class Saving:
    base: DayResult
    new: DayResult

    def percent(self, what: str) -> float:
        """Saving in % of the base: what is "kwh", "cost_won", "co2_t" or "peak_kw"."""
        before, after = getattr(self.base, what), getattr(self.new, what)
        return 100.0 * (before - after) / before if before else 0.0


def compare(plant: Plant, plan: Schedule, month: int, tariff: Tariff = DEFAULT_TARIFF,
            base: Schedule = BASELINE) -> Saving:
    return Saving(evaluate(plant, base, month, tariff), evaluate(plant, plan, month, tariff))


def optimise(plant: Plant, month: int, objective: str = COST, tariff: Tariff = DEFAULT_TARIFF) -> Schedule:
    """The feasible schedule with the lowest cost or kWh (see the module docstring); ValueError if none exists."""
    if objective not in (COST, ENERGY):
        raise ValueError(f"objective must be {COST!r} or {ENERGY!r}")
    mill, finishing = plant.line(MILL), plant.line(FINISHING)
    prices = tariff.hourly_prices(month)
    cap_m, cap_f = mill.stays_hot + 1, finishing.stays_hot + 1
    cap_any = plant.tail_hours + 1
    weight_primary = {COST: (1.0, 0.0), ENERGY: (0.0, 1.0)}[objective]

    def score(kwh: float, won: float) -> tuple[float, float]:
        primary = weight_primary[0] * won + weight_primary[1] * kwh
        secondary = kwh if objective == COST else won
        return primary, secondary

    # state: (mill done, finishing done, mill idle hours, finishing idle hours, idle hours since any line ran)
    start = (0, 0, cap_m, cap_f, cap_any)
    layers: list[dict[tuple, tuple[tuple[float, float], tuple | None, tuple[int, int]]]] = []
    current = {start: ((0.0, 0.0), None, (0, 0))}
    for hour in range(HOURS):
        nxt: dict[tuple, tuple[tuple[float, float], tuple | None, tuple[int, int]]] = {}
        for state, (value, _prev, _act) in current.items():
            m, f, idle_m, idle_f, idle_any = state
            for run_m in (0, 1):
                if run_m and m >= mill.batches:
                    continue
                for run_f in (0, 1):
                    if run_f and (f >= finishing.batches or (f + 1) * plant.feed_ratio > m):
                        continue
                    if run_m + run_f > plant.crews[hour]:
                        continue
                    load = plant.base_kw
                    if run_m:
                        load += mill.power_kw + (mill.warmup_kwh if idle_m > mill.stays_hot else 0.0)
                    if run_f:
                        load += finishing.power_kw + (finishing.warmup_kwh if idle_f > finishing.stays_hot else 0.0)
                    new_any = 0 if (run_m or run_f) else min(idle_any + 1, cap_any)
                    if new_any <= plant.tail_hours:
                        load += plant.aux_kw
                    if load > plant.max_load_kw + 1e-9:
                        continue
                    new_state = (m + run_m, f + run_f, 0 if run_m else min(idle_m + 1, cap_m),
                                 0 if run_f else min(idle_f + 1, cap_f), new_any)
                    step = score(load, load * prices[hour])
                    total = (value[0] + step[0], value[1] + step[1])
                    known = nxt.get(new_state)
                    if known is None or total < known[0]:
                        nxt[new_state] = (total, state, (run_m, run_f))
        layers.append(nxt)
        current = nxt

    best_state, best_value = None, None
    for state, (value, _prev, _act) in current.items():
        m, f, _im, _if, idle_any = state
        if m != mill.batches or f != finishing.batches:
            continue
        tail = plant.aux_kw * max(0, plant.tail_hours - idle_any)  # the auxiliaries' tail past midnight
        extra = score(tail, tail * tariff.price(month, 0))
        total = (value[0] + extra[0], value[1] + extra[1])
        if best_value is None or total < best_value:
            best_state, best_value = state, total
    if best_state is None:
        raise ValueError("no schedule meets the output within the crews and the maximum load")

    runs_m, runs_f = [], []
    state = best_state
    for hour in range(HOURS - 1, -1, -1):
        _value, previous, (run_m, run_f) = layers[hour][state]
        if run_m:
            runs_m.append(hour)
        if run_f:
            runs_f.append(hour)
        state = previous
    return schedule(mill=sorted(runs_m), finishing=sorted(runs_f))


# ------------------------------------------------------------------------------------ wrong plans for the lab


def cheapest_hours(plant: Plant, month: int, tariff: Tariff = DEFAULT_TARIFF) -> Schedule:
    """Every batch in the cheapest hours of the day, earliest first, one line after the other: ignores crews."""
    prices = tariff.hourly_prices(month)
    order = sorted(range(HOURS), key=lambda h: (prices[h], h))
    mill = order[:plant.line(MILL).batches]
    finishing = order[plant.line(MILL).batches:plant.line(MILL).batches + plant.line(FINISHING).batches]
    return schedule(mill=mill, finishing=finishing)


def stack_off_peak(plant: Plant, month: int) -> Schedule:
    """Both lines together in the staffed hours outside the peak, then the rest where a crew is free."""
    staffed = [h for h in range(HOURS) if plant.crews[h] > 0]
    off_peak = [h for h in staffed if period(month, h) != PEAK]
    rest = [h for h in staffed if h not in off_peak]
    mill = (off_peak + rest)[:plant.line(MILL).batches]
    finishing = (off_peak + rest)[:plant.line(FINISHING).batches]
    return schedule(mill=mill, finishing=finishing)


def skip_peak(month: int, base: Schedule = BASELINE) -> Schedule:
    """Today's plan without the batches that fall in peak hours."""
    return Schedule({line: frozenset(h for h in hours if period(month, h) != PEAK)
                     for line, hours in base.runs.items()})


# ------------------------------------------------------------------------------------------- over a year


@dataclass(frozen=True)
class YearSaving:
    objective: str
    kwh_percent: float
    cost_percent: float
    co2_percent: float
    base_kwh: float  # over the working weekdays counted
    base_cost_won: float
    months: dict[int, Saving]


def year_saving(plant: Plant, objective: str = COST, tariff: Tariff = DEFAULT_TARIFF,
                working_days: dict[int, int] | None = None) -> YearSaving:
    """The optimised plan against the baseline on a typical working weekday of each month, weighted by the
    number of working weekdays in the month (21 each if not given)."""
    days = working_days or {m: 21 for m in range(1, 13)}
    months = {m: compare(plant, optimise(plant, m, objective, tariff), m, tariff) for m in range(1, 13)}
    totals = {}
    for what in ("kwh", "cost_won", "co2_t"):
        base = sum(days[m] * getattr(s.base, what) for m, s in months.items())
        new = sum(days[m] * getattr(s.new, what) for m, s in months.items())
        totals[what] = (base, 100.0 * (base - new) / base)
    return YearSaving(objective, totals["kwh"][1], totals["cost_won"][1], totals["co2_t"][1], totals["kwh"][0],
                      totals["cost_won"][0], months)


__all__ = ["COST", "ENERGY", "DayResult", "Saving", "YearSaving", "cheapest_hours", "compare", "evaluate",
           "optimise", "skip_peak", "stack_off_peak", "year_saving", "FINISHING", "MILL"]
