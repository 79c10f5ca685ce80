"""Lab "smart_city/elder-care": care for elders living alone (issue 8, scenario 2).

After Korea's Dasomi care robot, which speaks up after 30 minutes of silence and calls a guardian after 5 hours
without movement: the learner runs the robot's rules over six weeks of five homes' sensor readings, learns an alarm
from each household's own routine and compares the two (false calls to guardians against missed emergencies), finds
where the learned alarm fails (an illness that looks like an ordinary day, a routine that changed, what re-learning
costs), and decides what data the service may keep, for how long, and who is told what. The engine is
labs/smart_city/care/ (formulas, sources and measured numbers in its README); the learner's work is
care_workspace.py; this module holds the lab's text, its checks, the reference solution and the plausible mistakes.
No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.formatting import date as format_date
from app.core.formatting import isolated, number, percent
from app.core.formatting import minutes as format_minutes
from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.answers import parse_number, parse_percent
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt
from labs.smart_city.care.learned import learn
from labs.smart_city.care.streams import DATASET, SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_HOUR, Emergency
from labs.smart_city.care_workspace import (MEAN_SD_STAT, REFERENCE_CHOICE, ROBOT, ROBOT_DOOR, SHARED_ROUTINE,
                                            CareWorkspace, LearnChoice, Run, emergency_id, open_workspace)

# --- names the learner sees -------------------------------------------------------------------------------------

HOUSEHOLD_NAMES = {
    # TRANSLATORS: a made-up resident of the care lab, with the household's id; keep the Korean family name.
    "H1": N_("Mrs Kim (H1)"),
    # TRANSLATORS: a made-up resident of the care lab, with the household's id; keep the Korean family name.
    "H2": N_("Mr Park (H2)"),
    # TRANSLATORS: a made-up resident of the care lab, with the household's id; keep the Korean family name.
    "H3": N_("Mrs Lee (H3)"),
    # TRANSLATORS: a made-up resident of the care lab, with the household's id; keep the Korean family name.
    "H4": N_("Mr Choi (H4)"),
    # TRANSLATORS: a made-up resident of the care lab, with the household's id; keep the Korean family name.
    "H5": N_("Mrs Jung (H5)"),
}
HOUSEHOLD_ROUTINES = {
    "H1": N_("78, an early riser: up at five, a morning walk, in bed by nine."),
    "H2": N_("74, a night owl: up at half past nine, television until after midnight."),
    "H3": N_("81, out every day: the market each morning, the seniors' centre most afternoons, a day at her son's "
             "every second week."),
    "H4": N_("85, goes to a day centre on Mondays, Wednesdays and Fridays; long naps and television on other days."),
    "H5": N_("88, frail: ten and a half hours in bed, a care worker on weekday mornings, long still spells in an "
             "armchair."),
}
KIND_NAMES = {
    # TRANSLATORS: a kind of emergency in the care lab: the resident fell and could not get up.
    "fall": N_("fall"),
    # TRANSLATORS: a kind of emergency in the care lab: the resident was ill, mostly in bed, for days.
    "illness": N_("illness"),
}
PERCENTILE_TITLES = {
    90.0: N_("90th percentile: 1 in 10 ordinary spells at that hour is longer"),
    95.0: N_("95th percentile: 1 in 20 ordinary spells at that hour is longer"),
    98.0: N_("98th percentile: 1 in 50 ordinary spells at that hour is longer"),
    99.0: N_("99th percentile: 1 in 100 ordinary spells at that hour is longer"),
    99.5: N_("99.5th percentile: 1 in 200 ordinary spells at that hour is longer"),
    100.0: N_("the longest spell seen at that hour"),
}
STATISTIC_TITLES = {
    "percentile": N_("the still spells seen at each hour, at the percentile below"),
    "mean_sd": N_("the average still spell at each hour plus two standard deviations"),
}
ROUTINE_TITLES = {
    "own": N_("each household's own routine"),
    "shared": N_("one routine for everybody (the households' median)"),
}
PRIVACY_TITLES = {
    "motion": {"counts": N_("how many times the motion sensors fired"),
               "yes_no": N_("only whether anything moved"),
               "none": N_("no motion sensors")},
    "door": {"kept": N_("front door opened or not"), "none": N_("no door sensor")},
    "sound": {"recording": N_("audio recordings of the home"),
              "yes_no": N_("only whether any sound was heard, kept on the device for the speak-up rule"),
              "none": N_("no sound at all")},
    "step": {5: N_("every 5 minutes"), 15: N_("totals every 15 minutes"), 60: N_("totals every hour")},
    "keep": {"always": N_("as long as the service runs"), "year": N_("one year"),
             "four_weeks": N_("four weeks, to re-learn the routine"), "day": N_("24 hours"),
             "six_hours": N_("6 hours")},
    "guardian": {"calls": N_("each call: its time and its reason"),
                 "live": N_("the live readings, to look in at any time"), "nothing": N_("nothing")},
    "care_worker": {"calls_activity": N_("each call, and how many hours a day the resident was active"),
                    "calls": N_("each call only"), "raw": N_("every reading of every 5 minutes")},
    "city": {"monthly_counts": N_("monthly counts of calls and false calls for the whole service"),
             "named_calls": N_("each household's calls, with names and addresses"),
             "raw": N_("every reading of every home")},
    "vendor": {"device_health": N_("device health only (battery, signal, faults)"),
               "raw": N_("every reading, to improve its products")},
}
PRIVACY_LABELS = {
    "motion": N_("Movement:"), "door": N_("Front door:"), "sound": N_("Sound:"),
    # TRANSLATORS: how finely in time the readings are kept (every 5 minutes, every 15, every hour).
    "step": N_("Time step:"),
    "keep": N_("Raw readings are kept for:"), "guardian": N_("The guardian is told:"),
    "care_worker": N_("The care worker sees:"), "city": N_("The city welfare office sees:"),
    "vendor": N_("The device vendor receives:"),
}
NEED_TITLES = {  # privacy.DATA_NEEDS' identifiers
    "speak_up_rule": N_("The robot speaks up after 30 minutes of silence"),
    "five_hour_rule": N_("The robot calls after 5 hours without movement"),
    "learned_alarm": N_("The alarm learned from each routine"),
    "sound": N_("sound"), "motion": N_("movement"), "door": N_("front door"),
    "audio_recording": N_("audio recordings"), "camera": N_("cameras"),
    "room_of_each_trigger": N_("which room each movement was in"), "name_and_address": N_("name and address"),
    "health_record": N_("health records"),
    "profile_24_limits_24_floors_1_cap": N_("a profile: 24 still-spell limits, 24 activity floors, 1 outing length"),
}


def household_name(household: str) -> str:
    return _(HOUSEHOLD_NAMES[household])


def clock(slot: int) -> str:
    """"06:30" for a slot of the day (or of the study), left to right in a right-to-left sentence."""
    minute = (slot % SLOTS_PER_DAY) * SLOT_MINUTES
    return isolated(f"{minute // 60:02d}:{minute % 60:02d}")


def decimal(value: float, digits: int = 1) -> str:
    """A number rounded to `digits` decimals, written as the learner's language writes numbers."""
    return number(round(value, digits))


def out_of(n: int, total: int) -> str:
    """"7 of 8": in words, so that a right-to-left line does not turn it into "8 / 7"."""
    # TRANSLATORS: a count out of a total in the care lab's tables, e.g. "7 of 8" emergencies caught.
    return _("{n} of {total}").format(n=n, total=total)


def hours_text(value: float) -> str:
    return ngettext("{n} hour", "{n} hours", round(value)).format(n=decimal(value))


def emergency_title(workspace: CareWorkspace, emergency: Emergency) -> str:
    """"Mr Choi (H4): illness from May 3, 2024, 06:30"."""
    day = emergency.start // SLOTS_PER_DAY
    values = {"who": household_name(emergency.household), "date": format_date(workspace.date_of(day)),
              "time": clock(emergency.start)}
    if emergency.kind == "fall":
        return _("{who}: a fall on {date} at {time}").format(**values)
    return _("{who}: ill from {date} at {time}").format(**values)


def emergency_list(workspace: CareWorkspace, ids: list[str]) -> str:
    # TRANSLATORS: separates items of a list in a sentence, e.g. "Mrs Kim (H1): a fall …; Mr Choi (H4): ill …".
    return _("; ").join(emergency_title(workspace, workspace.emergency(i)) for i in ids) or "–"


def minutes_to_alert(detection) -> str:
    if detection.minutes_to_alert is None:
        # TRANSLATORS: in the table of emergencies: no call came in time.
        return _("missed")
    return format_minutes(int(detection.minutes_to_alert))


# --- the questions of task 3 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str  # N_()-marked
    options: tuple[tuple[str, str], ...] = ()  # (id, N_()-marked text); empty: emergencies or households


QUESTIONS = (
    Question("missed", N_("Which emergency does your alarm miss?")),
    Question("why", N_("Why does it miss that emergency?"), (
        ("quiet_life", N_("It looks like one of his ordinary days: he naps and sits in front of the television for "
                          "hours, so the limits and the activity floor learned from his weeks are wide enough to "
                          "take in a day ill in bed.")),
        ("sensor", N_("The motion sensor stopped working that day.")),
        ("tv", N_("The television was on, so the alarm took him to be well.")),
        ("out", N_("The alarm took him to be at the day centre.")),
    )),
    Question("changed", N_("Whose routine changed during the six weeks, so that most of their false calls came "
                           "after the change?")),
    Question("relearn", N_("What does re-learning the routine every week do?"), (
        ("both", N_("It follows a changed routine, so those false calls stop; but it also learns whatever happened "
                    "in the weeks before as normal, a fall or an illness too, and may then miss the next "
                    "emergency.")),
        ("free", N_("It removes false calls at no cost: every alarm should re-learn every week.")),
        ("nothing", N_("It changes nothing: the routines were learned well the first time.")),
        ("catches_all", N_("It catches every emergency, because the alarm is always up to date.")),
    )),
)
RIGHT_ANSWERS = {"why": "quiet_life", "changed": "H1", "relearn": "both"}
CHANGE_DAY = 49  # H1's new afternoon nap begins in week 8 (labs/datasets/elder_care.py)
RATE_TOLERANCE = 0.05  # false calls per household-month, typed to two decimals
CUT_TOLERANCE = 1.0  # percentage points


def question(question_id: str) -> Question:
    return next(q for q in QUESTIONS if q.id == question_id)


# --- helpers for the checks --------------------------------------------------------------------------------------


def _rate(summary) -> str:
    return decimal(summary.false_calls_per_household_month, 2)


def _by_false_calls(summary) -> list:
    return sorted(summary.outcomes, key=lambda o: -o.false_calls)


def beats_robot(workspace: CareWorkspace, run: Run) -> tuple[bool, bool]:
    """(at most half the robot's false calls, fewer emergencies missed than the robot)."""
    robot = workspace.reference(ROBOT).summary
    mine = run.summary
    return (mine.false_calls_per_household_month <= robot.false_calls_per_household_month / 2,
            mine.missed < robot.missed)


def false_calls_split(run: Run, household: str, day: int = CHANGE_DAY) -> tuple[int, int]:
    """A household's false calls in the scored weeks before `day` and from it on."""
    outcome = next(o for o in run.summary.outcomes if o.household == household)
    late = sum(slot >= day * SLOTS_PER_DAY for slot in outcome.false_call_slots)
    return outcome.false_calls - late, late


# --- checks -------------------------------------------------------------------------------------------------------


def check_robot(workspace: CareWorkspace) -> Feedback:
    run = workspace.robot
    if run is None or not workspace.robot_is_current():
        return Feedback(False, _("Run the robot's rules over the six weeks first: press \"Run the robot's rules\" in "
                                 "\"1. The robot's rules\"."))
    robot = workspace.reference(ROBOT).summary
    if run.door:
        return Feedback(False, _("You ran the rules with the count paused while the front door says the resident is "
                                 "out. The robot does not read the door: it sees movement and sound only. Untick the "
                                 "door and run the rules again (with the door, {door} false calls per "
                                 "household-month; without it, as the robot works, more).").format(
            door=_rate(run.summary)))
    typed_rate = workspace.answers.get("robot_rate", "")
    rate = parse_number(typed_rate)
    if rate is None:
        return Feedback(False, _("Type the robot's false calls per household-month as a number, for example 3.5."))
    expected = robot.false_calls_per_household_month
    months = decimal(robot.household_months, 1)
    if abs(rate - expected) > RATE_TOLERANCE:
        shown = decimal(rate, 2)
        if abs(rate - robot.false_calls) < 0.5:
            return Feedback(False, _("You typed {rate}: that is every false call in the five homes over the six weeks. "
                                     "Per household-month, divide it by the household-months watched: {months}.")
                            .format(rate=shown, months=months))
        per_home = robot.false_calls / len(robot.outcomes)
        if abs(rate - per_home) <= RATE_TOLERANCE:
            return Feedback(False, _("You typed {rate}: that is false calls per home over six weeks (42 days). A "
                                     "household-month is one home watched for 30 days: divide the false calls by "
                                     "{months}.").format(rate=shown, months=months))
        door = workspace.reference(ROBOT_DOOR).summary
        if abs(rate - door.false_calls_per_household_month) <= RATE_TOLERANCE:
            return Feedback(False, _("You typed {rate}: that is the rate with the count paused while the door says "
                                     "the resident is out, which the robot cannot do. Use the robot's own rules.")
                            .format(rate=shown))
        return Feedback(False, _("You typed {rate}. Add up the false calls in the table and divide them by the "
                                 "household-months watched, {months} (5 homes × 42 days ÷ 30).").format(
            rate=shown, months=months))
    typed_missed = workspace.answers.get("robot_missed", "")
    missed = parse_number(typed_missed)
    if missed is None or missed != int(missed) or missed < 0:
        return Feedback(False, _("Type how many emergencies the robot missed, as a whole number."))
    if int(missed) != robot.missed:
        if int(missed) == robot.caught:
            return Feedback(False, _("You typed {n}: that is how many emergencies the robot called about. The question "
                                     "asks how many of the {total} it missed.").format(
                n=int(missed), total=robot.emergencies))
        return Feedback(False, _("You typed {n}. Count the emergencies of the six weeks the robot never called "
                                 "about: the \"Missed\" column of the table.").format(n=int(missed)))
    door = workspace.reference(ROBOT_DOOR).summary
    first, second = _by_false_calls(robot)[:2]
    missed_ids = run.emergency_ids(caught=False)
    return Feedback(True, _("Right: the robot makes {rate} false calls per household-month ({n} in {months} "
                            "household-months) and misses {missed} of {total} emergencies: {which}. An illness in bed "
                            "is not five hours without any movement. Most false calls come from {a}, {na}, and {b}, "
                            "{nb}. Reading the front door as well would bring the rate down to {door}: those calls "
                            "were days out. The rest are long still spells at home, such as a frail resident's "
                            "nights.").format(
        rate=_rate(robot), n=robot.false_calls, months=months, missed=robot.missed, total=robot.emergencies,
        which=emergency_list(workspace, missed_ids), a=household_name(first.household), na=first.false_calls,
        b=household_name(second.household), nb=second.false_calls, door=_rate(door)))


def _too_many_reason(choice: LearnChoice, workspace: CareWorkspace, run: Run) -> str:
    """Why a learned alarm makes many false calls, from the learner's settings (the likeliest cause first)."""
    worst = _by_false_calls(run.summary)[0]
    if choice.routine == SHARED_ROUTINE:
        return _("One routine for everybody fits nobody: {who} alone gets {n} false calls, because the shared limits "
                 "are far shorter than the still spells that are normal in that home. Learn each household's own "
                 "routine.").format(who=household_name(worst.household), n=worst.false_calls)
    if choice.weeks < 3:
        return ngettext("With {n} week to learn from, the alarm has not yet seen the longer naps and quieter days "
                        "that happen in that home now and then: learn from more weeks.",
                        "With {n} weeks to learn from, the alarm has not yet seen the longer naps and quieter days "
                        "that happen in that home now and then: learn from more weeks.", choice.weeks).format(
            n=choice.weeks)
    if choice.statistic == MEAN_SD_STAT:
        return _("The average plus two standard deviations assumes still spells spread evenly around their average. "
                 "They do not: most are short, a few (naps, nights) are very long, so the limit falls inside the "
                 "ordinary long spells. Use a high percentile of the spells seen instead.")
    if choice.cap_five_hours:
        return _("Capped at the robot's five hours, every night is too long for the limit: {who} alone gets {n} "
                 "false calls, most of them at night.").format(who=household_name(worst.household),
                                                               n=worst.false_calls)
    if choice.percentile <= 95:
        return _("At the {p}th percentile, ordinary long spells at that hour are already past the limit every few "
                 "days. Choose a higher percentile.").format(p=number(choice.percentile))
    return _("The limits are too tight for the longest ordinary still spells: a larger margin or a higher percentile "
             "gives them room. {who} gets the most false calls ({n}).").format(
        who=household_name(worst.household), n=worst.false_calls)


def check_learned(workspace: CareWorkspace) -> Feedback:
    run = workspace.learned
    if run is None:
        return Feedback(False, _("Learn the routines first: press \"Learn and test\" in \"2. Learn each routine\"."))
    if not workspace.learned_is_current():
        return Feedback(False, _("You changed the settings since the last test: press \"Learn and test\" again."))
    robot = workspace.reference(ROBOT).summary
    mine = run.summary
    few_calls, fewer_missed = beats_robot(workspace, run)
    numbers = {"mine": _rate(mine), "robot": _rate(robot), "half": decimal(robot.false_calls_per_household_month / 2,
                                                                            2)}
    if not few_calls:
        return Feedback(False, _("Your alarm makes {mine} false calls per household-month; the robot makes {robot}. "
                                 "The task asks for at most half of the robot's, {half}.").format(**numbers)
                        + " " + _too_many_reason(workspace.choice, workspace, run))
    if not fewer_missed:
        missed = run.emergency_ids(caught=False)
        message = ngettext("Your alarm makes only {mine} false calls per household-month, but it misses {n} "
                           "emergency ({which}); the robot misses {r}. Fewer calls bought with missed emergencies are "
                           "no gain.",
                           "Your alarm makes only {mine} false calls per household-month, but it misses {n} "
                           "emergencies ({which}); the robot misses {r}. Fewer calls bought with missed emergencies "
                           "are no gain.", len(missed)).format(
            n=len(missed), which=emergency_list(workspace, missed), r=robot.missed, **numbers)
        if not workspace.choice.low_activity:
            message += " " + _("Without the low-activity check, an illness in bed, moving now and then, never looks "
                               "like a long still spell: switch the check on.")
        elif workspace.choice.margin >= 3:
            message += " " + _("With a margin of {m}, the limits are so long that a fall waits for hours before "
                               "anybody is called.").format(m=number(workspace.choice.margin))
        return Feedback(False, message)
    typed = workspace.answers.get("learned_cut", "")
    answer = parse_percent(typed)
    if answer is None:
        return Feedback(False, _("Type the share of the robot's false calls your alarm avoids, as a percentage."))
    expected = 100 * (1 - mine.false_calls / robot.false_calls)
    shown = percent(answer, 1)
    if abs(answer - expected) > CUT_TOLERANCE:
        if abs(answer - (100 - expected)) <= CUT_TOLERANCE:
            return Feedback(False, _("You typed {answer}: that is the share of the robot's false calls your alarm "
                                     "still makes. The question asks for the share it avoids.").format(answer=shown))
        difference = robot.false_calls_per_household_month - mine.false_calls_per_household_month
        if abs(answer - difference) <= 0.05:
            return Feedback(False, _("You typed {answer}: that is the difference in false calls per household-month, "
                                     "not a share. Divide it by the robot's {robot}.").format(answer=shown, **numbers))
        return Feedback(False, _("You typed {answer}. The robot makes {robot_n} false calls over the six weeks and "
                                 "your alarm {mine_n}: work out the share avoided as (robot − yours) ÷ robot.").format(
            answer=shown, robot_n=robot.false_calls, mine_n=mine.false_calls))
    return Feedback(True, _("Right: your alarm avoids {cut} of the robot's false calls ({mine} per household-month "
                            "against {robot}), catches {caught} of {total} emergencies against the robot's {rcaught}, "
                            "and people lie unattended {hours} in all instead of {rhours}. The median time from an "
                            "emergency's start to the call is {median}; the robot's, {rmedian}.").format(
        cut=percent(expected, 1), caught=mine.caught, total=mine.emergencies, rcaught=robot.caught,
        hours=hours_text(mine.hours_unattended), rhours=hours_text(robot.hours_unattended),
        median=format_minutes(int(mine.median_minutes_to_alert or 0)),
        rmedian=format_minutes(int(robot.median_minutes_to_alert or 0)), **numbers))


def _why_feedback(workspace: CareWorkspace, emergency: Emergency, answer: str) -> str:
    item = workspace.stream(emergency.household)
    day = emergency.start // SLOTS_PER_DAY
    moved = int((item.motion[day * SLOTS_PER_DAY:(day + 1) * SLOTS_PER_DAY] > 0).sum())
    if answer == "sensor":
        return _("The sensors worked: on {date} they saw movement in {n} of the day's 288 five-minute slots. He was "
                 "moving now and then, as someone ill in bed does.").format(
            date=format_date(workspace.date_of(day)), n=moved)
    if answer == "tv":
        return _("The learned alarm does not listen: it reads movement and the front door only. Sound plays no part "
                 "in its calls.")
    door = int(item.door[day * SLOTS_PER_DAY:(day + 1) * SLOTS_PER_DAY].sum())
    return _("On {date} the front door opened {n} times and he moved about at home: the alarm took him to be at home. "
             "Look at his ordinary days instead: how long is he still, and how little does he move?").format(
        date=format_date(workspace.date_of(day)), n=door)


def _relearn_feedback(workspace: CareWorkspace, answer: str) -> str:
    mine, again = workspace.learned, workspace.relearned
    h1_before = sum(false_calls_split(mine, "H1"))
    h1_after = sum(false_calls_split(again, "H1"))
    newly_missed = [i for i in again.emergency_ids(caught=False) if i not in mine.emergency_ids(caught=False)]
    if answer == "nothing":
        return _("Re-learned every week, {who} gets {after} false calls instead of {before}: it changes a lot.").format(
            who=household_name("H1"), after=h1_after, before=h1_before)
    if answer == "catches_all":
        missed = again.emergency_ids(caught=False)
        return ngettext("Re-learned every week, the alarm still misses {n} emergency: {which}.",
                        "Re-learned every week, the alarm still misses {n} emergencies: {which}.", len(missed)).format(
            n=len(missed), which=emergency_list(workspace, missed))
    if newly_missed:
        return _("It is not free: re-learned every week, the alarm misses {which}, which your alarm learned once "
                 "caught. The weeks it re-learned from held an emergency, and it learned that as normal.").format(
            which=emergency_list(workspace, newly_missed))
    limits = _widened_limit(workspace)
    return _("It is not free: after {who}'s fall, the weeks it re-learns from hold the hours she lay on the floor, "
             "and her longest allowed still spell grows from {before} to {after}. An alarm that re-learns whatever "
             "happened can learn an emergency as normal.").format(
        who=household_name("H5"), before=format_minutes(limits[0]), after=format_minutes(limits[1]))


def _widened_limit(workspace: CareWorkspace) -> tuple[int, int]:
    """H5's longest still-spell limit (minutes) learned before her fall and re-learned the week after it."""
    fall = next(e for e in workspace.emergencies() if e.household == "H5" and e.kind == "fall")
    settings = workspace.choice.settings()
    item = workspace.stream("H5")
    after_day = (fall.end // SLOTS_PER_DAY // 7 + 1) * 7
    before = learn(item, settings)
    after = learn(item, settings, after_day)
    return max(before.limits) * SLOT_MINUTES, max(after.limits) * SLOT_MINUTES


def check_failures(workspace: CareWorkspace) -> Feedback:
    run = workspace.learned
    if run is None or not workspace.learned_is_current():
        return Feedback(False, _("Learn the routines and test your alarm in task 2 first: the failures here are your "
                                 "alarm's."))
    few_calls, fewer_missed = beats_robot(workspace, run)
    if not (few_calls and fewer_missed):
        return Feedback(False, _("Your alarm from task 2 does not yet do better than the robot on both counts. Find "
                                 "settings that do (task 2), then look for where that alarm fails."))
    answers = workspace.answers
    missed = run.emergency_ids(caught=False)
    chosen = answers.get("missed", "")
    if not chosen:
        return Feedback(False, _("Answer the first question: which emergency does your alarm miss?"))
    if chosen not in missed:
        try:
            detection = run.detection(chosen)
        except StopIteration:
            return Feedback(False, _("Choose one of the emergencies listed."))
        return Feedback(False, _("Your alarm called about {which} after {minutes}. Look for the emergency with no time "
                                 "in the \"Your alarm\" column.").format(
            which=emergency_title(workspace, workspace.emergency(chosen)), minutes=minutes_to_alert(detection)))
    emergency = workspace.emergency(chosen)
    why = answers.get("why", "")
    if not why:
        return Feedback(False, _("Answer the second question: why does your alarm miss it?"))
    if why != RIGHT_ANSWERS["why"]:
        return Feedback(False, _why_feedback(workspace, emergency, why))
    changed = answers.get("changed", "")
    if not changed:
        return Feedback(False, _("Answer the third question: whose routine changed?"))
    if changed != RIGHT_ANSWERS["changed"]:
        early, late = false_calls_split(run, changed) if changed in workspace.households else (0, 0)
        right_early, right_late = false_calls_split(run, RIGHT_ANSWERS["changed"])
        message = _("{who} gets {early} false calls in weeks 5 to 7 and {late} in weeks 8 to 10: nothing starts in "
                    "one week and keeps coming.").format(
            who=household_name(changed) if changed in workspace.households else changed, early=early, late=late)
        if changed == "H4":
            message += " " + _("His days at the day centre are part of his routine from the first week: the alarm "
                               "learned them.")
        if right_late > right_early:
            message += " " + _("Look at the week-by-week chart for each household.")
        return Feedback(False, message)
    if workspace.relearned is None or not workspace.relearned_is_current():
        return Feedback(False, _("Press \"Re-learn every week\" to see what re-learning does with your settings, then "
                                 "answer the last question."))
    relearn = answers.get("relearn", "")
    if not relearn:
        return Feedback(False, _("Answer the last question: what does re-learning the routine every week do?"))
    if relearn != RIGHT_ANSWERS["relearn"]:
        return Feedback(False, _relearn_feedback(workspace, relearn))
    early, late = false_calls_split(run, "H1")
    again = workspace.relearned
    again_h1 = sum(false_calls_split(again, "H1"))
    newly_missed = [i for i in again.emergency_ids(caught=False) if i not in missed]
    robot = workspace.reference(ROBOT)
    night = next((e for e in workspace.emergencies() if e.household == "H1" and e.kind == "fall"
                  and e.start % SLOTS_PER_DAY >= 20 * SLOTS_PER_HOUR), None)
    message = _("Right. {which}: an ordinary day in that home is so still that a day ill in bed fits inside what the "
                "alarm learned, so no limit is crossed. {who}'s new afternoon nap from week 8 was never learned: "
                "{late} of her {total} false calls come after it; re-learned every week, she gets {again}.").format(
        which=emergency_title(workspace, emergency), who=household_name("H1"), late=late, total=early + late,
        again=again_h1)
    if newly_missed:
        message += " " + _("But re-learning also took in the weeks with an emergency as normal, and then missed "
                           "{which}.").format(which=emergency_list(workspace, newly_missed))
    if night is not None:
        mine_night, robot_night = run.detection(emergency_id(night)), robot.detection(emergency_id(night))
        if mine_night.caught and robot_night.caught and mine_night.minutes_to_alert > robot_night.minutes_to_alert:
            message += " " + _("And at night, when a long stillness is normal, your alarm waited {mine} for {who}'s "
                               "bedtime fall; the robot's five-hour rule, {robot}.").format(
                mine=minutes_to_alert(mine_night), robot=minutes_to_alert(robot_night), who=household_name("H1"))
    return Feedback(True, message)


def _needed(workspace: CareWorkspace) -> tuple[str, float]:
    """The household whose alarm needs the longest raw history, and how many hours."""
    needed = workspace.measured.needed_hours
    household = max(needed, key=lambda h: needed[h])
    return household, needed[household]


RECIPIENT_PROBLEMS = {
    ("guardian", "live"): N_("A guardian who can watch the live readings sees when the resident sleeps, goes out and "
                             "has visitors: that is watching an adult's private life, not checking on an emergency. "
                             "To act, the guardian needs each call, its time and its reason."),
    ("guardian", "nothing"): N_("If the guardian is told nothing, nobody is called: calling the guardian is what the "
                                "alarm is for."),
    ("care_worker", "raw"): N_("The care worker plans visits: the calls and how many hours a day the resident is "
                               "active are enough. Every 5-minute reading shows far more of a private life than that "
                               "purpose needs."),
    ("city", "named_calls"): N_("The city welfare office evaluates the service: monthly counts of calls and false "
                                "calls do that. Named households' calls are personal data it does not need."),
    ("city", "raw"): N_("The city welfare office evaluates the service: monthly counts of calls and false calls do "
                        "that. Every reading of every home is surveillance, not evaluation."),
    ("vendor", "raw"): N_("The vendor maintains the device: device health is enough. Using residents' readings to "
                          "improve its products is a new purpose they did not agree to."),
}


def check_privacy(workspace: CareWorkspace) -> Feedback:
    choice = workspace.privacy
    if choice.sound == "recording":
        return Feedback(False, _("No alarm here needs a recording: the speak-up rule needs only whether any sound was "
                                 "heard in 30 minutes, and the learned alarm does not listen at all. Recordings of a "
                                 "home are the most intrusive data the service could hold: keep at most \"heard or "
                                 "not\", on the device, or nothing."))
    for recipient in ("guardian", "care_worker", "city", "vendor"):
        problem = RECIPIENT_PROBLEMS.get((recipient, getattr(choice, recipient)))
        if problem:
            return Feedback(False, _(problem))
    if not workspace.measured_is_current():
        return Feedback(False, _("Press \"Test the alarm on this data\" to see what your choices do to the alarm."))
    measured = workspace.measured
    full, mine = measured.full, measured.minimised
    household, hours = _needed(workspace)
    if choice.keep in ("always", "year"):
        return Feedback(False, _("Raw readings kept for {keep}: far longer than any purpose needs (storage "
                                 "limitation). At any moment the alarm needs at most {hours} of raw readings (for "
                                 "{who}) besides its profile of 49 numbers per home; four weeks if the routine is "
                                 "re-learned. Older readings can be deleted.").format(
            keep=_(PRIVACY_TITLES["keep"][choice.keep]), hours=hours_text(hours), who=household_name(household)))
    if measured.broken:
        message = _("On the data you keep, your alarm catches {caught} of {total} emergencies (as collected: "
                    "{full_caught}) and people lie unattended {hours} (as collected: {full_hours}): this cut breaks "
                    "the alarm.").format(caught=mine.caught, total=mine.emergencies, full_caught=full.caught,
                                         hours=hours_text(mine.hours_unattended),
                                         full_hours=hours_text(full.hours_unattended))
        if choice.motion == "none":
            message += " " + _("Without movement the alarm has nothing to read: keep whether anything moved.")
        elif choice.door == "none":
            message += " " + _("Without the door sensor, an outing looks like a long still spell at home, so the "
                               "alarm learns long limits by day and waits longer after a fall. The door sensor earns "
                               "its place.")
        elif choice.step == 60:
            message += " " + _("With hourly totals the alarm learns of a still spell only at the end of each hour, "
                               "and a short movement hides a whole hour of stillness. Totals every 15 minutes are "
                               "enough.")
        return Feedback(False, message)
    if choice.motion == "counts":
        return Feedback(False, _("The alarms only ask whether anything moved: with yes or no instead of counts they "
                                 "make exactly the same calls. Keep only whether anything moved (data "
                                 "minimisation)."))
    if choice.keep == "six_hours":
        return Feedback(False, _("With 6 hours of raw readings the alarm cannot see a still spell longer than that, "
                                 "but {who}'s limit at night needs {hours}: keep at least a day.").format(
            who=household_name(household), hours=hours_text(hours)))
    sound = (_("The speak-up rule still works: it needs only whether any sound was heard.")
             if choice.sound == "yes_no" else
             _("Without sound the robot can no longer speak up after 30 minutes of silence; the guardian call does "
               "not need it."))
    return Feedback(True, _("Your service keeps {motion}, {door}, {step}, and raw readings for {keep}. On that data "
                            "your alarm makes {calls} false calls, catches {caught} of {total} emergencies and people "
                            "lie unattended {hours} (as collected: {full_calls}, {full_caught}, {full_hours}). {sound} "
                            "The guardian learns of each call and its reason; the care worker, the city and the vendor "
                            "see only what their purpose needs. This is data minimisation and storage limitation (EU "
                            "GDPR Article 5(1)(c) and (e); Korea's Personal Information Protection Act, Article "
                            "3).").format(
        motion=_(PRIVACY_TITLES["motion"][choice.motion]), door=_(PRIVACY_TITLES["door"][choice.door]),
        step=_(PRIVACY_TITLES["step"][choice.step]), keep=_(PRIVACY_TITLES["keep"][choice.keep]),
        calls=mine.false_calls, caught=mine.caught, total=mine.emergencies, hours=hours_text(mine.hours_unattended),
        full_calls=full.false_calls, full_caught=full.caught, full_hours=hours_text(full.hours_unattended),
        sound=sound))


TASKS = (
    Task("robot", N_("Run the robot's rules on six weeks of data"),
         N_("Five elders living alone have motion, front-door and sound sensors at home. In \"1. The robot's rules\", "
            "look at a few days of each home on the chart (sleep, outings, visitors, emergencies), then run the "
            "care robot's rules over the six scored weeks: it speaks up after 30 minutes of silence and calls a "
            "guardian after 5 hours without movement. Type how many false calls it makes per household-month (one "
            "home watched for 30 days) and how many emergencies it misses."),
         check_robot,
         N_("False calls per household-month = all false calls ÷ household-months. Five homes watched for 42 days are "
            "5 × 42 ÷ 30 = 7 household-months. A missed emergency is one the robot never called about.")),
    Task("learned", N_("Learn each household's routine"),
         N_("In \"2. Learn each routine\", choose how the alarm learns what is normal in each home, press \"Learn and "
            "test\", and compare it with the robot. Find settings with which it makes at most half the robot's false "
            "calls and misses fewer emergencies than the robot. Then type the share of the robot's false calls your "
            "alarm avoids."),
         check_learned,
         N_("One week is too little to learn a routine from. A low percentile takes ordinary long naps for "
            "emergencies; a very wide margin stops calling at all. Share avoided = (robot's false calls − yours) ÷ "
            "robot's.")),
    Task("failures", N_("Find where the learned alarm fails"),
         N_("In \"3. Where it fails\", look at each emergency and at the false calls week by week. Answer which "
            "emergency your alarm misses and why, whose routine changed during the six weeks, and what re-learning "
            "every week does: press \"Re-learn every week\" first to see it."),
         check_failures,
         N_("An emergency with no time in the \"Your alarm\" column was missed. A changed routine shows as false calls "
            "that start in one week and keep coming.")),
    Task("privacy", N_("Decide what data to keep and who sees it"),
         N_("In \"4. Data and who sees it\", choose what the service collects, how finely, how long it keeps raw "
            "readings, and what the guardian, the care worker, the city and the device vendor are told. Press \"Test "
            "the alarm on this data\": keep only what the alarm needs, without breaking it."),
         check_privacy,
         N_("The table \"What each alarm reads\" lists what is needed. Data minimisation: adequate, relevant and "
            "limited to what is necessary (EU GDPR Article 5(1)(c); Korea's Personal Information Protection Act, "
            "Article 3).")),
)


# --- opening ----------------------------------------------------------------------------------------------------------


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> CareWorkspace:
    return open_workspace(snapshot, state, files)


# --- the reference solution and plausible mistakes ------------------------------------------------------------------

# Measured on the embedded data with these choices (the engine README's numbers); the tests prove they still hold:
# the robot 51 false calls in 7.0 household-months (7.29), 2 of 8 missed; the reference alarm 18 (64.7 % fewer).
_LEARN = {**REFERENCE_CHOICE.to_dict(), "run": True}
_PRIVACY = {"motion": "yes_no", "door": "kept", "sound": "none", "step": 15, "keep": "day", "guardian": "calls",
            "care_worker": "calls_activity", "city": "monthly_counts", "vendor": "device_health", "measured": True}
REFERENCE: dict[str, Any] = {
    "version": 1,
    "view": {"household": "H4", "day": 32},
    "robot": {"door": False, "run": True},
    "learn": _LEARN,
    "relearned": True,
    "call_cost": 2,
    "privacy": _PRIVACY,
    "answers": {"robot_rate": "7.29", "robot_missed": "2", "learned_cut": "64.7", "missed": "H4-illness-32",
                "why": "quiet_life", "changed": "H1", "relearn": "both"},
}


def _with(**parts: Any) -> dict[str, Any]:
    snapshot = copy.deepcopy(REFERENCE)
    for key, value in parts.items():
        snapshot[key] = copy.deepcopy(value)
    return snapshot


def _answers(**answers: str) -> dict[str, Any]:
    return _with(answers={**REFERENCE["answers"], **answers})


def _learn(**settings: Any) -> dict[str, Any]:
    """Other settings for task 2 (the later tasks' runs left out: task 2's check does not read them)."""
    return _with(learn={**_LEARN, **settings}, relearned=False, privacy={**_PRIVACY, "measured": False})


def _privacy(**choices: Any) -> dict[str, Any]:
    return _with(privacy={**_PRIVACY, **choices})


WRONG_ATTEMPTS = (
    WrongAttempt("all false calls typed as the rate", "robot", _answers(robot_rate="51")),
    WrongAttempt("false calls per home over six weeks, not per household-month", "robot", _answers(robot_rate="10.2")),
    WrongAttempt("the rate with the count paused while the door says out", "robot",
                 _with(robot={"door": True, "run": True}, answers={**REFERENCE["answers"], "robot_rate": "4.57"})),
    WrongAttempt("emergencies caught typed as missed", "robot", _answers(robot_missed="6")),
    WrongAttempt("never ran the robot's rules", "robot", _with(robot={"door": False, "run": False})),
    WrongAttempt("learned from one week", "learned", _learn(weeks=1)),
    WrongAttempt("mean + 2 sd of a skewed quantity", "learned", _learn(statistic="mean_sd")),
    WrongAttempt("one routine for everybody", "learned", _learn(routine="shared")),
    WrongAttempt("the 90th percentile: ordinary naps call the guardian", "learned", _learn(percentile=90.0)),
    WrongAttempt("every limit capped at the robot's five hours", "learned", _learn(cap_five_hours=True)),
    WrongAttempt("no low-activity check: fewer calls, illnesses missed", "learned", _learn(low_activity=False)),
    WrongAttempt("no false calls at all, by missing emergencies", "learned",
                 _learn(margin=4.0, low_activity=False)),
    WrongAttempt("the share of false calls still made", "learned", _answers(learned_cut="35.3")),
    WrongAttempt("never pressed Learn and test", "learned", _learn(run=False)),
    WrongAttempt("names Mrs Jung's illness as missed", "failures", _answers(missed="H5-illness-62")),
    WrongAttempt("blames a broken sensor", "failures", _answers(why="sensor")),
    WrongAttempt("blames the television", "failures", _answers(why="tv")),
    WrongAttempt("names the day centre's Mr Choi as the changed routine", "failures", _answers(changed="H4")),
    WrongAttempt("re-learning is free", "failures", _answers(relearn="free")),
    WrongAttempt("answers about re-learning without trying it", "failures", _with(relearned=False)),
    WrongAttempt("keep everything: counts, recordings, for ever, everyone sees raw readings", "privacy",
                 _with(privacy={"motion": "counts", "door": "kept", "sound": "recording", "step": 5, "keep": "always",
                                "guardian": "live", "care_worker": "raw", "city": "raw", "vendor": "raw",
                                "measured": True})),
    WrongAttempt("minimal data, but everyone sees the raw readings", "privacy",
                 _privacy(guardian="live", care_worker="raw", city="raw", vendor="raw")),
    WrongAttempt("the vendor gets the readings to improve its products", "privacy", _privacy(vendor="raw")),
    WrongAttempt("hourly totals: the alarm learns of a fall too late", "privacy", _privacy(step=60)),
    WrongAttempt("no door sensor", "privacy", _privacy(door="none")),
    WrongAttempt("raw readings kept for a year", "privacy", _privacy(keep="year")),
    WrongAttempt("raw readings kept only 6 hours", "privacy", _privacy(keep="six_hours")),
    WrongAttempt("motion counts kept", "privacy", _privacy(motion="counts")),
    WrongAttempt("never tested the alarm on the data kept", "privacy", _privacy(measured=False)),
)

LAB = LabDefinition(
    id="smart_city/elder-care",
    family="smart_city",
    title=N_("Care for elders living alone"),
    summary=N_("Run a care robot's fixed rules over six weeks of home-sensor data from five elders living alone, "
               "learn an alarm from each household's own routine, weigh false calls to guardians against missed "
               "emergencies, find where the learned alarm fails, and decide what data the service may keep and who "
               "sees it."),
    datasets=(DATASET,),
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.smart_city.care_panel:CarePanel",
)
