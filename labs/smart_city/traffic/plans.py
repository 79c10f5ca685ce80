"""Signal plans for the district: one fixed timing for the whole day, or Webster re-timed every hour.

A plan gives every intersection a `SignalTiming` (cycle and effective greens) for each hour of the day.

- `fixed_plan(district, design, basis="peak")`: each junction gets one timing for all 24 hours, by Webster's
  method from its busiest hour of the design demand (the hour with the largest Y). This is how many cities run
  signals: safe at the peak, but at night and midday drivers wait through a long cycle for nobody.
- `fixed_plan(..., basis="average")`: timed for the day's average hourly flow instead: short cycles, fine most
  of the day, and too little capacity in the peaks.
- `responsive_plan(district, demand)`: each junction re-timed by Webster every hour from `demand`, which is a
  forecast (what a real demand-responsive system knows in advance) or the actual counts (a perfect forecast,
  the best this method can do). It is only as good as the demand it is timed for.

Every timing respects the district's cycle bounds and minimum green (district.py). Changing plans between hours
costs nothing here; real controllers lose a little in the transition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from labs.smart_city.traffic.demand import HOURS, Demand
from labs.smart_city.traffic.district import District, Intersection
from labs.smart_city.traffic.webster import SignalTiming, critical_flow_ratio, signal_timing

FIXED_PEAK, FIXED_AVERAGE, RESPONSIVE = "fixed-peak", "fixed-average", "responsive"


@dataclass(frozen=True)
class Plan:
    kind: str  # FIXED_PEAK, FIXED_AVERAGE or RESPONSIVE
    timings: Mapping[str, tuple[SignalTiming, ...]]  # intersection id -> 24 timings (one per hour)
    timed_for: str = ""  # the label of the demand it was timed from

    def timing(self, intersection_id: str, hour: int) -> SignalTiming:
        return self.timings[intersection_id][hour]


def phase_flow_ratios(intersection: Intersection, flows: Mapping[str, float]) -> tuple[float, ...]:
    """The critical y of each phase for approach flows {approach id: veh/h}."""
    groups: list[list[tuple[float, float]]] = [[] for _ in range(intersection.phases)]
    for approach in intersection.approaches:
        groups[approach.phase].append((flows[approach.id], approach.saturation_flow))
    return tuple(critical_flow_ratio(group) for group in groups)


def hour_flows(intersection: Intersection, demand: Demand, hour: int) -> dict[str, float]:
    return {a.id: demand.volume(intersection.id, a.id, hour) for a in intersection.approaches}


def time_intersection(district: District, intersection: Intersection, flows: Mapping[str, float]) -> SignalTiming:
    """Webster's timing for one junction and one set of flows, within the district's bounds."""
    return signal_timing(phase_flow_ratios(intersection, flows), intersection.lost_time,
                         min_cycle=district.min_cycle, max_cycle=district.max_cycle, min_green=district.min_green)


def design_hour(intersection: Intersection, demand: Demand) -> int:
    """The hour with the largest sum of critical flow ratios Y (the first one, if several tie)."""
    ys = [sum(phase_flow_ratios(intersection, hour_flows(intersection, demand, h))) for h in range(HOURS)]
    return max(range(HOURS), key=lambda h: (ys[h], -h))


def fixed_plan(district: District, design: Demand, basis: str = "peak") -> Plan:
    """One timing per junction for the whole day, from `design` demand's peak hour or its daily average."""
    if basis not in ("peak", "average"):
        raise ValueError(f"basis must be 'peak' or 'average', got {basis!r}")
    timings = {}
    for intersection in district.intersections:
        if basis == "peak":
            flows = hour_flows(intersection, design, design_hour(intersection, design))
        else:
            flows = {a.id: sum(design.volumes[(intersection.id, a.id)]) / HOURS for a in intersection.approaches}
        timings[intersection.id] = (time_intersection(district, intersection, flows),) * HOURS
    return Plan(FIXED_PEAK if basis == "peak" else FIXED_AVERAGE, timings, design.label)


def responsive_plan(district: District, demand: Demand) -> Plan:
    """Every junction re-timed with Webster's method for every hour of `demand` (a forecast or the actual)."""
    timings = {i.id: tuple(time_intersection(district, i, hour_flows(i, demand, h)) for h in range(HOURS))
               for i in district.intersections}
    return Plan(RESPONSIVE, timings, demand.label)
