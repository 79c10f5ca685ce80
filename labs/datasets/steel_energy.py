"""The seeded generator of `steel-plant-energy`: a year of 15-minute electricity readings of a steel plant (synthetic).

It reproduces the *structure* of the real "Steel Industry Energy Consumption" dataset (V E Sathishkumar et al.,
DAEWOO Steel Co. Ltd, Gwangyang, Korea, 2018; UCI Machine Learning Repository, CC BY 4.0):
15-minute active energy, lagging and leading reactive energy, CO2, power factors, seconds from midnight, the
week status, the day of the week and the load type. No PyPI package ships that file (DATASETS.md says what was
checked), so the project cannot embed it; this program writes a look-alike instead. Its levels were set from a
few published summary figures of the real file (listed in DATASETS.md, with the attribution CC BY 4.0 asks for),
and tests/labs/test_energy_engine.py compares the daily and weekly profiles with the real file when it is there.

The plant (every figure is an assumption, documented in DATASETS.md):

- A calendar of 2018: working weekdays, 38 working Saturdays (a shorter day shift, no evening shift), 17 working
  Sundays (a light day shift), and the days the plant is shut (New Year, Seollal, Labour Day, the summer
  shutdown, Chuseok, Christmas, 31 December, and 14 Saturdays).
- A working day has a day shift 08:00-12:00 and 13:00-17:00 (the mill), a lunch hour with the furnace held hot,
  an evening shift 17:00-21:00 (finishing; it does not run on every day, least often on Wednesdays), a tail of
  auxiliaries until about 01:00 and a night base load. The day's level follows the month (high in January and
  February) and a persistent day-to-day factor.
- Reactive energy: an inductive part growing with the load, and a capacitor bank switched in mostly during breaks;
  the power factors follow from the active and reactive energy exactly as in the real file.
- CO2 (tonnes per 15 minutes) = kWh x 0.4594 kg/kWh, rounded to 0.01 t like the real file (0.4594 tCO2/MWh is the
  Korean grid emission factor that the real file's CO2 column matches).
- The load type is KEPCO's time-of-use period of the quarter-hour (light, mid, peak; see
  labs/smart_city/energy/tariff.py) on the days the plant works, and light all day on the days it is shut: that is
  how the real file's column behaves (a calendar label, not a measurement).

Only numpy and the standard library; the same numpy gives the same bytes.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np

SEED = 20180101
FILE = "steel-plant-energy.csv.gz"
COLUMNS = ["datetime", "usage_kwh", "lagging_kvarh", "leading_kvarh", "co2_t", "lagging_pf", "leading_pf", "nsm",
           "week_status", "day_of_week", "load_type"]
YEAR = 2018
SLOTS = 96  # quarter-hours a day
CO2_KG_PER_KWH = 0.4594  # Korean grid emission factor (tCO2/MWh), as in the real file's CO2 column

# Days the plant is shut, besides the idle Sundays: holidays and the summer shutdown (modelled on the real file's
# calendar in 2018), plus OFF_SATURDAYS more Saturdays drawn at random.
PLANT_SHUT = frozenset(
    [date(2018, 1, 1), date(2018, 5, 1), date(2018, 5, 5), date(2018, 9, 22), date(2018, 12, 25), date(2018, 12, 31)]
    + [date(2018, 2, 14) + timedelta(i) for i in range(4)]   # Seollal, Wednesday to Saturday
    + [date(2018, 8, 1) + timedelta(i) for i in range(4)]    # summer shutdown, Wednesday to Saturday
    + [date(2018, 9, 24) + timedelta(i) for i in range(3)])  # Chuseok
OFF_SATURDAYS = 10  # drawn at random; with the 4 above, 14 Saturdays are off
WORKING_SUNDAYS = 17  # drawn at random

# Level of a working weekday's day shift (kWh per quarter-hour) and evening shift, before the month factor.
DAY_SHIFT_KWH = 71.0
EVENING_SHIFT_KWH = 56.0
# Month factors (Jan..Dec): a working weekday's energy relative to the year's, as in the real file's monthly means.
MONTH_FACTOR = (1.51, 1.38, 0.95, 0.95, 0.99, 0.84, 0.89, 0.90, 0.84, 0.96, 1.00, 0.81)
DAY_SIGMA, DAY_RHO = 0.26, 0.4  # persistent day-to-day factor: log-normal spread, lag-1 correlation of working days
EVENING_SIGMA, EVENING_CORRELATION = 0.30, 0.55
EVENING_RUNS = (0.90, 0.92, 0.62, 0.92, 0.86)  # chance that the evening shift runs, Monday..Friday
SATURDAY_SHARE, SUNDAY_SHARE = 0.68, 0.55  # day-shift level on a working Saturday / Sunday, of a weekday's
SHIFT_HOUR_SHAPE = {8: 0.90, 9: 1.04, 10: 1.00, 11: 1.01, 13: 0.93, 14: 1.00, 15: 0.99, 16: 1.00,
                    17: 1.02, 18: 0.98, 19: 1.04, 20: 0.94}
SLOT_SIGMA, SLOT_RHO = 0.22, 0.6  # quarter-hour fluctuation inside a shift (machines starting and stopping)
BASE_KWH = 3.2  # the idle plant (lights, IT, compressors), per quarter-hour
LUNCH_KWH = 8.3  # the furnace held hot over lunch
# Outside the shifts on a working day: hour -> kWh per quarter-hour (after a worked day for hours 0-7).
NIGHT_AFTER_WORK = {0: 7.8, 1: 5.0, 2: 4.2, 3: 4.1, 4: 4.0, 5: 4.1, 6: 4.1, 7: 5.2}
NIGHT_AFTER_REST = {0: 3.2, 1: 3.2, 2: 3.2, 3: 3.2, 4: 3.2, 5: 3.2, 6: 3.2, 7: 4.2}
TAIL_KWH = {21: 12.9, 22: 10.2, 23: 9.7}  # auxiliaries after the evening shift
TAIL_NO_EVENING = {17: 9.0, 18: 8.3, 19: 8.2, 20: 7.8, 21: 7.2, 22: 6.8, 23: 6.4}
NIGHT_SPIKE = 0.012  # chance that a quarter-hour outside the shifts has a burst of maintenance work
# Reactive energy: inductive part a + b x kWh (kvarh per quarter-hour), a capacitor bank of about CAP kvarh,
# switched in with these chances by hour on working days (mostly in breaks), and CAP_IDLE on idle days.
REACTIVE_A, REACTIVE_B, REACTIVE_NOISE = 2.4, 0.50, 0.12
CAP_KVARH, CAP_SIGMA, CAP_IDLE = 24.0, 3.0, 0.06
CAP_ON = (0.10, 0.09, 0.08, 0.07, 0.06, 0.06, 0.06, 0.08, 0.15, 0.30, 0.30, 0.30,
          1.00, 0.48, 0.30, 0.30, 0.35, 0.75, 0.60, 0.58, 0.72, 0.97, 0.30, 0.13)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# KEPCO time-of-use periods for industrial customers (see labs/smart_city/energy/tariff.py, which this mirrors;
# duplicated here so that the generator needs nothing but numpy).
_LIGHT, _MID, _PEAK = "Light_Load", "Medium_Load", "Maximum_Load"


def _period(month: int, hour: int) -> str:
    if hour >= 23 or hour < 9:
        return _LIGHT
    winter = month in (11, 12, 1, 2)
    if winter:
        peak = hour in (10, 11, 17, 18, 19, 22)
    else:
        peak = hour in (10, 11, 13, 14, 15, 16)
    return _PEAK if peak else _MID


def plant_calendar(seed: int = SEED) -> dict[date, str]:
    """Each day of 2018 -> "weekday", "saturday", "sunday" (worked) or "shut"."""
    rng = np.random.default_rng(seed)
    days = [date(YEAR, 1, 1) + timedelta(i) for i in range(365)]
    saturdays = [d for d in days if d.weekday() == 5 and d not in PLANT_SHUT]
    sundays = [d for d in days if d.weekday() == 6]
    off_saturdays = {saturdays[i] for i in rng.choice(len(saturdays), OFF_SATURDAYS, replace=False)}
    working_sundays = {sundays[i] for i in rng.choice(len(sundays), WORKING_SUNDAYS, replace=False)}
    calendar = {}
    for d in days:
        if d in PLANT_SHUT or d in off_saturdays:
            calendar[d] = "shut"
        elif d.weekday() == 6:
            calendar[d] = "sunday" if d in working_sundays else "shut"
        elif d.weekday() == 5:
            calendar[d] = "saturday"
        else:
            calendar[d] = "weekday"
    return calendar


def _ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    out = np.empty(n)
    previous = rng.normal()
    for i in range(n):
        previous = rho * previous + math.sqrt(1 - rho * rho) * rng.normal()
        out[i] = previous
    return out


def _day_usage(rng: np.random.Generator, day: date, kind: str, worked_before: bool, day_z: float,
               evening_z: float) -> np.ndarray:
    """96 quarter-hour kWh values for one day."""
    usage = np.empty(SLOTS)
    night = NIGHT_AFTER_WORK if worked_before else NIGHT_AFTER_REST
    for hour in range(24):
        level = night[hour] if hour < 8 else BASE_KWH
        usage[hour * 4:hour * 4 + 4] = level
    if kind == "shut":
        usage[32:] = BASE_KWH
    else:
        month = MONTH_FACTOR[day.month - 1]
        share = {"weekday": 1.0, "saturday": SATURDAY_SHARE, "sunday": SUNDAY_SHARE}[kind]
        day_level = DAY_SHIFT_KWH * month * share * math.exp(DAY_SIGMA * day_z - DAY_SIGMA ** 2 / 2)
        evening = kind == "weekday" and rng.random() < EVENING_RUNS[day.weekday()]
        evening_level = EVENING_SHIFT_KWH * month * math.exp(EVENING_SIGMA * evening_z - EVENING_SIGMA ** 2 / 2)
        slot_noise = np.exp(SLOT_SIGMA * _ar1(rng, SLOTS, SLOT_RHO) - SLOT_SIGMA ** 2 / 2)
        for hour in range(8, 24):
            if hour == 12:
                level = LUNCH_KWH
            elif hour < 17:
                level = day_level * SHIFT_HOUR_SHAPE[hour]
            elif hour < 21 and evening:
                level = evening_level * SHIFT_HOUR_SHAPE[hour]
            elif evening:
                level = TAIL_KWH[hour]
            else:
                level = TAIL_NO_EVENING[hour] if kind == "weekday" else TAIL_NO_EVENING[hour] * 0.8
            block = slice(hour * 4, hour * 4 + 4)
            in_shift = hour != 12 and (hour < 17 or (hour < 21 and evening))
            usage[block] = level * (slot_noise[block] if in_shift else 1.0)
    quiet = usage < 15
    usage = usage * np.exp(rng.normal(0, 0.06, SLOTS))  # metering and small loads
    spikes = quiet & (rng.random(SLOTS) < NIGHT_SPIKE)
    usage[spikes] += rng.uniform(8, 30, spikes.sum())
    return np.maximum(usage, 2.5)


def steel_energy_rows(seed: int = SEED) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    calendar = plant_calendar(seed)
    days = sorted(calendar)
    worked = [d for d in days if calendar[d] != "shut"]
    day_z = dict(zip(worked, _ar1(rng, len(worked), DAY_RHO)))
    evening_z = {d: EVENING_CORRELATION * day_z[d] + math.sqrt(1 - EVENING_CORRELATION ** 2) * rng.normal()
                 for d in worked}
    rows = []
    worked_before = True  # 31 December 2017 is taken as a worked day
    for day in days:
        kind = calendar[day]
        usage = _day_usage(rng, day, kind, worked_before, day_z.get(day, 0.0), evening_z.get(day, 0.0))
        worked_before = kind != "shut"
        usage = np.round(usage, 2)
        cap_chance = np.repeat(np.array(CAP_ON) if kind != "shut" else np.full(24, CAP_IDLE), 4)
        cap = np.where(rng.random(SLOTS) < cap_chance, rng.normal(CAP_KVARH, CAP_SIGMA, SLOTS), 0.0)
        inductive = (REACTIVE_A + REACTIVE_B * usage) * np.exp(rng.normal(0, REACTIVE_NOISE, SLOTS))
        lagging = np.round(np.maximum(inductive - cap, 0.0), 2)
        leading = np.round(np.maximum(cap - inductive, 0.0), 2)
        start = datetime(day.year, day.month, day.day)
        for slot in range(SLOTS):
            kwh, lag, lead = float(usage[slot]), float(lagging[slot]), float(leading[slot])
            hour = slot // 4
            lag_pf = 100 * kwh / math.hypot(kwh, lag) if kwh > 0 else 0.0
            lead_pf = 100 * kwh / math.hypot(kwh, lead) if kwh > 0 else 0.0
            load_type = _period(day.month, hour) if kind != "shut" else _LIGHT
            rows.append([f"{start + timedelta(minutes=15 * slot):%Y-%m-%d %H:%M:%S}", f"{kwh:.2f}", f"{lag:.2f}",
                         f"{lead:.2f}", f"{round(kwh * CO2_KG_PER_KWH / 1000, 2):.2f}", f"{lag_pf:.2f}",
                         f"{lead_pf:.2f}", slot * 900, "Weekend" if day.weekday() >= 5 else "Weekday",
                         DAY_NAMES[day.weekday()], load_type])
    return rows
