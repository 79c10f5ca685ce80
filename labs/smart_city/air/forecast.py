"""Forecasting tomorrow's daily PM2.5 from today's readings and weather, and scoring the forecasts.

Every forecast for day t+1 uses only what is known by the evening of day t, except the feature set
"with_weather_forecast", which also uses day t+1's weather as a stand-in for a weather forecast (a perfect one:
real weather forecasts are wrong now and then, so this is an upper bound on what they add). Splits are in time
order: fit on 2010-2012, choose settings on 2013, test once on 2014. No day of a later period is ever used to
fit or tune.

Forecasters:

- `persistence`: tomorrow = today (the usual baseline for air-quality forecasts);
- `climatology`: tomorrow = the mean of that calendar month over the fitting years;
- `ridge`: ridge regression (least squares with an L2 penalty alpha on the standardised coefficients; Hoerl &
  Kennard, "Ridge regression", Technometrics 12(1), 1970) on the features below, fitted by the closed form
  beta = (X'X + alpha I)^-1 X'y on standardised columns. By default it predicts log(PM2.5) and returns
  exp(prediction): PM2.5 is skewed (a few days of 300-500 µg/m³) and its changes are closer to multiplicative.

Features (a FEATURE_SETS entry lists them): today's PM2.5 (log), wind speed, hours of north-westerly wind, rain
hours, humidity, dew point, pressure, and the season as sin/cos of the day of the year; with the weather
forecast, also tomorrow's wind speed, north-westerly hours, rain hours, humidity and dew point. Liang et al.
(2015) show these are what drives Beijing's PM2.5: north-westerly winds clear it, humid stagnant air holds it,
rain washes it out, winter heating adds to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labs.smart_city.air.data import Daily, load_daily

if TYPE_CHECKING:
    import numpy

FIT_YEARS = (2010, 2011, 2012)
TUNE_YEARS = (2013,)
TEST_YEARS = (2014,)

TODAY = ("log_pm25", "wind_speed", "nw_hours", "rain_hours", "humidity", "dewp", "pressure", "season_sin",
         "season_cos")
TOMORROW = ("next_wind_speed", "next_nw_hours", "next_rain_hours", "next_humidity", "next_dewp")
FEATURE_SETS = {
    "pm25_only": ("log_pm25",),
    "today": TODAY,
    "with_weather_forecast": TODAY + TOMORROW,
}
DEFAULT_ALPHA = 1.0


@dataclass(frozen=True, eq=False)
class Samples:
    """Forecast cases: features known on day t (and tomorrow's weather) and the target PM2.5 of day t+1."""

    target_dates: tuple[dt.date, ...]
    today_pm25: numpy.ndarray
    target: numpy.ndarray
    columns: dict  # feature name -> array

    def __len__(self) -> int:
        return len(self.target_dates)

    def matrix(self, features: Sequence[str]):
        import numpy as np

        return np.column_stack([self.columns[name] for name in features])

    def where(self, mask) -> Samples:
        return Samples(tuple(d for d, keep in zip(self.target_dates, mask) if keep), self.today_pm25[mask],
                       self.target[mask], {k: v[mask] for k, v in self.columns.items()})

    def years(self, years: Sequence[int]) -> Samples:
        import numpy as np

        return self.where(np.array([d.year in years for d in self.target_dates], dtype=bool))


def samples(daily: Daily | None = None) -> Samples:
    """Every day t+1 whose PM2.5 and day t's PM2.5 are both known (1,640 of 1,825 pairs)."""
    import numpy as np

    daily = daily or load_daily()
    today, tomorrow = slice(0, len(daily) - 1), slice(1, len(daily))
    keep = np.isfinite(daily.pm25[today]) & np.isfinite(daily.pm25[tomorrow])
    day_of_year = np.array([d.timetuple().tm_yday for d in daily.dates[1:]], dtype=float)
    columns = {
        "log_pm25": np.log(daily.pm25[today]),
        "wind_speed": daily.wind_speed[today], "nw_hours": daily.nw_hours[today],
        "rain_hours": daily.rain_hours[today], "humidity": daily.humidity[today], "dewp": daily.dewp[today],
        "pressure": daily.pressure[today],
        "season_sin": np.sin(2 * math.pi * day_of_year / 365.25),
        "season_cos": np.cos(2 * math.pi * day_of_year / 365.25),
        "next_wind_speed": daily.wind_speed[tomorrow], "next_nw_hours": daily.nw_hours[tomorrow],
        "next_rain_hours": daily.rain_hours[tomorrow], "next_humidity": daily.humidity[tomorrow],
        "next_dewp": daily.dewp[tomorrow],
    }
    every = Samples(daily.dates[1:], daily.pm25[today], daily.pm25[tomorrow], columns)
    return every.where(keep)


# ------------------------------------------------------------------------------------------------- forecasters


@dataclass(frozen=True)
class Ridge:
    """A fitted ridge regression on standardised features."""

    features: tuple[str, ...]
    alpha: float
    log_target: bool
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    intercept: float
    coefficients: tuple[float, ...]  # per standardised feature

    def predict(self, data: Samples):
        import numpy as np

        x = (data.matrix(self.features) - np.asarray(self.mean)) / np.asarray(self.scale)
        y = self.intercept + x @ np.asarray(self.coefficients)
        return np.exp(y) if self.log_target else np.maximum(y, 0.0)


def fit_ridge(data: Samples, features: Sequence[str] = FEATURE_SETS["today"], alpha: float = DEFAULT_ALPHA,
              log_target: bool = True) -> Ridge:
    import numpy as np

    x = data.matrix(features)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    y = np.log(data.target) if log_target else data.target
    intercept = float(y.mean())
    gram = z.T @ z + alpha * np.eye(z.shape[1])
    beta = np.linalg.solve(gram, z.T @ (y - intercept))
    return Ridge(tuple(features), float(alpha), log_target, tuple(mean), tuple(scale), intercept,
                 tuple(float(b) for b in beta))


def persistence(data: Samples):
    """Tomorrow's PM2.5 = today's."""
    return data.today_pm25.copy()


def climatology(fit: Samples, data: Samples):
    """Tomorrow's PM2.5 = the mean for that calendar month over the fitting days."""
    import numpy as np

    months = np.array([d.month for d in fit.target_dates])
    means = {m: float(fit.target[months == m].mean()) for m in range(1, 13)}
    return np.array([means[d.month] for d in data.target_dates])


# --------------------------------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Errors:
    mae: float  # µg/m³
    rmse: float
    bias: float  # mean of forecast - actual
    skill: float  # 1 - MAE / MAE of persistence on the same days (0: no better than persistence)


def errors(actual, forecast, baseline) -> Errors:
    import numpy as np

    diff = np.asarray(forecast) - np.asarray(actual)
    mae = float(np.abs(diff).mean())
    base = float(np.abs(np.asarray(baseline) - np.asarray(actual)).mean())
    return Errors(mae, float(np.sqrt((diff ** 2).mean())), float(diff.mean()), 1 - mae / base)


@dataclass(frozen=True)
class Split:
    fit: Samples
    tune: Samples
    test: Samples


def split(data: Samples | None = None, fit_years: Sequence[int] = FIT_YEARS, tune_years: Sequence[int] = TUNE_YEARS,
          test_years: Sequence[int] = TEST_YEARS) -> Split:
    """The time-ordered split: fit, tune and test on separate, successive years."""
    data = data or samples()
    if max(fit_years) >= min(tune_years) or max(tune_years) >= min(test_years):
        raise ValueError("years must run fit < tune < test: a later year may not teach an earlier one")
    return Split(data.years(fit_years), data.years(tune_years), data.years(test_years))


def forecasts(part: Samples, fit: Samples, model: str, alpha: float = DEFAULT_ALPHA):
    """The forecast of `model` for every case of `part`, fitted on `fit`. Models: persistence, climatology,
    ridge_<feature set> (log target) and ridge_<feature set>_raw (PM2.5 itself as the target)."""
    if model == "persistence":
        return persistence(part)
    if model == "climatology":
        return climatology(fit, part)
    if model.startswith("ridge_"):
        name = model[len("ridge_"):]
        raw = name.endswith("_raw")
        name = name[:-len("_raw")] if raw else name
        return fit_ridge(fit, FEATURE_SETS[name], alpha, log_target=not raw).predict(part)
    raise KeyError(model)


MODELS = ("persistence", "climatology", "ridge_pm25_only", "ridge_today", "ridge_today_raw",
          "ridge_with_weather_forecast")


def compare_models(data: Split | None = None, models: Sequence[str] = MODELS, on: str = "test") -> dict[str, Errors]:
    """Each model's errors on the tune or test year, fitted on the fitting years (and, for test, on the tuning
    year too: the model that goes live learns from everything before it)."""
    data = data or split()
    fit = data.fit if on == "tune" else concat(data.fit, data.tune)
    part = data.tune if on == "tune" else data.test
    base = persistence(part)
    return {m: errors(part.target, forecasts(part, fit, m), base) for m in models}


def concat(a: Samples, b: Samples) -> Samples:
    """Two sets of cases as one (the fitting and tuning years, for the model that forecasts the test year)."""
    import numpy as np

    return Samples(a.target_dates + b.target_dates, np.concatenate([a.today_pm25, b.today_pm25]),
                   np.concatenate([a.target, b.target]), {k: np.concatenate([a.columns[k], b.columns[k]])
                                                          for k in a.columns})
