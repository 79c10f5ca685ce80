"""Can a claimed saving be told apart from the load model's error? (measurement and verification)

A saving is never measured directly: it is the difference between what the plant used and what it *would* have
used without the change, and the second figure comes from a model (forecast.py). If the model's day-to-day error
is larger than the saving, a single day, or a month, proves nothing.

- `apparent_savings(result, true_saving)`: for each working weekday of the test period, the saving a forecast
  baseline would report, (forecast - actual after the change) / forecast, when the change really saved
  `true_saving` % (0 for "nothing changed": the placebo);
- `detectable(daily_cv, days)`: the smallest saving an average over `days` days can show with 95 % confidence,
  z x CV / sqrt(days) with z = 1.96, assuming the daily errors are independent (they are not quite: a biased
  model, NMBE far from 0, never averages out);
- `days_needed(saving, daily_cv)`: (z x CV / saving)^2, rounded up;
- `meets_guideline_14(result)`: ASHRAE Guideline 14-2014's calibration criteria for a baseline model,
  CV(RMSE) <= 30 % and |NMBE| <= 10 % for hourly data (15 % and 5 % for monthly data).

With the plant's best day-ahead model (daily CV(RMSE) about 27 % on working weekdays), a 1-2 % energy saving
needs hundreds of working days to show, and the daily "savings" of a placebo range over tens of percent: this
is where a saving of POSCO's size becomes illusory unless it is measured with a better baseline (metered
production, a controlled comparison) or over a long time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from labs.smart_city.energy.forecast import ForecastResult, errors_by_day

Z_95 = 1.96
GUIDELINE_14 = {"hourly": (30.0, 10.0), "monthly": (15.0, 5.0)}  # (max CV(RMSE) %, max |NMBE| %)


def detectable(daily_cv: float, days: int, z: float = Z_95) -> float:
    """The smallest saving (%) that `days` days of data can show, for a baseline with this daily CV(RMSE) (%)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    return z * daily_cv / math.sqrt(days)


def days_needed(saving: float, daily_cv: float, z: float = Z_95) -> int:
    """Working days of data needed before a saving of `saving` % stands out from the model's error."""
    if saving <= 0:
        raise ValueError("saving must be positive")
    return math.ceil((z * daily_cv / saving) ** 2)


def meets_guideline_14(result: ForecastResult, resolution: str = "hourly") -> bool:
    max_cv, max_nmbe = GUIDELINE_14[resolution]
    return result.cv_rmse <= max_cv and abs(result.nmbe) <= max_nmbe


@dataclass(frozen=True)
class Claim:
    true_saving: float  # % really saved
    days: int
    daily: tuple[float, ...]  # the apparent saving of each day, %
    mean: float  # the claimed saving: the average over the days, %
    spread: float  # standard deviation of the daily figures, %
    detectable: float  # the smallest saving these days can show, %

    @property
    def illusory(self) -> bool:
        """True when the true saving is below what the data can show: the claim, up or down, is noise."""
        return self.true_saving < self.detectable


def apparent_savings(result: ForecastResult, true_saving: float = 0.0, days: int | None = None) -> Claim:
    """What a forecast baseline reports on the test period's working weekdays (the first `days` of them) when
    the change truly saved `true_saving` % of every day's energy."""
    errors = errors_by_day(result)  # (forecast - actual) / forecast, %
    if days is not None:
        errors = errors[:days]
    # actual after = actual x (1 - s): apparent = 1 - (1 - s) actual / forecast = s + (1 - s) x error
    share = true_saving / 100.0
    daily = tuple(float(100.0 * share + (1.0 - share) * e) for e in errors)
    n = len(daily)
    mean = sum(daily) / n
    spread = math.sqrt(sum((d - mean) ** 2 for d in daily) / (n - 1)) if n > 1 else 0.0
    return Claim(true_saving, n, daily, mean, spread, detectable(result.weekday_daily_cv_rmse, n))
