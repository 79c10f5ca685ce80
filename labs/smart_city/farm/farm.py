"""Setpoints for a container farm -> days to harvest, harvests a year, yield, kWh per kg, and the energy budget.

The crop is lettuce grown with Van Henten's model (lettuce.py) from transplanting to harvest; the container's
electricity comes from container.py. Assumptions (documented in README.md):

- 25 heads per m2 of cultivation area, transplanted as seedlings of 0.05 g dry weight (about 1.5 g fresh, two
  weeks after sowing in a separate nursery, whose energy is not counted), 75 % of it structural;
- a head is harvested at 250 g fresh weight of shoot; shoot = (1 - c_tau) of the crop's dry weight; fresh weight
  = shoot dry weight / 0.035 (the fresh/dry ratio Carotti et al. 2021 measured on LED-grown lettuce: 29 g fresh
  and 1.01 g dry per mol of light);
- one day between harvest and the next transplant (cleaning, replanting); harvests a year = 365 / (days to
  harvest + 1);
- the setpoints hold all year (lights on for `photoperiod` hours at `ppfd` and `temp_day`, dark at
  `temp_night`, CO2 at `co2_ppm` all day).

`evaluate(setpoints, budget_kwh)` gives a `FarmResult`; `search(budget_kwh)` tries a grid of setpoints and keeps
the one with the most kg per m2 a year that fits the budget without a risk flag (the lab's reference);
`NAIVE` is a greenhouse habit (12 h of modest light, no CO2 enrichment); `OVERDRIVE` pushes light and
temperature and breaks the budget.

Risk flags come from the horticultural literature, not from the model (which knows no plant disorders):
`tipburn` when the day temperature is above 26 degC or the light above 500 umol m-2 s-1 (Carotti et al. 2021
saw excessive tipburn at 28-32 degC air with 400-750 umol m-2 s-1); `co2_waste` above 1,500 ppm, where the
model's gain is small and the leakage loss large; `long_day` above 20 hours of light (some lettuce cultivars
show leaf injury under continuous light).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from labs.smart_city.farm.container import Container, co2_kg_per_day, year_energy
from labs.smart_city.farm.lettuce import DEFAULT, Climate, LettuceParams, grow

DENSITY = 25.0  # heads per m2
SEEDLING_DW_G = 0.05  # g dry weight per plant at transplanting
STRUCTURAL_SHARE = 0.75
HEAD_FW_G = 250.0  # harvest weight of a head, g fresh
SHOOT_DRY_MATTER = 0.035  # g dry per g fresh
TURNAROUND_DAYS = 1
MAX_DAYS = 120
BUDGET_KWH = 45_000.0  # a year's electricity for the container (the lab's default budget)

LIMITS = {"ppfd": (50.0, 800.0), "photoperiod": (4.0, 24.0), "temp_day": (10.0, 35.0), "temp_night": (10.0, 35.0),
          "co2_ppm": (350.0, 2000.0)}


@dataclass(frozen=True)
class Setpoints:
    ppfd: float  # umol m-2 s-1 at the crop
    photoperiod: float  # hours of light a day
    temp_day: float  # degC
    temp_night: float  # degC
    co2_ppm: float

    def climate(self) -> Climate:
        return Climate(self.ppfd, self.photoperiod, self.temp_day, self.temp_night, self.co2_ppm)

    def daily_light_integral(self) -> float:
        """mol m-2 d-1."""
        return self.ppfd * self.photoperiod * 3600 / 1e6


NAIVE = Setpoints(ppfd=150, photoperiod=12, temp_day=20, temp_night=18, co2_ppm=420)
REFERENCE_GUESS = Setpoints(ppfd=250, photoperiod=16, temp_day=22, temp_night=18, co2_ppm=1000)
OVERDRIVE = Setpoints(ppfd=450, photoperiod=20, temp_day=24, temp_night=20, co2_ppm=1000)


@dataclass(frozen=True)
class FarmResult:
    setpoints: Setpoints
    days_to_harvest: int | None  # None: the head does not reach the harvest weight within MAX_DAYS
    head_fw_g: float  # fresh weight per head on the harvest day (or at MAX_DAYS)
    harvests_per_year: float
    kg_per_m2_year: float
    kwh_per_year: float
    lighting_kwh: float
    hvac_kwh: float
    aux_kwh: float
    kwh_per_kg: float
    co2_kg_per_year: float
    budget_kwh: float
    flags: tuple[str, ...]

    @property
    def within_budget(self) -> bool:
        return self.kwh_per_year <= self.budget_kwh


def check(setpoints: Setpoints) -> None:
    for name, (low, high) in LIMITS.items():
        value = getattr(setpoints, name)
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value:g}")


def flags(setpoints: Setpoints) -> tuple[str, ...]:
    found = []
    if setpoints.temp_day > 26 or setpoints.ppfd > 500:
        found.append("tipburn")
    if setpoints.co2_ppm > 1500:
        found.append("co2_waste")
    if setpoints.photoperiod > 20:
        found.append("long_day")
    return tuple(found)


def head_weight(x_sdw: float, x_nsdw: float, p: LettuceParams = DEFAULT) -> float:
    """Fresh weight of one head (g) from the crop's dry weight per m2."""
    return (1 - p.c_tau) * (x_sdw + x_nsdw) / SHOOT_DRY_MATTER / DENSITY


def days_to_harvest(setpoints: Setpoints, p: LettuceParams = DEFAULT,
                    step_s: float = 1800.0) -> tuple[int | None, float, float]:
    """(days, head fresh weight that day, crop dry-matter gain in g m-2) from transplant to harvest weight.

    The crop is grown a day at a time and stops on the harvest day: the same Euler steps as growing all of
    MAX_DAYS at once (every day starts with the lights on), without the days after the harvest."""
    start = SEEDLING_DW_G * DENSITY
    x_sdw, x_nsdw = STRUCTURAL_SHARE * start, (1 - STRUCTURAL_SHARE) * start
    climate = setpoints.climate()
    for day in range(1, MAX_DAYS + 1):
        x_sdw, x_nsdw = grow(climate, 1, (x_sdw, x_nsdw), p, step_s=step_s)[-1]
        weight = head_weight(x_sdw, x_nsdw, p)
        if weight >= HEAD_FW_G:
            return day, weight, x_sdw + x_nsdw - start
    return None, head_weight(x_sdw, x_nsdw, p), x_sdw + x_nsdw - start


def growth_curve(setpoints: Setpoints, days: int, p: LettuceParams = DEFAULT,
                 step_s: float = 1800.0) -> list[tuple[float, float]]:
    """The crop's (X_sdw, X_nsdw) in g m-2 at transplanting and at the end of each of `days` days (the curve a
    learner reads the harvest day from; the same steps as `days_to_harvest`)."""
    start = SEEDLING_DW_G * DENSITY
    x0 = (STRUCTURAL_SHARE * start, (1 - STRUCTURAL_SHARE) * start)
    return [x0] + grow(setpoints.climate(), days, x0, p, step_s=step_s)


def evaluate(setpoints: Setpoints, budget_kwh: float = BUDGET_KWH, container: Container = Container(),
             p: LettuceParams = DEFAULT) -> FarmResult:
    check(setpoints)
    days, weight, gain = days_to_harvest(setpoints, p)
    energy = year_energy(setpoints.ppfd, setpoints.photoperiod, setpoints.temp_day, setpoints.temp_night, container)
    if days is None:
        harvests, kg_m2 = 0.0, 0.0
        growing_days = MAX_DAYS
    else:
        harvests = 365.0 / (days + TURNAROUND_DAYS)
        kg_m2 = harvests * DENSITY * weight / 1000.0
        growing_days = days
    kg_total = kg_m2 * container.area_m2
    co2 = co2_kg_per_day(setpoints.co2_ppm, gain * container.area_m2 / growing_days, container) * 365.0
    return FarmResult(setpoints, days, weight, harvests, kg_m2, energy.total_kwh, energy.lighting_kwh,
                      energy.hvac_kwh, energy.aux_kwh, energy.total_kwh / kg_total if kg_total else float("inf"),
                      co2, budget_kwh, flags(setpoints))


GRID = {"ppfd": (150, 200, 250, 300, 350, 400), "photoperiod": (12, 14, 16, 18, 20), "temp_day": (20, 22, 24),
        "co2_ppm": (420, 800, 1000, 1200)}
NIGHT_DROP = 4.0  # degC cooler when the lights are off, in the grid search


def _grid_points(grid: dict) -> list[Setpoints]:
    return [Setpoints(ppfd, hours, temp, temp - NIGHT_DROP, co2) for ppfd, hours, temp, co2 in
            itertools.product(grid["ppfd"], grid["photoperiod"], grid["temp_day"], grid["co2_ppm"])]


def best_by_budget(budgets: Sequence[float], container: Container = Container(), grid: dict | None = None,
                   progress: Callable[[int, int], None] | None = None) -> dict[float, FarmResult | None]:
    """`search` for several budgets at once, each grid point grown once: budget -> the grid point with the most kg
    per m2 a year within it and without risk flags (ties: fewer kWh per kg; the first in the grid's order), or None
    if nothing fits. `progress(done, total)` is called after each grid point and may raise to stop the search."""
    grid = grid or GRID
    points = _grid_points(grid)
    top = max(budgets)
    candidates = []
    for index, setpoints in enumerate(points, start=1):
        if not flags(setpoints):
            energy = year_energy(setpoints.ppfd, setpoints.photoperiod, setpoints.temp_day, setpoints.temp_night,
                                 container)
            if energy.total_kwh <= top:  # no need to grow the crop otherwise
                result = evaluate(setpoints, top, container)
                if result.days_to_harvest is not None:
                    candidates.append(result)
        if progress is not None:
            progress(index, len(points))
    found: dict[float, FarmResult | None] = {}
    for budget in budgets:
        best = None
        for result in candidates:
            if result.kwh_per_year <= budget and (
                    best is None or (result.kg_per_m2_year, -result.kwh_per_kg) > (best.kg_per_m2_year,
                                                                                   -best.kwh_per_kg)):
                best = result
        found[budget] = None if best is None else replace(best, budget_kwh=budget)
    return found


def search(budget_kwh: float = BUDGET_KWH, container: Container = Container(), grid: dict | None = None,
           progress: Callable[[int, int], None] | None = None) -> FarmResult:
    """The grid point with the most kg per m2 a year within the budget and without risk flags (ties: fewer kWh
    per kg). ValueError if nothing in the grid fits the budget. `progress` as in `best_by_budget`."""
    best = best_by_budget((budget_kwh,), container, grid, progress)[budget_kwh]
    if best is None:
        raise ValueError("no setpoints in the grid fit the budget")
    return best
