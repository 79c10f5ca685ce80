"""A diagram translated for a language replaces the original for learners in that language."""

from __future__ import annotations

import shutil

from app.core.course.loader import image_coverage, localised_image
from app.core.course.source import PackageSource
from tests.conftest import COURSE

SMALL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><text x="5" y="50">과거 데이터</text></svg>'


def _course_with_korean_diagram(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    shutil.rmtree(course / "images" / "ko", ignore_errors=True)
    (course / "images" / "ko").mkdir()
    (course / "images" / "ko" / "rules-vs-learning.svg").write_text(SMALL_SVG, encoding="utf-8")
    for code in ("es", "fr", "ar", "ru", "vi", "id", "km", "uz"):
        shutil.rmtree(course / "images" / code, ignore_errors=True)
    return course


def test_the_language_version_is_used_when_present(tmp_path):
    source = PackageSource.open(_course_with_korean_diagram(tmp_path))
    assert localised_image(source, "images/rules-vs-learning.svg", "ko") == "images/ko/rules-vs-learning.svg"
    assert localised_image(source, "images/sense-decide-act.svg", "ko") == "images/sense-decide-act.svg"
    assert localised_image(source, "images/rules-vs-learning.svg", "es") == "images/rules-vs-learning.svg"
    assert localised_image(source, "images/rules-vs-learning.svg", "") == "images/rules-vs-learning.svg"


def test_course_check_counts_localised_images_per_language(tmp_path):
    coverage = image_coverage(_course_with_korean_diagram(tmp_path))
    assert coverage["ko"] == (1, 3)
    assert coverage["es"] == (0, 3)

