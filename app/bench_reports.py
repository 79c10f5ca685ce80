"""`python main.py bench reports [--quick] [--json]`: the cohort report (app/core/reports) on 2,000
learners in 8 courses, beside a plain SQLite insert of the same statement rows measured in the same
run (these machines are shared and noisy: the target is judged on this run's own numbers, and never in
a unit test).

The data, made fresh in a temporary folder with a fixed seed:
    courses       8 copies of the real course in courses/ai-foundations (its lessons, its 4 quizzes and 24
                  questions of six types), ids ai-foundations-1..8
    cohort        2,000 members from a staff list CSV (read by the real importer), 20 offices of 100 as
                  groups; course 1 assigned to everyone, two more to each office; some due dates passed
    learners      one per member on their office's PC (collected as if from 20 offices' bundles); 3 %
                  also studied on a training-centre PC (two records, one person); 4 % never typed their
                  staff number (matched by name); 1 % of members never used a PC; 10 strangers not in
                  the cohort; per course, a fifth never start, a third stop part-way, the rest finish
    statements    what app/core/learning.py emits, through the same make_statement and real grading:
                  lessons opened, suspended and completed, quiz attempts with every answer (a wrong choice
                  picked with each question's own bias), passed/failed, retries, course completion

Measured: the plain insert of the statement rows (one executemany, one transaction, the table's own
index) and the report built from them (median of 3; first run reported too), their ratio, the same
report read through SQLAlchemy's query objects (the path other databases take: they have no JSON
functions for this installation's own statements' payloads), and CSV/XLSX export.
Checked: the report's numbers equal what the generator decided (enrolled, started, completed, answers,
correct answers per course) and both reading paths give identical tables.
Target (issue 7): the report under 1 s. Exit 0 when it holds and the checks pass, else 1.
--quick: 200 learners in 2 courses and one timing: a quick look, not the target's setting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

TARGET_S = 1.0
FULL = {"learners": 2000, "courses": 8, "offices": 20}
QUICK = {"learners": 200, "courses": 2, "offices": 4}
FAMILY = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
          "Kwon", "Hwang", "Ahn", "Song", "Nguyen", "Tran", "Pham", "Santoso", "Wijaya", "Karimov", "Rashidov",
          "Haddad", "Mansour", "Sok", "Chan", "Garcia", "Martin", "Ivanova", "Petrov", "Dubois", "Lopez")
GIVEN = ("Min-ji", "Ji-ho", "Seo-yeon", "Ha-eun", "Do-yun", "Ji-woo", "Seo-jun", "Eun-ji", "Hyun-woo", "Su-bin",
         "Young-ho", "Mi-kyung", "Jae-won", "Na-rae", "Sung-min", "Hye-jin", "Tuan", "Lan", "Dewi", "Budi", "Aziz",
         "Dilnoza", "Layla", "Omar", "Sophea", "Dara", "Ana", "Luis", "Claire", "Olga", "Ivan", "Yusuf", "Mariam",
         "Farida", "Rahim", "Thu", "Hana", "Jun", "Bora", "Chul-soo", "Yeon-woo", "Soo-ah", "Min-seok", "Da-eun",
         "Ye-jin", "Tae-yang", "Hoa", "Minh", "Sari", "Agus", "Bekzod", "Nodira", "Karim", "Noor", "Vanna", "Sreymom",
         "Elena", "Pierre", "Sofia", "Dmitri")


# ---------------------------------------------------------------------------------------- responses

def _response(question, correct: bool, rng: random.Random):
    """A learner's response to any question type, right or wrong; wrong ones lean to one favourite
    mistake per question (seeded by its id), as real cohorts do."""
    from app.core.course.quiz import Matching, MultipleChoice, Numerical, ShortAnswer, SingleChoice, TrueFalse

    bias = random.Random(question.id)
    if isinstance(question, SingleChoice):
        if correct:
            return question.correct_index
        wrong = [i for i, c in enumerate(question.choices) if c.weight < 100]
        weights = [bias.random() ** 3 for _ in wrong]
        return rng.choices(wrong, weights)[0]
    if isinstance(question, MultipleChoice):
        right = {i for i, c in enumerate(question.choices) if c.weight > 0}
        if correct:
            return frozenset(right)
        wrong = [i for i, c in enumerate(question.choices) if c.weight <= 0]
        weights = [bias.random() ** 3 for _ in wrong]
        return frozenset(set(rng.sample(sorted(right), max(len(right) - 1, 1))) | {rng.choices(wrong, weights)[0]})
    if isinstance(question, TrueFalse):
        return question.answer if correct else not question.answer
    if isinstance(question, ShortAnswer):
        best = max(question.answers, key=lambda a: a.weight).accepted[0]
        return best if correct else rng.choice((best[:-1], "I don't know", best.split()[0] + "s"))
    if isinstance(question, Numerical):
        best = max(question.answers, key=lambda a: a.weight)
        if correct:
            return str(best.low)
        others = [a.low for a in question.answers if a.weight < 100]
        return str(rng.choice(others) if others and rng.random() < 0.7 else best.high * 10 + 1)
    if isinstance(question, Matching):
        n = len(question.pairs)
        if correct:
            return {i: i for i in range(n)}
        a, b = bias.sample(range(n), 2) if rng.random() < 0.7 else rng.sample(range(n), 2)
        chosen = {i: i for i in range(n)}
        chosen[a], chosen[b] = b, a
        return chosen
    raise TypeError(question)


# ---------------------------------------------------------------------------------------- generator

@dataclasses.dataclass
class _Truth:
    enrolled: Counter = dataclasses.field(default_factory=Counter)
    started: Counter = dataclasses.field(default_factory=Counter)
    completed: Counter = dataclasses.field(default_factory=Counter)
    answers: Counter = dataclasses.field(default_factory=Counter)
    correct: Counter = dataclasses.field(default_factory=Counter)


class _Emitter:
    """Statements as app/core/learning.py makes them, at chosen times, for one learner record."""

    def __init__(self, actor: dict, course, clock: dt.datetime):
        self.actor, self.course, self.clock, self.out = actor, course, clock, []

    def emit(self, verb: str, object_id: str, name: str, item=None, minutes: float = 2.0, **kw):
        from app.core.record.statements import iso, make_statement

        self.clock += dt.timedelta(minutes=minutes)
        statement = make_statement(actor_=self.actor, verb=verb, object_id=object_id, object_name=name,
                                   course_id=self.course.id, course_version=self.course.version,
                                   item_id=item.id if item else None, language=self.course.locale, **kw)
        statement.data["timestamp"] = iso(self.clock)
        self.out.append(statement)


def _study(course, emitter: _Emitter, rng: random.Random, stop_after: int | None, skill: float,
           truth: _Truth, counted: bool) -> bool:
    """Work through the course's items (all, or the first `stop_after`); True when it completed."""
    from app.core.learning import ASSESSMENT, CMI_INTERACTION, COURSE, INTERACTION_TYPES
    from app.core.record.statements import Ext, Verb, course_iri, item_iri, question_iri

    emitter.emit(Verb.LAUNCHED, course_iri(course.id), course.title, activity_type=COURSE)
    best: dict[str, float] = {}  # quiz item -> its best score, as progress keeps it
    for index, item in enumerate(course.items):
        if stop_after is not None and index >= stop_after:
            if rng.random() < 0.5:
                emitter.emit(Verb.EXPERIENCED, item_iri(course.id, item.id), item.title, item)
                emitter.emit(Verb.SUSPENDED, item_iri(course.id, item.id), item.title, item, minutes=4,
                             result={"extensions": {Ext.POSITION: round(rng.random(), 4)}})
            return False
        if rng.random() < 0.15:  # a new session, days later
            emitter.clock += dt.timedelta(days=rng.randint(1, 5))
            emitter.emit(Verb.LAUNCHED, course_iri(course.id), course.title, activity_type=COURSE)
        if item.kind == "lesson":
            emitter.emit(Verb.EXPERIENCED, item_iri(course.id, item.id), item.title, item)
            emitter.emit(Verb.COMPLETED, item_iri(course.id, item.id), item.title, item, minutes=item.minutes or 10,
                         result={"completion": True})
            continue
        quiz, rules = course.quizzes[item.id], item.rules
        passed, number, chance = False, 0, skill
        while not passed and (rules.max_attempts == 0 or number < rules.max_attempts):
            number += 1
            registration = str(uuid.uuid4())
            emitter.emit(Verb.ATTEMPTED, item_iri(course.id, item.id), item.title, item, registration=registration,
                         activity_type=ASSESSMENT)
            asked = quiz.for_attempt(registration)
            earned = 0.0
            for question in asked.questions:
                grade = question.grade(_response(question, rng.random() < chance, rng))
                earned += grade.fraction * question.points
                if counted:
                    truth.answers[course.id] += 1
                    truth.correct[course.id] += grade.correct
                emitter.emit(Verb.ANSWERED, question_iri(course.id, item.id, question.id), question.prompt, item,
                             minutes=1, registration=registration, parent=item_iri(course.id, item.id),
                             activity_type=CMI_INTERACTION, interaction=INTERACTION_TYPES[question.type],
                             result={"response": grade.response, "success": grade.correct,
                                     "score": {"scaled": round(grade.fraction, 4),
                                               "raw": round(grade.fraction * question.points, 4),
                                               "min": 0, "max": question.points}})
            scaled = earned / asked.total_points if asked.total_points else 1.0
            passed = scaled * 100 >= rules.pass_percent - 1e-9
            emitter.emit(Verb.PASSED if passed else Verb.FAILED, item_iri(course.id, item.id), item.title, item,
                         registration=registration, activity_type=ASSESSMENT,
                         result={"success": passed, "completion": True,
                                 "score": {"scaled": round(scaled, 4), "raw": round(earned, 4), "min": 0,
                                           "max": asked.total_points}, "extensions": {Ext.ATTEMPT: number}})
            best[item.id] = max(best.get(item.id, 0.0), scaled)
            chance = min(chance + 0.15, 0.98)
        if not passed:
            return False
    emitter.emit(Verb.COMPLETED, course_iri(course.id), course.title, activity_type=COURSE,
                 result={"completion": True, "success": True,
                         "score": {"scaled": round(sum(best.values()) / len(best), 4) if best else 1.0}})
    return True


def generate(size: dict[str, int], seed: int = 7) -> dict[str, Any]:
    """Members, learner records, statement rows and assignments, plus what the report must find."""
    from app.core.collect.payloads import jsonl_file
    from app.core.collect.rows import statement_facts
    from app.core.course.loader import load_course
    from app.core.record.statements import actor, iso
    from app.core.resources import bundled_courses_dir

    rng = random.Random(seed)
    base = load_course(bundled_courses_dir() / "ai-foundations", "en")
    courses = [dataclasses.replace(base, id=f"ai-foundations-{k}") for k in range(1, size["courses"] + 1)]
    offices = [f"Office {k + 1:02d}" for k in range(size["offices"])]
    installations = {office: str(uuid.uuid4()) for office in offices}
    centre = str(uuid.uuid4())
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    today = now.date()
    assignments = [(None, courses[0].id, today - dt.timedelta(days=14))]
    for index, office in enumerate(offices):
        picks = sorted({1 + index % (len(courses) - 1), 1 + (index + 3) % (len(courses) - 1)}) if len(courses) > 1 else []
        for offset, pick in enumerate(picks):
            assignments.append((office, courses[pick].id, today + dt.timedelta(days=(-7 if index % 2 else 21) + offset)))
    names = [f"{family} {given}" for given in GIVEN for family in FAMILY]
    rng.shuffle(names)
    members, rows, truth = [], [], _Truth()
    learner_rows = []
    # Collected rows as the import writes them (collect/rows.py write_statements): learners and IRIs by number,
    # payloads in one JSON-lines file per office.
    numbers: dict[str, int] = {}
    iris: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    file_numbers = {office: number for number, office in enumerate([*installations.values(), centre], 1)}

    def iri(value: str) -> int:
        return iris.setdefault(value, len(iris) + 1)

    people = size["learners"]
    strangers = 10 if people >= 1000 else 2
    for number in range(people + strangers):
        stranger = number >= people
        office = offices[number % len(offices)]
        staff = f"S{number + 1:05d}"
        name = names[number] if number < len(names) else f"{names[number % len(names)]} {number}"
        if not stranger:
            members.append({"name": name, "staff_number": staff, "department": rng.choice(
                ("Digital Government", "Civil Affairs", "Welfare", "Finance", "Urban Planning")),
                "language": rng.choice(("ko", "en", "vi", "uz")), "group": office})
        courses_here = [c for group, c, _due in assignments if group in (None, office)] if not stranger \
            else [courses[0].id]
        if not stranger:
            for course_id in courses_here:
                truth.enrolled[course_id] += 1
        if not stranger and rng.random() < 0.01:
            continue  # enrolled, never touched a PC
        typed = None if rng.random() < 0.04 else staff  # most learners typed their staff number
        home = installations[office]
        key = f"{home}/{uuid.uuid4()}"
        two_pcs = not stranger and rng.random() < 0.03
        second = f"{centre}/{uuid.uuid4()}" if two_pcs else None
        for learner_key, installation in ((key, home), (second, centre)):
            if learner_key:
                numbers[learner_key] = len(numbers) + 1
                learner_rows.append((learner_key, installation, learner_key.split("/")[1], name, typed, "en",
                                     iso(now), numbers[learner_key]))
        skill = rng.uniform(0.55, 0.95)
        for course_id in courses_here:
            course = next(c for c in courses if c.id == course_id)
            state = rng.random()
            if state < 0.2:
                continue  # not started
            stop = None if state >= 0.55 else rng.randint(0 if state < 0.25 else 1, len(course.items) - 1)
            learner = actor(key.split("/")[1], name, home)
            emitter = _Emitter(learner, course, now - dt.timedelta(days=rng.uniform(5, 60)))
            completed = _study(course, emitter, rng, stop, skill, truth, counted=not stranger)
            emitted = emitter.out
            if not stranger:
                truth.started[course_id] += any(s.verb.rsplit("/", 1)[-1] != "launched" for s in emitted)
                truth.completed[course_id] += completed
            for position, statement in enumerate(emitted):
                on_second = second is not None and position >= len(emitted) // 2
                row_key = second if on_second else key
                lines = files.setdefault(row_key.split("/")[0], [])  # one payload file per office
                lines.append(statement.to_json())
                rows.append((statement.id, numbers[row_key], iri(statement.verb), iri(statement.object_id), course.id,
                             course.version, statement.timestamp, file_numbers[row_key.split("/")[0]], len(lines),
                             *statement_facts(statement.data)))  # as the import stores them
    payloads = [(file_numbers[office], jsonl_file(lines)) for office, lines in files.items()]
    return {"courses": courses, "members": members, "learners": learner_rows, "rows": rows, "payloads": payloads,
            "iris": iris,
            "assignments": assignments, "truth": truth, "today": today}


# ---------------------------------------------------------------------------------------- the run

def _insert(database_path: Path, data: dict[str, Any]) -> float:
    """The baseline: the statement rows inserted with the standard sqlite3 module, one executemany, one commit
    (their learners, IRIs and payload files inserted first, not timed)."""
    from app.core.collect.rows import ROW_COLUMNS

    conn = sqlite3.connect(database_path)
    try:
        conn.executemany("INSERT INTO collected_learners (key, installation_id, learner_id, name, staff_number, "
                         "locale, last_seen, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", data["learners"])
        conn.executemany("INSERT INTO collected_iris (iri, id) VALUES (?, ?)", list(data["iris"].items()))
        conn.executemany("INSERT INTO collected_payloads (id, lines_sha256, format, data, bundle_id) "
                         "VALUES (?, ?, ?, ?, 'bench')", [(number, file.lines_sha256, file.format, file.data)
                                                          for number, file in data["payloads"]])
        conn.commit()
        columns = (*ROW_COLUMNS[:7], "payload_file", *ROW_COLUMNS[7:])
        start = time.perf_counter()
        conn.executemany(f"INSERT INTO collected_statements ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' for _c in columns)})", data["rows"])
        conn.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def _check(report, data: dict[str, Any]) -> dict[str, Any]:
    truth: _Truth = data["truth"]
    found = {row["course"]: row for row in report.table("courses").records()}
    questions = report.table("questions").records()
    mismatches = []
    for course in data["courses"]:
        row = found[course.id]
        answers = sum(q["answers"] for q in questions if q["course"] == course.id)
        correct = sum(q["correct"] for q in questions if q["course"] == course.id)
        expected = {"enrolled": truth.enrolled[course.id], "started": truth.started[course.id],
                    "completed": truth.completed[course.id], "answers": truth.answers[course.id],
                    "correct": truth.correct[course.id]}
        got = {"enrolled": row["enrolled"], "started": row["started"], "completed": row["completed"],
               "answers": answers, "correct": correct}
        if got != expected:
            mismatches.append({"course": course.id, "expected": expected, "report": got})
    return {"matches_generator": not mismatches, "mismatches": mismatches}


def measure(size: dict[str, int], runs: int) -> dict[str, Any]:
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.store import Cohorts
    from app.core.paths import database_path
    from app.core.reports.build import build_report
    from app.core.reports.export import write_csv, write_xlsx
    from app.core.storage.database import open_database

    started = time.perf_counter()
    data = generate(size)
    generate_s = time.perf_counter() - started
    principal = installation_principal()
    with tempfile.TemporaryDirectory(prefix="civicai-bench-reports-") as folder:
        root = Path(folder)
        database = open_database(root)
        try:
            store = Cohorts(database)
            cohort = store.create_cohort(principal, "Bench cohort")
            staff = root / "staff.csv"
            staff.write_text("Name,Staff number,Department,Language,Office\n" + "".join(
                f"{m['name']},{m['staff_number']},{m['department']},{m['language']},{m['group']}\n"
                for m in data["members"]), encoding="utf-8-sig")
            start = time.perf_counter()
            store.import_staff_list(principal, cohort.id, staff)
            staff_s = time.perf_counter() - start
            groups = {g.name: g.id for g in store.groups(principal, cohort.id)}
            for group, course_id, due in data["assignments"]:
                store.assign_course(principal, cohort.id, course_id, due, groups[group] if group else None)
            insert_s = _insert(database_path(root), data)
            times, report = [], None
            for _ in range(runs):
                start = time.perf_counter()
                report = build_report(database, principal, data["courses"], cohort.id, today=data["today"])
                times.append(time.perf_counter() - start)
            start = time.perf_counter()
            python_report = build_report(database, principal, data["courses"], cohort.id, today=data["today"],
                                         in_sql=False)
            python_s = time.perf_counter() - start
            start = time.perf_counter()
            write_csv(report, root / "report.csv")
            csv_s = time.perf_counter() - start
            start = time.perf_counter()
            write_xlsx(report, root / "report.xlsx")
            xlsx_s = time.perf_counter() - start
        finally:
            database.dispose()
    report_s = statistics.median(times)
    checks = _check(report, data)
    checks["python_path_same_tables"] = python_report.tables == report.tables
    return {
        "data": {"members": len(data["members"]), "learner_records": len(data["learners"]),
                 "courses": len(data["courses"]), "offices": size["offices"], "statements": len(data["rows"]),
                 "enrolments": sum(data["truth"].enrolled.values()), "generate_s": round(generate_s, 2)},
        "staff_list_import_s": round(staff_s, 4),
        "insert_s": round(insert_s, 4),
        "report_s": round(report_s, 4), "report_first_s": round(times[0], 4),
        "ratio_report_to_insert": round(report_s / max(insert_s, 1e-9), 2),
        "report_python_json_s": round(python_s, 4),
        "csv_s": round(csv_s, 4), "xlsx_s": round(xlsx_s, 4),
        "tables": {t.key: len(t.rows) for t in report.tables},
        "courses": report.table("courses").records(),
        "checks": checks,
    }


def run(quick: bool, as_json: bool) -> int:
    result: dict[str, Any] = {"quick": quick}
    result.update(measure(QUICK if quick else FULL, 1 if quick else 3))
    met = result["report_s"] < TARGET_S
    result["target"] = {"report_s": {"value": result["report_s"], "target": f"< {TARGET_S}", "met": met}}
    result["ok"] = met and result["checks"]["matches_generator"] and result["checks"]["python_path_same_tables"]
    print(json.dumps(result, default=str) if as_json else _text(result))
    return 0 if result["ok"] else 1


def _text(result: dict[str, Any]) -> str:
    data = result["data"]
    lines = [f"Cohort report: {data['members']} members, {data['learner_records']} learner records, "
             f"{data['courses']} courses, {data['statements']:,} statements ({data['enrolments']} enrolments)"
             + (" [quick]" if result["quick"] else ""),
             f"  plain SQLite insert of the statements: {result['insert_s']:.3f} s",
             f"  report (median of runs):              {result['report_s']:.3f} s  "
             f"(first run {result['report_first_s']:.3f} s; target < {TARGET_S} s: "
             f"{'met' if result['target']['report_s']['met'] else 'MISSED'})",
             f"  report / insert:                       {result['ratio_report_to_insert']:.2f}",
             f"  report read through SQLAlchemy:      {result['report_python_json_s']:.3f} s (other databases' path)",
             f"  staff list import ({data['members']} rows):   {result['staff_list_import_s']:.3f} s",
             f"  export: CSV {result['csv_s']:.3f} s, XLSX {result['xlsx_s']:.3f} s",
             f"  numbers equal the generator's: {result['checks']['matches_generator']}; "
             f"both reading paths agree: {result['checks']['python_path_same_tables']}"]
    for row in result["courses"]:
        lines.append(f"    {row['course']}: {row['completed']}/{row['enrolled']} completed "
                     f"({row['completion_rate']} %), average best {row['average_best_score']} %, "
                     f"{row['overdue']} overdue")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run("--quick" in sys.argv, "--json" in sys.argv))
