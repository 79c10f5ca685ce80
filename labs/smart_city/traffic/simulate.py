"""A day at the district's signals: delay, degree of saturation and queues for a plan and a demand.

`simulate_day(district, demand, plan)` walks the day in 15-minute periods (96 of them). In each period, for
every approach of every junction, with the plan's timing for that hour (cycle c, the approach's phase green g):

- arrivals come at the hour's flow q (veh/h), evenly within the hour (the data is hourly);
- capacity Q = s g / c and degree of saturation x = q / Q;
- delay per arriving vehicle d = d1 + d2 - d3 from `webster.average_delay` with T = 900 s: Webster's formula
  below capacity, turning into the deterministic overflow delay above it;
- a queue left over from the period before (x > 1 earlier) adds its own delay: a fluid queue n0 that drains
  at Q - q (or keeps growing), whose area over the period (vehicle-seconds) is added to the total;
- the overflow queue left at the end is n1 = max(0, n0 + (q - Q) T), carried into the next period (and the
  next hour, even if the plan changes); the day starts at midnight with no queue;
- the queue estimate is the period's average number of delayed vehicles, total delay / T (Little's law), so it
  is directly the number of cars a screen can draw standing at the approach on average.

Hourly figures add up the four periods: vehicle-hours of delay, vehicles, average delay per vehicle, x for the
hour's flow, the average queue and the overflow queue at the end of the hour. Junctions are treated as
isolated (arrivals are not platoons from the neighbouring signal); link travel times are for the schematic.
"""

from __future__ import annotations

from dataclasses import dataclass

from labs.smart_city.traffic.demand import HOURS, Demand
from labs.smart_city.traffic.district import District
from labs.smart_city.traffic.plans import Plan
from labs.smart_city.traffic.webster import average_delay

PERIOD_MINUTES = 15
PERIOD = PERIOD_MINUTES * 60.0  # s
PERIODS_PER_HOUR = 60 // PERIOD_MINUTES


@dataclass(frozen=True, slots=True)
class ApproachPeriod:
    """One approach in one 15-minute period: for a colour-coded animation."""

    intersection: str
    approach: str
    minute: int  # start of the period, minutes after midnight (0, 15, ..., 1425)
    flow: float  # veh/h arriving
    capacity: float  # veh/h
    degree_of_saturation: float  # x = flow / capacity
    delay: float  # s per arriving vehicle (0 when nobody arrives)
    queue: float  # vehicles delayed on average during the period
    residual_queue: float  # overflow vehicles still waiting at the end of the period


@dataclass(frozen=True, slots=True)
class ApproachHour:
    intersection: str
    approach: str
    hour: int
    cycle: float  # s
    green: float  # s, effective green of the approach's phase
    flow: float  # veh/h
    capacity: float  # veh/h
    degree_of_saturation: float
    vehicles: float  # arriving in the hour
    delay: float  # s per vehicle, average over the hour's arrivals
    vehicle_hours: float  # total delay
    queue: float  # vehicles, average over the hour
    residual_queue: float  # overflow vehicles at the end of the hour


@dataclass(frozen=True, slots=True)
class IntersectionHour:
    intersection: str
    hour: int
    cycle: float  # s
    greens: tuple[float, ...]  # s, per phase
    flow_ratio_sum: float  # Y of the actual demand: >= 1 means no timing could serve it
    max_degree_of_saturation: float  # the worst approach's x under this plan: >= 1 means queues grow
    vehicles: float
    delay: float  # s per vehicle, flow-weighted over the approaches
    vehicle_hours: float
    queue: float  # vehicles, summed over the approaches

    @property
    def over_capacity(self) -> bool:
        return self.max_degree_of_saturation >= 1.0


@dataclass(frozen=True)
class DayResult:
    plan: str  # the plan's kind
    timed_for: str  # label of the demand the plan was timed from
    demand: str  # label of the demand it ran against
    approach_hours: tuple[ApproachHour, ...]  # by hour, then junction, then approach
    periods: tuple[ApproachPeriod, ...]  # by period, then junction, then approach
    intersection_hours: tuple[IntersectionHour, ...]  # by hour, then junction

    @property
    def vehicle_hours(self) -> float:
        return sum(r.vehicle_hours for r in self.intersection_hours)

    @property
    def vehicles(self) -> float:
        return sum(r.vehicles for r in self.intersection_hours)

    @property
    def average_delay(self) -> float:
        """Seconds per vehicle over the whole day and district."""
        vehicles = self.vehicles
        return self.vehicle_hours * 3600 / vehicles if vehicles else 0.0

    def hourly_vehicle_hours(self) -> tuple[float, ...]:
        totals = [0.0] * HOURS
        for row in self.intersection_hours:
            totals[row.hour] += row.vehicle_hours
        return tuple(totals)

    def intersection_hour(self, intersection_id: str, hour: int) -> IntersectionHour:
        for row in self.intersection_hours:
            if row.intersection == intersection_id and row.hour == hour:
                return row
        raise KeyError((intersection_id, hour))

    def approach_hour(self, intersection_id: str, approach_id: str, hour: int) -> ApproachHour:
        for row in self.approach_hours:
            if row.intersection == intersection_id and row.approach == approach_id and row.hour == hour:
                return row
        raise KeyError((intersection_id, approach_id, hour))

    def over_capacity_hours(self) -> tuple[tuple[str, int], ...]:
        """(junction id, hour) wherever some approach had x >= 1."""
        return tuple((r.intersection, r.hour) for r in self.intersection_hours if r.over_capacity)


def _leftover_area(n0: float, capacity: float, flow: float, period: float) -> float:
    """Vehicle-seconds of waiting, over one period, of a queue of n0 vehicles left from before.

    The queue drains at (capacity - flow) veh/h when positive, or stays (its growth is already in d2).
    """
    if n0 <= 0:
        return 0.0
    drain = (capacity - flow) / 3600.0
    if drain <= 0:
        return n0 * period
    clear = n0 / drain
    if clear >= period:
        return n0 * period - drain * period * period / 2
    return n0 * clear / 2


def simulate_day(district: District, demand: Demand, plan: Plan) -> DayResult:
    """Run `plan` against `demand` for 24 hours (see the module docstring for the model)."""
    residual = {key: 0.0 for key in district.approach_keys()}
    periods: list[ApproachPeriod] = []
    approach_hours: list[ApproachHour] = []
    intersection_hours: list[IntersectionHour] = []
    for hour in range(HOURS):
        for intersection in district.intersections:
            timing = plan.timing(intersection.id, hour)
            cycle = timing.cycle
            ratio_sum = [0.0] * intersection.phases
            worst_x = 0.0
            i_vehicles = i_total = i_queue = 0.0
            for approach in intersection.approaches:
                key = (intersection.id, approach.id)
                flow = demand.volume(intersection.id, approach.id, hour)
                s = approach.saturation_flow
                green = timing.greens[approach.phase]
                capacity = s * green / cycle
                x = flow / capacity if capacity > 0 else (0.0 if flow == 0 else float("inf"))
                ratio_sum[approach.phase] = max(ratio_sum[approach.phase], flow / s)
                worst_x = max(worst_x, x)
                arrivals = flow * PERIOD / 3600.0
                base = average_delay(flow, s, green, cycle, PERIOD) if flow > 0 else 0.0
                h_total = 0.0
                for k in range(PERIODS_PER_HOUR):
                    n0 = residual[key]
                    total = arrivals * base + _leftover_area(n0, capacity, flow, PERIOD)
                    n1 = max(0.0, n0 + (flow - capacity) * PERIOD / 3600.0)
                    residual[key] = n1
                    h_total += total
                    periods.append(ApproachPeriod(intersection.id, approach.id, hour * 60 + k * PERIOD_MINUTES, flow,
                                                  capacity, x, total / arrivals if arrivals else 0.0, total / PERIOD,
                                                  n1))
                vehicles = flow  # one hour of arrivals
                approach_hours.append(ApproachHour(intersection.id, approach.id, hour, cycle, green, flow, capacity, x,
                                                   vehicles, h_total / vehicles if vehicles else 0.0, h_total / 3600.0,
                                                   h_total / 3600.0, residual[key]))
                i_vehicles += vehicles
                i_total += h_total
                i_queue += h_total / 3600.0
            intersection_hours.append(IntersectionHour(
                intersection.id, hour, cycle, timing.greens, sum(ratio_sum), worst_x, i_vehicles,
                i_total / i_vehicles if i_vehicles else 0.0, i_total / 3600.0, i_queue))
    periods.sort(key=lambda p: p.minute)  # stable: junction and approach order kept within a period
    return DayResult(plan.kind, plan.timed_for, demand.label, tuple(approach_hours), tuple(periods),
                     tuple(intersection_hours))


@dataclass(frozen=True)
class Comparison:
    """How much delay `other` saves against `base`, both run on the same demand."""

    base: str
    other: str
    base_vehicle_hours: float
    other_vehicle_hours: float
    hourly_saving: tuple[float, ...]  # vehicle-hours saved in each hour (negative: `other` is worse)

    @property
    def saving(self) -> float:
        return self.base_vehicle_hours - self.other_vehicle_hours

    @property
    def saving_percent(self) -> float:
        return 100.0 * self.saving / self.base_vehicle_hours if self.base_vehicle_hours else 0.0

    def worse_hours(self, tolerance: float = 0.05) -> tuple[int, ...]:
        """Hours in which `other` causes more than `tolerance` vehicle-hours more delay than `base`."""
        return tuple(h for h, saved in enumerate(self.hourly_saving) if saved < -tolerance)


def compare(base: DayResult, other: DayResult) -> Comparison:
    if base.demand != other.demand:
        raise ValueError(f"compare plans on the same demand, not {base.demand!r} and {other.demand!r}")
    return Comparison(base.plan, other.plan, base.vehicle_hours, other.vehicle_hours,
                      tuple(b - o for b, o in zip(base.hourly_vehicle_hours(), other.hourly_vehicle_hours())))
