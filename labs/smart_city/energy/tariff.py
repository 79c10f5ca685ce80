"""Korea's time-of-use electricity tariff for industry (KEPCO), and the grid's CO2 factor.

KEPCO bills large industrial customers (Industrial Power (B), 산업용 전력(을): contract demand of 300 kW or more)
a monthly demand charge per kW plus an energy charge per kWh that depends on the season and on the time of day:

- seasons: summer June-August, spring/autumn March-May and September-October, winter November-February;
- time periods (KEPCO, "Electricity Tariff Structure", season & time-period classification):

  | period | spring, summer, autumn | winter |
  | --- | --- | --- |
  | light load (경부하) | 23:00-09:00 | 23:00-09:00 |
  | mid load (중간부하) | 09-10, 12-13, 17-23 | 09-10, 12-17, 20-22 |
  | peak load (최대부하) | 10-12, 13-17 | 10-12, 17-20, 22-23 |

  Sundays and public holidays are charged at the light-load rate all day. (The real steel-plant file labels its
  days off, not KEPCO's holidays, as light: see DATASETS.md.)

Rates, won per kWh, high voltage A, option II (the middle of KEPCO's three demand/energy options), VAT and the
climate/fuel adjustments excluded:

| tariff | season | light | mid | peak | demand charge |
| --- | --- | ---: | ---: | ---: | ---: |
| `KEPCO_2018` | summer | 56.1 | 109.0 | 191.1 | 8,320 won/kW |
| | spring/autumn | 56.1 | 78.6 | 109.3 | |
| | winter | 63.1 | 109.2 | 166.7 | |
| `KEPCO_2012` | summer (Jul-Aug) | 47.0 | 93.1 | 162.6 | 7,930 won/kW |
| | spring/autumn (Mar-Jun, Sep-Oct) | 47.0 | 67.2 | 93.0 | |
| | winter | 52.4 | 91.5 | 139.1 | |

`KEPCO_2018` is the table in force in 2018, the year of the plant data (KEPCO's revision of November 2013, in
force until the 2021-2022 revisions). Its figures are quoted approximately: they could not be re-read against
KEPCO's own tariff book on this offline machine, so check them before quoting them to anyone. `KEPCO_2012` is a
copy of KEPCO's 2012 table as reproduced at songdonet.tistory.com/3946 (18 May 2012, "출처: 한국전력"), which
could be read; its summer was July-August only. Both have the same structure (peak about 3.4 times light in
summer), which is what the lab's conclusions depend on; the 2024 tables (e.g. the Industrial (A) II table on
cncityenergy.com) are higher across the board with a narrower peak/light ratio.

CO2: 0.4594 tCO2 per MWh, the Korean grid emission factor that the real steel-plant file's CO2 column matches
(CO2 = kWh x 0.4594 / 1000, rounded to 0.01 t, in 99.7 % of its rows). A flat factor means that moving load in
time changes cost but not CO2: only using fewer kWh cuts emissions here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

LIGHT, MID, PEAK = "light", "mid", "peak"
PERIODS = (LIGHT, MID, PEAK)
SUMMER, SPRING_AUTUMN, WINTER = "summer", "spring_autumn", "winter"
CO2_T_PER_MWH = 0.4594
HOURS = 24

# Korea's public holidays in 2018 (the plant data's year): charged at the light rate all day, like Sundays.
KOREA_HOLIDAYS_2018 = frozenset(dt.date(2018, m, d) for m, d in (
    (1, 1), (2, 15), (2, 16), (2, 17), (3, 1), (5, 5), (5, 7), (5, 22), (6, 6), (6, 13), (8, 15),
    (9, 23), (9, 24), (9, 25), (9, 26), (10, 3), (10, 9), (12, 25)))

_WINTER_MONTHS = (11, 12, 1, 2)


@dataclass(frozen=True)
class Tariff:
    name: str
    rates: dict[str, dict[str, float]]  # season -> period -> won per kWh
    demand_charge: float  # won per kW of billing demand, per month
    summer_months: tuple[int, ...]
    source: str

    def season(self, month: int) -> str:
        if month in _WINTER_MONTHS:
            return WINTER
        return SUMMER if month in self.summer_months else SPRING_AUTUMN

    def price(self, month: int, hour: int, day_off: bool = False) -> float:
        """Won per kWh in this month and hour (day_off: a Sunday or public holiday, light all day)."""
        return self.rates[self.season(month)][period(month, hour, day_off)]

    def hourly_prices(self, month: int, day_off: bool = False) -> tuple[float, ...]:
        return tuple(self.price(month, h, day_off) for h in range(HOURS))

    def energy_cost(self, kwh_by_hour: Sequence[float], month: int, day_off: bool = False) -> float:
        """Won for one day's 24 hourly kWh (energy charge only)."""
        if len(kwh_by_hour) != HOURS:
            raise ValueError(f"need 24 hourly values, got {len(kwh_by_hour)}")
        return sum(k * p for k, p in zip(kwh_by_hour, self.hourly_prices(month, day_off)))


def period(month: int, hour: int, day_off: bool = False) -> str:
    """KEPCO's time period (LIGHT, MID or PEAK) of the hour starting at `hour` (0-23)."""
    if not 0 <= hour < HOURS:
        raise ValueError(f"hour must be 0-23, got {hour}")
    if day_off or hour >= 23 or hour < 9:
        return LIGHT
    if month in _WINTER_MONTHS:
        return PEAK if hour in (10, 11, 17, 18, 19, 22) else MID
    return PEAK if hour in (10, 11, 13, 14, 15, 16) else MID


def is_day_off(day: dt.date) -> bool:
    """Sunday or a 2018 public holiday: light-load rates all day."""
    return day.weekday() == 6 or day in KOREA_HOLIDAYS_2018


def co2_tonnes(kwh: float) -> float:
    return kwh * CO2_T_PER_MWH / 1000.0


KEPCO_2018 = Tariff(
    name="KEPCO industrial (B), high voltage A, option II, 2018",
    rates={SUMMER: {LIGHT: 56.1, MID: 109.0, PEAK: 191.1},
           SPRING_AUTUMN: {LIGHT: 56.1, MID: 78.6, PEAK: 109.3},
           WINTER: {LIGHT: 63.1, MID: 109.2, PEAK: 166.7}},
    demand_charge=8320.0,
    summer_months=(6, 7, 8),
    source="KEPCO tariff table in force 2013-11 to 2021 (approximate; see the module docstring)",
)

KEPCO_2012 = Tariff(
    name="KEPCO industrial (B), high voltage A, option II, 2012",
    rates={SUMMER: {LIGHT: 47.0, MID: 93.1, PEAK: 162.6},
           SPRING_AUTUMN: {LIGHT: 47.0, MID: 67.2, PEAK: 93.0},
           WINTER: {LIGHT: 52.4, MID: 91.5, PEAK: 139.1}},
    demand_charge=7930.0,
    summer_months=(7, 8),
    source="KEPCO 2012 table as reproduced at songdonet.tistory.com/3946 (2012-05-18)",
)

DEFAULT_TARIFF = KEPCO_2018
