"""Load models for the plant: predict tomorrow's hourly kWh, and how wrong each model is.

Day-ahead: each forecast for a day uses only what is known by the end of the day before (the calendar, and the
readings up to yesterday). Train on January-September 2018, test on October-December (time order, no shuffling).

- `seasonal_naive`: the same hour one week earlier (the usual baseline for a weekly rhythm);
- `profile`: the mean of the hour over the training days of the same kind (working weekday, Saturday, Sunday,
  shut), the kind read from the load type (data.py);
- `ridge`: a linear model (scikit-learn Ridge, alpha 1) on one-hot hour x day kind, month and load type;
- `boosting`: gradient-boosted trees (scikit-learn HistGradientBoostingRegressor, fixed seed) on hour, weekday,
  month, load type and day kind, plus the same hour yesterday and a week ago and yesterday's total;
- two wrong models for the lab: `no_calendar` (ridge on hour x weekday and month only: it cannot know that a
  Tuesday is a holiday or a Saturday is off) and `leaky` (boosting with the previous hour's actual reading: it
  scores far better, and is useless for planning tomorrow, because that reading does not exist yet).

Errors: MAE and RMSE (kWh per hour), CV(RMSE) = RMSE / mean (%), NMBE = mean(forecast - actual) / mean actual
(%), and CV(RMSE) of daily totals. ASHRAE Guideline 14-2014 accepts a baseline model for measuring savings at
CV(RMSE) <= 30 % and |NMBE| <= 10 % on hourly data (15 % and 5 % on monthly data); savings.py uses these.
scikit-learn and pandas are imported inside the functions only.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy
    import pandas

SPLIT = dt.date(2018, 10, 1)  # first day of the test period
SEASONAL_NAIVE, PROFILE, RIDGE, BOOSTING = "seasonal_naive", "profile", "ridge", "boosting"
NO_CALENDAR, LEAKY = "no_calendar", "leaky"
MODELS = (SEASONAL_NAIVE, PROFILE, RIDGE, BOOSTING)
WRONG_MODELS = (NO_CALENDAR, LEAKY)
SEED = 0


@dataclass(frozen=True, eq=False)
class ForecastResult:
    name: str
    test: pandas.DataFrame  # the test hours: datetime, date, hour, day_kind, kwh, forecast
    mae: float
    rmse: float
    cv_rmse: float  # %
    nmbe: float  # %
    daily_cv_rmse: float  # % of the mean daily total
    weekday_daily_cv_rmse: float  # % , working weekdays only (the days a schedule change would be judged on)

    def summary(self) -> str:
        return (f"{self.name}: MAE {self.mae:.1f} kWh/h, CV(RMSE) {self.cv_rmse:.1f} %, NMBE {self.nmbe:+.1f} %, "
                f"daily CV(RMSE) {self.daily_cv_rmse:.1f} % (working weekdays {self.weekday_daily_cv_rmse:.1f} %)")


def features(hours: pandas.DataFrame) -> pandas.DataFrame:
    """The hourly frame with the lag features the models may use (NaN where the history is too short)."""
    frame = hours.sort_values("datetime").reset_index(drop=True).copy()
    frame["lag_week"] = frame["kwh"].shift(168)
    frame["lag_day"] = frame["kwh"].shift(24)
    totals = frame.groupby("date")["kwh"].transform("sum")
    frame["yesterday_total"] = totals.shift(24)
    frame["lag_hour"] = frame["kwh"].shift(1)  # only the leaky model uses this
    return frame


def _split(frame: pandas.DataFrame) -> tuple[pandas.DataFrame, pandas.DataFrame]:
    import pandas as pd

    cut = pd.Timestamp(SPLIT)
    return frame[frame["date"] < cut], frame[frame["date"] >= cut]


def _one_hot(frame: pandas.DataFrame, calendar: bool) -> pandas.DataFrame:
    import pandas as pd

    if calendar:
        parts = {"slot": frame["day_kind"] + "_" + frame["hour"].astype(str), "load": frame["load_type"]}
    else:
        parts = {"slot": frame["weekday"].astype(str) + "_" + frame["hour"].astype(str),
                 "month": frame["month"].astype(str)}
    return pd.get_dummies(pd.DataFrame(parts), dtype=float)


_TREE_COLUMNS = ["hour", "weekday", "month", "load_code", "kind_code", "lag_week", "lag_day", "yesterday_total"]


def _tree_frame(frame: pandas.DataFrame, leaky: bool) -> pandas.DataFrame:
    out = frame.copy()
    out["load_code"] = out["load_type"].map({"Light_Load": 0, "Medium_Load": 1, "Maximum_Load": 2})
    out["kind_code"] = out["day_kind"].map({"weekday": 0, "saturday": 1, "sunday": 2, "shut": 3})
    return out[_TREE_COLUMNS + (["lag_hour"] if leaky else [])]


def predict(name: str, hours: pandas.DataFrame) -> pandas.DataFrame:
    """The test period with a `forecast` column from model `name` (trained on the months before SPLIT)."""
    frame = features(hours)
    train, test = _split(frame)
    test = test.copy()
    if name == SEASONAL_NAIVE:
        test["forecast"] = test["lag_week"]
    elif name == PROFILE:
        means = train.groupby(["day_kind", "hour"])["kwh"].mean()
        test["forecast"] = [means.get((k, h), float("nan")) for k, h in zip(test["day_kind"], test["hour"])]
    elif name in (RIDGE, NO_CALENDAR):
        from sklearn.linear_model import Ridge

        design = _one_hot(frame, calendar=name == RIDGE)
        x_train, x_test = design.loc[train.index], design.loc[test.index]
        model = Ridge(alpha=1.0).fit(x_train, train["kwh"])
        test["forecast"] = model.predict(x_test)
    elif name in (BOOSTING, LEAKY):
        from sklearn.ensemble import HistGradientBoostingRegressor

        leaky = name == LEAKY
        model = HistGradientBoostingRegressor(max_iter=120, learning_rate=0.08, random_state=SEED)
        model.fit(_tree_frame(train, leaky), train["kwh"])
        test["forecast"] = model.predict(_tree_frame(test, leaky))
    else:
        raise KeyError(name)
    test["forecast"] = test["forecast"].clip(lower=0.0)
    return test[["datetime", "date", "hour", "day_kind", "kwh", "forecast"]].reset_index(drop=True)


def score(name: str, test: pandas.DataFrame) -> ForecastResult:
    error = test["forecast"] - test["kwh"]
    mean = float(test["kwh"].mean())
    rmse = math.sqrt(float((error ** 2).mean()))
    days = test.groupby("date").agg(kwh=("kwh", "sum"), forecast=("forecast", "sum"), day_kind=("day_kind", "first"))
    daily_rmse = math.sqrt(float(((days["forecast"] - days["kwh"]) ** 2).mean()))
    weekdays = days[days["day_kind"] == "weekday"]
    weekday_rmse = math.sqrt(float(((weekdays["forecast"] - weekdays["kwh"]) ** 2).mean()))
    return ForecastResult(name, test, float(error.abs().mean()), rmse, 100 * rmse / mean,
                          100 * float(error.mean()) / mean, 100 * daily_rmse / float(days["kwh"].mean()),
                          100 * weekday_rmse / float(weekdays["kwh"].mean()))


def evaluate(name: str, hours: pandas.DataFrame) -> ForecastResult:
    return score(name, predict(name, hours))


def compare_models(hours: pandas.DataFrame, names: tuple[str, ...] = MODELS) -> dict[str, ForecastResult]:
    return {name: evaluate(name, hours) for name in names}


def errors_by_day(result: ForecastResult) -> numpy.ndarray:
    """Daily (forecast - actual) / forecast in %, working weekdays of the test period: what a forecast baseline
    would report as a "saving" on days when nothing was changed."""
    import numpy as np

    days = result.test.groupby("date").agg(kwh=("kwh", "sum"), forecast=("forecast", "sum"),
                                           day_kind=("day_kind", "first"))
    days = days[days["day_kind"] == "weekday"]
    return np.asarray(100.0 * (days["forecast"] - days["kwh"]) / days["forecast"], dtype=float)
