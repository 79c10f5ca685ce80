"""Small made-up frames with the shape of the lab's datasets: for tests, the panel preview and benchmarks.

`make_benefit_frame` mimics benefit-applications (approved yes/no ~80% yes, a leaky approval code
and decision-letter date, a rare fraud flag); `make_regression_frame` mimics an hourly bike-share
series (rentals from hour, weekday, season and weather), at any size: the benchmark fits gradient
boosting on 100,000 rows of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EMPLOYMENT = ("employed", "unemployed", "self-employed", "retired", "student")
REGIONS = ("North", "South", "East", "West", "Centre", "Coast")


def make_benefit_frame(rows: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    submitted = pd.Timestamp("2023-01-02") + pd.to_timedelta(np.sort(rng.integers(0, 700, rows)), unit="D")
    household = rng.integers(1, 7, rows)
    children = np.minimum(rng.poisson(0.6, rows), household - 1).clip(0)
    income = rng.gamma(4.0, 450.0, rows).round(0)
    employment = rng.choice(EMPLOYMENT, rows, p=(0.5, 0.2, 0.12, 0.1, 0.08))
    documents = rng.choice(["yes", "no"], rows, p=(0.85, 0.15))
    per_person = income / household
    score = (2.2 - per_person / 500 + 0.4 * children + np.where(documents == "yes", 1.6, -2.2)
             + np.where(employment == "unemployed", 0.7, 0.0) + rng.normal(0, 0.6, rows))
    approved = np.where(score > np.quantile(score, 0.2), "yes", "no")
    processing = rng.integers(3, 60, rows)
    decision_letter = submitted + pd.to_timedelta(processing + rng.integers(1, 5, rows), unit="D")
    numbers = rng.integers(10000, 99999, rows)
    frame = pd.DataFrame({
        "application_id": [f"APP-{i:06d}" for i in range(1, rows + 1)],
        "submitted_date": submitted,
        "applicant_age": rng.integers(18, 90, rows),
        "household_size": household,
        "monthly_income": income,
        "children_under_6": children,
        "employment": employment,
        "region": rng.choice(REGIONS, rows),
        "documents_complete": documents,
        "previous_applications": rng.poisson(0.8, rows),
        "processing_days": processing,
        "decision_letter_sent_date": decision_letter,
        "approval_code": [f"{'A' if a == 'yes' else 'R'}-{n}" for a, n in zip(approved, numbers)],
        "approved": approved,
        "fraud_flag": (rng.random(rows) < 0.03).astype("int64"),
    })
    frame.loc[rng.random(rows) < 0.02, "monthly_income"] = np.nan  # a few blanks, as in real forms
    return frame


def make_regression_frame(rows: int = 100_000, seed: int = 0) -> pd.DataFrame:
    """An hourly rentals series of `rows` hours (100,000 hours is about 11 years)."""
    rng = np.random.default_rng(seed)
    moments = pd.date_range("2011-01-01", periods=rows, freq="h")
    hour = moments.hour.to_numpy()
    weekday = moments.day_of_week.to_numpy()
    day_of_year = moments.day_of_year.to_numpy()
    temp = 14 - 11 * np.cos(2 * np.pi * (day_of_year - 20) / 365) + rng.normal(0, 3, rows)
    humidity = np.clip(rng.normal(62, 18, rows), 5, 100)
    wind = np.abs(rng.normal(12, 7, rows))
    weather = rng.choice(["clear", "mist", "light rain", "heavy rain"], rows, p=(0.65, 0.25, 0.09, 0.01))
    season = np.array(["winter", "spring", "summer", "autumn"])[((moments.month.to_numpy() % 12) // 3)]
    working = (weekday < 5).astype("int64")
    commute = np.where(working == 1, 180 * np.exp(-((hour - 8) ** 2) / 3) + 220 * np.exp(-((hour - 17.5) ** 2) / 4),
                       120 * np.exp(-((hour - 14) ** 2) / 12))
    rain = np.select([weather == "light rain", weather == "heavy rain"], [0.45, 0.15], 1.0)
    trend = 1 + 0.04 * (moments.year.to_numpy() - 2011)
    count = (20 + commute + 6 * np.clip(temp, 0, 32) - 0.6 * humidity) * rain * trend + rng.normal(0, 18, rows)
    return pd.DataFrame({
        "datetime": moments, "season": season, "workingday": working, "weather": weather,
        "temp": temp.round(1), "humidity": humidity.round(0), "windspeed": wind.round(1),
        "count": np.clip(count, 0, None).round(0).astype("int64"),
    })
