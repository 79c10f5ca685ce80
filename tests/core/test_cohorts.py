"""Cohorts (app/core/cohorts): create, rename, archive; groups; members one by one and from staff lists
(CSV in UTF-8 with or without BOM and in CP949, XLSX; headers in any order, common spellings and the
translated names; languages by code or name), where a file with bad rows imports nothing and names
every bad row; assignments with due dates; and the trainer role required by the core itself."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal, installation_principal
from app.core.cohorts.fields import parse_language, staff_key
from app.core.cohorts.staff_list import StaffListRefused, read_staff_list
from app.core.cohorts.store import CohortError, Cohorts, effective_assignments
from app.core.storage.database import open_database
from app.core.tasks import Cancelled, TaskState

IT = installation_principal()
TRAINER_KIM = Principal("Kim", TRAINER, "l-trainer", "a-trainer")
LEARNER_LEE = Principal("Lee", LEARNER, "l-learner", "a-learner")


@pytest.fixture
def database(data_dir):
    database = open_database(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def store(database):
    return Cohorts(database)


@pytest.fixture
def cohort(store):
    return store.create_cohort(TRAINER_KIM, "Seoul 2026")


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# ---------------------------------------------------------------------------------------- roles

def test_a_learner_is_refused_by_the_core_and_nothing_is_created(store, cohort, tmp_path):
    staff = write_csv(tmp_path / "staff.csv", "Name,Staff number\nPark,1\n")
    for operation in (lambda: store.create_cohort(LEARNER_LEE, "Busan"),
                      lambda: store.cohorts(LEARNER_LEE),
                      lambda: store.members(LEARNER_LEE, cohort.id),
                      lambda: store.add_member(LEARNER_LEE, cohort.id, "Park"),
                      lambda: store.import_staff_list(LEARNER_LEE, cohort.id, staff),
                      lambda: store.assign_course(LEARNER_LEE, cohort.id, "ai-foundations", None),
                      lambda: store.archive_cohort(LEARNER_LEE, cohort.id)):
        with pytest.raises(NotAllowed):
            operation()
    assert [c.name for c in store.cohorts(TRAINER_KIM)] == ["Seoul 2026"]
    assert store.members(IT, cohort.id) == []


# ---------------------------------------------------------------------------------------- cohorts, groups

def test_cohorts_are_created_renamed_archived_and_restored(store, cohort):
    assert store.find_cohort(TRAINER_KIM, "  seoul   2026 ") == cohort  # case and spacing aside
    with pytest.raises(CohortError, match="already a cohort"):
        store.create_cohort(TRAINER_KIM, "SEOUL 2026")
    with pytest.raises(CohortError, match="name"):
        store.create_cohort(TRAINER_KIM, "   ")
    renamed = store.rename_cohort(TRAINER_KIM, cohort.id, "Seoul spring 2026")
    assert renamed.name == "Seoul spring 2026" and store.find_cohort(TRAINER_KIM, "Seoul 2026") is None
    store.add_member(TRAINER_KIM, cohort.id, "Kim Min-ji", "1001")
    archived = store.archive_cohort(TRAINER_KIM, cohort.id)
    assert archived.archived and store.cohorts(TRAINER_KIM) == []
    assert [c.id for c in store.cohorts(TRAINER_KIM, include_archived=True)] == [cohort.id]
    with pytest.raises(CohortError, match="archived"):
        store.add_member(TRAINER_KIM, cohort.id, "Park", "1002")
    with pytest.raises(CohortError, match="archived"):
        store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", None)
    assert [m.name for m in store.members(TRAINER_KIM, cohort.id)] == ["Kim Min-ji"]  # kept for reports
    store.archive_cohort(TRAINER_KIM, cohort.id, archived=False)
    store.add_member(TRAINER_KIM, cohort.id, "Park", "1002")
    assert len(store.members(TRAINER_KIM, cohort.id)) == 2


def test_groups_are_unique_in_their_cohort_and_members_move_between_them(store, cohort):
    seoul = store.add_group(TRAINER_KIM, cohort.id, "Seoul office")
    with pytest.raises(CohortError, match="already has a group"):
        store.add_group(TRAINER_KIM, cohort.id, "SEOUL  office")
    other = store.create_cohort(TRAINER_KIM, "Busan 2026")
    assert store.add_group(TRAINER_KIM, other.id, "Seoul office").cohort_id == other.id  # another cohort: fine
    busan = store.add_group(TRAINER_KIM, cohort.id, "Busan office")
    member = store.add_member(TRAINER_KIM, cohort.id, "Kim Min-ji", "1001", group_id=seoul.id)
    moved = store.set_member_group(TRAINER_KIM, member.id, busan.id)
    assert moved.group_id == busan.id
    with pytest.raises(CohortError, match="another cohort"):
        store.set_member_group(TRAINER_KIM, member.id, store.groups(TRAINER_KIM, other.id)[0].id)
    assert store.rename_group(TRAINER_KIM, busan.id, "Busan branch").name == "Busan branch"
    assert [g.name for g in store.groups(TRAINER_KIM, cohort.id)] == ["Busan branch", "Seoul office"]


# ---------------------------------------------------------------------------------------- members

def test_members_one_by_one_are_checked_like_staff_list_rows(store, cohort):
    kim = store.add_member(TRAINER_KIM, cohort.id, "  Kim   Min-ji ", "ＡＢ-１２", "Digital", "한국어")
    assert (kim.name, kim.staff_number, kim.department, kim.language) == ("Kim Min-ji", "AB-12", "Digital", "ko")
    with pytest.raises(CohortError, match=r"already enrolled in this cohort \(Kim Min-ji\)"):
        store.add_member(TRAINER_KIM, cohort.id, "Somebody", "ab-12")  # the same number, case aside
    with pytest.raises(CohortError) as refused:
        store.add_member(TRAINER_KIM, cohort.id, "", language="Klingon")
    assert "Name: The name is missing." in str(refused.value)
    assert "Language: Unknown language 'Klingon'" in str(refused.value) and "ko (한국어)" in str(refused.value)
    store.add_member(TRAINER_KIM, cohort.id, "Park")  # no staff number: allowed, matched by name later
    store.add_member(TRAINER_KIM, cohort.id, "Park Ji-ho")
    assert [m.name for m in store.members(TRAINER_KIM, cohort.id)] == ["Kim Min-ji", "Park", "Park Ji-ho"]
    store.remove_member(TRAINER_KIM, kim.id)
    store.add_member(TRAINER_KIM, cohort.id, "Kim Min-ji", "AB-12")  # the number is free again


@pytest.mark.parametrize("text, code", [("ko", "ko"), ("KO", "ko"), ("ko-KR", "ko"), ("ko_KR", "ko"), ("한국어", "ko"),
                                        ("Korean", "ko"), ("coreano", "ko"), ("العربية", "ar"), ("Arabic", "ar"),
                                        ("Oʻzbekcha", "uz"), ("Uzbek", "uz"), ("Tiếng Việt", "vi"), ("khmer", "km"),
                                        ("Klingon", None), ("xx", None), ("", None)])
def test_languages_are_known_by_code_or_by_name_in_any_shipped_language(text, code):
    assert parse_language(text) == code


def test_staff_numbers_compare_case_width_and_spacing_aside():
    assert staff_key(" ab-12 ") == staff_key("AB-12") == staff_key("ＡＢ-１２") == "ab-12"
    assert staff_key("") is None and staff_key(None) is None


# ---------------------------------------------------------------------------------------- staff lists

def test_a_csv_staff_list_with_headers_in_any_order_enrols_everyone(store, cohort, tmp_path):
    staff = write_csv(tmp_path / "staff.csv", "Dept,Employee No.,Preferred language,Full name,Notes\n"
                                              "Digital,1001,ko,Kim Min-ji,x\n"
                                              "\n"  # an empty row is skipped (rows keep their numbers)
                                              "Welfare,1002,Tiếng Việt,Nguyen Lan,\n"
                                              "Finance,,,Park Ji-ho,\n")
    result = store.import_staff_list(TRAINER_KIM, cohort.id, staff)
    assert result.added == 3 and result.encoding == "utf-8" and result.ignored_columns == ("Notes",)
    members = {m.name: m for m in store.members(TRAINER_KIM, cohort.id)}
    assert (members["Nguyen Lan"].staff_number, members["Nguyen Lan"].language,
            members["Nguyen Lan"].department) == ("1002", "vi", "Welfare")
    assert members["Park Ji-ho"].staff_number is None and members["Park Ji-ho"].language is None


def test_korean_excel_csv_in_cp949_with_korean_headers_is_read_and_says_so(store, cohort, tmp_path):
    staff = write_csv(tmp_path / "직원.csv", "성명,사번,부서,언어\n김민지,1001,디지털정부과,한국어\n이서연,1002,복지과,ko\n",
                      encoding="cp949")
    result = store.import_staff_list(TRAINER_KIM, cohort.id, staff)
    assert result.encoding == "cp949" and result.added == 2
    assert {(m.name, m.department, m.language) for m in store.members(TRAINER_KIM, cohort.id)} == {
        ("김민지", "디지털정부과", "ko"), ("이서연", "복지과", "ko")}


def test_utf8_with_a_byte_order_mark_semicolons_and_translated_headers(store, cohort, tmp_path):
    # "이름" and "언어" are the Korean catalog's translations of the headers Name and Language.
    staff = write_csv(tmp_path / "staff.csv", "이름;Staff number;언어\nKim Min-ji;1001;en\n", encoding="utf-8-sig")
    listing = read_staff_list(staff)
    assert listing.columns == {"name": "이름", "staff_number": "Staff number", "language": "언어"}
    assert listing.encoding == "utf-8" and not listing.problems
    assert store.import_staff_list(TRAINER_KIM, cohort.id, staff).added == 1


def test_bad_rows_import_nothing_and_each_is_reported_with_row_field_and_reason(store, cohort, tmp_path):
    store.add_member(TRAINER_KIM, cohort.id, "Choi Eun-ji", "1009")
    staff = write_csv(tmp_path / "staff.csv", "Name,Staff number,Department,Language\n"
                                              "Kim Min-ji,1001,Digital,ko\n"  # row 2: fine
                                              ",1002,Digital,ko\n"  # row 3: no name
                                              "Lee Seo-yeon,1001,Welfare,en\n"  # row 4: number of row 2
                                              "Park Ji-ho,1003,Finance,Klingon\n"  # row 5: unknown language
                                              "Choi,1009,Finance,en\n")  # row 6: enrolled under another name
    with pytest.raises(StaffListRefused) as refused:
        store.import_staff_list(TRAINER_KIM, cohort.id, staff)
    problems = [(p.row, p.field) for p in refused.value.problems]
    assert problems == [(3, "name"), (4, "staff_number"), (5, "language"), (6, "staff_number")]
    messages = [str(p) for p in refused.value.problems]
    assert messages[0] == f"{staff}:3: Name: The name is missing."
    assert "The staff number 1001 is also on row 2." in messages[1]
    assert "Unknown language 'Klingon'" in messages[2]
    assert "already enrolled in this cohort under another name (Choi Eun-ji)" in messages[3]
    assert refused.value.problems[0].as_dict() == {"file": str(staff), "row": 3, "field": "name", "column": "Name",
                                                   "message": "The name is missing."}
    assert [m.name for m in store.members(TRAINER_KIM, cohort.id)] == ["Choi Eun-ji"]  # nothing imported


def test_an_updated_staff_list_imported_again_adds_only_the_new_people(store, cohort, tmp_path):
    first = write_csv(tmp_path / "staff.csv", "Name,Staff number\nKim Min-ji,1001\nLee Seo-yeon,1002\n")
    assert store.import_staff_list(TRAINER_KIM, cohort.id, first).added == 2
    updated = write_csv(tmp_path / "staff-v2.csv", "Name,Staff number\nkim min-ji,1001\nLee Seo-yeon,1002\n"
                                                   "Park Ji-ho,1003\n")
    result = store.import_staff_list(TRAINER_KIM, cohort.id, updated)
    assert (result.added, result.already) == (1, 2)
    assert sorted(m.staff_number for m in store.members(TRAINER_KIM, cohort.id)) == ["1001", "1002", "1003"]


def test_an_xlsx_staff_list_with_numbers_as_staff_numbers_and_a_group_column(store, cohort, tmp_path):
    staff = write_xlsx(tmp_path / "staff.xlsx", [
        ["Staff ID", "Name", "Office", "Language"],
        [1001, "Kim Min-ji", "Seoul", "Korean"],
        [1002.0, "Nguyen Lan", "Busan", "vi"],
        [None, None, None, None],
        ["A-7", "Karimov Aziz", "seoul", "Oʻzbekcha"],
    ])
    result = store.import_staff_list(TRAINER_KIM, cohort.id, staff)
    assert result.encoding is None and result.added == 3 and result.groups_created == ("Seoul", "Busan")
    groups = {g.id: g.name for g in store.groups(TRAINER_KIM, cohort.id)}
    members = {m.staff_number: (m.name, groups[m.group_id], m.language) for m in store.members(TRAINER_KIM, cohort.id)}
    assert members == {"1001": ("Kim Min-ji", "Seoul", "ko"), "1002": ("Nguyen Lan", "Busan", "vi"),
                       "A-7": ("Karimov Aziz", "Seoul", "uz")}


def test_a_title_above_the_header_row_is_skipped(tmp_path):
    staff = write_xlsx(tmp_path / "staff.xlsx", [["Staff list, Digital Government Bureau, March 2026"], [],
                                                 ["Name", "Staff number"], ["Kim", 1001], [None, 1002]])
    listing = read_staff_list(staff)
    assert [(r.row, r.fields.name) for r in listing.rows] == [(4, "Kim")]
    assert [(p.row, p.field) for p in listing.problems] == [(5, "name")]


def test_xlsx_bad_rows_are_numbered_as_the_sheet_numbers_them(tmp_path):
    staff = write_xlsx(tmp_path / "staff.xlsx", [["Name", "Staff number"], ["Kim", 1], [None, 2], ["Lee", 1]])
    listing = read_staff_list(staff)
    assert [(p.row, p.field) for p in listing.problems] == [(3, "name"), (4, "staff_number")]
    assert len(listing.rows) == 1


def test_a_group_given_for_the_whole_list_and_group_columns_mix(store, cohort, tmp_path):
    staff = write_csv(tmp_path / "staff.csv", "Name,Staff number,Group\nKim,1,\nLee,2,Busan\n")
    store.import_staff_list(TRAINER_KIM, cohort.id, staff, group="Seoul")
    groups = {g.id: g.name for g in store.groups(TRAINER_KIM, cohort.id)}
    assert {m.name: groups[m.group_id] for m in store.members(TRAINER_KIM, cohort.id)} == {"Kim": "Seoul",
                                                                                          "Lee": "Busan"}


@pytest.mark.parametrize("name, content, expected", [
    ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel file (.xls)"),
    ("broken.xlsx", b"PK\x03\x04 not really", "not a readable Excel workbook"),
    ("empty.csv", b"\n\n", "holds no rows"),
    ("headless.csv", b"Kim,1001,Digital\n", "No column holds the name"),
    ("only-header.csv", b"Name,Staff number\n", "no staff under it"),
    ("binary.csv", b"\x00\x01\x02\x03" * 10, "not a text file"),
])
def test_files_that_are_not_staff_lists_are_refused_with_a_reason(store, cohort, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StaffListRefused) as refused:
        store.import_staff_list(TRAINER_KIM, cohort.id, path)
    assert expected in str(refused.value)
    assert store.members(TRAINER_KIM, cohort.id) == []


def test_two_columns_for_one_field_are_reported_on_the_header_row(tmp_path):
    listing = read_staff_list(write_csv(tmp_path / "staff.csv", "Name,Full name\nKim,Kim Min-ji\n"))
    [problem] = listing.problems
    assert (problem.row, problem.field) == (1, "name") and "'Name' and 'Full name'" in problem.message


def test_a_missing_file_is_reported_not_raised(tmp_path):
    listing = read_staff_list(tmp_path / "nowhere.csv")
    assert [p.message for p in listing.problems] == ["There is no file here."]


# ---------------------------------------------------------------------------------------- assignments

def test_courses_are_assigned_to_a_cohort_or_a_group_and_a_group_date_wins(store, cohort):
    seoul = store.add_group(TRAINER_KIM, cohort.id, "Seoul")
    kim = store.add_member(TRAINER_KIM, cohort.id, "Kim", "1", group_id=seoul.id)
    lee = store.add_member(TRAINER_KIM, cohort.id, "Lee", "2")
    everyone = store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", dt.date(2026, 12, 31))
    store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", dt.date(2026, 11, 30), seoul.id)
    again = store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", dt.date(2027, 1, 15))  # moves the date
    assert again.id == everyone.id
    store.assign_course(TRAINER_KIM, cohort.id, "data-and-ml", None, seoul.id)
    assignments = store.assignments(TRAINER_KIM, cohort.id)
    assert len(assignments) == 3
    chosen = effective_assignments(store.members(TRAINER_KIM, cohort.id), assignments)
    assert chosen[(kim.id, "ai-foundations")].due == dt.date(2026, 11, 30)
    assert chosen[(lee.id, "ai-foundations")].due == dt.date(2027, 1, 15)
    assert chosen[(kim.id, "data-and-ml")].due is None and (lee.id, "data-and-ml") not in chosen
    store.unassign(TRAINER_KIM, again.id)
    assert {a.course_id for a in store.assignments(TRAINER_KIM, cohort.id)} == {"ai-foundations", "data-and-ml"}
    with pytest.raises(CohortError, match="id of a course"):
        store.assign_course(TRAINER_KIM, cohort.id, " ", None)


# ---------------------------------------------------------------------------------------- migration 0005

def test_0005_downgrades_to_0004_and_upgrades_again_leaving_other_tables_alone(data_dir):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from app.core.record.store import LearningRecord
    from app.core.storage.database import MIGRATIONS

    database = open_database(data_dir)
    try:
        record = LearningRecord(database)
        record.add_learner("Kim", "en")
        Cohorts(database).create_cohort(IT, "Seoul 2026")
        mine = {"cohorts", "cohort_groups", "cohort_members", "cohort_assignments", "received_cohorts",
                "received_assignments"}
        assert mine <= set(inspect(database.engine).get_table_names())
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        tables = set(inspect(database.engine).get_table_names())
        assert not mine & tables and {"learners", "statements", "collected_statements"} <= tables
        assert [learner.name for learner in record.learners()] == ["Kim"]
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
        assert Cohorts(database).cohorts(IT) == []
        Cohorts(database).create_cohort(IT, "Seoul 2026")
    finally:
        database.dispose()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_a_long_staff_list_says_how_far_it_is_and_can_be_cancelled(tmp_path, store, cohort, kind):
    rows = [["Name", "Staff number"], *([f"Person {n}", f"S{n:05d}"] for n in range(1, 3001))]
    path = (write_csv(tmp_path / "staff.csv", "".join(",".join(row) + "\n" for row in rows)) if kind == "csv"
            else write_xlsx(tmp_path / "staff.xlsx", rows))
    shown: list[tuple[float, str]] = []
    whole = TaskState(on_progress=lambda share, message: shown.append((share, message)))
    listing = read_staff_list(path, whole.part(0.05, 0.7))
    assert len(listing.rows) == 3000 and not listing.problems
    shares = [share for share, _message in shown]
    assert shares == sorted(shares) and 0.05 <= shares[0] and shares[-1] <= 0.7 and len(shares) >= 3
    assert shown[-1][1] == "Reading the staff list: row 3,001…"

    asked = TaskState(on_progress=lambda share, _message: share > 0.3 and asked.request_cancel())
    with pytest.raises(Cancelled):
        read_staff_list(path, asked.part(0, 1))
    assert store.members(TRAINER_KIM, cohort.id) == []  # nothing read, nothing enrolled


def test_a_part_of_a_task_maps_its_progress_into_the_whole_and_shares_its_cancel():
    seen = []
    whole = TaskState(on_progress=lambda share, message: seen.append((round(share, 3), message)))
    step = whole.part(0.2, 0.6)
    step.set_progress(1, 4, "a quarter")
    step.set_progress(4, 4)
    assert seen == [(0.3, "a quarter"), (0.6, "a quarter")] and step.progress == 1.0
    whole.request_cancel()
    with pytest.raises(Cancelled):
        step.raise_if_cancelled()
