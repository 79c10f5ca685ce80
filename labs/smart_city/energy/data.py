"""The plant's readings as hourly and daily series, with the working calendar the load type reveals.

The embedded `steel-plant-energy` dataset (synthetic, modelled on the real DAEWOO Steel file; DATASETS.md) has one
row per quarter-hour of 2018. The lab works by the hour: `hourly()` sums the four quarter-hours (kWh in the hour
= the hour's average kW) and keeps the calendar features a forecaster may use, all known the day before:

- `hour`, `weekday` (0 Monday), `month`;
- `load_type`: the tariff period of the hour on a working day, light all day on a day the plant is shut;
- `day_kind`: "weekday", "saturday", "sunday" (worked) or "shut", read from the load type: a day is worked when
  any hour of it is not light. The plant's production calendar is planned ahead, so this is fair to use, but
  it is what makes the load type such a strong feature: it tells the model whether the plant works that day.

pandas is imported inside the functions only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

DATASET = "steel-plant-energy"
DAY_KINDS = ("weekday", "saturday", "sunday", "shut")


@lru_cache(maxsize=1)
def _quarter_hours():
    from labs.datasets.catalog import load_dataset

    return load_dataset(DATASET)


def hourly(frame: pandas.DataFrame | None = None) -> pandas.DataFrame:
    """One row per hour: datetime, date, hour, weekday, month, kwh, co2_t, load_type, day_kind."""
    import pandas as pd

    quarters = _quarter_hours() if frame is None else frame
    stamp = quarters["datetime"].dt.floor("h")
    grouped = quarters.groupby(stamp, sort=True)
    out = pd.DataFrame({"kwh": grouped["usage_kwh"].sum(), "co2_t": grouped["co2_t"].sum(),
                        "load_type": grouped["load_type"].first()})
    out.index.name = "datetime"
    out = out.reset_index()
    out["date"] = out["datetime"].dt.normalize()
    out["hour"] = out["datetime"].dt.hour
    out["weekday"] = out["datetime"].dt.day_of_week
    out["month"] = out["datetime"].dt.month
    worked = out.groupby("date")["load_type"].transform(lambda s: bool((s != "Light_Load").any()))
    kind = out["weekday"].map(lambda d: "saturday" if d == 5 else "sunday" if d == 6 else "weekday")
    out["day_kind"] = kind.where(worked, "shut")
    return out[["datetime", "date", "hour", "weekday", "month", "kwh", "co2_t", "load_type", "day_kind"]]


def daily(hours: pandas.DataFrame) -> pandas.DataFrame:
    """One row per day: date, kwh, day_kind, weekday, month."""
    grouped = hours.groupby("date", sort=True)
    out = grouped.agg(kwh=("kwh", "sum"), day_kind=("day_kind", "first"), weekday=("weekday", "first"),
                      month=("month", "first"))
    return out.reset_index()


def typical_day(hours: pandas.DataFrame, day_kind: str = "weekday",
                evening_shift: bool | None = True) -> tuple[float, ...]:
    """The mean kWh of each hour over the days of one kind (for weekdays, optionally only those on which the
    evening shift ran: more than 100 kWh between 17:00 and 21:00)."""
    days = hours[hours["day_kind"] == day_kind]
    if evening_shift is not None and day_kind == "weekday":
        evening = days[days["hour"].between(17, 20)].groupby("date")["kwh"].mean() > 100
        keep = evening[evening == evening_shift].index
        days = days[days["date"].isin(keep)]
    profile = days.groupby("hour")["kwh"].mean()
    return tuple(float(profile.get(h, 0.0)) for h in range(24))


def working_weekdays_by_month(hours: pandas.DataFrame) -> dict[int, int]:
    days = daily(hours)
    counts = days[days["day_kind"] == "weekday"].groupby("month").size()
    return {int(m): int(counts.get(m, 0)) for m in range(1, 13)}
