"""The lab datasets: each loads as the catalog says, the synthetic ones regenerate identically and
carry exactly the flaws DATASETS.md documents, and the catalog stays cheap to import."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest

from labs.datasets import catalog, generate
from labs.datasets.catalog import dataset, dataset_path, datasets, load_dataset
from tests.conftest import ROOT

FOLDER = ROOT / "labs" / "datasets"
IDS = ("seattle-weather", "metro-traffic", "bikeshare-hourly", "citizen-complaints", "benefit-applications",
       "birth-package-applications", "citizen-requests", "steel-plant-energy", "elder-care-activity",
       "beijing-pm25-daily")
SYNTHETIC = {"citizen-complaints": generate.COMPLAINTS_FILE, "benefit-applications": generate.BENEFIT_FILE,
             "birth-package-applications": generate.BIRTH_FILE, "citizen-requests": generate.REQUESTS_FILE,
             "steel-plant-energy": "steel-plant-energy.csv.gz", "elder-care-activity": "elder-care-activity.csv.gz"}
SIZE_LIMIT = 3 * 2**20  # all embedded data together


@pytest.fixture(scope="module")
def complaints() -> pd.DataFrame:
    return load_dataset("citizen-complaints")


@pytest.fixture(scope="module")
def applications() -> pd.DataFrame:
    return load_dataset("benefit-applications")


# ------------------------------------------------------------------------------------ the catalog

def test_the_catalog_lists_the_fixed_ids():
    assert tuple(info.id for info in datasets()) == IDS
    assert dataset("metro-traffic").file == "metro-traffic.csv.gz"
    with pytest.raises(KeyError):
        dataset("no-such-dataset")
    for info in datasets():
        assert dataset_path(info.id) == FOLDER / info.file and dataset_path(info.id).is_file()
        assert info.title and info.description and info.source and info.licence
        assert info.synthetic == (info.id in SYNTHETIC)
        assert info.time_column in info.columns
        # Plain words for a non-programmer, 1-2 sentences, and synthetic data says so up front.
        assert info.description.count(". ") <= 1 and len(info.description) < 260
        assert info.description.startswith("Synthetic (generated)") == info.synthetic


@pytest.mark.parametrize("dataset_id", IDS)
def test_each_dataset_loads_as_the_catalog_says(dataset_id):
    info = dataset(dataset_id)
    frame = load_dataset(dataset_id)
    assert len(frame) == info.rows
    assert tuple(frame.columns) == info.columns
    time = frame[info.time_column]
    assert pd.api.types.is_datetime64_any_dtype(time)
    assert time.notna().all()
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    assert all(frame[c].dropna().map(type).eq(str).all() for c in text)


def test_real_datasets_keep_their_source_columns():
    weather = load_dataset("seattle-weather")
    assert weather["date"].min() == pd.Timestamp("2012-01-01") and weather["date"].is_unique
    assert set(weather["weather"]) == {"sun", "fog", "drizzle", "rain", "snow"}
    traffic = load_dataset("metro-traffic")
    assert traffic["datetime"].is_unique and traffic["datetime"].diff().dropna().eq(pd.Timedelta(hours=1)).all()
    assert traffic["traffic_volume"].isna().sum() == 104  # the hours missing upstream
    bikes = load_dataset("bikeshare-hourly")
    stamp = bikes["datetime"]
    assert (stamp.dt.day_of_year == bikes["day"]).all() and (stamp.dt.hour == bikes["hr"]).all()
    assert ((stamp.dt.day_of_week + 1) % 7 == bikes["weekday"]).all()  # the source counts from Sunday = 0
    assert (bikes["casual"] + bikes["registered"] == bikes["bikers"]).all()


def test_importing_the_catalog_does_not_import_pandas():
    code = "import labs.datasets.catalog, sys; print('pandas' in sys.modules, 'PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_the_folder_is_located_beside_the_module():
    assert catalog.FOLDER == Path(catalog.__file__).resolve().parent


# -------------------------------------------------------------------------------- files and docs

def test_embedded_data_stays_small():
    sizes = {info.id: dataset_path(info.id).stat().st_size for info in datasets()}
    assert sum(sizes.values()) < SIZE_LIMIT, sizes
    assert max(sizes.values()) < 2**20, sizes  # ~1 MB at most per file


def test_files_are_utf8_gzip_with_a_zero_timestamp():
    for info in datasets():
        data = dataset_path(info.id).read_bytes()
        assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0", info.id  # mtime 0
        text = gzip.decompress(data).decode("utf-8")
        assert text.split("\n", 1)[0] == ",".join(info.columns) and "\r" not in text


def test_datasets_md_documents_every_dataset():
    text = (FOLDER / "DATASETS.md").read_text(encoding="utf-8")
    for info in datasets():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{info.id}` |")), None)
        assert row is not None, f"{info.id} missing from the summary table"
        assert re.search(rf"\b({info.rows}|{info.rows:,})\b", row), f"{info.id}: row count {info.rows} not in {row}"
        assert re.search(rf"^## {re.escape(info.id)}: ", text, re.MULTILINE), f"no section for {info.id}"
        assert info.file in text
    for word in ("Licence", "Source", "leak", "Synthetic (generated)"):
        assert word in text


def test_upstream_licences_travel_with_the_data():
    licences = FOLDER / "LICENSES"
    assert "MIT License" in (licences / "vega_datasets-MIT.txt").read_text(encoding="utf-8")
    assert "MIT License" in (licences / "autots-MIT.txt").read_text(encoding="utf-8")
    assert "Redistribution and use in source and binary forms" in (licences / "ISLP-BSD.txt").read_text(encoding="utf-8")
    readme = (licences / "README.md").read_text(encoding="utf-8")
    assert "10.24432/C5X60B" in readme and "10.24432/C5W894" in readme


# ------------------------------------------------------------------------------ the generators

def test_the_synthetic_files_regenerate_identically(tmp_path):
    first = {p.name: p.read_bytes() for p in generate.generate(tmp_path / "first")}
    second = {p.name: p.read_bytes() for p in generate.generate(tmp_path / "second")}
    assert first == second  # seeded: the same run gives the same bytes
    assert set(first) == set(SYNTHETIC.values())
    for name, data in first.items():
        committed = (FOLDER / name).read_bytes()
        # The CSV text must match exactly; the gzip stream too, unless this zlib compresses differently.
        assert gzip.decompress(data) == gzip.decompress(committed), f"{name} changed: rerun the generator and commit"
        if "ng" not in zlib.ZLIB_RUNTIME_VERSION:
            assert data == committed, name


def test_the_generator_runs_as_a_module(tmp_path):
    done = subprocess.run([sys.executable, "-m", "labs.datasets.generate", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    for name in SYNTHETIC.values():
        assert gzip.decompress((tmp_path / name).read_bytes()) == gzip.decompress((FOLDER / name).read_bytes())


# ---------------------------------------------------------------- citizen-complaints: the flaws

def test_complaints_carry_exactly_the_documented_flaws(complaints):
    flaws = generate.COMPLAINTS_FLAWS
    assert complaints.duplicated().sum() == flaws["duplicates"] == 240
    assert 0.015 < complaints.duplicated().mean() < 0.025
    distinct = complaints.drop_duplicates()
    assert len(distinct) == generate.COMPLAINTS_DISTINCT and distinct["complaint_id"].is_unique

    assert distinct["district"].isna().sum() == flaws["missing_district"]
    assert complaints["district"].isna().sum() == 364  # as DATASETS.md says, duplicates included
    assert 0.025 < complaints["district"].isna().mean() < 0.035

    days = complaints["days_to_resolve"]
    is_text = days.str.fullmatch(r"\d+ days?")
    assert distinct["days_to_resolve"].str.fullmatch(r"\d+ days?").sum() == flaws["text_days"]
    assert is_text.sum() == 119 and 0.008 < is_text.mean() < 0.012
    numbers = pd.to_numeric(days.where(~is_text), errors="raise")
    assert (numbers < 0).sum() == flaws["negative_days"] == 3
    assert days.notna().all() and numbers.dropna().eq(numbers.dropna().round()).all()

    assert set(distinct["district"].dropna()) == {d[0] for d in generate.DISTRICTS}
    assert set(complaints["category"]) == set(generate.CATEGORIES)
    assert set(complaints["channel"]) == {"phone", "web", "app", "visit"}
    assert set(complaints["satisfied"]) == {"yes", "no"}
    assert set(complaints["language"]) == set(generate.LANGUAGES)


def _clean_days(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(frame["days_to_resolve"].str.replace(r" days?$", "", regex=True)).abs()


def test_complaints_follow_realistic_patterns(complaints):
    data = complaints.drop_duplicates().assign(days=_clean_days)
    per_day = data.groupby("received_date").size()
    weekend = per_day[per_day.index.day_of_week >= 5].mean()
    weekday = per_day[per_day.index.day_of_week < 5].mean()
    assert weekend < 0.6 * weekday

    month, hour = data["received_date"].dt.month, data["received_hour"]
    summer_evening = month.isin([6, 7, 8]) & hour.isin([20, 21, 22, 23, 0, 1])
    winter_day = month.isin([12, 1, 2]) & hour.between(9, 17)
    noise = data["category"].eq("noise")
    assert noise[summer_evening].mean() > 3 * noise[winter_day].mean()

    by_category = data.groupby("category")["days"].mean()
    assert by_category["permits"] > by_category["roads"] > by_category["noise"]
    by_district = data.groupby("district")["days"].mean()
    assert by_district.idxmax() == "Sollip-gu" and by_district.max() > 1.4 * by_district.min()
    by_year = data.groupby(data["received_date"].dt.year)["channel"].apply(lambda c: c.eq("app").mean())
    assert by_year[2024] > by_year[2023]  # the app grows
    assert data.loc[data["channel"].eq("visit"), "received_hour"].between(9, 17).all()


# ------------------------------------------------------- benefit-applications: target and traps

def test_benefit_targets_are_imbalanced_as_documented(applications):
    approved = applications["approved"].eq("yes")
    assert approved.sum() == 4730 and 0.75 < approved.mean() < 0.85
    fraud = applications["fraud_flag"].eq("yes")
    assert fraud.sum() == 178 and 0.02 < fraud.mean() < 0.04
    assert applications["application_id"].is_unique
    assert applications.drop(columns="decision_letter_sent_date").notna().all().all()


def test_benefit_leaks_are_planted(applications):
    approved = applications["approved"].eq("yes")
    letter = applications["decision_letter_sent_date"]
    assert letter.notna().eq(approved).all()  # the letter date exists exactly for approvals
    assert (letter[approved] > applications.loc[approved, "submitted_date"]).all()
    assert applications["approval_code"].str.startswith("A-").eq(approved).all()
    assert applications["approval_code"].str.fullmatch(r"[AR]-\d{4}-\d{4}").all()
    days = applications.groupby("approved")["processing_days"].median()
    assert days["no"] > days["yes"]


def test_benefit_decisions_follow_the_documented_rule_with_noise(applications):
    frame = applications
    limit = 3_200 + 1_400 * frame["household_size"]  # as written in DATASETS.md
    rule = frame["children_under_6"].ge(1) & frame["documents_complete"].eq("yes") & frame["monthly_income"].le(limit)
    assert rule.tolist() == [generate.rule_approves(c, d == "yes", i, h) for c, d, i, h in zip(
        frame["children_under_6"], frame["documents_complete"], frame["monthly_income"], frame["household_size"])]
    agreement = (rule == frame["approved"].eq("yes")).mean()
    assert 0.92 < agreement < 0.97  # learnable, but noisy
    assert rule.sum() == 4945 and round(agreement * 100, 1) == 94.8
    assert (frame["children_under_6"] < frame["household_size"]).all()
