"""The chatbot lab's panel, driven the way a learner does, through a synchronous fake host."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QWidget,
)

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.chatbot.engine.bot import bot_to_dict, load_bot
from labs.chatbot.engine.starters import load_starter
from labs.chatbot.engine.workspace import ChatWorkspace, Origin
from tests.ui.sync_host import SyncHost

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QSlider)

BULKY = ["how do I throw away an old sofa", "where can I dump my broken fridge", "bulky waste disposal sticker",
         "I want to get rid of a mattress", "how much does it cost to dispose of a wardrobe",
         "big furniture removal from my apartment", "pick up service for an old washing machine",
         "throwing out a desk and chairs", "large item waste collection"]


class LessonHost(SyncHost):
    """The lab screen also lists lessons and opens one."""

    def __init__(self, files_dir, **options):
        super().__init__(files_dir, **options)
        self.opened: list[str] = []

    def lessons(self):
        return [("automation-and-chatbots/chatbot-design", "Designing a public-service chatbot")]

    def open_lesson(self, target):
        self.opened.append(target)
        return True


def starter_workspace(starter_id: str = "gov24-en") -> ChatWorkspace:
    bot = load_starter(starter_id)
    return ChatWorkspace(bot, Origin.of("starter", bot, starter_id))


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(workspace: ChatWorkspace | None = None, **host_options):
        from labs.chatbot.panel import ChatbotPanel

        host = LessonHost(tmp_path, **host_options)
        panel = ChatbotPanel(workspace or starter_workspace(), host)
        panel.confirm = lambda title, text: True
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def unnamed_controls(panel) -> list[str]:
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in panel.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisible() and not w.accessibleName().strip()]


def add_bulky_intent(qtbot, panel) -> None:
    tab = panel.intents_tab
    qtbot.keyClicks(tab.new_title, "Dispose of bulky waste")
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.current_id == "dispose_of_bulky_waste" and tab.id_edit.text() == "dispose_of_bulky_waste"
    tab.examples_edit.setPlainText("\n".join(BULKY))
    with qtbot.waitSignal(panel.changed, timeout=3000):  # committed after a pause in typing
        pass
    qtbot.keyClicks(tab.answer_edit, "Apply for bulky waste collection at your community service centre.")
    qtbot.mouseClick(tab.add_answer_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.answer_edit, "Register the item with your district and put the sticker on it.")
    qtbot.keyClick(tab.answer_edit, Qt.Key.Key_Return)
    tab.link_kind.setCurrentIndex(tab.link_kind.findData("lesson"))
    assert tab.link_target.itemData(0) == "automation-and-chatbots/chatbot-design"  # the host's lessons
    tab.link_target.setCurrentIndex(0)
    qtbot.mouseClick(tab.add_link_button, Qt.MouseButton.LeftButton)


def test_build_train_chat_evaluate_and_export(qtbot, make_panel, tmp_path):
    panel, host = make_panel()
    workspace = panel.workspace
    assert panel.intents_tab.intent_list.count() == len(workspace.bot.intents)
    add_bulky_intent(qtbot, panel)
    intent = workspace.bot.intent("dispose_of_bulky_waste")
    assert intent.examples == tuple(BULKY) and len(intent.answers) == 2
    assert intent.links[0].target == "automation-and-chatbots/chatbot-design"
    assert intent.links[0].title == "Designing a public-service chatbot"
    assert panel.intents_tab.intent_list.currentItem().text() == "★ Dispose of bulky waste (9 examples)"
    assert not unnamed_controls(panel), unnamed_controls(panel)

    # Train (through the host) and chat.
    panel.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(panel.trained):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert host.labels[-1] == "Training the bot" and workspace.model_is_current
    assert panel.train_status.text().startswith("Trained on ")
    qtbot.keyClicks(panel.question_edit, "where do I put an old sofa I don't need")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.question_edit, Qt.Key.Key_Return)
    turn = workspace.transcript[-1]
    assert turn.label == "dispose_of_bulky_waste" and turn.kind == "answer"
    question, reply = panel.chat.bubbles[-2:]
    assert question.text == "where do I put an old sofa I don't need"
    assert reply.text == "Apply for bulky waste collection at your community service centre."
    assert reply.note_label.text().startswith("Intent: Dispose of bulky waste · confidence ")
    reply.link_buttons[0].click()
    assert host.opened == ["automation-and-chatbots/chatbot-design"]
    # An Arabic question reads right-to-left even in an English window; an out-of-scope one gets the fallback.
    panel.ask("ما هو الطقس غدا في سيول؟")
    arabic = panel.chat.bubbles[-2]
    assert arabic.text_label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert question.text_label.layoutDirection() == Qt.LayoutDirection.LeftToRight
    panel.ask("tell me a joke")
    assert workspace.transcript[-1].kind == "fallback" and panel.chat.bubbles[-1].text == workspace.bot.fallback
    assert panel.chat.bubbles[-1].note_label.text().startswith("Out of scope")
    assert not unnamed_controls(panel), unnamed_controls(panel)

    # Evaluate: scores, overlaps and the threshold.
    with qtbot.waitSignal(panel.evaluated):
        qtbot.mouseClick(panel.evaluate_button, Qt.MouseButton.LeftButton)
    assert panel.tabs.currentIndex() == 3 and workspace.evaluation_is_current
    assert panel.summary.text().startswith(f"At threshold {workspace.threshold:.2f}: in-scope accuracy ")
    assert panel.scores.rowCount() == len(workspace.bot.intents)
    first_pair = set(panel.overlaps.pairs[0])
    assert first_pair == {"resident_registration_copy", "family_relation_certificate"}  # the starter's overlap
    assert workspace.overlap_focus is not None
    assert panel.focus_label.text() == (
        f"Your first evaluation confused {workspace.overlap_focus.first} and {workspace.overlap_focus.second} "
        f"{workspace.overlap_focus.count} times; this one {workspace.overlap_focus.count} times.")
    assert {workspace.overlap_focus.first, workspace.overlap_focus.second} == first_pair
    assert panel.suggestions.count() > 0 and set(panel.curve.lines) == {"accuracy", "oos", "handoff"}
    before = panel.summary.text()
    with qtbot.waitSignal(panel.changed):
        panel.set_threshold(0.95)
    assert workspace.bot.threshold == 0.95 and panel.summary.text() != before
    assert panel.curve.marker.value() == pytest.approx(0.95)
    assert panel.chat_threshold.text().startswith("Threshold 0.95")
    lowest = workspace.current_view().lowest_recall()[0]
    assert panel.scores.item(0, 3).data(Qt.ItemDataRole.UserRole) == workspace.current_view().per_intent[
        lowest].recall  # the weakest recall first
    combo = panel.answer_widgets["lowest_recall"]
    with qtbot.waitSignal(panel.changed):
        combo.setCurrentIndex(combo.findData(lowest))
    assert workspace.answers["lowest_recall"] == lowest
    share = panel.answer_widgets["handoff_share"]
    qtbot.keyClicks(share, "12%")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(share, Qt.Key.Key_Return)
    assert workspace.answers["handoff_share"] == "12%"
    assert not unnamed_controls(panel), unnamed_controls(panel)

    # Export: one file the same bot loads from.
    written = panel.export_file(tmp_path / "my-bot.bot.json")
    assert written is not None and load_bot(written) == workspace.bot and workspace.exported_current
    assert panel.file_status.text() == f"Exported: {written}" and panel.file_status.isVisible()
    # The code view's script mentions the new intent.
    assert "'dispose_of_bulky_waste': [" in workspace.code()


def test_a_broken_bot_file_is_refused_and_nothing_is_lost(qtbot, make_panel, tmp_path):
    panel, host = make_panel()
    before = json.dumps(panel.workspace.snapshot(), sort_keys=True)
    broken = tmp_path / "broken.bot.json"
    broken.write_text('{\n  "format": "civic-ai-academy/bot",\n  "version": 1\n  "name": "x"\n}', encoding="utf-8")
    panel.import_file(broken)
    assert host.told == [("This bot file cannot be imported",
                          "broken.bot.json, line 4, column 3: this is not valid JSON (Expecting ',' delimiter).")]
    data = bot_to_dict(load_starter("gov24-ko"))
    data["intents"][3]["answers"] = []
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    panel.import_file(broken)
    assert host.told[-1][1] == "broken.bot.json, intents[3].answers: an intent needs at least one answer"
    assert json.dumps(panel.workspace.snapshot(), sort_keys=True) == before
    # A good file replaces the bot.
    good = tmp_path / "ko.bot.json"
    good.write_text(json.dumps(bot_to_dict(load_starter("gov24-ko")), ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(panel.changed):
        panel.import_file(good)
    assert panel.workspace.bot.language == "ko" and panel.workspace.origin.kind == "imported"
    assert panel.name_edit.text() == panel.workspace.bot.name


def test_start_again_from_a_starter_or_empty(qtbot, make_panel, tmp_path):
    panel, host = make_panel()
    panel.start_combo.setCurrentIndex(panel.start_combo.findData("gov24-ko"))
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.workspace.origin.id == "gov24-ko" and panel.workspace.bot.language == "ko"
    assert panel.intents_tab.title_edit.text() == panel.workspace.bot.intents[0].title
    panel.confirm = lambda title, text: False  # the learner says no: nothing changes
    panel.start_combo.setCurrentIndex(panel.start_combo.findData("\x00empty"))
    panel.start_again()
    assert panel.workspace.origin.id == "gov24-ko"
    panel.confirm = lambda title, text: True
    panel.start_again()
    assert panel.workspace.bot.intents == () and panel.intents_tab.editor.isHidden()
    panel.train()
    assert host.told[-1] == ("The bot cannot be trained yet",
                             "The bot needs at least two intents with examples to learn from; it has 0.")
    qtbot.keyClicks(panel.intents_tab.new_title, "Opening hours")
    qtbot.keyClick(panel.intents_tab.new_title, Qt.Key.Key_Return)
    assert panel.export_file(tmp_path / "draft.bot.json") is None  # incomplete bots are not exported
    assert host.told[-1] == ("The bot cannot be exported yet", (
        "Complete these first:\n"
        "intents[0].examples: an intent needs at least one example of what people ask\n"
        "intents[0].answers: an intent needs at least one answer"))
    assert not (tmp_path / "draft.bot.json").exists()


def test_editing_the_unsure_answers_and_deleting_an_intent(qtbot, make_panel):
    panel, _host = make_panel()
    workspace = panel.workspace
    tab = panel.unsure_tab
    tab.handoff_edit.setPlainText("A civil servant will answer you shortly.")
    tab.contact_edit.setText("Call 02-123-4567")
    tab.oos_edit.setPlainText("weather\nfootball\n\nweather")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        pass
    assert workspace.bot.handoff.message == "A civil servant will answer you shortly."
    assert workspace.bot.handoff.contact == "Call 02-123-4567"
    assert workspace.bot.out_of_scope == ("weather", "football")
    intents = panel.intents_tab
    intents.select_intent("thanks")
    count = len(workspace.bot.intents)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(intents.delete_button, Qt.MouseButton.LeftButton)
    assert workspace.bot.intent("thanks") is None and len(workspace.bot.intents) == count - 1
    # A bad id is refused and explained; the title changes with a good one.
    intents.select_intent("greeting")
    intents.id_edit.setText("Hello There")
    qtbot.mouseClick(intents.rename_button, Qt.MouseButton.LeftButton)
    assert "small letters a-z" in _host.told[-1][1] and workspace.bot.intent("greeting") is not None
    intents.id_edit.setText("hello")
    intents.title_edit.setText("Hello")
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(intents.rename_button, Qt.MouseButton.LeftButton)
    assert workspace.bot.intent("hello").title == "Hello" and intents.current_id == "hello"


def test_typed_examples_stay_with_their_intent_when_switching(qtbot, make_panel):
    panel, _host = make_panel()
    intents = panel.intents_tab
    intents.select_intent("vehicle_tax")
    intents.examples_edit.setPlainText("car tax\nmy car tax bill")
    intents.select_intent("passport_new")  # before the pause: still committed to vehicle_tax
    assert panel.workspace.bot.intent("vehicle_tax").examples == ("car tax", "my car tax bill")
    assert intents.examples_edit.toPlainText().splitlines() == list(panel.workspace.bot.intent("passport_new").examples)


def test_a_cancelled_training_leaves_the_panel_ready(qtbot, make_panel):
    panel, host = make_panel()
    host.cancel = True
    panel.train()
    assert panel.workspace.model is None and panel.train_button.isEnabled()
    assert panel.train_status.text() == "Training was cancelled."
    assert not panel.ask_button.isEnabled()


def test_the_panel_reopens_a_resumed_workspace(qtbot, make_panel):
    from labs.chatbot.consultation import LAB, REFERENCE

    workspace = LAB.open(REFERENCE, TaskState(), None)
    panel, _host = make_panel(workspace)
    assert len(panel.chat.bubbles) == 2 * len(workspace.transcript)
    assert panel.scores.rowCount() == len(workspace.bot.intents)
    assert panel.threshold_value.text() == f"{workspace.threshold:.2f}"
    assert panel.answer_widgets["lowest_recall"].currentData() == workspace.answers["lowest_recall"]
    assert panel.answer_widgets["handoff_share"].text() == workspace.answers["handoff_share"]


def test_arabic_window_mirrors_but_keeps_numbers_left_to_right(qtbot, make_panel):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(QApplication.instance(), "ar")
    panel, _host = make_panel(starter_workspace("gov24-ar"))
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.curve.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert panel.scores.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert panel.intents_tab.id_edit.layoutDirection() == Qt.LayoutDirection.LeftToRight
    with qtbot.waitSignal(panel.trained):
        panel.train()
    panel.ask("how do I renew my passport?")  # English in an Arabic window: left-to-right bubble
    assert panel.chat.bubbles[-2].text_label.layoutDirection() == Qt.LayoutDirection.LeftToRight
    panel.ask("أريد تجديد جواز السفر")
    assert panel.chat.bubbles[-2].text_label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.workspace.transcript[-1].label in ("passport_renew", "passport_new", "passport_fees_time")
    assert not unnamed_controls(panel), unnamed_controls(panel)


def test_leaving_a_field_commits_what_was_typed_at_once(qtbot, make_panel):
    panel, _host = make_panel()
    tab = panel.unsure_tab
    panel.tabs.setCurrentIndex(1)
    tab.contact_edit.setFocus()
    qtbot.waitUntil(tab.contact_edit.hasFocus)
    tab.contact_edit.setText("help@city.example")
    with qtbot.waitSignal(panel.changed, timeout=200):  # well before the typing pause ends
        tab.fallback_edit.setFocus()
    assert panel.workspace.bot.handoff.contact == "help@city.example"


@pytest.mark.parametrize("title, target, shown", [
    ("Passport application", "Form 1", "Form: Passport application (Form 1)"),
    ("Passport application", "Passport application (Form 1)", "Form: Passport application (Form 1)"),
    ("Bulky waste request (district form)", "district form", "Form: Bulky waste request (district form)"),
])
def test_a_form_link_names_the_form_once(qtbot, title, target, shown):
    from PySide6.QtWidgets import QLabel

    from labs.chatbot.engine.bot import FORM, Link
    from labs.chatbot.engine.workspace import ANSWER, Turn
    from labs.chatbot.widgets.chat import ChatView

    view = ChatView()
    qtbot.addWidget(view)
    view.add_turn(Turn("q", "passport_new", 0.9, ANSWER, "An answer.", 0.5, "Passport",
                       links=(Link(FORM, title, target),)), lambda label: label)
    assert shown in [label.text() for label in view.findChildren(QLabel)]
