"""Lab "smart_city/plant-energy": energy in a plant (issue 8, scenario 4).

After POSCO's hot-rolling plant, where AI reading the plant's sensors cut the energy input by 2%: the learner
predicts a steel plant's load a day ahead, moves tomorrow's batches across KEPCO's tariff periods without breaking
the crews, the maximum load or the day's output, and then finds where the idea fails: a saving of POSCO's size
cannot be seen in the meter against a day-ahead forecast, a cheaper schedule saves won and not kWh or CO2, and the
largest "saving" needs a night shift whose cost the energy bill does not show.

The engine is labs/smart_city/energy/ (formulas, sources and measured numbers in its README); the learner's work
is energy_workspace.py; this module holds the lab's text, its checks, the reference solution and the plausible
mistakes. No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.formatting import isolated
from app.core.formatting import percent as format_percent
from app.core.i18n import N_, _, current_locale, ngettext
from app.core.tasks import TaskState
from labs.answers import parse_number
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt
from labs.smart_city.energy import savings
from labs.smart_city.energy.data import DATASET
from labs.smart_city.energy.plant import FINISHING, MILL
from labs.smart_city.energy.schedule import COST, DayResult
from labs.smart_city.energy.tariff import CO2_T_PER_MWH, LIGHT, MID, PEAK, period
from labs.smart_city.energy_workspace import (BOOSTING, CHEAPEST, CHEAPEST_NIGHT, CLAIM,
                                              LEAKY, LINES, MAX_BIAS, MONTH, NO_CALENDAR, PROFILE,
                                              RIDGE, SEASONAL_NAIVE, EnergyWorkspace, open_workspace, peak_batches,
                                              warmups)

# --- names the learner sees -------------------------------------------------------------------------------------

MODEL_TITLES = {
    SEASONAL_NAIVE: N_("Seasonal naive: the same hour one week earlier (the baseline)"),
    PROFILE: N_("Calendar profile: the mean of the hour over past days of the same kind"),
    RIDGE: N_("Linear regression on the hour, the kind of day and the tariff period"),
    BOOSTING: N_("Gradient-boosted trees on the calendar and on yesterday's and last week's readings"),
    NO_CALENDAR: N_("Linear regression on the hour, the weekday and the month, without the production calendar"),
    LEAKY: N_("Gradient-boosted trees that also read the previous hour's meter"),
}
MODEL_NAMES = {  # short, for tables and feedback
    # TRANSLATORS: a load model, short name in a table: the same hour one week earlier.
    SEASONAL_NAIVE: N_("Seasonal naive (baseline)"),
    # TRANSLATORS: a load model, short name: the mean of each hour over past days of the same kind.
    PROFILE: N_("Calendar profile"),
    RIDGE: N_("Linear regression"),
    BOOSTING: N_("Gradient-boosted trees"),
    NO_CALENDAR: N_("Regression without the calendar"),
    LEAKY: N_("Trees reading the previous hour"),
}
LINE_NAMES = {MILL: N_("the mill"), FINISHING: N_("the finishing line")}
# TRANSLATORS: row headings of the schedule grid (short: the grid has 24 narrow columns beside them).
LINE_LABELS = {MILL: N_("Mill"), FINISHING: N_("Finishing")}
PERIOD_NAMES = {
    # TRANSLATORS: KEPCO's time-of-use period with the lowest price (경부하), at night.
    LIGHT: N_("light load"),
    # TRANSLATORS: KEPCO's middle time-of-use period (중간부하).
    MID: N_("mid load"),
    # TRANSLATORS: KEPCO's most expensive time-of-use period (최대부하).
    PEAK: N_("peak load"),
}
MONTH_NAME = N_("December")
YEAR_TITLES = {
    CHEAPEST: N_("Cheapest plan, today's crews"),
    "leanest": N_("Fewest kWh, today's crews"),
    "leanest_lunch": N_("Fewest kWh, with a staggered lunch"),
    "cheapest_lunch": N_("Cheapest plan, with a staggered lunch"),
    CHEAPEST_NIGHT: N_("Cheapest plan, with a night shift"),
}
RATES_NOTE = N_("The won figures use KEPCO's 2018 industrial tariff (industrial B, high voltage A, option II, energy "
                "charge only), quoted approximately: check them against KEPCO's current tariff before quoting any "
                "won figure.")


def decimal(value: float, digits: int = 0) -> str:
    """A number in the learner's locale with exactly `digits` decimals ("26.9", "414,821", "26,9")."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=current_locale())


def pct(value: float, digits: int = 1) -> str:
    """A percentage in the learner's locale; a negative one is kept left to right, so that its minus sign stays in
    front of it inside a right-to-left sentence or table."""
    text = format_percent(value, digits)
    return isolated(text) if round(value, digits) < 0 else text


def hour_text(hour: int) -> str:
    """"17:00", kept left to right inside a right-to-left sentence."""
    return isolated(f"{hour:02d}:00")


def hours_list(hours) -> str:
    return ", ".join(hour_text(h) for h in sorted(hours))


def model_name(name: str) -> str:
    return _(MODEL_NAMES[name])


def line_name(line: str) -> str:
    return _(LINE_NAMES[line])


def change_text(before: float, after: float, digits: int = 1) -> str:
    """"3.6% lower" / "0.7% higher" / "unchanged": the change from before to after, in words."""
    change = 100.0 * (after - before) / before if before else 0.0
    if round(change, digits) == 0:
        # TRANSLATORS: the bill, the kWh or the CO2 compared with today's plan, when the change rounds to zero.
        return _("unchanged")
    if change < 0:
        # TRANSLATORS: e.g. "3.6% lower": the bill, the kWh or the CO2 compared with today's plan.
        return _("{percent} lower").format(percent=pct(-change, digits))
    # TRANSLATORS: e.g. "0.7% higher": the bill, the kWh or the CO2 compared with today's plan.
    return _("{percent} higher").format(percent=pct(change, digits))


def bias_text(nmbe: float) -> str:
    if nmbe >= 0:
        return _("{percent} too high").format(percent=pct(nmbe))
    return _("{percent} too low").format(percent=pct(-nmbe))


def _digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                   for ch in text.strip())


def days_symbol() -> str:
    # TRANSLATORS: the number of days as the unknown of a formula, written after a square root: 1.96 × CV ÷ √days.
    # One short word.
    return _("days")


def parse_count(text: str) -> float | None:
    """A count typed by a learner: "697", "1,200", "1 200", "٦٩٧" -> 697.0; None if it is not a number."""
    value = parse_number(text)
    return value if value is not None and value >= 0 else None


def parse_typed_percent(text: str) -> float | None:
    """A percentage as typed, without reading "0.8" as a share: "6.6", "6,6 %", "٦٫٦٪" -> 6.6; None if it is not a
    number from 0 to 100 (labs.answers.parse_percent reads "0.8" as 80 %, which this question cannot tell apart)."""
    value = parse_number(text.replace("%", "").replace("\u066a", ""))
    return value if value is not None and 0 <= value <= 100 else None


# --- what a plan breaks, in words ---------------------------------------------------------------------------------


def problems(workspace: EnergyWorkspace, result: DayResult | None = None) -> list[str]:
    """The limits the plan breaks, one sentence each, grouped (an empty list: it breaks none)."""
    result = result or workspace.evaluation()
    plant, plan = workspace.plant, result.plan
    found: list[str] = []
    no_crew: list[int] = []
    one_crew: list[int] = []
    feed: list[int] = []
    for code in result.violations:
        kind, _sep, rest = code.partition(":")
        parts = rest.split(":")
        if kind in ("output", "overproduction"):
            line = parts[0]
            count, needed = (int(x) for x in parts[1].split("/"))
            if kind == "output":
                found.append(ngettext("Your plan runs {line} for {count} batch, but the day's orders need {needed}: "
                                      "the plant would make less.",
                                      "Your plan runs {line} for {count} batches, but the day's orders need "
                                      "{needed}: the plant would make less.", count).format(
                    line=line_name(line), count=count, needed=needed))
            else:
                found.append(ngettext("Your plan runs {line} for {count} batch, but the day's orders need only "
                                      "{needed}: the extra batches use energy for steel nobody ordered.",
                                      "Your plan runs {line} for {count} batches, but the day's orders need only "
                                      "{needed}: the extra batches use energy for steel nobody ordered.",
                                      count).format(line=line_name(line), count=count, needed=needed))
        elif kind == "crew":
            hour = int(parts[0])
            if plant.crews[hour] == 0:
                no_crew.append(hour)
            else:
                one_crew.append(hour)
        elif kind == "max_load":
            hour = int(parts[0])
            found.append(_max_load_text(workspace, result, hour))
        elif kind == "feed":
            feed.append(int(parts[0]))
        elif kind == "hours":
            found.append(_("Your plan has an hour outside 00:00 to 24:00."))
    if no_crew:
        found.append(ngettext("At {hours} no crew is on shift, but your plan runs a line then.",
                              "At {hours} no crew is on shift, but your plan runs a line then.",
                              len(no_crew)).format(hours=hours_list(no_crew)))
    if one_crew:
        found.append(ngettext("At {hours} only one crew is on shift, but your plan runs both lines then.",
                              "At {hours} only one crew is on shift, but your plan runs both lines then.",
                              len(one_crew)).format(hours=hours_list(one_crew)))
    if feed:
        hour = feed[0]
        done = sum(1 for h in plan.hours(MILL) if h < hour)
        batch = sum(1 for h in plan.hours(FINISHING) if h <= hour)
        found.append(ngettext(
            "At {hour} the finishing line has no rolled coils to work on: its batch number {batch} needs {needed} "
            "mill batches finished before it, and only {done} is.",
            "At {hour} the finishing line has no rolled coils to work on: its batch number {batch} needs {needed} "
            "mill batches finished before it, and only {done} are.", done).format(
            hour=hour_text(hour), batch=batch, needed=batch * plant.feed_ratio, done=done)
            + ("" if len(feed) == 1 else " " + _("The same at {hours}.").format(hours=hours_list(feed[1:]))))
    return found


def _max_load_text(workspace: EnergyWorkspace, result: DayResult, hour: int) -> str:
    plant, plan = workspace.plant, result.plan
    warming = [line for line, hours in warmups(plant, plan).items() if hour in hours]
    running = [line for line in LINES if hour in plan.hours(line)]
    text = _("At {hour} the plant would draw {load} kW, above its {limit} kW maximum load.").format(
        hour=hour_text(hour), load=decimal(result.load_kw[hour]), limit=decimal(plant.max_load_kw))
    if len(running) == 2 and warming:
        extra = sum(plant.line(line).warmup_kwh for line in warming)
        text += " " + ngettext("Both lines run then, and one of them warms up from cold ({kwh} kWh).",
                               "Both lines run then, and both warm up from cold ({kwh} kWh).",
                               len(warming)).format(kwh=decimal(extra))
    elif len(running) == 2:
        text += " " + _("Both lines run then.")
    return text


# --- the questions of task 4 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str  # N_()-marked; may hold {placebo} and {night}
    options: tuple[tuple[str, str], ...]  # (id, N_()-marked text); texts may hold {co2_factor}, {year}, {kwh}


QUESTIONS = (
    Question("co2", N_("Moving batches to cheaper hours lowers the energy bill. What does it do to the plant's CO2 "
                       "emissions?"), (
        ("bill", N_("They fall by the same share as the bill.")),
        ("night", N_("They fall more than the bill, because electricity at night is cleaner.")),
        ("kwh", N_("They change only as much as the kWh do: the lab counts the same {co2_factor} kg of CO2 for a kWh "
                   "at every hour, so shifting hours saves money, not energy or emissions.")),
    )),
    Question("placebo", N_("Suppose nothing changed in the plant from October to December. Judged against the "
                           "calendar profile model, the meter would still show a saving of {placebo}. Why?"), (
        ("real", N_("The plant really used less energy: the saving is real.")),
        ("season", N_("The model learned January to September, when the plant was busier: it forecasts too much for "
                      "every autumn day, and the difference looks like a saving.")),
        ("noise", N_("It is day-to-day noise, which averages out over the 64 working days.")),
    )),
    Question("claim", N_("A vendor promises POSCO's 2% saving and offers a year of meter readings, judged against a "
                         "day-ahead forecast like yours, as the proof. What should the city ask for?"), (
        ("baseline", N_("A way of measuring agreed before the change that can see 2%: energy per tonne of metered "
                        "output, or a similar line left unchanged to compare with. A year of readings against this "
                        "forecast can only show savings above about {year}.")),
        ("year", N_("Nothing more: a year of readings is proof enough.")),
        ("leaky", N_("The forecast with the smallest errors: the one that also reads the previous hour's meter.")),
    )),
    Question("night", N_("With a night shift, the optimiser cuts the plant's energy bill by {night} over a year. Why "
                         "is that not the saving to report?"), (
        ("limits", N_("The night plan breaks the plant's maximum load.")),
        ("wages", N_("It counts only the energy charge: the night crew's wages (Korean law adds 50% for night "
                     "work), their health and safety are not in it, and it saves money, not energy: the kWh even "
                     "rise by {kwh}.")),
        ("fine", N_("It is the saving to report: the optimiser is exact, so the {night} is real.")),
    )),
)
RIGHT_ANSWERS = {"co2": "kwh", "placebo": "season", "claim": "baseline", "night": "wages"}
YEAR_WORKING_DAYS = 248  # working weekdays in the data's year (the engine's data.daily counts them)
DETECTABLE_TOLERANCE = 0.5  # percentage points: 6.6% may be typed as 7
DAYS_TOLERANCE = 0.03  # relative: the days follow from a CV read to one decimal


def question(question_id: str) -> Question:
    return next(q for q in QUESTIONS if q.id == question_id)


def question_numbers(workspace: EnergyWorkspace) -> dict[str, str]:
    """The numbers the questions and their answers quote, from the engine."""
    placebo = workspace.claim(0.0, PROFILE)
    night = workspace.year[CHEAPEST_NIGHT]
    cv = workspace.daily_cv()
    year = pct(savings.detectable(cv, YEAR_WORKING_DAYS)) if cv else "–"
    return {"placebo": pct(placebo.mean) if placebo else "–", "night": pct(night.cost_percent, 0),
            "kwh": pct(-night.kwh_percent), "co2_factor": decimal(CO2_T_PER_MWH, 4), "year": year}


def question_text(workspace: EnergyWorkspace, text: str) -> str:
    return _(text).format(**question_numbers(workspace))


# --- checks -------------------------------------------------------------------------------------------------------


def check_forecast(workspace: EnergyWorkspace) -> Feedback:
    name = workspace.model
    if name == SEASONAL_NAIVE:
        return Feedback(False, _("You chose the seasonal-naive model, the same hour one week earlier: that is the "
                                 "baseline itself, so it cannot beat it. Choose another model and press \"Fit the "
                                 "model\"."))
    if not workspace.is_fitted(name):
        return Feedback(False, _("Press \"Fit the model\" to train the model \"{model}\" and see its errors.").format(
            model=model_name(name)))
    mine, baseline = workspace.result(name), workspace.baseline()
    numbers = {"model": model_name(name), "mae": decimal(mine.mae, 1), "baseline": decimal(baseline.mae, 1)}
    if name == LEAKY:
        return Feedback(False, _("The model \"{model}\" makes the smallest errors, {mae} kWh per hour against the "
                                 "baseline's {baseline}, because it reads the meter an hour before each hour it "
                                 "forecasts. Tomorrow's schedule is made the day before, when none of tomorrow's "
                                 "readings exist: this model cannot be used for it. Choose a model whose inputs "
                                 "are all known the day before.").format(**numbers))
    if mine.mae >= baseline.mae:
        return Feedback(False, _("The model \"{model}\" is off by {mae} kWh per hour on average, the baseline by "
                                 "{baseline}: it is not better than the baseline.").format(**numbers))
    if abs(mine.nmbe) > MAX_BIAS:
        message = _("The model \"{model}\" makes smaller errors than the baseline ({mae} against {baseline} kWh per "
                    "hour), but from October to December its forecasts are {bias} on average (NMBE). It learned "
                    "January to September, when the plant was busier. Task 3 judges a saving against this model: "
                    "it would report a saving of about that size when nothing changed. ASHRAE Guideline 14 accepts "
                    "a bias of at most {limit} for a baseline.").format(
            bias=bias_text(mine.nmbe), limit=pct(MAX_BIAS, 0), **numbers)
        if name == NO_CALENDAR:
            message += " " + _("It also cannot know which days the plant is shut: it has no production calendar.")
        return Feedback(False, message)
    return Feedback(True, _("The model \"{model}\" is off by {mae} kWh per hour on average, the baseline by "
                            "{baseline}: {better} smaller errors, with a bias of {bias}. Yet on working weekdays its "
                            "daily totals are still {cv} off (CV(RMSE)): which shifts run, and how hard, is not in "
                            "the calendar. Task 3 shows what that means for measuring a saving.").format(
        better=pct(100 * (1 - mine.mae / baseline.mae), 0), bias=pct(mine.nmbe),
        cv=pct(mine.weekday_daily_cv_rmse), **numbers))


def _turned_off_at_peak(workspace: EnergyWorkspace) -> bool:
    """The plan is today's with batches dropped, and every dropped batch was in a peak hour."""
    plan, today = workspace.plan, workspace.today().plan
    dropped = [(line, h) for line in LINES for h in today.hours(line) - plan.hours(line)]
    return (bool(dropped) and all(plan.hours(line) <= today.hours(line) for line in LINES)
            and all(period(workspace.month, h) == PEAK for _line, h in dropped))


def check_schedule(workspace: EnergyWorkspace) -> Feedback:
    mine, today, best = workspace.evaluation(), workspace.today(), workspace.best(COST)
    numbers = {"cost": decimal(mine.cost_won), "today": decimal(today.cost_won), "best": decimal(best.cost_won),
               "saving": change_text(today.cost_won, mine.cost_won),
               "best_saving": change_text(today.cost_won, best.cost_won)}
    if workspace.is_today():
        return Feedback(False, _("This is still today's plan: {today} won for tomorrow's energy. Move batches in the "
                                 "grid: the optimiser finds a plan for {best} won ({best_saving}).").format(**numbers))
    found = problems(workspace, mine)
    if found:
        if _turned_off_at_peak(workspace):
            return Feedback(False, _("Switching the lines off in the peak hours cuts the bill to {cost} won, but only "
                                     "because the plant makes less steel: a saving must keep the day's output. "
                                     "{problems}").format(problems=" ".join(found), **numbers))
        return Feedback(False, _("Your plan would cost {cost} won, but it breaks a limit, so it is not a saving the "
                                 "plant can make. {problems}").format(problems=" ".join(found), **numbers))
    if not workspace.as_cheap_as_the_optimiser():
        return Feedback(False, _("Your plan meets every limit and costs {cost} won, against {today} won for today's "
                                 "plan ({saving}). The optimiser finds a plan for {best} won ({best_saving}). Your "
                                 "plan runs {mine_peak} "
                                 "batch-hours in peak hours, the optimiser's {best_peak}; in winter the peak hours "
                                 "are {peak_hours}.").format(
            mine_peak=peak_batches(mine.plan), best_peak=peak_batches(best.plan),
            peak_hours=hours_list(h for h in range(24) if period(workspace.month, h) == PEAK), **numbers))
    return Feedback(True, _("Your plan meets every limit and costs {cost} won, against {today} won for today's plan "
                            "({saving}); the optimiser's cheapest costs {best}. It uses {kwh} kWh ({kwh_change}) and "
                            "emits {co2} t of CO2 ({co2_change}); its highest hour draws {peak} kW of the {limit} kW "
                            "allowed. Won at KEPCO's approximate 2018 rates: check them before quoting.").format(
        kwh=decimal(mine.kwh), kwh_change=change_text(today.kwh, mine.kwh), co2=decimal(mine.co2_t, 2),
        co2_change=change_text(today.co2_t, mine.co2_t), peak=decimal(mine.peak_kw),
        limit=decimal(workspace.plant.max_load_kw), **numbers))


def check_verify(workspace: EnergyWorkspace) -> Feedback:
    forecast = check_forecast(workspace)
    if not forecast.passed:
        return Feedback(False, _("Choose a fair day-ahead model in task 1 first: a saving is judged against it. "
                                 "{problem}").format(problem=forecast.message))
    cv = workspace.daily_cv()
    days = workspace.test_days()
    typed = workspace.answers.get("detectable", "")
    answer = parse_typed_percent(typed) if typed else None
    if answer is None:
        return Feedback(False, _("Type the smallest saving that the {days} working weekdays of October to December "
                                 "can show, as a percentage.").format(days=days))
    expected = savings.detectable(cv, days)
    if answer < 1 and abs(100 * answer - expected) <= DETECTABLE_TOLERANCE:
        answer *= 100  # typed as a share: 0.066
    shown = {"answer": pct(answer), "cv": pct(cv), "days": days}
    if abs(answer - expected) > DETECTABLE_TOLERANCE:
        if abs(answer - cv) <= DETECTABLE_TOLERANCE:
            return Feedback(False, _("You typed {answer}: that is your model's error on a single day. Averaged over "
                                     "{days} days the error shrinks by the square root of {days}.").format(**shown))
        if abs(answer - cv / math.sqrt(days)) <= DETECTABLE_TOLERANCE / 2:
            return Feedback(False, _("You typed {answer}: that is one standard error, {formula}. For 95% confidence "
                                     "multiply it by 1.96.").format(
                formula=isolated(f"{decimal(cv, 1)} ÷ √{days}"), **shown))
        if abs(answer - savings.Z_95 * cv / days) <= DETECTABLE_TOLERANCE / 2:
            return Feedback(False, _("You typed {answer}: that divides by the number of days. The error of an "
                                     "average shrinks with the square root of the days: divide by √{days}.").format(
                **shown))
        return Feedback(False, _("You typed {answer}. With your model's daily error of {cv}, work out {formula}.")
                        .format(formula=isolated(f"1.96 × {decimal(cv, 1)} ÷ √{days}"), **shown))
    typed_days = workspace.answers.get("days_needed", "")
    needed = parse_count(typed_days) if typed_days else None
    if needed is None:
        return Feedback(False, _("Now type how many working days of readings a saving of {claim} needs before it "
                                 "stands out from your model's error.").format(claim=pct(CLAIM, 0)))
    expected_days = savings.days_needed(CLAIM, cv)
    shown_days = {"answer": decimal(needed), "claim": pct(CLAIM, 0), "cv": pct(cv)}
    if abs(needed - expected_days) > DAYS_TOLERANCE * expected_days:
        if abs(needed - savings.Z_95 * cv / CLAIM) <= 2:
            return Feedback(False, _("You typed {answer}: you did not square. The days needed are {formula}, "
                                     "because the error shrinks only with the square root of the days.").format(
                formula=isolated(f"(1.96 × {decimal(cv, 1)} ÷ {decimal(CLAIM)})²"), **shown_days))
        if abs(needed - (cv / CLAIM) ** 2) <= DAYS_TOLERANCE * (cv / CLAIM) ** 2:
            return Feedback(False, _("You typed {answer}: that leaves out 1.96, the factor for 95% confidence. "
                                     "Work out {formula}.").format(
                formula=isolated(f"(1.96 × {decimal(cv, 1)} ÷ {decimal(CLAIM)})²"), **shown_days))
        if abs(needed - days) < 1:
            return Feedback(False, _("You typed {answer}, the days of October to December: they can only show "
                                     "savings above {detectable}, and {claim} is smaller.").format(
                detectable=pct(expected), **shown_days))
        return Feedback(False, _("You typed {answer}. A saving of {claim} stands out once {formula} is no larger "
                                 "than {claim}: solve it for the days, or move the slider until it is.").format(
            formula=isolated(f"1.96 × {decimal(cv, 1)} ÷ √{days_symbol()}"), **shown_days))
    claim = workspace.claim(CLAIM)
    return Feedback(True, _("Right. With your model's daily error of {cv}, the {days} working weekdays of October to "
                            "December can only show savings above {detectable}, and a saving of {claim} needs about "
                            "{needed} working days: {years} years of working weekdays. Had the plant truly saved "
                            "{claim} from October, the meter would have reported {shown}, with a spread of {spread} "
                            "points from day to day. A claim of this size, checked this way, is noise.").format(
        cv=pct(cv), days=days, detectable=pct(expected), claim=pct(CLAIM, 0), needed=decimal(expected_days),
        years=decimal(expected_days / YEAR_WORKING_DAYS, 1), shown=pct(claim.mean), spread=decimal(claim.spread, 0)))


def _co2_feedback(workspace: EnergyWorkspace, answer: str) -> str:
    plan = workspace.evaluation()
    if plan.violations or workspace.is_today():
        plan = workspace.best(COST)
    today = workspace.today()
    numbers = {"bill": change_text(today.cost_won, plan.cost_won), "kwh": change_text(today.kwh, plan.kwh),
               "factor": decimal(CO2_T_PER_MWH, 4)}
    if answer == "bill":
        return _("Compared with today's plan, tomorrow's bill is {bill} and its kWh {kwh}. CO2 is the kWh times "
                 "{factor} kg at every hour, so the CO2 is {kwh} too: moving hours saves money, not emissions.")\
            .format(**numbers)
    return _("The lab counts the same {factor} kg of CO2 for a kWh at every hour, as the plant's own meter data does: "
             "with tomorrow's plan the kWh, and so the CO2, are {kwh}. On a real grid the power stations that run "
             "more at night are often coal-fired, so moving load to the night can even raise emissions.").format(
        **numbers)


def _answer_feedback(workspace: EnergyWorkspace, question_id: str, answer: str) -> str:
    if question_id == "co2":
        return _co2_feedback(workspace, answer)
    if question_id == "placebo":
        profile = workspace.results[PROFILE]
        placebo = workspace.claim(0.0, PROFILE)
        if answer == "real":
            return _("Nothing was changed: the {placebo} \"saving\" is the model's bias. It forecasts {bias} on "
                     "average from October to December (NMBE).").format(placebo=pct(placebo.mean),
                                                                         bias=bias_text(profile.nmbe))
        return _("Noise averages out; this does not. The calendar model forecasts {bias} on average from October to "
                 "December (NMBE): a bias, which stays however many days you wait.").format(
            bias=bias_text(profile.nmbe))
    if question_id == "claim":
        cv = workspace.daily_cv()
        if answer == "year":
            return _("A year has about {days} working weekdays. With your model's daily error of {cv}, they can show "
                     "only savings above {year}; a saving of {claim} needs about {needed} working days.").format(
                days=YEAR_WORKING_DAYS, cv=pct(cv), year=pct(savings.detectable(cv, YEAR_WORKING_DAYS)),
                claim=pct(CLAIM, 0), needed=decimal(savings.days_needed(CLAIM, cv)))
        return _("A baseline must say what the plant would have used without the change. A model that reads the "
                 "meter an hour before follows the changed plant hour by hour: after the change it forecasts the "
                 "lower load too, and hides the very saving it should measure.")
    night = workspace.year[CHEAPEST_NIGHT]
    highest = max(s.new.peak_kw for s in night.months.values())
    if answer == "limits":
        return _("The optimiser's plans meet every limit, at night too: their highest hour draws {peak} kW of the "
                 "{limit} kW allowed. Look at what the saving leaves out.").format(
            peak=decimal(highest), limit=decimal(workspace.plant.max_load_kw))
    return _("The optimiser is exact about what it counts: the energy charge at KEPCO's approximate 2018 rates. It "
             "does not count the night crew's wages, and the kWh rise by {kwh}: the {night} is a saving of money on "
             "one bill, not of energy.").format(kwh=pct(-night.kwh_percent), night=pct(night.cost_percent, 0))


def check_failures(workspace: EnergyWorkspace) -> Feedback:
    forecast = check_forecast(workspace)
    if not forecast.passed:
        return Feedback(False, _("Choose a fair day-ahead model in task 1 first: two of the questions are about it."))
    for item in QUESTIONS:
        answer = workspace.answers.get(item.id, "")
        if not answer:
            return Feedback(False, _("Answer the question: {question}").format(
                question=question_text(workspace, item.prompt)))
        if answer != RIGHT_ANSWERS[item.id]:
            return Feedback(False, _answer_feedback(workspace, item.id, answer))
    numbers = question_numbers(workspace)
    return Feedback(True, _("Right. The schedule change is real and small, and it saves money rather than energy; the "
                            "meter cannot show a saving of POSCO's size against a day-ahead forecast, which is why "
                            "the way of measuring must be agreed before the change; a biased model shows a saving of "
                            "{placebo} when nothing changed; and the large night-shift saving leaves out the people "
                            "who would work at night. Before quoting any won figure, check KEPCO's current rates.")
                    .format(placebo=numbers["placebo"]))


TASKS = (
    Task("forecast", N_("Predict tomorrow's load"),
         N_("In \"1. Forecast\", choose a model that predicts tomorrow's load hour by hour, press \"Fit the model\" "
            "(it learns January to September 2018 and is tested on October to December) and compare its errors "
            "with the baseline, the same hour one week earlier. Keep a model that beats the baseline, can be "
            "computed the day before, and whose forecasts are at most 10% too high or too low on average (NMBE): "
            "task 3 judges a saving against it."),
         check_forecast,
         N_("Look at the NMBE column: a model that learned a busier part of the year forecasts too much for every "
            "autumn day. And ask of every input: is it known the day before?")),
    Task("schedule", N_("Move tomorrow's batches to cheaper hours"),
         N_("In \"2. Tomorrow's schedule\", move the mill's and the finishing line's batches between hours, for a "
            "working weekday in December (KEPCO's winter tariff). Keep the day's output (8 mill and 4 finishing "
            "batches), the crews, the 480 kW maximum load and the coil flow, and find a plan whose energy bill is "
            "within 1% of the optimiser's cheapest."),
         check_schedule,
         N_("Today the finishing line runs in the evening peak. Try it in the afternoon beside the mill, but not in "
            "an hour where it warms up from cold while the mill runs: that hour would go over 480 kW.")),
    Task("verify", N_("Could the meter show the saving?"),
         N_("A saving is what your model says the plant would have used, minus what the meter reads. In \"3. "
            "Measure the saving\", type the smallest saving the 64 working weekdays of October to December can show "
            "with 95% confidence (1.96 × CV ÷ √days, where CV is your model's daily error), and how many working "
            "days of readings a saving of 2%, POSCO's size, needs."),
         check_verify,
         N_("Move the days slider and watch the smallest saving it can show; solving 1.96 × CV ÷ √days = 2 for the "
            "days gives (1.96 × CV ÷ 2)².")),
    Task("failures", N_("Find where it fails"),
         N_("In \"4. Where it fails\", answer four questions: what a cheaper schedule does to CO2, why a model shows "
            "a saving when nothing changed, what a city should ask of a vendor's 2% claim, and why the night "
            "shift's large saving is not the saving to report."),
         check_failures,
         N_("The table of the year's savings and the charts of task 3 hold every number you need.")),
)


# --- opening ----------------------------------------------------------------------------------------------------------


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> EnergyWorkspace:
    return open_workspace(snapshot, state, files)


# --- the reference solution and plausible mistakes ------------------------------------------------------------------

# Measured with the engine; tests/labs/test_energy_lab.py proves they still hold.
_CHEAPEST = {"mill": [8, 9, 10, 11, 14, 15, 16, 19], "finishing": [13, 15, 16, 20]}  # optimise(plant, 12, COST)
_SUMMER_CHEAPEST = {"mill": [8, 9, 11, 13, 15, 16, 17, 19], "finishing": [14, 16, 18, 20]}  # optimise(plant, 7, COST)
_STACKED = {"mill": [8, 9, 10, 13, 14, 15, 16, 20], "finishing": [8, 9, 13, 14]}  # stack_off_peak(plant, 12)
_SKIP_PEAK = {"mill": [8, 9, 13, 14, 15, 16], "finishing": [20]}  # skip_peak(12)
_NIGHT = {"mill": [0, 1, 2, 3, 4, 5, 6, 7], "finishing": [8, 9, 12, 23]}  # cheapest_hours(plant, 12)
REFERENCE: dict[str, Any] = {
    "version": 1,
    "forecast": {"model": BOOSTING, "fitted": [SEASONAL_NAIVE, PROFILE, RIDGE, BOOSTING]},
    "schedule": _CHEAPEST,
    "verify": {"days": 697, "true_saving": CLAIM},  # where the learner found that 2% stands out
    "answers": {"detectable": "6.6", "days_needed": "697", **RIGHT_ANSWERS},
}


def _with(**parts: Any) -> dict[str, Any]:
    snapshot = copy.deepcopy(REFERENCE)
    for key, value in parts.items():
        snapshot[key] = copy.deepcopy(value)
    return snapshot


def _answers(**answers: str) -> dict[str, Any]:
    return _with(answers={**REFERENCE["answers"], **answers})


def _model(name: str, fitted: bool = True) -> dict[str, Any]:
    return _with(forecast={"model": name, "fitted": [SEASONAL_NAIVE] + ([name] if fitted else [])})


WRONG_ATTEMPTS = (
    WrongAttempt("keeps the seasonal-naive baseline", "forecast", _model(SEASONAL_NAIVE)),
    WrongAttempt("the model that reads the previous hour's meter (not available a day ahead)", "forecast",
                 _model(LEAKY)),
    WrongAttempt("the calendar profile: better than the baseline, 14 % biased", "forecast", _model(PROFILE)),
    WrongAttempt("linear regression on the calendar: 14 % biased", "forecast", _model(RIDGE)),
    WrongAttempt("regression without the production calendar", "forecast", _model(NO_CALENDAR)),
    WrongAttempt("chose the trees but never fitted them", "forecast", _model(BOOSTING, fitted=False)),
    WrongAttempt("keeps today's plan", "schedule", _with(schedule={"mill": [8, 9, 10, 11, 13, 14, 15, 16],
                                                                   "finishing": [17, 18, 19, 20]})),
    WrongAttempt("finishing moved beside the mill, warming up at 13:00: 487 kW", "schedule",
                 _with(schedule={"mill": [8, 9, 10, 11, 13, 14, 15, 16], "finishing": [13, 15, 16, 20]})),
    WrongAttempt("both lines stacked outside the peak (the engine's stack_off_peak)", "schedule",
                 _with(schedule=_STACKED)),
    WrongAttempt("everything switched off in the peak hours (the engine's skip_peak)", "schedule",
                 _with(schedule=_SKIP_PEAK)),
    WrongAttempt("every batch in the cheapest hours, at night with no crew (the engine's cheapest_hours)", "schedule",
                 _with(schedule=_NIGHT)),
    WrongAttempt("the mill's evening batch dropped: one batch short", "schedule",
                 _with(schedule={"mill": [8, 9, 10, 11, 14, 15, 16], "finishing": [13, 15, 16, 20]})),
    WrongAttempt("finishing at 08:00 before any coil is rolled", "schedule",
                 _with(schedule={"mill": [9, 10, 11, 13, 14, 15, 16, 17], "finishing": [8, 18, 19, 20]})),
    WrongAttempt("the summer's cheapest plan used in winter: feasible, 1.8 % dearer than the optimum", "schedule",
                 _with(schedule=_SUMMER_CHEAPEST)),
    WrongAttempt("one day's error typed as the detectable saving", "verify", _answers(detectable="26.9")),
    WrongAttempt("the standard error without 1.96", "verify", _answers(detectable="3.4")),
    WrongAttempt("divided by the days instead of their square root", "verify", _answers(detectable="0.8")),
    WrongAttempt("the days needed, not squared", "verify", _answers(days_needed="26")),
    WrongAttempt("the days needed without 1.96", "verify", _answers(days_needed="181")),
    WrongAttempt("the test period's 64 days as the days needed", "verify", _answers(days_needed="64")),
    WrongAttempt("measured against the biased calendar profile", "verify", _model(PROFILE)),
    WrongAttempt("CO2 falls with the bill", "failures", _answers(co2="bill")),
    WrongAttempt("night power is cleaner", "failures", _answers(co2="night")),
    WrongAttempt("the placebo saving is real", "failures", _answers(placebo="real")),
    WrongAttempt("the placebo saving is noise that averages out", "failures", _answers(placebo="noise")),
    WrongAttempt("a year of readings is proof enough", "failures", _answers(claim="year")),
    WrongAttempt("the leaky model as the vendor's baseline", "failures", _answers(claim="leaky")),
    WrongAttempt("the night plan breaks the maximum load", "failures", _answers(night="limits")),
    WrongAttempt("the 39 % night saving is the one to report", "failures", _answers(night="fine")),
    WrongAttempt("a question left unanswered", "failures",
                 _with(answers={k: v for k, v in REFERENCE["answers"].items() if k != "claim"})),
)

LAB = LabDefinition(
    id="smart_city/plant-energy",
    family="smart_city",
    title=N_("Energy in a plant"),
    summary=N_("Predict a steel plant's electricity use a day ahead, move tomorrow's batches to cheaper tariff hours "
               "without breaking the crews, the maximum load or the day's output, and find where the idea fails: "
               "whether the meter can even show a saving of POSCO's 2%, and what a cheaper bill does not save."),
    datasets=(DATASET,),
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.smart_city.energy_panel:EnergyPanel",
)

__all__ = ["LAB", "REFERENCE", "WRONG_ATTEMPTS", "QUESTIONS", "RIGHT_ANSWERS", "MONTH"]
