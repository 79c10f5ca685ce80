"""The air-quality alerts lab as a runnable script: pandas and NumPy for the daily series, the ridge regression in
closed form, and the alert's counts, with the learner's choices filled in. It needs nothing from this app: a learner
can run it with pandas alone and get the same numbers as the lab (a test runs it and compares).

No Qt and no text for learners: the script is code, its comments are English like the rest of the code tab.
"""

from __future__ import annotations

from labs.smart_city.air.data import BAD, VERY_BAD
from labs.smart_city.air_workspace import (INPUT_FEATURES, RANDOM_SEED, THRESHOLDS, TIME_SPLIT, AirWorkspace,
                                           ForecastChoice)

_READ = '''\
# Air quality alerts: what you did in the lab, as a script you can run with pandas and NumPy.
# Data: Chen, S. (2015). Beijing PM2.5 [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5JS49.
# CC BY 4.0. Changes: the hourly rows averaged into days (a day with fewer than 18 hourly PM2.5 readings has none).
import numpy as np
import pandas as pd

daily = pd.read_csv({path!r}, parse_dates=["date"]).sort_values("date").reset_index(drop=True)

# Forecast cases: what is known on the evening of day t, and the PM2.5 of day t+1 (both days must have a mean)
today, tomorrow = daily.iloc[:-1].reset_index(drop=True), daily.iloc[1:].reset_index(drop=True)
day_of_year = tomorrow["date"].dt.day_of_year
cases = pd.DataFrame({{
    "date": tomorrow["date"], "today_pm25": today["pm25"], "target": tomorrow["pm25"],
    "log_pm25": np.log(today["pm25"]),
    "wind_speed": today["wind_speed"], "nw_hours": today["nw_hours"], "rain_hours": today["rain_hours"],
    "humidity": today["humidity"], "dewp": today["dewp"], "pressure": today["pressure"],
    "season_sin": np.sin(2 * np.pi * day_of_year / 365.25), "season_cos": np.cos(2 * np.pi * day_of_year / 365.25),
    # tomorrow's weather: the weather observed the next day, a perfect weather forecast
    "next_wind_speed": tomorrow["wind_speed"], "next_nw_hours": tomorrow["nw_hours"],
    "next_rain_hours": tomorrow["rain_hours"], "next_humidity": tomorrow["humidity"], "next_dewp": tomorrow["dewp"],
}})
cases = cases[today["pm25"].notna() & tomorrow["pm25"].notna()].reset_index(drop=True)
year = cases["date"].dt.year
'''

_FORECAST = '''
# 1. Your forecaster: {title}
MODEL = {model!r}
FEATURES = {features!r}
SPLIT = {split!r}


def fit_ridge(fit, features, alpha=1.0):
    """Ridge regression on standardised inputs, closed form, on log PM2.5: beta = (Z'Z + alpha I)^-1 Z'(y - mean y)."""
    x = fit[features].to_numpy(dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    y = np.log(fit["target"].to_numpy(dtype=float))
    intercept = y.mean()
    beta = np.linalg.solve(z.T @ z + alpha * np.eye(len(features)), z.T @ (y - intercept))
    return lambda part: np.exp(intercept + ((part[features].to_numpy(dtype=float) - mean) / scale) @ beta)


def forecast(fit, part):
    """Tomorrow's PM2.5 for every case of `part`, learnt from the cases of `fit` only."""
    if MODEL == "persistence":  # tomorrow like today
        return part["today_pm25"].to_numpy(dtype=float)
    if MODEL == "climatology":  # the calendar month's mean over the fitting days
        means = fit.groupby(fit["date"].dt.month)["target"].mean()
        return part["date"].dt.month.map(means).to_numpy(dtype=float)
    return fit_ridge(fit, FEATURES)(part)


if SPLIT == "time":  # fit on 2010-2012, tune on 2013, test on 2014 (refitted on 2010-2013)
    fit, tune, test = cases[year <= 2012], cases[year == 2013], cases[year == 2014]
    fit_for_test = cases[year <= 2013]
else:  # a random split (a mistake: the model learns from days after those it is tested on)
    order = np.random.default_rng({seed}).permutation(len(cases))
    drawn = np.zeros(len(cases), dtype=bool)
    drawn[order[:int((year == 2014).sum())]] = True
    test, fit_for_test = cases[drawn], cases[~drawn]

actual = test["target"].to_numpy(dtype=float)
mine = forecast(fit_for_test, test)
persistence = test["today_pm25"].to_numpy(dtype=float)
mae = float(np.abs(mine - actual).mean())
baseline_mae = float(np.abs(persistence - actual).mean())
bias = float((mine - actual).mean())
skill = 1 - mae / baseline_mae
print(f"test days: {{len(test)}}; mean absolute error: yours {{mae:.1f}} ug/m3, persistence {{baseline_mae:.1f}}; "
      f"smaller errors: {{skill:.0%}}; bias {{bias:+.1f}}")
'''

_ALERT = '''
# 2. The alert: a miss costs MISS_COST false alarms; alert when the forecast reaches THRESHOLD
VERY_BAD, BAD = {very_bad}, {bad}  # Korea's bands (ug/m3, daily mean), compared at the half
MISS_COST, THRESHOLD = {miss_cost}, {threshold}
tune_actual, tune_forecast = tune["target"].to_numpy(dtype=float), forecast(fit, tune)


def counts(actual, forecast, threshold, level=VERY_BAD):
    alert, bad = forecast >= threshold, actual >= level
    return {{"hits": int((alert & bad).sum()), "false_alarms": int((alert & ~bad).sum()),
            "misses": int((~alert & bad).sum()), "quiet": int((~alert & ~bad).sum())}}


def cost(found):
    return found["false_alarms"] + MISS_COST * found["misses"]


def sweep(actual, forecast, level=VERY_BAD):
    rows = pd.DataFrame([{{"threshold": t, **counts(actual, forecast, t, level)}}
                         for t in np.arange({low}, {high} + 0.1, {step})])
    rows["cost"] = rows["false_alarms"] + MISS_COST * rows["misses"]
    return rows


def best_threshold(actual, forecast, level=VERY_BAD):
    """The lowest cost (the lowest threshold if several tie)."""
    return float(sweep(actual, forecast, level).sort_values(["cost", "threshold"]).iloc[0]["threshold"])


best_2013 = best_threshold(tune_actual, tune_forecast)
tune_counts = counts(tune_actual, tune_forecast, THRESHOLD)
test_counts = counts(actual, mine, THRESHOLD)
edge_counts = counts(actual, mine, VERY_BAD)
print(f"lowest cost in 2013 at {{best_2013:g}}; yours {{THRESHOLD:g}} costs {{cost(tune_counts):g}} in 2013")
print(f"2014 at {{THRESHOLD:g}}: {{test_counts}}, cost {{cost(test_counts):g}}; "
      f"at the band's edge: cost {{cost(edge_counts):g}}")

# 3. Where it fails: the worst missed very bad days of 2014, and alerts for bad days instead
missed = test.assign(forecast=mine)[(actual >= VERY_BAD) & (mine < THRESHOLD)]
worst_misses = missed.sort_values(["target", "date"], ascending=[False, True]).head(10)
print(worst_misses[["date", "today_pm25", "forecast", "target", "wind_speed", "next_wind_speed", "nw_hours",
                    "next_nw_hours"]].to_string(index=False, float_format=lambda v: f"{{v:.1f}}"))
bad_threshold = best_threshold(tune_actual, tune_forecast, BAD)
bad_counts = counts(actual, mine, bad_threshold, BAD)
bad_alerts = bad_counts["hits"] + bad_counts["false_alarms"]
print(f"bad days: lowest cost in 2013 at {{bad_threshold:g}}; in 2014 it alerts on {{bad_alerts}} of {{len(test)}} days")
'''

_NO_INPUT = '''
# 1. Your forecaster: a ridge regression needs at least one input. Tick one in the lab to see it here.
'''

_NO_ALERT = '''
# 2. The alert is set on 2013 and tested on 2014: test your forecaster by time in the lab to see it here.
'''


def _number(value: float) -> str:
    return f"{value:g}"


def script(workspace: AirWorkspace) -> str:
    """The script of the learner's work: the forecaster always; the alert and its failures once the forecaster is
    tested by time."""
    choice: ForecastChoice = workspace.forecast
    features = [name for i in choice.inputs for name in INPUT_FEATURES[i]] if choice.model == "ridge" else []
    title = {"persistence": "persistence (tomorrow like today)",
             "climatology": "climatology (the month's average of past years)"}.get(
        choice.model, "ridge regression on " + ", ".join(choice.inputs))
    if not choice.ready:
        return _READ.format(path=workspace.data_file) + _NO_INPUT
    parts = [_READ.format(path=workspace.data_file),
             _FORECAST.format(title=title, model=choice.model, features=features, split=choice.split,
                              seed=RANDOM_SEED)]
    if choice.split != TIME_SPLIT:
        parts.append(_NO_ALERT)
        return "".join(parts)
    step = THRESHOLDS[1] - THRESHOLDS[0]
    parts.append(_ALERT.format(very_bad=_number(VERY_BAD), bad=_number(BAD), miss_cost=_number(workspace.miss_cost),
                               threshold=_number(workspace.threshold), low=_number(THRESHOLDS[0]),
                               high=_number(THRESHOLDS[-1]), step=_number(step)))
    return "".join(parts)
