"""Hourly demand for the district, from real counts, and forecasts of it by hour with their errors.

The counts are the embedded `metro-traffic` dataset: vehicles per hour going west on the I-94 motorway at
Minnesota DOT ATR station 301, every hour from October 2016 to September 2018 (CC BY 4.0; DATASETS.md). A
motorway is not a city street, so the lab keeps the *shape* of a day and scales it to each approach:

1. `CountHistory` holds the counts as a date x hour grid (104 hours are gaps in the source, left as NaN).
2. The typical weekday is the hour-by-hour **median** over the complete weekdays (Monday-Friday with all 24
   hours counted): 484 days. The median, not the mean, so that public holidays and snowstorms (a handful of
   weekdays with half the usual traffic) do not pull it down. Its daily total is R = 87,115 vehicles.
   The typical weekend day is the same median over the 194 complete Saturdays and Sundays.
3. An approach's demand on a day whose counts are v_h (h = 0..23) is, in veh/h:

   - arterial approaches (profile "commuter"): V_h = D * v_h / R;
   - cross-street approaches (profile "local"): V_h = D * (0.5 v_h / R + 0.5 w_h), where w_h is the typical
     weekend day's share of its daily total in hour h: half of the cross streets' traffic is commuting and
     follows the day's counts, half is errands and deliveries with the flatter, midday-heavy weekend shape;

   where D is the approach's daily volume on a typical weekday (district.py). So a typical weekday gives each
   approach exactly D vehicles a day, and a day with 10 % more traffic on I-94 gives 10 % more in town (5 %
   on the cross streets).

Forecasts predict a day's 24 counts from the days before it, on the I-94 scale, and go through the same scaling:

- `same_hour_mean`: the mean of the same hour over the previous N complete weekdays (20 by default: four weeks);
- `seasonal_naive`: the same hour one week earlier (the usual seasonal baseline); it is fooled by a holiday
  a week before.

`mae` and `mape` measure a forecast's error, and `backtest` averages them over many days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from labs.smart_city.traffic.district import COMMUTER, LOCAL, District

if TYPE_CHECKING:
    import numpy

DATASET = "metro-traffic"
HOURS = 24
LOCAL_COMMUTING_SHARE = 0.5  # of a cross street's traffic that follows the day's commuter counts
DEFAULT_HISTORY_DAYS = 20  # weekdays that same_hour_mean averages (four working weeks)


@dataclass(frozen=True, eq=False)
class CountHistory:
    """The counts as one row of 24 hourly volumes per calendar day (NaN where the source has a gap)."""

    dates: tuple[dt.date, ...]
    volumes: numpy.ndarray  # shape (days, 24), vehicles per hour

    def index(self, day: dt.date) -> int:
        position = self._positions().get(day)
        if position is None:
            raise KeyError(day)
        return position

    def _positions(self) -> dict[dt.date, int]:
        cached = self.__dict__.get("_position_cache")
        if cached is None:
            cached = {d: i for i, d in enumerate(self.dates)}
            object.__setattr__(self, "_position_cache", cached)
        return cached

    def day(self, day: dt.date) -> tuple[float, ...]:
        """The 24 counts of one day (NaN in gaps)."""
        return tuple(float(v) for v in self.volumes[self.index(day)])

    def is_complete(self, day: dt.date) -> bool:
        import numpy as np

        return bool(np.isfinite(self.volumes[self.index(day)]).all())

    def complete_weekdays(self, before: dt.date | None = None) -> tuple[dt.date, ...]:
        """Monday-Friday dates with all 24 hours counted (before `before`, if given), oldest first."""
        import numpy as np

        finite = np.isfinite(self.volumes).all(axis=1)
        return tuple(d for d, ok in zip(self.dates, finite)
                     if ok and d.weekday() < 5 and (before is None or d < before))


@lru_cache(maxsize=1)
def load_history() -> CountHistory:
    """The metro-traffic counts as a CountHistory (read once; about 20 ms)."""
    from labs.datasets.catalog import load_dataset

    frame = load_dataset(DATASET)
    return history_from_frame(frame)


def history_from_frame(frame) -> CountHistory:
    """A CountHistory from a frame with `datetime` and `traffic_volume` columns (hourly rows)."""
    import numpy as np

    stamps = frame["datetime"]
    days = stamps.dt.normalize()
    first, last = days.min().date(), days.max().date()
    dates = tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    grid = np.full((len(dates), HOURS), np.nan)
    rows = np.asarray([(d.date() - first).days for d in days])
    hours = stamps.dt.hour.to_numpy()
    grid[rows, hours] = frame["traffic_volume"].to_numpy(dtype=float)
    grid.flags.writeable = False  # shared through load_history's cache
    return CountHistory(dates, grid)


def _median_day(history: CountHistory, weekend: bool) -> tuple[float, ...]:
    import numpy as np

    finite = np.isfinite(history.volumes).all(axis=1)
    keep = np.array([ok and ((d.weekday() >= 5) == weekend) for d, ok in zip(history.dates, finite)])
    return tuple(float(v) for v in np.median(history.volumes[keep], axis=0))


def typical_weekday(history: CountHistory | None = None) -> tuple[float, ...]:
    """The hour-by-hour median of the complete weekdays, vehicles per hour (I-94 scale)."""
    return _median_day(history or load_history(), weekend=False)


def typical_weekend(history: CountHistory | None = None) -> tuple[float, ...]:
    """The hour-by-hour median of the complete Saturdays and Sundays, vehicles per hour (I-94 scale)."""
    return _median_day(history or load_history(), weekend=True)


# ----------------------------------------------------------------------------------------------- district demand


@dataclass(frozen=True)
class Demand:
    """24 hourly volumes (veh/h) for every approach of a district: actual counts or a forecast."""

    volumes: Mapping[tuple[str, str], tuple[float, ...]]  # (intersection id, approach id) -> 24 values
    label: str = ""  # for developers and reports: "typical weekday", "2018-09-12", "forecast: ..."

    def volume(self, intersection_id: str, approach_id: str, hour: int) -> float:
        return self.volumes[(intersection_id, approach_id)][hour]

    def scaled(self, factor: float, hours: Sequence[int] | None = None, label: str = "") -> Demand:
        """Every volume times `factor` (only in `hours`, if given): a what-if, or a deliberately bad forecast."""
        chosen = set(range(HOURS) if hours is None else hours)
        return Demand({key: tuple(v * factor if h in chosen else v for h, v in enumerate(series))
                       for key, series in self.volumes.items()}, label or f"{self.label} x{factor:g}")


@dataclass(frozen=True)
class Scaling:
    """How I-94 counts become approach volumes: the typical weekday's total R and the weekend shares w_h."""

    reference_total: float  # R, vehicles per typical weekday at ATR 301
    weekend_shares: tuple[float, ...]  # w_h, sums to 1
    local_commuting_share: float = LOCAL_COMMUTING_SHARE


def scaling(history: CountHistory | None = None) -> Scaling:
    history = history or load_history()
    weekend = typical_weekend(history)
    total = sum(weekend)
    return Scaling(sum(typical_weekday(history)), tuple(v / total for v in weekend))


def district_demand(district: District, day_counts: Sequence[float], scale: Scaling | None = None,
                    label: str = "") -> Demand:
    """Hourly volumes for every approach from one day's 24 I-94 counts (see the module docstring).

    `day_counts` may be real counts, the typical weekday or a forecast; gaps (NaN) are not allowed.
    """
    if len(day_counts) != HOURS:
        raise ValueError(f"need 24 hourly counts, got {len(day_counts)}")
    if any(not math.isfinite(v) or v < 0 for v in day_counts):
        raise ValueError("counts must be finite and not negative (fill the gaps first)")
    scale = scale or scaling()
    commuter = [v / scale.reference_total for v in day_counts]
    a = scale.local_commuting_share
    local = [a * c + (1 - a) * w for c, w in zip(commuter, scale.weekend_shares)]
    shapes = {COMMUTER: commuter, LOCAL: local}
    volumes = {}
    for intersection in district.intersections:
        for approach in intersection.approaches:
            shape = shapes[approach.profile]
            volumes[(intersection.id, approach.id)] = tuple(approach.daily_volume * s for s in shape)
    return Demand(volumes, label)


def typical_demand(district: District, history: CountHistory | None = None) -> Demand:
    """The district on a typical weekday: the design demand a fixed-time plan is timed for."""
    history = history or load_history()
    return district_demand(district, typical_weekday(history), scaling(history), "typical weekday")


def day_demand(district: District, day: dt.date, history: CountHistory | None = None) -> Demand:
    """The district on a real day: that day's counts, scaled. KeyError if the day is outside the data,
    ValueError if it has gaps."""
    history = history or load_history()
    return district_demand(district, history.day(day), scaling(history), day.isoformat())


# ----------------------------------------------------------------------------------------------------- forecasts

Forecaster = Callable[[CountHistory, dt.date], tuple[float, ...]]


def same_hour_mean(history: CountHistory, day: dt.date, days: int = DEFAULT_HISTORY_DAYS) -> tuple[float, ...]:
    """For each hour, the mean count at that hour over the `days` complete weekdays before `day`."""
    earlier = history.complete_weekdays(before=day)[-days:]
    if not earlier:
        raise ValueError(f"no complete weekday before {day}")
    rows = [history.index(d) for d in earlier]
    return tuple(float(v) for v in history.volumes[rows].mean(axis=0))


def seasonal_naive(history: CountHistory, day: dt.date) -> tuple[float, ...]:
    """For each hour, the count at the same hour one week earlier (a gap falls back to two weeks earlier)."""
    for weeks in (1, 2):
        earlier = day - dt.timedelta(weeks=weeks)
        try:
            values = history.day(earlier)
        except KeyError:
            break
        if all(math.isfinite(v) for v in values):
            return values
    raise ValueError(f"no complete same weekday one or two weeks before {day}")


FORECASTERS: dict[str, Forecaster] = {"same_hour_mean": same_hour_mean, "seasonal_naive": seasonal_naive}


def forecast_demand(district: District, day: dt.date, method: str = "same_hour_mean",
                    history: CountHistory | None = None) -> Demand:
    """The district's demand on `day` as forecast by `method` (a key of FORECASTERS) from the days before."""
    history = history or load_history()
    counts = FORECASTERS[method](history, day)
    return district_demand(district, counts, scaling(history), f"forecast {method} for {day.isoformat()}")


def mae(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute error, in the unit of the data (vehicles per hour)."""
    if len(actual) != len(forecast) or not actual:
        raise ValueError("need two series of the same, non-zero length")
    return sum(abs(a - f) for a, f in zip(actual, forecast)) / len(actual)


def mape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute percentage error, in %, over the hours whose actual value is not zero.

    Night hours with small counts weigh as much as the peak here: a forecast 100 vehicles off at 3 am
    (a third of the traffic) scores worse than one 500 off at 5 pm (8 %), which is why MAE is shown too.
    """
    if len(actual) != len(forecast) or not actual:
        raise ValueError("need two series of the same, non-zero length")
    pairs = [(a, f) for a, f in zip(actual, forecast) if a != 0]
    if not pairs:
        raise ValueError("every actual value is zero: MAPE is undefined")
    return 100.0 * sum(abs(a - f) / abs(a) for a, f in pairs) / len(pairs)


@dataclass(frozen=True)
class ForecastScore:
    method: str
    days: int  # how many target days were scored
    mae: float  # veh/h, averaged over the days
    mape: float  # %, averaged over the days
    worst_day: dt.date | None  # the day with the largest MAE
    worst_mae: float


def backtest(method: str, days: Sequence[dt.date] | None = None, history: CountHistory | None = None,
             last: int = 40) -> ForecastScore:
    """Score a forecaster on real days: by default the `last` complete weekdays in the data.

    Each target day is forecast only from the days before it, as it would have been in practice.
    """
    history = history or load_history()
    targets = list(days) if days is not None else list(history.complete_weekdays()[-last:])
    forecaster = FORECASTERS[method]
    errors = []
    for day in targets:
        actual = history.day(day)
        predicted = forecaster(history, day)
        errors.append((day, mae(actual, predicted), mape(actual, predicted)))
    if not errors:
        raise ValueError("no day to score")
    worst = max(errors, key=lambda e: e[1])
    return ForecastScore(method, len(errors), sum(e[1] for e in errors) / len(errors),
                         sum(e[2] for e in errors) / len(errors), worst[0], worst[1])
