"""Turning a PM2.5 forecast into a bad-air alert, and weighing false alarms against missed bad-air days.

An alert for day t+1 is issued when the forecast reaches the alert threshold tau. The event to warn of is a day
whose actual daily mean reaches a Korean band (data.VERY_BAD by default: 76 µg/m³ and above). Over a period:

    hits (alert, bad day)         false alarms (alert, not bad)
    misses (no alert, bad day)    correct quiet days

With a cost for each false alarm (outdoor events cancelled, people kept in for nothing, trust in the alerts worn
down) and for each miss (people with asthma, children and the elderly outdoors on a very bad day), the expected
cost is c_false * false alarms + c_miss * misses. The costs are a policy choice a learner sets; the engine finds
the threshold with the lowest cost on the tuning year and reports what it does on the test year. With misses
dearer than false alarms, the best threshold sits below the band's edge: alert when the forecast is somewhat
under 76, because forecasts are uncertain.

Standard verification scores come along (Wilks, *Statistical Methods in the Atmospheric Sciences*, 3rd ed.,
Academic Press 2011, ch. 8): hit rate (probability of detection) = hits / (hits + misses); false alarm ratio =
false alarms / (hits + false alarms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labs.smart_city.air.data import VERY_BAD

DEFAULT_FALSE_ALARM_COST = 1.0
DEFAULT_MISS_COST = 3.0


@dataclass(frozen=True)
class Confusion:
    threshold: float
    hits: int
    false_alarms: int
    misses: int
    quiet: int  # correct: no alert, not bad

    @property
    def days(self) -> int:
        return self.hits + self.false_alarms + self.misses + self.quiet

    @property
    def hit_rate(self) -> float:
        bad = self.hits + self.misses
        return self.hits / bad if bad else float("nan")

    @property
    def false_alarm_ratio(self) -> float:
        alerts = self.hits + self.false_alarms
        return self.false_alarms / alerts if alerts else float("nan")

    def cost(self, false_alarm_cost: float = DEFAULT_FALSE_ALARM_COST, miss_cost: float = DEFAULT_MISS_COST) -> float:
        return false_alarm_cost * self.false_alarms + miss_cost * self.misses


def confusion(actual, forecast, threshold: float, level: float = VERY_BAD) -> Confusion:
    """Counts for alerting when forecast >= threshold, a bad day being actual >= level."""
    import numpy as np

    actual, forecast = np.asarray(actual), np.asarray(forecast)
    alert, bad = forecast >= threshold, actual >= level
    return Confusion(float(threshold), int((alert & bad).sum()), int((alert & ~bad).sum()),
                     int((~alert & bad).sum()), int((~alert & ~bad).sum()))


def sweep(actual, forecast, thresholds: Sequence[float] | None = None, level: float = VERY_BAD) -> list[Confusion]:
    """The confusion counts over a range of thresholds (by default 20 to 200 µg/m³ in steps of 2.5)."""
    if thresholds is None:
        thresholds = [20 + 2.5 * i for i in range(73)]
    return [confusion(actual, forecast, t, level) for t in thresholds]


def best_threshold(actual, forecast, false_alarm_cost: float = DEFAULT_FALSE_ALARM_COST,
                   miss_cost: float = DEFAULT_MISS_COST, level: float = VERY_BAD,
                   thresholds: Sequence[float] | None = None) -> Confusion:
    """The threshold with the lowest cost (the lowest such threshold if several tie)."""
    rows = sweep(actual, forecast, thresholds, level)
    return min(rows, key=lambda c: (c.cost(false_alarm_cost, miss_cost), c.threshold))


@dataclass(frozen=True)
class AlertResult:
    """A forecaster and an alert threshold chosen on the tuning year, scored on the test year."""

    model: str
    threshold: float
    tune: Confusion
    test: Confusion
    false_alarm_cost: float
    miss_cost: float

    @property
    def test_cost(self) -> float:
        return self.test.cost(self.false_alarm_cost, self.miss_cost)


def alert_result(model: str = "ridge_with_weather_forecast", false_alarm_cost: float = DEFAULT_FALSE_ALARM_COST,
                 miss_cost: float = DEFAULT_MISS_COST, level: float = VERY_BAD, threshold: float | None = None,
                 data=None) -> AlertResult:
    """Choose the threshold on the tuning year (or take `threshold` as given) and score it on the test year."""
    from labs.smart_city.air.forecast import concat, forecasts, split

    data = data or split()
    tune_forecast = forecasts(data.tune, data.fit, model)
    if threshold is None:
        chosen = best_threshold(data.tune.target, tune_forecast, false_alarm_cost, miss_cost, level)
    else:
        chosen = confusion(data.tune.target, tune_forecast, threshold, level)
    test_forecast = forecasts(data.test, concat(data.fit, data.tune), model)
    test = confusion(data.test.target, test_forecast, chosen.threshold, level)
    return AlertResult(model, chosen.threshold, chosen, test, false_alarm_cost, miss_cost)


def leaky_result(model: str = "ridge_with_weather_forecast", false_alarm_cost: float = DEFAULT_FALSE_ALARM_COST,
                 miss_cost: float = DEFAULT_MISS_COST, level: float = VERY_BAD, data=None) -> AlertResult:
    """A mistake to show: the threshold chosen on the test year itself. Its test cost is the lowest possible on
    that year, so it flatters the forecaster; next year will not be so kind (compare alert_result)."""
    from labs.smart_city.air.forecast import concat, forecasts, split

    data = data or split()
    test_forecast = forecasts(data.test, concat(data.fit, data.tune), model)
    chosen = best_threshold(data.test.target, test_forecast, false_alarm_cost, miss_cost, level)
    return AlertResult(model, chosen.threshold, chosen, chosen, false_alarm_cost, miss_cost)


@dataclass(frozen=True)
class Miss:
    day: object  # datetime.date of the bad day
    forecast: float
    actual: float
    today: float  # the PM2.5 of the day before, which the forecast started from


def worst_misses(model: str = "ridge_with_weather_forecast", threshold: float | None = None, level: float = VERY_BAD,
                 count: int = 10, data=None) -> list[Miss]:
    """The test year's bad days with no alert, worst first (largest actual PM2.5): where the forecaster fails."""
    from labs.smart_city.air.forecast import concat, forecasts, split

    data = data or split()
    if threshold is None:
        threshold = alert_result(model, level=level, data=data).threshold
    forecast = forecasts(data.test, concat(data.fit, data.tune), model)
    misses = [Miss(d, float(f), float(a), float(t)) for d, f, a, t in
              zip(data.test.target_dates, forecast, data.test.target, data.test.today_pm25)
              if a >= level and f < threshold]
    return sorted(misses, key=lambda m: -m.actual)[:count]
