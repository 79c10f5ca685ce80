"""The plant energy lab as a runnable script: pandas and scikit-learn for the load model, plain Python for the plant,
KEPCO's tariff and the measurement of a saving, with the learner's choices filled in. It needs nothing from this
app: a learner can run it with pandas and scikit-learn and get the same numbers as the lab (a test runs it and
compares).

No Qt and no text for learners: the script is code, its comments are English like the rest of the code tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labs.smart_city.energy_workspace import EnergyWorkspace

_READ = '''\
# Energy in a plant: what you did in the lab, as a script you can run with pandas and scikit-learn.
# Readings: the lab's synthetic steel plant ("steel-plant-energy", modelled on the Steel Industry Energy Consumption
# data set of DAEWOO Steel, UCI Machine Learning Repository, CC BY 4.0), one row per quarter-hour of 2018.
import math

import pandas as pd

quarters = pd.read_csv({path!r}, parse_dates=["datetime"])
# By the hour: an hour's kWh is the sum of its four quarter-hours (and equals the hour's average kW)
grouped = quarters.groupby(quarters["datetime"].dt.floor("h"), sort=True)
hours = pd.DataFrame({{"kwh": grouped["usage_kwh"].sum(), "load_type": grouped["load_type"].first()}})
hours.index.name = "datetime"
hours = hours.reset_index()
hours["date"] = hours["datetime"].dt.normalize()
hours["hour"] = hours["datetime"].dt.hour
hours["weekday"] = hours["datetime"].dt.day_of_week
hours["month"] = hours["datetime"].dt.month
# The production calendar, known ahead: a day is worked when any of its hours is not light load
worked = hours.groupby("date")["load_type"].transform(lambda s: bool((s != "Light_Load").any()))
kind = hours["weekday"].map(lambda d: "saturday" if d == 5 else "sunday" if d == 6 else "weekday")
hours["day_kind"] = kind.where(worked, "shut")
'''

_MODEL = '''
# 1. A day-ahead load model: trained on January-September 2018, tested on October-December (in time order)
MODEL = {model!r}
frame = hours.sort_values("datetime").reset_index(drop=True).copy()
frame["lag_week"] = frame["kwh"].shift(168)  # the same hour a week earlier
frame["lag_day"] = frame["kwh"].shift(24)  # the same hour yesterday
frame["yesterday_total"] = frame.groupby("date")["kwh"].transform("sum").shift(24)
frame["lag_hour"] = frame["kwh"].shift(1)  # the previous hour: NOT known the day before (only "leaky" uses it)
SPLIT = pd.Timestamp("2018-10-01")
train, test = frame[frame["date"] < SPLIT], frame[frame["date"] >= SPLIT].copy()
TREE_COLUMNS = ["hour", "weekday", "month", "load_code", "kind_code", "lag_week", "lag_day", "yesterday_total"]


def predict(model):
    """The forecast of every test hour."""
    if model == "seasonal_naive":  # the baseline
        forecast = test["lag_week"]
    elif model == "profile":  # the mean of the hour over the training days of the same kind
        means = train.groupby(["day_kind", "hour"])["kwh"].mean()
        forecast = pd.Series([means.get((k, h), float("nan")) for k, h in zip(test["day_kind"], test["hour"])],
                             index=test.index)
    elif model in ("ridge", "no_calendar"):
        from sklearn.linear_model import Ridge

        if model == "ridge":  # the hour on each kind of day, and the tariff period
            parts = {{"slot": frame["day_kind"] + "_" + frame["hour"].astype(str), "load": frame["load_type"]}}
        else:  # the hour on each weekday, and the month: no production calendar
            parts = {{"slot": frame["weekday"].astype(str) + "_" + frame["hour"].astype(str),
                     "month": frame["month"].astype(str)}}
        design = pd.get_dummies(pd.DataFrame(parts), dtype=float)
        fitted = Ridge(alpha=1.0).fit(design.loc[train.index], train["kwh"])
        forecast = pd.Series(fitted.predict(design.loc[test.index]), index=test.index)
    else:  # "boosting", or "leaky" with the previous hour's reading
        from sklearn.ensemble import HistGradientBoostingRegressor

        codes = frame.assign(load_code=frame["load_type"].map({{"Light_Load": 0, "Medium_Load": 1, "Maximum_Load": 2}}),
                             kind_code=frame["day_kind"].map({{"weekday": 0, "saturday": 1, "sunday": 2, "shut": 3}}))
        columns = TREE_COLUMNS + (["lag_hour"] if model == "leaky" else [])
        trees = HistGradientBoostingRegressor(max_iter=120, learning_rate=0.08, random_state=0)
        trees.fit(codes.loc[train.index, columns], train["kwh"])
        forecast = pd.Series(trees.predict(codes.loc[test.index, columns]), index=test.index)
    return forecast.clip(lower=0.0)


def errors(forecast):
    """MAE (kWh per hour), CV(RMSE) and NMBE (%), and the CV(RMSE) of daily totals on working weekdays (%)."""
    error = forecast - test["kwh"]
    mean = test["kwh"].mean()
    days = pd.DataFrame({{"date": test["date"], "kwh": test["kwh"], "forecast": forecast, "kind": test["day_kind"]}})
    days = days.groupby("date").agg(kwh=("kwh", "sum"), forecast=("forecast", "sum"), kind=("kind", "first"))
    weekdays = days[days["kind"] == "weekday"]
    weekday_rmse = math.sqrt(((weekdays["forecast"] - weekdays["kwh"]) ** 2).mean())
    return {{"mae": error.abs().mean(), "cv_rmse": 100 * math.sqrt((error ** 2).mean()) / mean,
            "nmbe": 100 * error.mean() / mean, "weekday_daily_cv": 100 * weekday_rmse / weekdays["kwh"].mean(),
            "weekdays": weekdays}}


forecast = predict(MODEL)
mine, baseline = errors(forecast), errors(predict("seasonal_naive"))
print(f"{{MODEL}}: MAE {{mine['mae']:.1f}} kWh/h (baseline {{baseline['mae']:.1f}}), NMBE {{mine['nmbe']:+.1f}} %, "
      f"daily CV(RMSE) on working weekdays {{mine['weekday_daily_cv']:.1f}} %")
'''

_SCHEDULE = '''
# 2. Tomorrow's schedule: a working weekday in month {month}, KEPCO's {season} tariff.
# Won per kWh by hour: KEPCO industrial (B), high voltage A, option II, 2018, approximate: check before quoting.
PRICES = {prices}
CO2_KG_PER_KWH = {co2}  # the Korean grid's factor, the same at every hour
# line: (kW while running, batches the day's orders need, warm-up kWh from cold, idle hours it stays hot)
LINES = {{{lines}}}
CREWS = {crews}  # lines that can be staffed, hour by hour
BASE_KW, AUX_KW, TAIL_HOURS, MAX_LOAD_KW, FEED_RATIO = {base:g}, {aux:g}, {tail}, {max_load:g}, {feed}
TODAY = {today}
YOURS = {yours}


def hourly_load(plan):
    """kW in each hour, and the auxiliaries' kWh after midnight; the day starts cold."""
    load = [BASE_KW] * 24
    since_any = TAIL_HOURS + 1
    idle = {{line: hot + 1 for line, (kw, batches, warmup, hot) in LINES.items()}}
    for hour in range(24):
        ran = False
        for line, (kw, batches, warmup, hot) in LINES.items():
            if hour in plan[line]:
                load[hour] += kw + (warmup if idle[line] > hot else 0.0)
                idle[line], ran = 0, True
            else:
                idle[line] = min(idle[line] + 1, hot + 1)
        since_any = 0 if ran else min(since_any + 1, TAIL_HOURS + 1)
        if since_any <= TAIL_HOURS:
            load[hour] += AUX_KW  # compressed air, cooling water, cranes: while running and 3 hours after
    return load, AUX_KW * max(0, TAIL_HOURS - since_any)


def broken_limits(plan, load):
    broken = []
    for line, (kw, batches, warmup, hot) in LINES.items():
        if len(plan[line]) != batches:
            kind = "output" if len(plan[line]) < batches else "overproduction"
            broken.append(f"{{kind}}:{{line}}:{{len(plan[line])}}/{{batches}}")
    for hour in range(24):
        staffed = sum(hour in plan[line] for line in LINES)
        if staffed > CREWS[hour]:
            broken.append(f"crew:{{hour}}:{{staffed}}/{{CREWS[hour]}}")
        if load[hour] > MAX_LOAD_KW + 1e-9:
            broken.append(f"max_load:{{hour}}:{{load[hour]:.0f}}/{{MAX_LOAD_KW:.0f}}")
        if hour in plan["finishing"]:  # finishing works on coils the mill has rolled
            done = sum(1 for h in plan["mill"] if h < hour)
            if sum(1 for h in plan["finishing"] if h <= hour) * FEED_RATIO > done:
                broken.append(f"feed:{{hour}}")
    return broken


def evaluate(plan):
    load, tail = hourly_load(plan)
    kwh = sum(load) + tail
    cost = sum(k * p for k, p in zip(load, PRICES)) + tail * PRICES[0]
    return {{"kwh": kwh, "cost_won": cost, "co2_t": kwh * CO2_KG_PER_KWH / 1000, "peak_kw": max(load),
            "broken": broken_limits(plan, load)}}


today, yours = evaluate(TODAY), evaluate(YOURS)
for name, day in (("today's plan", today), ("your plan", yours)):
    print(f"{{name}}: {{day['kwh']:,.0f}} kWh, {{day['cost_won']:,.0f}} won, {{day['co2_t']:.2f}} t CO2, "
          f"highest hour {{day['peak_kw']:.0f}} kW, limits broken: {{', '.join(day['broken']) or 'none'}}")
'''

_VERIFY = '''
# 3. Could the meter show a saving? A saving is the model's forecast minus the meter's reading.
DAILY_CV = mine["weekday_daily_cv"]  # % : the model's error on a working weekday's total
TEST_DAYS = len(mine["weekdays"])  # the working weekdays of October-December
CLAIM = {claim:g}  # %: POSCO's saving
detectable = 1.96 * DAILY_CV / math.sqrt(TEST_DAYS)  # the smallest saving the test days show with 95 % confidence
days_needed = math.ceil((1.96 * DAILY_CV / CLAIM) ** 2)  # working days before a saving of CLAIM % stands out
print(f"smallest saving {{TEST_DAYS}} working days can show: {{detectable:.1f}} %; "
      f"a {{CLAIM:g}} % saving needs {{days_needed}} working days")

# What the meter reports on each test weekday if the change truly saved TRUE_SAVING % of every day's energy
TRUE_SAVING = {true_saving:g}
weekdays = mine["weekdays"]
day_errors = 100 * (weekdays["forecast"] - weekdays["kwh"]) / weekdays["forecast"]  # nothing changed: a placebo
apparent = TRUE_SAVING + (1 - TRUE_SAVING / 100) * day_errors
print(f"a true {{TRUE_SAVING:g}} % saving shows as {{apparent.mean():.1f}} % on average, "
      f"spread {{apparent.std():.1f}} points from day to day")
'''


def _prices(workspace: EnergyWorkspace) -> str:
    return "[" + ", ".join(f"{p:g}" for p in workspace.tariff.hourly_prices(workspace.month)) + "]"


def _lines(workspace: EnergyWorkspace) -> str:
    return ", ".join(f"{line.id!r}: ({line.power_kw:g}, {line.batches}, {line.warmup_kwh:g}, {line.stays_hot})"
                     for line in workspace.plant.lines)


def _plan(plan) -> str:
    return "{" + ", ".join(f"{line!r}: {sorted(plan.hours(line))}" for line in ("mill", "finishing")) + "}"


def script(workspace: EnergyWorkspace) -> str:
    """The script of the learner's work: the chosen model, tomorrow's schedule and the measurement of a saving."""
    from labs.smart_city.energy.plant import BASELINE
    from labs.smart_city.energy.tariff import CO2_T_PER_MWH
    from labs.smart_city.energy_workspace import CLAIM

    plant = workspace.plant
    parts = [_READ.format(path=workspace.data_file), _MODEL.format(model=workspace.model),
             _SCHEDULE.format(month=workspace.month, season=workspace.tariff.season(workspace.month).replace("_", "/"),
                              prices=_prices(workspace), co2=CO2_T_PER_MWH, lines=_lines(workspace),
                              crews=list(plant.crews), base=plant.base_kw, aux=plant.aux_kw, tail=plant.tail_hours,
                              max_load=plant.max_load_kw, feed=plant.feed_ratio, today=_plan(BASELINE),
                              yours=_plan(workspace.plan)),
             _VERIFY.format(claim=CLAIM, true_saving=workspace.true_saving)]
    return "".join(parts)
