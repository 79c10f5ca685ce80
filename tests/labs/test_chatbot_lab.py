"""The lab "chatbot/consultation": self-test, the workspace (editing, chat, snapshot and resume),
the feedback of the checks, and the scikit-learn script the code view shows."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from dataclasses import replace

import pytest

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.chatbot import consultation
from labs.chatbot.consultation import LAB, OVERLAP_PAIR, REFERENCE, REFERENCE_ANSWERS
from labs.chatbot.engine.bot import Bot, BotFileError, Handoff, Intent, Link, bot_to_dict, load_bot
from labs.chatbot.engine.starters import load_starter
from labs.chatbot.engine.workspace import (ANSWER, FALLBACK, HANDOFF, ChatWorkspace, EditProblem, Origin, evaluate_bot,
                                           focus_of, open_workspace, threshold_view)
from labs.answers import parse_percent
from labs.framework import run_check, selftest
from labs.registry import load_lab


def small_bot(threshold: float | None = 0.3) -> Bot:
    """Three intents in three scripts, and out-of-scope examples: enough to train and evaluate fast."""
    return Bot(
        "Test bot", "en", "Sorry, I only know passports, taxes and resident cards.",
        Handoff("I am not sure, so an officer will answer you.", "Call 02-110"),
        (Intent("passport", "Passport", ("how do I get a passport", "passport application", "new passport please",
                                         "apply for a passport", "I need a passport to travel", "passport office"),
                ("Apply at the civil office.", "Bring a photo to the civil office.")),
         Intent("tax", "Local tax", ("pay my local tax", "local tax bill", "how to pay tax", "tax payment online",
                                     "where do I pay taxes", "tax due date"), ("Pay online or at a bank.",)),
         Intent("resident_card", "Resident card", ("주민등록증 재발급", "주민등록증 잃어버렸어요", "주민등록증 분실 신고",
                                                   "주민등록증 다시 발급받고 싶어요", "주민등록증 발급하려면",
                                                   "신분증 잃어버렸어요"), ("주민센터에 방문하세요.",))),
        ("what is the weather", "tell me a joke", "who won the game", "play music", "order a pizza",
         "what time is it"), threshold)


def small_workspace(**changes) -> ChatWorkspace:
    bot = replace(small_bot(), **changes)
    return ChatWorkspace(bot, Origin.of("starter", bot, "test"))


@pytest.fixture(scope="module")
def reference() -> ChatWorkspace:
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def test_selftest_passes_on_the_shipped_starter():
    result = selftest(LAB)
    assert result.ok, json.dumps(result.as_dict(), indent=1, ensure_ascii=False)
    assert len(LAB.tasks) == 7 and not result.untested_tasks


def test_the_registry_ships_this_lab():
    assert load_lab("chatbot/consultation") is LAB
    assert LAB.panel == "labs.chatbot.panel:ChatbotPanel"


def test_reference_answers_and_focus_are_what_the_engine_measures(reference):
    view = reference.current_view()
    measured = {"lowest_recall": view.lowest_recall(), "handoff_share": round(view.unsure_share * 100, 1)}
    assert REFERENCE_ANSWERS["lowest_recall"] in measured["lowest_recall"], measured
    assert abs(parse_percent(REFERENCE_ANSWERS["handoff_share"]) - measured["handoff_share"]) <= 2, measured
    # The starter's own evaluation points at the planned overlap first (labs/chatbot/bots/README.md).
    starter = load_starter(consultation.REFERENCE_STARTER)
    focus = focus_of(evaluate_bot(starter, starter.threshold, TaskState()), starter)
    assert focus is not None and {focus.first, focus.second} == set(OVERLAP_PAIR), focus
    assert focus.count == REFERENCE["overlap_focus"]["count"], focus


def test_a_fresh_lab_starts_from_the_starter_in_the_display_language():
    set_locale("ko")
    assert LAB.open(None, TaskState(), None).origin.id == "gov24-ko"
    set_locale("km")  # no Khmer starter: English
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.origin.id == "gov24-en" and workspace.origin.intents == workspace.bot.intent_ids
    assert workspace.model is None and workspace.transcript == []


def test_resume_rebuilds_the_same_model_evaluation_and_chat(reference):
    snapshot = reference.snapshot()
    json.dumps(snapshot)  # plain JSON
    resumed = LAB.open(json.loads(json.dumps(snapshot)), TaskState(), None)
    assert resumed.snapshot() == snapshot
    assert resumed.bot == reference.bot and resumed.model_is_current and resumed.evaluation_is_current
    question = "I lost my passport abroad"
    assert resumed.model.predict_one(question) == reference.model.predict_one(question)
    assert resumed.evaluation.in_scope_accuracy == reference.evaluation.in_scope_accuracy
    assert resumed.overlap_focus == reference.overlap_focus
    assert [t.reply for t in resumed.transcript] == [t.reply for t in reference.transcript]


def test_a_snapshot_whose_bot_changed_after_training_resumes_untrained():
    workspace = small_workspace()
    workspace.set_model(workspace.training_job()(TaskState()))
    workspace.ask("passport please")
    workspace.set_examples("tax", ["pay my local tax", "tax bill"])
    resumed = open_workspace(workspace.snapshot(), TaskState())
    assert resumed.model is None  # the chat is kept as it was shown
    assert resumed.snapshot()["transcript"] == workspace.snapshot()["transcript"]


def test_an_unreadable_snapshot_is_explained():
    with pytest.raises(BotFileError) as caught:
        open_workspace({"version": 1, "bot": {"format": "civic-ai-academy/bot", "version": 1, "name": 3}},
                       TaskState())
    assert str(caught.value).startswith("Your saved chatbot work cannot be read: your saved work, name: expected text")


def test_editing_the_bot():
    workspace = small_workspace()
    intent = workspace.add_intent("Opening hours!")
    assert intent.id == "opening_hours" and workspace.new_intents() == [intent]
    with pytest.raises(EditProblem, match="another intent already has the id \"tax\""):
        workspace.add_intent("Taxes", "tax")
    with pytest.raises(EditProblem, match="kept for out-of-scope"):
        workspace.rename_intent("tax", "oos", "Tax")
    with pytest.raises(EditProblem, match="small letters a-z"):
        workspace.rename_intent("tax", "Local Tax", "Tax")
    workspace.set_examples("opening_hours", ["  when are you open ", "", "when are you open", "opening hours"])
    assert workspace.bot.intent("opening_hours").examples == ("when are you open", "opening hours")
    workspace.set_answers("opening_hours", ["9 to 6 on weekdays", "  "])
    assert workspace.bot.intent("opening_hours").answers == ("9 to 6 on weekdays",)
    with pytest.raises(EditProblem, match="course_id/item_id"):
        workspace.set_links("opening_hours", [Link("lesson", "Design", "chatbot-design")])
    workspace.set_links("opening_hours", [Link("form", " Opening  hours ", "Form 7")])
    assert workspace.bot.intent("opening_hours").links == (Link("form", "Opening hours", "Form 7"),)
    workspace.rename_intent("opening_hours", "hours", "Hours")
    assert workspace.bot.intent_ids == ("passport", "tax", "resident_card", "hours")
    workspace.delete_intent("hours")
    assert workspace.new_intents() == []
    with pytest.raises(EditProblem):
        workspace.set_threshold(1.5)


def test_the_chat_answers_hands_over_and_falls_back():
    workspace = small_workspace()
    with pytest.raises(EditProblem, match="Train the bot first"):
        workspace.ask("passport")
    workspace.set_model(workspace.training_job()(TaskState()))
    first = workspace.ask("how can I apply for a passport")
    second = workspace.ask("passport application form")
    assert (first.kind, first.label, first.reply) == (ANSWER, "passport", "Apply at the civil office.")
    assert (second.kind, second.reply) == (ANSWER, "Bring a photo to the civil office.")  # the variants in turn
    korean = workspace.ask("주민등록증을 잃어버렸는데 재발급 받고 싶어요")  # other endings and particles
    assert korean.label == "resident_card" and korean.kind == ANSWER
    out = workspace.ask("tell me a joke")
    assert out.kind == FALLBACK and out.reply == workspace.bot.fallback
    workspace.set_threshold(1.0)
    unsure = workspace.ask("passport")
    assert unsure.kind == HANDOFF and unsure.decided is None
    assert unsure.reply == "I am not sure, so an officer will answer you.\nCall 02-110"
    assert "passport" in dict(unsure.ranking)


def test_threshold_view_agrees_with_the_evaluation_at_its_own_threshold():
    bot = load_starter("gov24-ko")
    evaluation = evaluate_bot(bot, 0.4, TaskState())
    view = threshold_view(evaluation, evaluation.threshold)
    assert view.in_scope_accuracy == pytest.approx(evaluation.in_scope_accuracy)
    assert view.oos_recall == pytest.approx(evaluation.oos_recall)
    assert view.unsure_share == pytest.approx(evaluation.unsure_share)
    for intent, score in evaluation.per_intent.items():
        assert view.per_intent[intent].recall == pytest.approx(score.recall), intent
        assert view.per_intent[intent].precision == pytest.approx(score.precision), intent
    for point in evaluation.sweep:
        moved = threshold_view(evaluation, point.threshold)
        assert moved.in_scope_accuracy == pytest.approx(point.in_scope_accuracy), point
        assert moved.unsure_share == pytest.approx(point.unsure_share), point


def test_check_feedback_is_specific(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    # The learner adds an example after evaluating: the evaluation is out of date.
    workspace.set_examples("bulky_waste", list(workspace.bot.intent("bulky_waste").examples) + ["old bed frame"])
    assert run_check(LAB.task("overlap"), workspace).message == (
        "Your bot's examples changed since the last evaluation: evaluate it again.")
    assert run_check(LAB.task("new_intent"), workspace).message.startswith("Train your bot again")
    # A Korean hand-off counts its words by letters too (few spaces).
    workspace.set_handoff("확실하지 않아서 담당 공무원에게 연결해 드리겠습니다", "민원실 02-123-4567")
    assert run_check(LAB.task("handoff"), workspace).passed
    workspace.set_handoff("잠시만요", "민원실 02-123-4567")
    assert run_check(LAB.task("handoff"), workspace).message.startswith("Your hand-off message has 1 word;")
    workspace.set_out_of_scope(["weather"])
    assert run_check(LAB.task("threshold"), workspace).message.startswith(
        "Your bot has 1 out-of-scope example; add at least 20")
    # Answers: the in-scope accuracy given instead of the hand-off share.
    fresh = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    view = fresh.current_view()
    fresh.set_answer("handoff_share", f"{view.in_scope_accuracy * 100:.1f}")
    assert "that is the in-scope accuracy" in run_check(LAB.task("reading"), fresh).message


def test_overlap_feedback_counts_the_shared_examples():
    wrong = next(w for w in LAB.wrong_attempts if w.name == "overlap left as it was")
    feedback = run_check(LAB.task("overlap"), LAB.open(wrong.snapshot, TaskState(), None))
    assert not feedback.passed
    assert "examples are word for word in both intents" in feedback.message


def test_export_and_import(tmp_path, reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_name("Civic Centre bot")
    assert not run_check(LAB.task("export"), workspace).passed
    path = workspace.export(tmp_path / "civic.bot.json")
    assert run_check(LAB.task("export"), workspace).passed
    assert load_bot(path) == workspace.bot
    broken = tmp_path / "broken.bot.json"
    data = bot_to_dict(workspace.bot)
    data["intents"][2]["answers"] = []
    broken.write_text(json.dumps(data), encoding="utf-8")
    before = workspace.snapshot()
    with pytest.raises(BotFileError, match=r"broken.bot.json, intents\[2\].answers: an intent needs at least one"):
        workspace.import_bot(broken)
    assert workspace.snapshot() == before  # nothing of the current bot lost
    workspace.import_bot(path)
    assert workspace.origin.kind == "imported" and workspace.origin.id == "civic.bot.json"
    assert workspace.model is None and workspace.exports == []


def test_the_code_is_a_runnable_script_that_answers_like_the_bot():
    workspace = small_workspace()
    workspace.set_model(workspace.training_job()(TaskState()))
    workspace.ask("how can I apply for a passport")
    workspace.set_evaluation(workspace.evaluation_job()(TaskState()))
    code = workspace.code()
    assert "TfidfVectorizer(analyzer=letter_groups" in code and "StratifiedKFold" in code
    assert "'주민등록증 재발급'," in code  # the learner's examples, in their script
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(code, "bot_script.py", "exec"), namespace)  # noqa: S102 - our own generated script
    output = printed.getvalue()
    assert output.startswith("('passport', ") and "Apply at the civil office." in output
    assert "in-scope accuracy" in output and "out-of-scope recall" in output
    # The script's model agrees with the lab's classifier on the same questions.
    questions = ["passport for my trip", "tax bill online", "주민등록증 분실", "what's on tv", "where to pay"]
    script_labels = [namespace["reply"](q)[0] for q in questions]
    engine_labels = [p.label for p in workspace.model.predict(questions)]
    agree = sum(a == b for a, b in zip(script_labels, engine_labels))
    assert agree >= len(questions) - 1, (script_labels, engine_labels)


def test_the_code_of_a_bot_not_ready_to_train_says_what_is_next():
    bot = Bot("Empty", "en", "Sorry.", Handoff("A person will answer.", ""))
    code = ChatWorkspace(bot, Origin.of("empty", bot)).code()
    assert "give at least two intents some examples" in code
    exec(compile(code, "bot_script.py", "exec"), {})  # noqa: S102 - still runs


@pytest.mark.parametrize("starter_id", ["gov24-ko", "gov24-ar"])
def test_the_script_decides_like_the_lab_on_a_starter(starter_id):
    bot = load_starter(starter_id)
    workspace = ChatWorkspace(bot, Origin.of("starter", bot, starter_id))
    workspace.set_model(workspace.training_job()(TaskState()))
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(workspace.code(), "bot_script.py", "exec"), namespace)  # noqa: S102
    # Questions close to the examples (one word fewer) and out-of-scope ones.
    questions = [" ".join(e.split()[:-1]) or e for i in bot.intents for e in i.examples[::4]]
    questions += list(bot.out_of_scope[::3])
    threshold = workspace.threshold
    engine = [workspace.model.decide(p, threshold) for p in workspace.model.predict(questions)]
    labels, sure = namespace["confidences"](namespace["grams"], namespace["model"], questions)
    script = [None if label == "oos" or confidence < threshold else label for label, confidence in zip(labels, sure)]
    agree = sum(a == b for a, b in zip(engine, script)) / len(questions)
    assert agree >= 0.95, [(q, a, b) for q, a, b in zip(questions, engine, script) if a != b]


def test_damaged_history_around_the_bot_is_dropped_not_fatal():
    workspace = small_workspace()
    snapshot = workspace.snapshot()
    snapshot.update(origin="starter?", transcript=[{"kind": "answer"}, "nonsense", {"question": "  "}],
                    answers=["not", "a", "dict"], exports=None, overlap_focus={"first": "passport"},
                    evaluated={"fingerprint": workspace.bot.training_fingerprint(), "threshold": None},
                    trained=workspace.bot.training_fingerprint())
    resumed = open_workspace(snapshot, TaskState())
    assert resumed.bot == workspace.bot and resumed.model_is_current and resumed.evaluation_is_current
    assert resumed.transcript == [] and resumed.answers == {} and resumed.exports == []
    assert resumed.overlap_focus is None and resumed.origin.kind == "empty"
    assert resumed.evaluation.threshold == workspace.bot.threshold


def test_a_korean_learner_can_pass_every_task(tmp_path):
    """The whole lab from the Korean starter, as the panel would drive the workspace."""
    set_locale("ko")
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.origin.id == "gov24-ko"
    intent = workspace.add_intent("대형폐기물 배출", "bulky_waste")
    workspace.set_examples(intent.id, [
        "소파 버리려면 어떻게 해요", "냉장고 버리는 방법", "대형폐기물 스티커 어디서 사요", "침대 매트리스 버리고 싶어요",
        "장롱 버리는데 얼마예요", "대형폐기물 신고 방법", "책상이랑 의자 버리려고요", "세탁기 폐기 신청",
        "대형 쓰레기 수거 신청", "대형폐기물 인터넷으로 신청하기", "가구 버리는 법 알려주세요", "대형폐기물 배출 비용"])
    workspace.set_answers(intent.id, ["구청 누리집이나 주민센터에서 대형폐기물 배출을 신청하고 수수료를 내세요.",
                                      "품목별로 신고하고 스티커를 붙여 정해진 날에 내놓으세요. 금액은 예시이니 구청에 확인하세요."])
    workspace.set_links(intent.id, [Link("form", "대형폐기물 배출 신고서", "구청 서식")])
    workspace.set_handoff("정확히 이해하지 못했어요. 담당 공무원이 직접 답변해 드리겠습니다.", "민원실 02-123-4567 (평일 9시-18시)")
    workspace.set_model(workspace.training_job()(TaskState()))
    workspace.ask("오래된 냉장고 버리는 법")  # in other words than the examples
    workspace.set_evaluation(workspace.evaluation_job()(TaskState()))
    focus = workspace.overlap_focus
    assert focus is not None and {focus.first, focus.second} == set(OVERLAP_PAIR)
    assert not run_check(LAB.task("overlap"), workspace).passed
    for intent_id in OVERLAP_PAIR:  # the examples that could mean either document go
        kept = [e for e in workspace.bot.intent(intent_id).examples
                if not e.startswith(("가족 증명서", "우리 가족", "가족이", "가족 관계 확인", "가족 확인"))]
        workspace.set_examples(intent_id, kept)
    workspace.set_model(workspace.training_job()(TaskState()))
    workspace.set_evaluation(workspace.evaluation_job()(TaskState()))
    workspace.set_threshold(consultation.best_oos_recall(workspace)[0])
    view = workspace.current_view()
    workspace.set_answer("lowest_recall", view.lowest_recall()[0])
    workspace.set_answer("handoff_share", f"{view.unsure_share * 100:.0f}%")
    workspace.export(tmp_path / "민원봇.bot.json")
    feedback = {task.id: run_check(task, workspace) for task in LAB.tasks}
    assert all(f.passed for f in feedback.values()), {k: f.message for k, f in feedback.items() if not f.passed}


def test_an_overlap_fixed_by_gutting_an_intent_is_not_a_fix():
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    # Six examples that say nothing about family certificates: no confusion, but no recall either.
    workspace.set_examples(OVERLAP_PAIR[1], ["blue sky today", "is it sunny", "cloudy weather", "a rainy morning",
                                             "windy and cold", "snow tonight"])
    workspace.set_evaluation(workspace.evaluation_job()(TaskState()))
    feedback = run_check(LAB.task("overlap"), workspace)
    assert not feedback.passed
    assert "but the bot now answers only" in feedback.message and "Family relation certificate" in feedback.message
