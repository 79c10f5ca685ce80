"""Issue 7's "done when" for progress bundles: two data folders stand in for two offices; learners on
each complete parts of a real course; each office exports bundles; a third data folder (the trainer)
imports them in either order and twice, and the collected tables are identical every time. A
tampered bundle (one byte changed, or truncated) is caught and changes nothing."""

from __future__ import annotations

import itertools

import pytest

from app.core.collect.collected import collected_learners, collected_statements
from app.core.collect.export import export_bundle, set_installation_name
from app.core.collect.importing import import_bundles
from app.core.course.loader import load_course
from app.core.record.progress import derive_progress
from tests.conftest import COURSE
from tests.core.test_progress_bundles import (TRAINER_PRINCIPAL, Office, collected_rows, cut_in_half, flip_byte,
                                              study)


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def offices(tmp_path):
    made: list[Office] = []
    yield lambda name: made.append(Office(tmp_path / name)) or made[-1]
    for office in made:
        office.close()


def test_two_offices_any_order_twice_same_tables_and_tampering_is_caught(offices, course, tmp_path):
    sejong, busan = offices("sejong"), offices("busan")
    set_installation_name(sejong.record, "Sejong")
    set_installation_name(busan.record, "Busan")
    kim = sejong.learner("Kim Min-ji", "ko", staff_number="S-1001")
    lee = sejong.learner("Lee Jun", "en", staff_number="S-1002")
    park = busan.learner("Park Ji-woo", "en", staff_number="B-2001")
    study(kim, course, len(course.items))  # the whole course
    study(lee, course, 2)
    study(park, course, 4)
    sticks = tmp_path / "sticks"
    sticks.mkdir()
    bundles = [sticks / "sejong-1.zip", sticks / "busan-1.zip"]
    export_bundle(sejong.record, bundles[0])
    export_bundle(busan.record, bundles[1])
    study(lee, course, 3)  # Lee goes on after the first stick left: a second bundle holds only what is new
    bundles.append(sticks / "sejong-2.zip")
    assert export_bundle(sejong.record, bundles[2]).statements > 0

    tables = []
    for n, order in enumerate([*itertools.permutations(bundles), bundles + bundles[::-1]]):
        trainer = offices(f"trainer-{n}")
        results = import_bundles(trainer.database, list(order), TRAINER_PRINCIPAL)
        assert all(r.read and not r.rejected for r in results)
        again = import_bundles(trainer.database, list(order), TRAINER_PRINCIPAL)
        assert sum(r.added for r in again) == 0
        tables.append(collected_rows(trainer.database))
    assert all(t == tables[0] for t in tables)
    assert len(tables[0]["statements"]) == sejong.record.count() + busan.record.count()
    assert len(tables[0]["bundles"]) == 3

    # What the trainer collected gives each learner the same progress as on their own machine.
    trainer = offices("trainer-check")
    import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL)
    people = {p.name: p for p in collected_learners(trainer.database)}
    assert set(people) == {"Kim Min-ji", "Lee Jun", "Park Ji-woo"}
    assert people["Park Ji-woo"].staff_number == "B-2001"
    assert people["Park Ji-woo"].installation_id == busan.record.installation_id()
    runs: dict[str, list] = {}
    for key, statement in collected_statements(trainer.database, course.id):
        runs.setdefault(key, []).append(statement)
    for learning in (kim, lee, park):
        collected = derive_progress(course, runs[people[learning.learner.name].key])
        assert collected == learning.progress(course)
    assert derive_progress(course, runs[people["Kim Min-ji"].key]).completed

    # Tampered bundles are refused whole: the tables do not move.
    before = collected_rows(trainer.database)
    flipped = flip_byte(bundles[0], tmp_path / "flipped.zip")
    truncated = cut_in_half(bundles[1], tmp_path / "truncated.zip")
    results = import_bundles(trainer.database, [flipped, truncated], TRAINER_PRINCIPAL)
    assert [r.read for r in results] == [False, False]
    assert all("damaged or truncated" in r.refused for r in results)
    assert collected_rows(trainer.database) == before
