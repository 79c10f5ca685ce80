"""The plant model behind the schedule optimiser: two production lines, crews by the hour, a maximum load.

A working weekday of the synthetic steel plant (`steel-plant-energy`, modelled on the real DAEWOO Steel file):

- a **mill** (the maximum-load line) runs 8 batch-hours a day at 245 kW; from cold it needs 50 kWh to warm up,
  and it stays hot through up to 2 idle hours (the lunch hour);
- a **finishing** line runs 4 batch-hours at 180 kW; 25 kWh to warm up; cold again after 1 idle hour;
  it can only process coils already rolled: its k-th batch needs 2k mill batches finished before its hour;
- the idle plant draws 17 kW day and night (lights, IT, compressors); the **auxiliaries** (compressed air, cooling
  water, cranes, extraction) add 20 kW in every hour a line runs and for 3 hours after the last run;
- **crews** decide which hours can run at all: the day shift (08:00-17:00) can staff both lines, except over the
  lunch hour 12:00-13:00; the evening shift (17:00-21:00) one line; nobody works at night. Two options a plant
  manager can buy: a staggered lunch (one line keeps running over lunch, with a relief operator) and a night
  shift (one line, 23:00-07:00);
- the **maximum load**: no hour may draw more than 480 kW (the contract demand the plant pays for; exceeding it
  costs a penalty and can trip the supply).

The baseline is how the plant runs today: mill 08-12 and 13-17, finishing 17-21. It uses 3,483 kWh a day, which
matches a typical working weekday of the data set (the tests check the hourly profile). Each day starts cold at
00:00 and the auxiliaries' tail after the last run is counted even when it runs past midnight.
Hourly resolution: a batch is one hour of one line, and an hour's kWh equals its average kW.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

HOURS = 24
MILL, FINISHING = "mill", "finishing"


@dataclass(frozen=True)
class Line:
    id: str
    power_kw: float  # while running a batch
    batches: int  # batch-hours a day: the day's output
    warmup_kwh: float  # to bring it up from cold, charged in the hour it starts
    stays_hot: int  # idle hours it can stand without going cold


@dataclass(frozen=True)
class Plant:
    lines: tuple[Line, ...]
    crews: tuple[int, ...]  # lines that can be staffed in each hour 0..23
    base_kw: float = 17.0
    aux_kw: float = 20.0
    tail_hours: int = 3
    max_load_kw: float = 480.0
    feed_ratio: int = 2  # mill batches needed per finishing batch

    def line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)


def crews(staggered_lunch: bool = False, night_shift: bool = False) -> tuple[int, ...]:
    staff = [0] * HOURS
    for hour in range(8, 17):
        staff[hour] = 2
    staff[12] = 1 if staggered_lunch else 0
    for hour in range(17, 21):
        staff[hour] = 1
    if night_shift:
        for hour in (23, 0, 1, 2, 3, 4, 5, 6):
            staff[hour] = 1
    return tuple(staff)


def sample_plant(staggered_lunch: bool = False, night_shift: bool = False, max_load_kw: float = 480.0) -> Plant:
    """The lab's plant with the crew options chosen."""
    return Plant(lines=(Line(MILL, 245.0, 8, 50.0, 2), Line(FINISHING, 180.0, 4, 25.0, 1)),
                 crews=crews(staggered_lunch, night_shift), max_load_kw=max_load_kw)


@dataclass(frozen=True)
class Schedule:
    """The hours (0-23) in which each line runs a batch."""

    runs: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def hours(self, line_id: str) -> frozenset[int]:
        return self.runs.get(line_id, frozenset())

    def label(self) -> str:
        return "; ".join(f"{k} {','.join(str(h) for h in sorted(v))}" for k, v in sorted(self.runs.items()))


def schedule(**runs: Sequence[int]) -> Schedule:
    return Schedule({line: frozenset(hours) for line, hours in runs.items()})


BASELINE = schedule(mill=(8, 9, 10, 11, 13, 14, 15, 16), finishing=(17, 18, 19, 20))


def hourly_load(plant: Plant, plan: Schedule) -> tuple[tuple[float, ...], float]:
    """(kW in each hour 0-23, kWh of the auxiliaries' tail that runs past midnight)."""
    load = [plant.base_kw] * HOURS
    since_any = plant.tail_hours + 1  # idle hours since any line last ran (the day starts cold)
    idle = {line.id: line.stays_hot + 1 for line in plant.lines}
    for hour in range(HOURS):
        ran = False
        for line in plant.lines:
            if hour in plan.hours(line.id):
                load[hour] += line.power_kw + (line.warmup_kwh if idle[line.id] > line.stays_hot else 0.0)
                idle[line.id] = 0
                ran = True
            else:
                idle[line.id] = min(idle[line.id] + 1, line.stays_hot + 1)
        since_any = 0 if ran else min(since_any + 1, plant.tail_hours + 1)
        if since_any <= plant.tail_hours:
            load[hour] += plant.aux_kw
    after_midnight = plant.aux_kw * max(0, plant.tail_hours - since_any)
    return tuple(load), after_midnight


def violations(plant: Plant, plan: Schedule) -> list[str]:
    """What the schedule breaks, as short machine-readable notes (empty: feasible)."""
    problems = []
    for name in plan.runs:
        plant.line(name)  # KeyError for an unknown line
        if any(not 0 <= h < HOURS for h in plan.hours(name)):
            problems.append(f"hours:{name}")
    for line in plant.lines:
        count = len(plan.hours(line.id))
        if count < line.batches:
            problems.append(f"output:{line.id}:{count}/{line.batches}")
        elif count > line.batches:
            problems.append(f"overproduction:{line.id}:{count}/{line.batches}")
    load, _tail = hourly_load(plant, plan)
    mill, finishing = plan.hours(MILL), plan.hours(FINISHING)
    for hour in range(HOURS):
        staffed = sum(hour in plan.hours(line.id) for line in plant.lines)
        if staffed > plant.crews[hour]:
            problems.append(f"crew:{hour}:{staffed}/{plant.crews[hour]}")
        if load[hour] > plant.max_load_kw + 1e-9:
            problems.append(f"max_load:{hour}:{load[hour]:.0f}/{plant.max_load_kw:.0f}")
        if hour in finishing:
            done_before = sum(1 for h in mill if h < hour)
            finished = sum(1 for h in finishing if h <= hour)
            if finished * plant.feed_ratio > done_before:
                problems.append(f"feed:{hour}")
    return problems


def with_limits(plant: Plant, **changes) -> Plant:
    return replace(plant, **changes)
