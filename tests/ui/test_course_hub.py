"""A trainer makes a short course in the window — a lesson with an image, a quiz of every question type,
a lab — translates it into Korean and exports it; a learner on another data folder installs the package
and takes it in Korean. A learner never reaches the Courses tool."""

from __future__ import annotations

import struct
import zlib

from app.core.accounts.roles import LEARNER, TRAINER
from app.core.authoring import commands as c
from app.core.authoring.questions import TYPES, template
from app.core.course.translation_work import add_language, open_workspace
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.course_editor import CourseEditorScreen
from app.ui.screens.course_hub import CourseHubScreen
from app.ui.screens.lesson import LessonScreen
from tests.ui.helpers import open_window, start_as
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + \
        chunk(b"IEND", b"")


def test_a_trainer_makes_translates_and_exports_a_course_and_a_learner_elsewhere_takes_it(qtbot, tmp_path):
    office = tmp_path / "trainer-pc"
    make_accounts(office, ("Park", TRAINER, "training day"))
    window = open_window(qtbot, office)
    sign_in(qtbot, window, "Park", "training day")
    assert window.tools_button.isVisible()
    window.show_tool("courses")
    hub = window.screen
    assert isinstance(hub, CourseHubScreen)
    assert "ai-foundations:duplicate" in hub.buttons and "ai-foundations:edit" not in hub.buttons  # read-only
    hub.new_course("Writing minutes with AI")
    qtbot.waitUntil(lambda: isinstance(window.screen, CourseEditorScreen), timeout=20000)
    editor = window.screen
    doc = editor.document
    module = doc.modules[0]["id"]
    lesson = doc.modules[0]["items"][0]["id"]
    image = tmp_path / "minutes.png"
    image.write_bytes(tiny_png())
    add_image = c.AddImage(image)
    assert editor.edit(add_image)
    assert editor.edit(c.EditLesson(lesson, "# Minutes\n\nAn assistant drafts; you check.\n\n"
                                            f"![Minutes]({add_image.reference})\n"))
    editor.add_item("quiz", "Check your minutes")
    quiz = doc.modules[0]["items"][-1]["id"]
    for kind in TYPES:
        assert editor.edit(c.AddQuestion(quiz, template(kind, kind.replace("_", "-"))))
    editor.add_item("lab", "Practise", lab="chatbot/consultation")
    assert module and not doc.problems(), doc.problems()
    assert editor.save()
    folder = doc.folder

    add_language(window.principal, folder, "ko")
    work = open_workspace(window.principal, folder, "ko")
    heading = next(e for e in work.entries if e.source == "# Minutes")
    work.set_translation(window.principal, heading.key, "# 회의록", needs_review=False)
    assert work.coverage().done >= 1

    window.reload_catalogue(then=lambda: window.show_tool("courses"))
    qtbot.waitUntil(lambda: isinstance(window.screen, CourseHubScreen) and window.screen is not hub, timeout=20000)
    hub = window.screen
    course_id = folder.name
    assert f"{course_id}:publish" in hub.buttons  # a new course is a draft until published
    package = tmp_path / "usb" / "minutes.zip"
    package.parent.mkdir()
    hub.export(folder, course_id, package)
    qtbot.waitUntil(lambda: package.exists() and not window.runner.busy, timeout=20000)
    window.close()

    elsewhere = tmp_path / "learner-pc"
    learner = start_as(qtbot, elsewhere, "Kim Min-ji")
    assert isinstance(learner.screen, CatalogueScreen) and learner.services.catalogue.course(course_id) is None
    shown: list[str] = []
    learner.install_course_package(package, confirm=lambda lines, warned: shown.extend(lines) or True)
    qtbot.waitUntil(lambda: learner.services.catalogue.course(course_id) is not None, timeout=20000)
    assert any("Writing minutes with AI" in line for line in shown)
    assert any("New on this PC" in line for line in shown)
    learner.change_language("ko")
    qtbot.waitUntil(lambda: learner.services.catalogue.course(course_id).locale == "ko", timeout=20000)
    learner.open_item(course_id, lesson)
    assert isinstance(learner.screen, LessonScreen)
    assert "회의록" in learner.screen.browser.toPlainText()
    learner.close()


def test_a_learner_cannot_open_the_courses_tool(qtbot, data_dir):
    make_accounts(data_dir, ("Amina", LEARNER, "correct horse"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Amina", "correct horse")
    window.show_tool("courses")
    assert isinstance(window.screen, CatalogueScreen)
    assert window.notice_box.isVisible() and window.notice.text()
    window.close()
