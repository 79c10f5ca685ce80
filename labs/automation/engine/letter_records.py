"""The applicants who get a decision letter: records built from the "birth-package-applications" dataset.

The dataset (part A's, documented in labs/datasets/DATASETS.md) has the decision, the benefit tier
and the applicant's preferred language, but no names or addresses. Letters need them, so this module
adds an invented name and address to each record, chosen deterministically from the application id
(crc32, not Python's salted hash), in the naming style of the applicant's language. Everything is
fictional. The batch takes "this week's letters": the first few applications of each language, so
that every shipped language appears.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from app.core.i18n import N_

DATASET = "birth-package-applications"
PER_LANGUAGE = 4  # letters per language in the batch (Korean, the most common, gets KOREAN_LETTERS)
KOREAN_LETTERS = 8
APPEAL_DAYS = 90
# The package's one-off amount by tier (fictional, in won).
AMOUNTS = {"priority": 3_000_000, "standard": 2_000_000, "basic": 1_000_000, "none": 0}

# What a template can use, with a description for the list of fields in the Letters tab (shown with _()).
FIELDS = {
    "applicant_name": N_("The applicant's name"),
    "address": N_("The applicant's postal address"),
    "application_id": N_("The application number, e.g. BP-2024-00001"),
    "registered_date": N_("The date the birth was registered (a date: use the date filter)"),
    "decided_on": N_("The date of the decision, which is also the date of the letter (a date)"),
    "appeal_deadline": N_("The last day to ask for a review of the decision, 90 days after it (a date)"),
    "decision": N_("approved, partial or declined"),
    "benefit_tier": N_("priority, standard, basic or none"),
    "amount": N_("The one-off amount granted, in won (a number: use the money filter)"),
    "child_birth_order": N_("1 for a first child, 2 for a second, ..."),
    "language": N_("The language code of the letter, e.g. ko"),
}

NAMES = {
    "ko": ["김민준", "이서연", "박지우", "최하은", "정도윤", "강수아", "조예준", "윤지민"],
    "en": ["Emma Clarke", "James Walker", "Olivia Bennett", "Daniel Hughes", "Grace Turner", "Samuel Wright",
           "Hannah Cole", "David Price"],
    "es": ["María García", "José Martínez", "Lucía Fernández", "Carlos López", "Ana Sánchez", "Javier Romero",
           "Carmen Díaz", "Miguel Torres"],
    "fr": ["Camille Martin", "Louis Bernard", "Chloé Dubois", "Hugo Lefèvre", "Léa Moreau", "Nathan Girard",
           "Manon Roux", "Lucas Fournier"],
    "ar": ["فاطمة الحسن", "أحمد منصور", "مريم خليل", "يوسف الأحمد", "ليلى حداد", "عمر السيد", "سارة النجار",
           "خالد عثمان"],
    "ru": ["Анна Смирнова", "Иван Петров", "Ольга Кузнецова", "Дмитрий Соколов", "Елена Попова", "Сергей Волков",
           "Мария Лебедева", "Алексей Морозов"],
    "vi": ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Minh Tuấn", "Hoàng Thị Hoa", "Vũ Văn Dũng",
           "Đặng Ngọc Anh", "Bùi Quang Huy"],
    "id": ["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Agus Wijaya", "Putri Handayani", "Rizky Pratama",
           "Ayu Wulandari", "Andi Saputra"],
    "km": ["សុខ ចាន់ធា", "ម៉ៅ សុភា", "ជា ដារ៉ា", "លី ស្រីនិច", "ហេង វណ្ណា", "គឹម សុខា", "ឈួន បូរី", "ស៊ិន ម៉ាលី"],
    "uz": ["Dilnoza Karimova", "Aziz Rahimov", "Malika Yusupova", "Jasur Tursunov", "Nilufar Saidova",
           "Sardor Aliyev", "Gulnora Ismoilova", "Bekzod Qodirov"],
}
# Addresses in the fictional country: Korean letters get them in Hangul, the others romanised.
STREETS = {"ko": ["하늘로", "바다길", "세종대로", "남산로", "한강대로", "중앙로"],
           "latin": ["Haneul-ro", "Bada-gil", "Sejong-daero", "Namsan-ro", "Hangang-daero", "Jungang-ro"]}
TOWNS = {"ko": {"capital": "시빅시", "north": "북도 한별시", "south": "남도 바다시", "east": "동도 해돋이시",
                "islands": "섬군"},
         "latin": {"capital": "Civic City", "north": "Hanbyeol, North Province", "south": "Bada, South Province",
                   "east": "Haedoji, East Province", "islands": "Seom County"}}


def _pick(application_id: str, salt: str, options: list[Any]) -> Any:
    return options[zlib.crc32(f"{salt}:{application_id}".encode()) % len(options)]


def _address(application_id: str, region: str, language: str) -> str:
    script = "ko" if language == "ko" else "latin"
    number = 1 + zlib.crc32(f"number:{application_id}".encode()) % 180
    street = _pick(application_id, "street", STREETS[script])
    town = TOWNS[script].get(region, TOWNS[script]["capital"])
    address = f"{town} {street} {number}" if script == "ko" else f"{number} {street}, {town}"
    # First-strong isolate: in an Arabic letter "170 Haneul-ro, Civic City" keeps its own left-to-right
    # order instead of printing as "Haneul-ro, Civic City 170". Invisible in every other letter.
    return f"\u2068{address}\u2069"


def make_record(row: dict[str, Any]) -> dict[str, Any]:
    """One applicant's letter fields from one dataset row (a dict with the dataset's columns)."""
    application_id = str(row["application_id"])
    language = str(row["preferred_language"])
    registered = row["registered_date"]
    registered = registered.date() if hasattr(registered, "date") else date.fromisoformat(str(registered)[:10])
    decided = registered + timedelta(days=7 + zlib.crc32(f"days:{application_id}".encode()) % 14)
    tier = str(row["benefit_tier"])
    return {
        "applicant_name": _pick(application_id, "name", NAMES.get(language, NAMES["en"])),
        "address": _address(application_id, str(row["region"]), language),
        "application_id": application_id,
        "registered_date": registered,
        "decided_on": decided,
        "appeal_deadline": decided + timedelta(days=APPEAL_DAYS),
        "decision": str(row["past_decision"]),
        "benefit_tier": tier,
        "amount": AMOUNTS.get(tier, 0),
        "child_birth_order": int(row["child_birth_order"]),
        "language": language,
    }


@lru_cache(maxsize=1)
def _batch_rows() -> tuple[tuple[tuple[str, Any], ...], ...]:
    from labs.datasets.catalog import load_dataset

    frame = load_dataset(DATASET)
    picked = []
    for language, group in frame.groupby("preferred_language", sort=False):
        picked.append(group.head(KOREAN_LETTERS if language == "ko" else PER_LANGUAGE))
    rows = [row for part in picked for row in part.to_dict("records")]
    rows.sort(key=lambda r: r["application_id"])
    return tuple(tuple(r.items()) for r in rows)


def letter_records() -> list[dict[str, Any]]:
    """This week's applicants (a fresh list of fresh dicts: callers may not change the shared ones)."""
    return [make_record(dict(row)) for row in _batch_rows()]
