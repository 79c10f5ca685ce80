"""Screenshots of every learner screen in one language, from the real window (offscreen).

    python packaging/screenshots.py --locale ko --out build/screenshots [--no-system-fonts]

--no-system-fonts (Linux) hides every installed font from Qt through an empty fontconfig setup, so
the pictures show what a PC without Korean, Arabic or Khmer fonts sees: only the bundled ones.

Used to review each shipped locale (look at every screen, in every language) and to refresh the
README's picture. A throwaway data folder is created; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _hide_system_fonts() -> None:
    folder = Path(tempfile.mkdtemp(prefix="civicai-nofonts-"))
    (folder / "empty").mkdir()
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<dir>{folder / "empty"}</dir><cachedir>{folder / "cache"}</cachedir></fontconfig>')
    os.environ["FONTCONFIG_FILE"] = str(conf)  # read when Qt first touches fonts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="en")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--size", default="1100x760")
    parser.add_argument("--no-system-fonts", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.no_system_fonts:
        _hide_system_fonts()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.i18n import set_locale
    from app.core.settings import Settings
    from app.ui.locale_setup import prepare_application
    from app.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    set_locale(args.locale)
    prepare_application(app, args.locale)
    window = MainWindow(Path(tempfile.mkdtemp(prefix="civicai-shots-")), Settings(locale=args.locale),
                        app.font())
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    window.start()
    loop.exec()

    def settle(ms: int = 150) -> None:
        wait = QEventLoop()
        QTimer.singleShot(ms, wait.quit)
        wait.exec()

    def shot(name: str) -> None:
        settle()
        path = args.out / f"{args.locale}-{name}.png"
        window.grab().save(str(path))
        print(path)

    shot("1-profile")
    window.screen.name.setText("Kim Min-ji")
    window.screen.start.click()
    course = window.services.catalogue.course("ai-foundations")
    lessons = [i for i in course.items if i.kind == "lesson"]
    window.learning.complete_lesson(course, lessons[0])
    window.learning.open_lesson(course, lessons[1])
    window.show_catalogue()
    shot("2-catalogue")
    window.show_outline(course.id)
    shot("3-outline")
    window.open_item(course.id, lessons[0].id)
    shot("4-lesson")
    window.screen.set_position(0.45)
    shot("5-lesson-scrolled")
    quiz = next(i for i in course.items if i.kind == "quiz")
    window.open_item(course.id, quiz.id)
    shot("6-quiz-intro")
    window.screen.primary.click()
    view = window.screen.view
    if view.buttons:
        view.buttons[0].click()
    window.screen.check.click()
    shot("7-quiz-feedback")
    matching = next((i for i, q in enumerate(course.quizzes[quiz.id].questions) if q.type == "matching"), None)
    if matching is not None:
        window.screen.show_question(matching)
        shot("8-quiz-matching")
    window.open_item(course.id, quiz.id)
    window.screen.primary.click()
    while window.screen.view is not None and window.screen.registration is not None:
        window.screen.check.click()  # unanswered: skip through to the score
        if window.screen.feedback.isVisible():
            window.screen.check.click()
        else:
            break
    window.show_complete(course.id)
    shot("9-complete")
    from app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(args.locale, 1.0, Path("C:/Users/learner/AppData/Local/CivicAI"), window)
    dialog.show()
    settle()
    dialog.grab().save(str(args.out / f"{args.locale}-10-settings.png"))
    print(args.out / f"{args.locale}-10-settings.png")
    dialog.close()
    lab_shots(window, settle, shot)
    trainer_shots(window, settle, shot)
    cohort_shots(window, settle, shot)
    window.close()
    return 0


def lab_shots(window, settle, shot) -> None:
    """Each lab of the courses that have labs, resumed on its reference solution (as a learner who did
    every task would see it): the first view, then the chart or results, or every tab of a tabbed panel."""
    from app.core.record.labwork import LabWorkStore
    from labs.registry import load_lab

    number = 11
    for course_id in ("data-and-ml", "automation-and-chatbots", "smart-city"):  # 11-14, then 15-19
        course = window.services.catalogue.course(course_id)
        for item in (i for i in course.items if i.kind == "lab"):
            lab = load_lab(item.target)
            LabWorkStore(window.services.database).save(window.learning.learner.id, course.id, item.id, lab.id,
                                                        lab.reference)
            window.open_item(course.id, item.id)
            screen = window.screen
            for _ in range(600):  # opening runs on the task runner: wait for the panel
                if screen.panel is not None:
                    break
                settle(100)
            # The five smart-city labs share a family: they are named by their own id ("traffic-signals").
            name = lab.id.split("/")[1] if lab.family == "smart_city" else lab.family.replace("_", "-")
            panel = screen.panel
            if lab.family == "chatbot":
                talk_in_own_language(panel, settle)
            tabs = getattr(panel, "tabs", None)
            if tabs is not None:  # a tabbed panel: every tab
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    settle(300)
                    if lab.id == "smart_city/traffic-signals" and index == 2:
                        panel.day.show_time(17, 30)  # the evening peak on the maps, not the empty night
                        settle(300)
                    shot(f"{number}-lab-{name}-{index + 1}")
            else:
                shot(f"{number}-lab-{name}")
                tabs = getattr(panel, "left_tabs", None) or getattr(panel, "steps", None)  # chart / results
                if tabs is not None and tabs.count() > 1:
                    tabs.setCurrentIndex(1 if lab.family == "data_analysis" else tabs.count() - 2)
                    shot(f"{number}-lab-{name}-more")
            number += 1


def trainer_shots(window, settle, shot) -> None:
    """A trainer's tools: the course list, then the editor on a copy of the foundations course with a
    lesson open beside its preview and its quiz in the form, then the translation workspace."""
    from PySide6.QtCore import Qt

    from app.core.accounts.roles import TRAINER, installation_principal
    from app.core.accounts.store import Accounts

    accounts = Accounts(window.services.database)
    accounts.create_account(installation_principal(), "Park Ji-won", TRAINER, "screenshots only")
    window.principal = accounts.sign_in("Park Ji-won", "screenshots only")
    window.show_tool("courses")
    settle(300)
    shot("20-trainer-courses")
    bundled = next(c for c in window.services.catalogue.courses if c.id == "ai-foundations")
    window.screen.duplicate(Path(bundled.location))
    for _ in range(300):
        if type(window.screen).__name__ == "CourseEditorScreen":
            break
        settle(100)
    editor = window.screen
    outline = editor.outline
    lesson = outline.topLevelItem(1).child(0)  # module 1, its first lesson (item 0 is "Course details")
    outline.setCurrentItem(lesson)
    settle(600)
    shot("21-course-editor")
    quiz = next(outline.topLevelItem(1).child(i) for i in range(outline.topLevelItem(1).childCount())
                if outline.topLevelItem(1).child(i).data(0, Qt.ItemDataRole.UserRole + 1) == "quiz")
    outline.setCurrentItem(quiz)  # the quiz form: its questions, the first one's choices and feedback
    settle(600)
    shot("23-quiz-editor")
    from app.ui.screens.translation_workspace import TranslationWorkspaceScreen

    window.show_tool_screen(TranslationWorkspaceScreen(window.principal, editor.document.folder), "courses")
    settle(600)
    shot("22-translation-workspace")


# People of a two-office cohort: (name, staff number, language, group, items done of the course; None = all).
PEOPLE = [("Kim Min-ji", "S-1001", "ko", "HQ", None), ("Amina Haddad", "S-1002", "ar", "HQ", None),
          ("Nguyen Van An", "S-1003", "vi", "HQ", 9), ("Ivan Petrov", "S-1004", "ru", "Busan", None),
          ("Sok Dara", "S-1005", "km", "Busan", 4), ("Aziza Karimova", "S-1006", "uz", "Busan", 14),
          ("Carlos Ruiz", "S-1007", "es", "Busan", 0)]


def cohort_shots(window, settle, shot) -> None:
    """Issue 7's screens on a two-office cohort: progress files from two offices imported, the cohort with its
    staff list and due date, the report with charts, certificates issued, one verified, the learner's page."""
    import datetime as dt
    import random
    import tempfile
    import uuid

    from app.bench_progress import learner_statements
    from app.core.certificates.issuer import create_issuer
    from app.core.cohorts.store import Cohorts
    from app.core.collect.bundle_file import write_bundle
    from app.core.record.statements import actor, iso, now

    def idle() -> None:
        for _ in range(600):
            settle(100)
            if not window.runner.busy:
                return

    course = window.services.catalogue.course("ai-foundations")
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="civicai-cohort-"))
    bundles = []
    for office, group in enumerate(("HQ", "Busan")):
        installation = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        people, payloads = [], []
        for name, number, locale, in_group, done in PEOPLE[1:]:
            if in_group != group:
                continue
            person = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "name": name, "locale": locale,
                      "staff_number": number}
            people.append(person)
            run = learner_statements(course, actor(person["id"], name, installation), rng)
            payloads.extend(run if done is None else run[:done])
        path = work / f"{group.lower()}-office.zip"
        write_bundle(path, {"bundle_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "created": iso(now()),
                            "everything": False, "installation": {"id": installation, "name": f"{group} office"},
                            "learners": people}, payloads)
        bundles.append(path)
    staff = work / "staff.csv"
    staff.write_text("Name,Staff number,Department,Language,Group\n" + "".join(
        f"{name},{number},Digital Government,{locale},{group}\n" for name, number, locale, group, _ in PEOPLE),
        encoding="utf-8")
    store = Cohorts(window.services.database)
    cohort = store.create_cohort(window.principal, "Seoul 2026")
    store.import_staff_list(window.principal, cohort.id, staff)
    store.assign_course(window.principal, cohort.id, course.id, dt.date.today() - dt.timedelta(days=3))

    window.show_tool("progress")
    window.screen.import_files(bundles)
    idle()
    shot("24-collected-progress")
    window.show_tool("cohorts")
    settle(300)
    shot("25-cohorts")
    window.show_tool("reports")
    window.screen.choose(cohort.id, [course.id])
    window.screen.show_report()
    idle()
    shot("26-reports")
    create_issuer(window.principal, window.data_dir, "Ministry of the Interior", "screenshots only, not a secret")
    window.show_tool("certificates")
    card = window.screen.issue_card
    card.select(cohort.id, course.id)
    card.find()
    idle()
    card.folder.setText(str(work / "certificates"))
    card.passphrase.setText("screenshots only, not a secret")
    card.issue()
    idle()
    shot("27-certificates")
    credential = next((work / "certificates").rglob("*.json"))
    window.show_verify_certificate()
    window.screen.verify_file(credential)
    idle()
    shot("28-verify-certificate")
    window.show_my_learning()
    settle(300)
    shot("29-my-progress")


# A question for the starter bot in its own language, and one it should decline.
QUESTIONS = {"ko": ("여권 재발급 받으려면 어떻게 해야 하나요?", "내일 날씨 어때요?"),
             "ar": ("كيف أجدد جواز سفري؟", "كيف سيكون الطقس غدا؟"),
             "es": ("¿Cómo renuevo mi pasaporte?", "¿Qué tiempo hará mañana?"),
             "en": ("How do I renew my passport?", "What's the weather tomorrow?")}


def talk_in_own_language(panel, settle) -> None:
    """As a learner in Korea or an Arab country would: start from the starter bot in the display
    language, train it, ask it two questions and evaluate it."""
    from app.core.i18n import current_locale

    locale = current_locale()
    if locale not in QUESTIONS or locale == "en":
        return
    panel.workspace.start_from_starter(f"gov24-{locale}")
    panel.refresh()
    for job, done in ((panel.train, panel.trained), (panel.evaluate, panel.evaluated)):
        finished = []
        done.connect(lambda *_args: finished.append(True))
        job()
        for _ in range(600):
            if finished:
                break
            settle(100)
    for question in QUESTIONS[locale]:
        panel.ask(question)
    settle(300)


if __name__ == "__main__":
    sys.exit(main())
