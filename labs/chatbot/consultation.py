"""Lab "chatbot/consultation": build, train, test, evaluate and export a public-service chatbot.

The learner starts from a Government 24-style starter bot (or an empty one), teaches it a new
service, gives it answer variants and links, writes the hand-off to a person, fixes the overlap the
evaluation points at, sets the "I don't know" threshold from the held-out numbers, reads the
evaluation and exports the bot as one file. Every check re-derives its numbers from the bot itself
(the trained model and the seeded held-out evaluation), never from a number the learner typed.
No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.chatbot.engine.bot import Bot, Handoff, Intent, Link, bot_to_dict, link_target_problem
from labs.chatbot.engine.starters import load_starter
from labs.answers import parse_percent
from labs.chatbot.engine.workspace import (STARTER, ChatWorkspace, Origin, ThresholdView, normalise, open_workspace,
                                           pair_count, threshold_view)
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt

MIN_NEW_EXAMPLES = 8
MIN_HANDOFF_WORDS = 6
MIN_OUT_OF_SCOPE = 20
MIN_KEPT_EXAMPLES = 5  # each intent of the overlapping pair keeps at least this many examples
MIN_PAIR_RECALL = 0.6  # after the fix, the bot still answers most held-out questions of each intent of the pair
ACCURACY_GIVE_UP = 0.05  # the threshold task: in-scope accuracy at most this below answering everything...
OOS_TOLERANCE = 0.02  # ...while out-of-scope recall is within this of the best such threshold's
ANSWER_TOLERANCE = 2.0  # percentage points


def word_count(text: str) -> int:
    """Words, for every script: Khmer writes no spaces between words and Korean few, so about five
    letters also count as one word (the machine-learning lab's card check counts the same way)."""
    letters = sum(1 for ch in text if not ch.isspace())
    return max(len(text.split()), letters // 5)


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _title(workspace: ChatWorkspace, intent_id: str) -> str:
    intent = workspace.bot.intent(intent_id)
    return f"\"{intent.title}\" ({intent_id})" if intent else intent_id


def _needs_evaluation(workspace: ChatWorkspace) -> Feedback | None:
    """Feedback asking for an (up-to-date) evaluation, or None when there is one."""
    if workspace.evaluation is None:
        return Feedback(False, _("Evaluate your bot first (tab \"4. Evaluate\"): the held-out numbers show how it "
                                 "answers questions it has not seen."))
    if not workspace.evaluation_is_current:
        return Feedback(False, _("Your bot's examples changed since the last evaluation: evaluate it again."))
    return None


# --- checks -----------------------------------------------------------------------------------------

def _best_new_intent(workspace: ChatWorkspace) -> Intent | None:
    new = workspace.new_intents()
    return max(new, key=lambda i: (len(i.examples), len(i.answers), len(i.links))) if new else None


def check_new_intent(workspace: ChatWorkspace) -> Feedback:
    intent = _best_new_intent(workspace)
    if intent is None:
        return Feedback(False, _("Your bot has only the intents it started with. Add a new intent for a service it "
                                 "does not know yet (tab \"1. Intents\", \"Add intent\")."))
    if len(intent.examples) < MIN_NEW_EXAMPLES:
        return Feedback(False, ngettext(
            "Your new intent \"{title}\" has {count} example; give it at least {least} different ways people ask.",
            "Your new intent \"{title}\" has {count} examples; give it at least {least} different ways people ask.",
            len(intent.examples)).format(title=intent.title, count=len(intent.examples), least=MIN_NEW_EXAMPLES))
    if not intent.answers:
        return Feedback(False, _("Your new intent \"{title}\" has no answer yet: write what the bot should reply.")
                        .format(title=intent.title))
    if not workspace.model_is_current:
        return Feedback(False, _("Train your bot again: it has changed since it was last trained, so it does not know "
                                 "\"{title}\" yet.").format(title=intent.title))
    examples = {normalise(text) for text in intent.examples}
    reached_copies = False
    for turn in workspace.transcript:
        prediction = workspace.model.predict_one(turn.question)  # re-derived, not the stored reply
        if workspace.model.decide(prediction, workspace.threshold) != intent.id:
            continue
        if normalise(turn.question) in examples:
            reached_copies = True
            continue
        return Feedback(True, _("Good: asked \"{question}\", your bot answers with \"{title}\" ({confidence} "
                                "sure).").format(question=turn.question, title=intent.title,
                                                 confidence=_percent(prediction.confidence)))
    if reached_copies:
        return Feedback(False, _("Your test question is one of the examples the bot learned from. Ask about "
                                 "\"{title}\" in your own words, as a citizen would.").format(title=intent.title))
    return Feedback(False, _("None of your test-chat questions gets the answer of \"{title}\". Ask the bot about it "
                             "in tab \"3. Train and chat\"; if it hands you over or picks another intent, add "
                             "examples that sound like your question.").format(title=intent.title))


def check_variants(workspace: ChatWorkspace) -> Feedback:
    new = workspace.new_intents()
    if not new:
        return Feedback(False, _("Add your new intent first (the task before this one)."))
    for intent in new:
        distinct = {normalise(answer) for answer in intent.answers}
        good_links = [link for link in intent.links if link_target_problem(link.kind, link.target) is None
                      and link.title.strip()]
        if len(distinct) >= 2 and good_links:
            return Feedback(True, ngettext(
                "Good: \"{title}\" answers in {count} ways and links to \"{link}\".",
                "Good: \"{title}\" answers in {count} ways and links to \"{link}\".",
                len(distinct)).format(title=intent.title, count=len(distinct), link=good_links[0].title))
    intent = max(new, key=lambda i: (len({normalise(a) for a in i.answers}), len(i.links)))
    distinct = {normalise(answer) for answer in intent.answers}
    if len(intent.answers) >= 2 and len(distinct) < 2:
        return Feedback(False, _("The answers of \"{title}\" say the same thing in the same words. Write a second "
                                 "variant in other words, so that a citizen who asks twice is not answered by a "
                                 "parrot.").format(title=intent.title))
    if len(distinct) < 2:
        return Feedback(False, _("\"{title}\" has one answer; give it a second variant (the bot gives them in turn).")
                        .format(title=intent.title))
    if intent.links:
        problem = next((link_target_problem(link.kind, link.target) for link in intent.links), None)
        return Feedback(False, _("The link of \"{title}\" is not usable: {problem}.").format(
            title=intent.title, problem=problem or _("a link needs a title")))
    return Feedback(False, _("\"{title}\" has answer variants; now add a link to a lesson or to the form a citizen "
                             "needs.").format(title=intent.title))


def _reachable(contact: str) -> bool:
    """A contact a citizen can use: a number (phone, room, opening hours), an e-mail or a web address."""
    lowered = contact.casefold()
    return any(ch.isdigit() for ch in contact) or "@" in contact or "www." in lowered or "://" in lowered


def check_handoff(workspace: ChatWorkspace) -> Feedback:
    handoff = workspace.bot.handoff
    if workspace.origin.kind == STARTER and (handoff.message, handoff.contact) == workspace.origin.handoff:
        return Feedback(False, _("This is still the starter bot's hand-off. Write your own: what the bot says when "
                                 "it passes a citizen to a person, and how your office can be reached."))
    words = word_count(handoff.message)
    if words < MIN_HANDOFF_WORDS:
        return Feedback(False, ngettext(
            "Your hand-off message has {count} word; say in a sentence that a person will take over "
            "(at least {least} words).",
            "Your hand-off message has {count} words; say in a sentence that a person will take over "
            "(at least {least} words).", words).format(count=words, least=MIN_HANDOFF_WORDS))
    if normalise(handoff.message) == normalise(workspace.bot.fallback):
        return Feedback(False, _("Your hand-off message is the same as the fallback answer. The fallback says what "
                                 "the bot cannot help with; the hand-off says that a person will take over."))
    if not handoff.contact.strip():
        return Feedback(False, _("Add a contact: how the citizen reaches the person who takes over (a phone number, "
                                 "an e-mail, an office and its opening hours)."))
    if not _reachable(handoff.contact):
        return Feedback(False, _("\"{contact}\" does not say how to reach anyone: give a phone number, an e-mail or "
                                 "web address, or an office with its room number or hours.").format(
            contact=handoff.contact))
    return Feedback(True, _("Good: when unsure, your bot says \"{message}\" and gives \"{contact}\".").format(
        message=handoff.message, contact=handoff.contact))


def check_overlap(workspace: ChatWorkspace) -> Feedback:
    waiting = _needs_evaluation(workspace)
    if waiting:
        return waiting
    focus = workspace.overlap_focus
    if focus is None:
        return Feedback(True, _("Your bot's evaluation shows no pair of intents that it confuses often: nothing to "
                                "fix."))
    first, second = workspace.bot.intent(focus.first), workspace.bot.intent(focus.second)
    for intent_id, intent in ((focus.first, first), (focus.second, second)):
        if intent is None:
            return Feedback(False, _("You deleted {intent}. Citizens still ask about it: keep both intents and make "
                                     "their examples distinct.").format(intent=intent_id))
        if len(intent.examples) < MIN_KEPT_EXAMPLES:
            return Feedback(False, ngettext(
                "\"{title}\" keeps {count} example: too few to learn from. Keep at least {least}, and reword the "
                "ones that could mean either intent.",
                "\"{title}\" keeps {count} examples: too few to learn from. Keep at least {least}, and reword the "
                "ones that could mean either intent.", len(intent.examples)).format(
                title=intent.title, count=len(intent.examples), least=MIN_KEPT_EXAMPLES))
    shared = {normalise(t) for t in first.examples} & {normalise(t) for t in second.examples}
    now = pair_count(workspace.evaluation, focus.first, focus.second)
    allowed = focus.count // 2
    pair = _("{first} and {second}").format(first=_title(workspace, focus.first),
                                            second=_title(workspace, focus.second))
    if now > allowed and shared:
        return Feedback(False, ngettext(
            "The evaluation still confuses {pair} {now} times (it was {before}); the task asks for at most "
            "{allowed}. {count} example is word for word in both intents: a model cannot learn two answers to the "
            "same words.",
            "The evaluation still confuses {pair} {now} times (it was {before}); the task asks for at most "
            "{allowed}. {count} examples are word for word in both intents: a model cannot learn two answers to the "
            "same words.", len(shared)).format(pair=pair, now=now, before=focus.count, allowed=allowed,
                                               count=len(shared)))
    if now > allowed:
        return Feedback(False, _("The evaluation still confuses {pair} {now} times (it was {before}); the task asks "
                                 "for at most {allowed}.").format(pair=pair, now=now, before=focus.count,
                                                                  allowed=allowed))
    scores = threshold_view(workspace.evaluation, 0.0).per_intent  # answering everything: the pair alone
    for intent in (first, second):
        recall = scores[intent.id].recall if intent.id in scores else 0.0
        if recall < MIN_PAIR_RECALL:
            return Feedback(False, _("{pair} are confused less, but the bot now answers only {recall} of the held-out "
                                     "questions about \"{title}\": keep enough clear examples for it.").format(
                pair=pair, recall=_percent(recall), title=intent.title))
    return Feedback(True, _("Good: {pair} are now confused {now} times instead of {before}.").format(
        pair=pair, now=now, before=focus.count))


def _threshold_view(workspace: ChatWorkspace) -> tuple[ThresholdView | None, Feedback | None]:
    waiting = _needs_evaluation(workspace)
    if waiting:
        return None, waiting
    return workspace.current_view(), None


def accuracy_floor(workspace: ChatWorkspace) -> float:
    """The in-scope accuracy the threshold task keeps: 5 points under answering everything (threshold 0)."""
    return threshold_view(workspace.evaluation, 0.0).in_scope_accuracy - ACCURACY_GIVE_UP


def best_oos_recall(workspace: ChatWorkspace) -> tuple[float, float]:
    """(threshold, out-of-scope recall) of the slider position that declines the most out-of-scope
    questions while in-scope accuracy stays at the floor (threshold 0 always does)."""
    floor = accuracy_floor(workspace) - 1e-9
    best = (0.0, threshold_view(workspace.evaluation, 0.0).oos_recall or 0.0)
    for step in range(1, 101):
        view = threshold_view(workspace.evaluation, step / 100)
        if view.in_scope_accuracy >= floor and (view.oos_recall or 0.0) > best[1] + 1e-9:
            best = (step / 100, view.oos_recall)
    return best


def check_threshold(workspace: ChatWorkspace) -> Feedback:
    oos_count = len(workspace.bot.out_of_scope)
    if oos_count < MIN_OUT_OF_SCOPE:
        return Feedback(False, ngettext(
            "Your bot has {count} out-of-scope example; add at least {least} questions it must not answer, so its "
            "out-of-scope recall means something.",
            "Your bot has {count} out-of-scope examples; add at least {least} questions it must not answer, so its "
            "out-of-scope recall means something.", oos_count).format(count=oos_count, least=MIN_OUT_OF_SCOPE))
    view, waiting = _threshold_view(workspace)
    if waiting:
        return waiting
    floor = accuracy_floor(workspace)
    everything = threshold_view(workspace.evaluation, 0.0).in_scope_accuracy
    where = _("At your threshold {threshold:.2f}").format(threshold=view.threshold)
    if view.in_scope_accuracy < floor - 1e-9:
        return Feedback(False, _("{where} the bot answers {accuracy} of the in-scope questions right and hands "
                                 "{handoff} of them to a person. Answering everything, it gets {everything} right: "
                                 "the task allows giving up at most 5 points ({floor}). Lower the threshold.").format(
            where=where, accuracy=_percent(view.in_scope_accuracy), handoff=_percent(view.unsure_share),
            everything=_percent(everything), floor=_percent(floor)))
    oos = view.oos_recall or 0.0
    best = best_oos_recall(workspace)
    if oos < best[1] - OOS_TOLERANCE:
        return Feedback(False, _("{where} the bot declines {oos} of the out-of-scope questions, and its in-scope "
                                 "accuracy ({accuracy}) leaves room: a higher threshold declines more of them while "
                                 "the accuracy stays at {floor} or more.").format(
            where=where, oos=_percent(oos), accuracy=_percent(view.in_scope_accuracy), floor=_percent(floor)))
    return Feedback(True, _("{where} the bot declines {oos} of the out-of-scope questions and answers {accuracy} of "
                            "the others right; the price is {handoff} of real questions handed to a person.").format(
        where=where, oos=_percent(oos), accuracy=_percent(view.in_scope_accuracy),
        handoff=_percent(view.unsure_share)))


def check_reading(workspace: ChatWorkspace) -> Feedback:
    view, waiting = _threshold_view(workspace)
    if waiting:
        return waiting
    lowest = view.lowest_recall()
    chosen = workspace.answers.get("lowest_recall", "")
    if not chosen:
        return Feedback(False, _("Answer the first question: which intent has the lowest recall?"))
    if chosen not in view.per_intent:
        return Feedback(False, _("{intent} is not one of the intents in your bot's evaluation.").format(intent=chosen))
    if chosen not in lowest:
        return Feedback(False, _("You chose {intent}: the bot answers {recall} of its held-out questions right. At "
                                 "least one intent does worse: look at the recall column of the table.").format(
            intent=_title(workspace, chosen), recall=_percent(view.per_intent[chosen].recall)))
    answer = parse_percent(workspace.answers.get("handoff_share", ""))
    if answer is None:
        return Feedback(False, _("Now answer the second question: what share of the in-scope questions goes to a "
                                 "person at your threshold?"))
    expected = view.unsure_share * 100
    if abs(answer - expected) > ANSWER_TOLERANCE:
        near = {_("the out-of-scope recall"): (view.oos_recall or -1) * 100,
                _("the in-scope accuracy"): view.in_scope_accuracy * 100,
                _("the share not answered right (wrong answers and hand-offs together)"):
                    (1 - view.in_scope_accuracy) * 100}
        name, value = min(near.items(), key=lambda item: abs(answer - item[1]))  # the nearest other number
        if abs(answer - value) <= ANSWER_TOLERANCE:
            return Feedback(False, _("You answered {answer}: that is {name}. The hand-off share counts only the "
                                     "in-scope questions the bot was too unsure to answer.").format(
                answer=f"{answer:.0f}%", name=name))
        return Feedback(False, _("You answered {answer}. Read the hand-off share at your threshold ({threshold:.2f}) "
                                 "in the evaluation.").format(answer=f"{answer:.0f}%", threshold=view.threshold))
    return Feedback(True, _("Right: {intent} has the lowest recall ({recall}), and at {threshold:.2f} the bot hands "
                            "{share} of in-scope questions to a person.").format(
        intent=_title(workspace, chosen), recall=_percent(view.per_intent[chosen].recall), threshold=view.threshold,
        share=_percent(view.unsure_share)))


def check_export(workspace: ChatWorkspace) -> Feedback:
    if workspace.exported_current:
        return Feedback(True, _("Your bot is exported as it is now: one .bot.json file another office can import."))
    if workspace.exports:
        return Feedback(False, _("You exported your bot before your latest changes: export it again."))
    return Feedback(False, _("Export your bot (the \"Export…\" button) as one .bot.json file."))


TASKS = (
    Task("new_intent", N_("Teach the bot a new service"),
         N_("Add an intent for a service the bot does not know yet, with at least 8 different ways a citizen may ask "
            "and an answer. Train the bot, then ask about the service in the test chat, in your own words."),
         check_new_intent,
         N_("Vary the examples: short and long, polite and casual, with the words citizens really use (and their "
            "typos). A test question copied from the examples proves nothing.")),
    Task("variants", N_("Answer variants and a link"),
         N_("Give your new intent a second answer worded differently, and a link: to a lesson "
            "(course_id/item_id) or to the form the citizen needs."),
         check_variants,
         N_("The bot gives the variants in turn. A link to a form saves the citizen a search.")),
    Task("handoff", N_("Hand over to a person"),
         N_("Write your own hand-off: the message the bot gives when it is unsure, and a contact that tells the "
            "citizen how to reach a person (a phone number, an e-mail, an office and its hours)."),
         check_handoff,
         N_("The fallback is for questions the bot does not handle at all; the hand-off is for questions it "
            "probably handles but is not sure about.")),
    Task("overlap", N_("Fix the overlap the evaluation finds"),
         N_("Evaluate your bot. The confusion view shows the pair of intents it confuses most. Make their examples "
            "distinct (reword or remove the ones that could mean either) until the evaluation confuses them at most "
            "half as often, without deleting either intent."),
         check_overlap,
         N_("Look for examples that appear in both intents, or that a person could not sort either.")),
    Task("threshold", N_("Set the \"I don't know\" threshold"),
         N_("In the held-out evaluation, raise the threshold so that the bot declines as many out-of-scope "
            "questions as it can, while it answers right at most 5 points fewer in-scope questions than when it "
            "answers everything (threshold 0)."),
         check_threshold,
         N_("The curve shows both numbers for every threshold: a higher threshold declines more, but hands more "
            "real questions to a person.")),
    Task("reading", N_("Read the evaluation"),
         N_("At your threshold, which intent has the lowest recall? And what share of in-scope questions does the "
            "bot hand over to a person? Answer both questions under the evaluation."),
         check_reading,
         N_("Recall of an intent: of the held-out questions that really were about it, the share the bot answered "
            "with it.")),
    Task("export", N_("Export the bot"),
         N_("Export your finished bot as one .bot.json file, after your last change."),
         check_export,
         N_("Another office can import the file and improve it; nothing else needs to be copied.")),
)


# --- the reference solution and plausible mistakes ------------------------------------------------------

REFERENCE_STARTER = "gov24-en"
OVERLAP_PAIR = ("resident_registration_copy", "family_relation_certificate")
# Examples the starter gives to both intents of the overlap, and others a person could not sort either.
_AMBIGUOUS = {"certificate for my family", "a document that shows my family members",
              "paper listing everyone in my family", "proof of my family for the application",
              "i need a paper with my family on it", "proof of my family members for a visa"}

BULKY_WASTE = Intent(
    "bulky_waste", "Dispose of bulky waste",
    ("how do I throw away an old sofa", "how do I throw away an old mattress", "throw away a broken fridge",
     "where can I throw away old furniture", "bulky waste disposal sticker", "how much is the bulky waste fee",
     "bulky waste collection for a wardrobe", "I want to dispose of a desk and chairs",
     "dispose of an old washing machine", "how to dispose of large furniture", "large waste pickup from my apartment",
     "book a bulky waste pickup online", "where do I put a big item of rubbish", "get rid of an old bed",
     "sticker for throwing out a sofa"),
    (("Apply for bulky waste collection online or at your community service centre, pay the fee (it depends on "
      "the item; the amount is an example, check your district) and stick the receipt on the item."),
     ("Register each large item with your district, pay the disposal fee, and put the item out with its sticker "
      "on the collection day. Check your district's site for prices.")),
    (Link("form", "Bulky waste disposal request", "Bulky waste disposal request (district form)"),
     Link("lesson", "Designing a public-service chatbot", "automation-and-chatbots/chatbot-design")))
REFERENCE_HANDOFF = Handoff("I am not sure I understood your question, so a civil servant of the Civic Centre will "
                            "answer you.", "Civic Centre help desk: 02-123-4567 (weekdays 9:00-18:00), "
                                           "help@civic-centre.example")
REFERENCE_THRESHOLD = 0.67
REFERENCE_QUESTIONS = ("where do I put an old sofa I don't need any more",)
# Measured on the reference bot at REFERENCE_THRESHOLD (the self-test and tests/labs/test_chatbot_lab.py check them).
REFERENCE_ANSWERS = {"lowest_recall": "passport_renew", "handoff_share": "9"}


def _without_ambiguous(intent: Intent) -> Intent:
    return replace(intent, examples=tuple(e for e in intent.examples if e.casefold() not in _AMBIGUOUS))


def reference_bot(starter: Bot) -> Bot:
    bot = starter
    for intent_id in OVERLAP_PAIR:
        bot = bot.with_intent(_without_ambiguous(bot.intent(intent_id)))
    bot = bot.with_intent(BULKY_WASTE)
    return replace(bot, handoff=REFERENCE_HANDOFF, threshold=REFERENCE_THRESHOLD)


def _snapshot(bot: Bot, starter: Bot, *, trained: Bot | None = None, evaluated: Bot | None | bool = None,
              questions: tuple[str, ...] = REFERENCE_QUESTIONS, answers: dict[str, str] | None = None,
              exported: Bot | None = None, focus: dict[str, Any] | None = None) -> dict[str, Any]:
    """A snapshot as the workspace writes it. `trained` / `evaluated` / `exported` name the bot the
    model, the evaluation and the export were made from (the bot itself unless said otherwise)."""
    trained, exported = trained or bot, exported or bot
    evaluated = bot if evaluated is None else evaluated  # False: not evaluated (saves a cross-validation)
    return {"version": 1, "bot": bot_to_dict(bot),
            "origin": Origin.of(STARTER, starter, REFERENCE_STARTER).to_dict(),
            "trained": trained.training_fingerprint(),
            "evaluated": ({"fingerprint": evaluated.training_fingerprint(), "threshold": bot.threshold}
                          if evaluated else None),
            "overlap_focus": focus if focus is not None else _REFERENCE_FOCUS,
            "transcript": [{"question": q} for q in questions],
            "answers": dict(REFERENCE_ANSWERS if answers is None else answers),
            "exports": [exported.fingerprint()]}


# The starter's first evaluation confuses the planned pair this often (measured; the tests check it).
_REFERENCE_FOCUS = {"first": OVERLAP_PAIR[0], "second": OVERLAP_PAIR[1], "count": 6}


def _build() -> tuple[dict[str, Any], tuple[WrongAttempt, ...]]:
    starter = load_starter(REFERENCE_STARTER)
    bot = reference_bot(starter)
    reference = _snapshot(bot, starter)
    few = bot.with_intent(replace(BULKY_WASTE, examples=BULKY_WASTE.examples[:5]))
    no_answer = bot.with_intent(replace(BULKY_WASTE, answers=()))
    one_answer = bot.with_intent(replace(BULKY_WASTE, answers=BULKY_WASTE.answers[:1]))
    same_answers = bot.with_intent(replace(BULKY_WASTE, answers=(BULKY_WASTE.answers[0],
                                                                 BULKY_WASTE.answers[0].upper())))
    no_link = bot.with_intent(replace(BULKY_WASTE, links=()))
    bad_lesson = bot.with_intent(replace(BULKY_WASTE, links=(Link("lesson", "Chatbots", "chatbot-design"),)))
    starter_handoff = replace(bot, handoff=starter.handoff)
    no_contact = replace(bot, handoff=Handoff(REFERENCE_HANDOFF.message, "ask at the front desk"))
    handoff_is_fallback = replace(bot, handoff=Handoff(bot.fallback, REFERENCE_HANDOFF.contact))
    overlap_kept = replace(starter.with_intent(BULKY_WASTE), handoff=REFERENCE_HANDOFF, threshold=REFERENCE_THRESHOLD)
    family_deleted = replace(bot, intents=tuple(i for i in bot.intents if i.id != OVERLAP_PAIR[1]))
    low_threshold = replace(bot, threshold=0.0)
    high_threshold = replace(bot, threshold=0.95)
    wrong = (
        WrongAttempt("new intent with only 5 examples", "new_intent", _snapshot(few, starter, evaluated=False)),
        WrongAttempt("new intent without an answer", "new_intent", _snapshot(no_answer, starter)),
        WrongAttempt("never asked about the new intent in the test chat", "new_intent",
                     _snapshot(bot, starter, questions=("how do I renew my passport",))),
        WrongAttempt("tested with a question copied from the examples", "new_intent",
                     _snapshot(bot, starter, questions=(BULKY_WASTE.examples[0],))),
        WrongAttempt("new intent added but the bot not trained again", "new_intent",
                     _snapshot(bot, starter, trained=starter)),
        WrongAttempt("one answer only", "variants", _snapshot(one_answer, starter)),
        WrongAttempt("the same answer twice", "variants", _snapshot(same_answers, starter)),
        WrongAttempt("no link", "variants", _snapshot(no_link, starter)),
        WrongAttempt("a lesson link without its course", "variants", _snapshot(bad_lesson, starter)),
        WrongAttempt("keeps the starter's hand-off", "handoff", _snapshot(starter_handoff, starter)),
        WrongAttempt("contact without a way to reach anyone", "handoff", _snapshot(no_contact, starter)),
        WrongAttempt("hand-off message copied from the fallback", "handoff",
                     _snapshot(handoff_is_fallback, starter)),
        WrongAttempt("overlap left as it was", "overlap", _snapshot(overlap_kept, starter)),
        WrongAttempt("overlap 'fixed' by deleting an intent", "overlap", _snapshot(family_deleted, starter)),
        WrongAttempt("not evaluated since the last change", "overlap",
                     _snapshot(bot, starter, evaluated=overlap_kept)),
        WrongAttempt("threshold 0: never declines", "threshold", _snapshot(low_threshold, starter)),
        WrongAttempt("threshold 0.95: hands most questions to a person", "threshold",
                     _snapshot(high_threshold, starter)),
        WrongAttempt("names an intent with a high recall", "reading",
                     _snapshot(bot, starter, answers={**REFERENCE_ANSWERS, "lowest_recall": "passport_lost"})),
        WrongAttempt("gives the out-of-scope recall as the hand-off share", "reading",
                     _snapshot(bot, starter, answers={**REFERENCE_ANSWERS, "handoff_share": "90"})),
        WrongAttempt("never exported", "export", {**reference, "exports": []}),
        WrongAttempt("exported before the last change", "export", _snapshot(bot, starter, exported=starter)),
    )
    return reference, wrong


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> ChatWorkspace:
    return open_workspace(copy.deepcopy(snapshot) if snapshot else None, state, files)


REFERENCE, WRONG_ATTEMPTS = _build()

LAB = LabDefinition(
    id="chatbot/consultation",
    family="chatbot",
    title=N_("Build a public-service chatbot"),
    summary=N_("Start from a Government 24-style consultation bot, teach it a new service, hand unsure questions to "
               "a person, test it in a chat, measure it on questions it has not seen, fix what the evaluation finds "
               "and export it as one file. The code view shows the same bot in scikit-learn."),
    datasets=(),
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.chatbot.panel:ChatbotPanel",
)
