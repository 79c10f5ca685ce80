"""How long a simulated day takes, against a plain-loop baseline measured in the same run.

    result = run_benchmark()
    result.seconds            # one simulate_day of the district (the responsive plan, made beforehand)
    result.ratio              # seconds / baseline_seconds: how many plain loops one simulated day costs

The target (issue 8) is a full simulated day well under 1 s. The baseline walks the same 96 periods x 24
approaches in plain Python doing one multiply-add per approach and period, so the ratio is about the model,
not about the machine: a much larger ratio after a change means the simulation itself got slower.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from labs.smart_city.traffic.demand import HOURS, Demand, typical_demand
from labs.smart_city.traffic.district import District, sample_district
from labs.smart_city.traffic.plans import responsive_plan
from labs.smart_city.traffic.simulate import PERIOD, PERIODS_PER_HOUR, simulate_day


@dataclass(frozen=True)
class BenchmarkResult:
    seconds: float  # best of `repeats`: simulate_day for the whole district and day
    plan_seconds: float  # best of `repeats`: making the responsive plan (Webster for every junction and hour)
    baseline_seconds: float  # best of `repeats`: the plain loop over the same approach-periods
    setup_seconds: float  # once: reading the counts and building the demand
    approach_periods: int  # how many (approach, 15-minute period) cells one day computes
    repeats: int

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds > 0 else float("inf")

    def summary(self) -> str:
        """One line for developers and CI logs (English, not shown to learners)."""
        return (f"simulated day {self.seconds * 1000:.1f} ms ({self.approach_periods} approach-periods), "
                f"plan {self.plan_seconds * 1000:.1f} ms, baseline loop {self.baseline_seconds * 1000:.2f} ms, "
                f"ratio {self.ratio:.0f}x, setup {self.setup_seconds * 1000:.0f} ms")


def _baseline(district: District, demand: Demand) -> float:
    total = 0.0
    keys = district.approach_keys()
    for hour in range(HOURS):
        for key in keys:
            flow = demand.volumes[key][hour]
            for _ in range(PERIODS_PER_HOUR):
                total += flow * PERIOD / 3600.0
    return total


def _best(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def run_benchmark(repeats: int = 5) -> BenchmarkResult:
    """Time a simulated day, the hourly re-timing and the baseline loop (best of `repeats` each)."""
    start = time.perf_counter()
    district = sample_district()
    demand = typical_demand(district)
    setup = time.perf_counter() - start
    plan = responsive_plan(district, demand)
    seconds = _best(lambda: simulate_day(district, demand, plan), repeats)
    plan_seconds = _best(lambda: responsive_plan(district, demand), repeats)
    baseline = _best(lambda: _baseline(district, demand), repeats)
    cells = len(district.approach_keys()) * HOURS * PERIODS_PER_HOUR
    return BenchmarkResult(seconds, plan_seconds, baseline, setup, cells, repeats)


if __name__ == "__main__":
    print(run_benchmark().summary())
