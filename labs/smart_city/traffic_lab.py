"""Lab "smart_city/traffic-signals": adaptive traffic signals (issue 8, scenario 1).

After Seoul's signals that are re-timed from traffic data: the learner forecasts a district's traffic hour by
hour from real counts, times a fixed plan with Webster's method, compares it with a plan re-timed every hour over
a simulated day, and finds where the idea fails (a junction no timing can save; a forecast fooled by a holiday).
The engine is labs/smart_city/traffic/ (formulas and sources in its README); the learner's work is
traffic_workspace.py; this module holds the lab's text, its checks, the reference solution and the plausible
mistakes. No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.formatting import date as format_date
from app.core.formatting import isolated
from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.answers import parse_percent
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt
from labs.smart_city.traffic.demand import DATASET
from labs.smart_city.traffic_workspace import (AFTER_HOLIDAY, AVERAGE, HOLIDAY, ORDINARY_DAY, PEAK, SAME_HOUR_MEAN,
                                               SAME_HOUR_MEDIAN, SAME_WEEKDAY_MEAN, SEASONAL_NAIVE,
                                               TIMED_ON_ACTUAL, TIMED_ON_FORECAST, TIMED_ON_LAST_WEEK, DesignRow,
                                               ForecastChoice, TrafficWorkspace, open_workspace, saturation_at,
                                               scenario_key, timing_for)

# --- names the learner sees -------------------------------------------------------------------------------------

JUNCTION_NAMES = {
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "H1": N_("Harbour Gate"),
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "H2": N_("Market Cross"),
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "H3": N_("Hospital Junction"),
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "M1": N_("School Corner"),
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "M2": N_("Station Square"),
    # TRANSLATORS: a junction of the lab's made-up district, shown on its map; translate the name's meaning.
    "M3": N_("City Hall"),
}
STREET_NAMES = {  # the two east-west arterials
    # TRANSLATORS: a street of the lab's made-up district, written on its map.
    "H": N_("Harbour Road"),
    # TRANSLATORS: a street of the lab's made-up district, written on its map.
    "M": N_("Main Street"),
}
SIDE_NAMES = {"N": N_("traffic from the north"), "S": N_("traffic from the south"), "E": N_("traffic from the east"),
              "W": N_("traffic from the west")}
METHOD_TITLES = {
    SAME_HOUR_MEAN: N_("Mean of the same hour over the last weekdays"),
    SAME_HOUR_MEDIAN: N_("Median of the same hour over the last weekdays"),
    SAME_WEEKDAY_MEAN: N_("Mean of the same hour on the same weekday over the last weeks"),
    SEASONAL_NAIVE: N_("The same hour one week earlier (seasonal naive: the baseline)"),
}
DAY_TITLES = {ORDINARY_DAY: N_("{date}: an ordinary Wednesday"),
              AFTER_HOLIDAY: N_("{date}: the Monday a week after Labor Day")}
TIMED_ON_TITLES = {TIMED_ON_FORECAST: N_("your forecast (task 1)"),
                   TIMED_ON_LAST_WEEK: N_("last week's counts (the seasonal-naive forecast)"),
                   TIMED_ON_ACTUAL: N_("the actual counts (a perfect forecast)")}


def junction_name(junction_id: str) -> str:
    return _(JUNCTION_NAMES[junction_id])


def day_title(day: dt.date) -> str:
    return _(DAY_TITLES[day]).format(date=format_date(day))


def hours_text(first: int, last: int | None = None) -> str:
    """"16:00–18:00" for the hours first..last (inclusive), kept left to right in a right-to-left sentence."""
    last = first if last is None else last
    return isolated(f"{first:02d}:00–{last + 1:02d}:00")


def webster_formula(lost: float | str = "L", y: float | str = "Y") -> str:
    """"C0 = (1.5 × 10 + 5) / (1 − 0.700)": Webster's optimum cycle, left to right in every language."""
    y_text = f"{y:.3f}" if isinstance(y, float) else y
    lost_text = f"{lost:g}" if isinstance(lost, float) else lost
    return isolated(f"C0 = (1.5 × {lost_text} + 5) / (1 − {y_text})")


def describe_forecast(choice: ForecastChoice) -> str:
    n = choice.window
    if choice.method == SAME_HOUR_MEAN:
        return ngettext("the mean of the same hour over the last {n} weekday",
                        "the mean of the same hour over the last {n} weekdays", n).format(n=n)
    if choice.method == SAME_HOUR_MEDIAN:
        return ngettext("the median of the same hour over the last {n} weekday",
                        "the median of the same hour over the last {n} weekdays", n).format(n=n)
    if choice.method == SAME_WEEKDAY_MEAN:
        return ngettext("the mean of the same hour on the same weekday over the last {n} week",
                        "the mean of the same hour on the same weekday over the last {n} weeks", n).format(n=n)
    return _("the same hour one week earlier (seasonal naive)")


@dataclass(frozen=True)
class Question:
    """A question of task 4; the panel shows a choice for each."""

    id: str
    prompt: str  # N_()-marked; may hold {date}
    options: tuple[tuple[str, str], ...] = ()  # (id, N_()-marked text); empty: the junctions


QUESTIONS = (
    Question("junction", N_("Which junction is over capacity in the evening peak under both plans?")),
    Question("remedy", N_("What would help that junction in the evening peak?"), (
        ("capacity", N_("Fewer vehicles or more room: no timing within the city's longest cycle can serve this "
                        "demand, so it needs demand management, other routes or a redesign of the junction.")),
        ("longer", N_("A longer cycle: Webster's formula asks for a much longer one there, so the city should "
                      "allow it.")),
        ("forecast", N_("A better forecast: the responsive plan fails there because its forecast is wrong.")),
        ("main_street", N_("More green for Main Street, taken from the cross streets.")),
    )),
    Question("holiday", N_("Why did the responsive plan timed on last week's counts fail on {date}?"), (
        ("holiday", N_("Last week's Monday was Labor Day: the plan was timed for holiday traffic, its short cycles "
                       "met a full commuter peak and the queues grew for hours.")),
        ("heavy", N_("Traffic was unusually heavy that day.")),
        ("model", N_("Webster's method does not work on Mondays.")),
        ("fine", N_("It did not fail: the responsive plan still beat the fixed plan.")),
    )),
)
RIGHT_ANSWERS = {"junction": "M2", "remedy": "capacity", "holiday": "holiday"}
GAIN_TOLERANCE = 1.0  # percentage points
EVENING = (15, 16, 17, 18)  # hours looked at for "the evening peak"


def question(question_id: str) -> Question:
    return next(q for q in QUESTIONS if q.id == question_id)


# --- shared facts for the checks (computed once: the embedded data never changes) --------------------------------


def _evening_over_capacity(result) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for junction, hour in result.over_capacity_hours():
        if hour in EVENING:
            found.setdefault(junction, []).append(hour)
    return found


# --- checks -------------------------------------------------------------------------------------------------------


def check_forecast(workspace: TrafficWorkspace) -> Feedback:
    choice = workspace.forecast
    mine, baseline = workspace.score(), workspace.baseline()
    if choice.method == SEASONAL_NAIVE:
        from labs.smart_city.traffic.demand import mae

        after = mae(workspace.history.day(AFTER_HOLIDAY), workspace.forecast_of(AFTER_HOLIDAY))
        return Feedback(False, _("You chose the seasonal-naive forecast, the same hour one week earlier: that is the "
                                 "baseline itself, so it cannot beat it. It is fooled by holidays too: on {day}, a "
                                 "week after Labor Day, it is {mae} vehicles per hour off. Choose another forecaster "
                                 "and compare its error.").format(day=format_date(AFTER_HOLIDAY), mae=f"{after:,.0f}"))
    if mine.mae >= baseline.mae:
        message = _("Over the last 40 weekdays your forecaster ({method}) is off by {mae} vehicles per hour on "
                    "average; the seasonal-naive baseline by {baseline}. Yours is not better yet: change the method "
                    "or how many past days it uses.").format(method=describe_forecast(choice), mae=f"{mine.mae:,.1f}",
                                                            baseline=f"{baseline.mae:,.1f}")
        if choice.method in (SAME_HOUR_MEAN, SAME_HOUR_MEDIAN) and choice.window < 10:
            message += " " + ngettext("With only {n} past day, one unusual day, such as a holiday, weighs a lot.",
                                      "With only {n} past days, one unusual day, such as a holiday, weighs a lot.",
                                      choice.window).format(n=choice.window)
        elif choice.window > 20:
            message += " " + _("Reaching back that far brings in weeks whose traffic no longer looks like the days "
                               "you forecast.")
        return Feedback(False, message)
    message = _("Your forecaster ({method}) is off by {mae} vehicles per hour on average over the last 40 weekdays; "
                "the seasonal-naive baseline by {baseline}. Yours makes {better} smaller errors.").format(
        method=describe_forecast(choice), mae=f"{mine.mae:,.1f}", baseline=f"{baseline.mae:,.1f}",
        better=f"{1 - mine.mae / baseline.mae:.0%}")
    if mine.worst_day is not None:
        message += " " + _("Its worst day is {day}, {mae} vehicles per hour off.").format(
            day=format_date(mine.worst_day), mae=f"{mine.worst_mae:,.0f}")
        if mine.worst_day == HOLIDAY:
            message += " " + _("That is Labor Day: a forecaster that only looks back does not expect a holiday.")
    return Feedback(True, message)


def _cycle_text(value: float) -> str:
    return f"{value:g}"


def check_fixed(workspace: TrafficWorkspace) -> Feedback:
    district = workspace.district
    if workspace.basis == AVERAGE:
        over = []
        for average_row, peak_row in zip(workspace.design_rows(AVERAGE), workspace.design_rows(PEAK)):
            cycle = workspace.cycles.get(average_row.intersection) or average_row.cycle
            try:
                timing = timing_for(district, average_row, cycle)
            except ValueError:
                continue
            if saturation_at(district, peak_row, timing) >= 1:
                over.append(junction_name(average_row.intersection))
        return Feedback(False, _("You designed the plan for the day's average hour. Its cycles are short, and in the "
                                 "peak hour {junctions} would be over capacity: queues would grow for as long as the "
                                 "peak lasts. A fixed plan runs all day, so it must serve the busiest hour: design it "
                                 "for each junction's peak hour.").format(junctions=", ".join(over) or "–"))
    rows = workspace.design_rows(PEAK)
    missing = [junction_name(r.intersection) for r in rows if not workspace.cycles.get(r.intersection)]
    if missing:
        return Feedback(False, ngettext("Type a cycle for one more junction: {junctions}.",
                                        "Type a cycle for {count} more junctions: {junctions}.", len(missing)).format(
            count=len(missing), junctions=", ".join(missing)))
    for row in rows:
        feedback = _check_cycle(workspace, row, float(workspace.cycles[row.intersection]))
        if feedback is not None:
            return feedback
    timings = workspace.timings()
    shortest = min(rows, key=lambda r: workspace.cycles[r.intersection])
    longest = max(rows, key=lambda r: workspace.cycles[r.intersection])
    message = _("Your fixed plan is Webster's timing for each junction's peak hour: cycles from {short} s at "
                "{short_name} to {long} s at {long_name}.").format(
        short=_cycle_text(workspace.cycles[shortest.intersection]), short_name=junction_name(shortest.intersection),
        long=_cycle_text(workspace.cycles[longest.intersection]), long_name=junction_name(longest.intersection))
    for row in rows:
        if row.c0 > district.max_cycle:
            x = saturation_at(district, row, timings[row.intersection])
            message += " " + _("At {name} Webster's C0 is {c0} s, far beyond the city's limit: even with a {cycle} s "
                               "cycle the junction is over capacity in its peak hour (x = {x}).").format(
                name=junction_name(row.intersection), c0=f"{row.c0:,.0f}" if row.c0 < 1e9 else "∞",
                cycle=_cycle_text(workspace.cycles[row.intersection]), x=f"{x:.2f}")
    return Feedback(True, message)


def _tolerance(cycle: float) -> float:
    """"Within rounding": a whole second either way, or 1.5 % of long cycles (Y read to three decimals)."""
    return max(1.0, 0.015 * cycle)


def _check_cycle(workspace: TrafficWorkspace, row: DesignRow, cycle: float) -> Feedback | None:
    district = workspace.district
    name = junction_name(row.intersection)
    intersection = district.intersection(row.intersection)
    if abs(cycle - row.cycle) <= _tolerance(row.cycle):
        return None
    if cycle < district.min_cycle:
        try:
            timing_for(district, row, cycle)
        except ValueError:
            return Feedback(False, _("{junction}: a {cycle} s cycle leaves no room for two greens of at least "
                                     "{green} s after {lost} s of lost time.").format(
                junction=name, cycle=_cycle_text(cycle), green=f"{district.min_green:g}", lost=f"{row.lost_time:g}"))
        return Feedback(False, _("{junction}: {cycle} s is shorter than the city's shortest cycle, {limit} s. When "
                                 "Webster's C0 is shorter than that, use {limit} s.").format(
            junction=name, cycle=_cycle_text(cycle), limit=f"{district.min_cycle:g}"))
    if cycle > district.max_cycle:
        return Feedback(False, _("{junction}: {cycle} s is longer than the city's longest cycle, {limit} s. When "
                                 "Webster's C0 is longer than that, use {limit} s, and expect the junction to be close "
                                 "to capacity.").format(junction=name, cycle=_cycle_text(cycle),
                                                        limit=f"{district.max_cycle:g}"))
    y = row.flow_ratio_sum
    without_all_red = intersection.phases * intersection.lost_per_phase
    if y < 1:
        c_wrong = (1.5 * without_all_red + 5) / (1 - y)
        c_wrong = min(max(c_wrong, district.min_cycle), district.max_cycle)
        if abs(cycle - c_wrong) <= _tolerance(c_wrong) and abs(c_wrong - row.cycle) > _tolerance(row.cycle):
            return Feedback(False, _("{junction}: you typed {cycle} s, which is what the formula gives with {wrong}. "
                                     "The lost time counts the all-red too: {lost}.").format(
                junction=name, cycle=_cycle_text(cycle), wrong=isolated(f"L = {without_all_red:g} s"),
                lost=isolated(f"L = {intersection.phases} × {intersection.lost_per_phase:g} s + "
                              f"{intersection.all_red:g} s = {row.lost_time:g} s")))
    message = _("{junction}: you typed {cycle} s, but for its peak hour ({hour}) Webster's formula gives {formula}. "
                "Work it out again and round it to whole seconds.").format(
        junction=name, cycle=_cycle_text(cycle), hour=hours_text(row.hour or 0),
        formula=webster_formula(row.lost_time, y))
    if row.c0 > district.max_cycle:
        message += " " + _("If the result is longer than the city's longest cycle, {limit} s, use {limit} s.").format(
            limit=f"{district.max_cycle:g}")
    elif row.c0 < district.min_cycle:
        message += " " + _("If the result is shorter than the city's shortest cycle, {limit} s, use {limit} s.").format(
            limit=f"{district.min_cycle:g}")
    return Feedback(False, message)


def check_gain(workspace: TrafficWorkspace) -> Feedback:
    if workspace.fixed_plan() is None:
        return Feedback(False, _("Time the fixed plan first (task 2): type a cycle for every junction."))
    fixed = check_fixed(workspace)
    if not fixed.passed:
        return Feedback(False, _("Your fixed plan is not yet Webster's timing for the peak hour (task 2), so the "
                                 "comparison would not be fair. {problem}").format(problem=fixed.message))
    run = workspace.run
    if run is None or not workspace.run_is_current():
        return Feedback(False, _("Simulate the day first: press \"Simulate the day\" in \"3. Simulate the day\"."))
    if run.day != ORDINARY_DAY or run.timed_on != TIMED_ON_FORECAST:
        return Feedback(False, _("For this task, simulate {date} with the responsive plan timed on your forecast. You "
                                 "simulated {day} with the plan timed on {timed_on}.").format(
            date=format_date(ORDINARY_DAY), day=format_date(run.day), timed_on=_(TIMED_ON_TITLES[run.timed_on])))
    comparison = run.comparison
    fixed_vh, responsive_vh = comparison.base_vehicle_hours, comparison.other_vehicle_hours
    numbers = {"fixed": f"{fixed_vh:,.0f}", "responsive": f"{responsive_vh:,.0f}"}
    if comparison.saving <= 0:
        return Feedback(False, _("On this day the responsive plan causes more delay than the fixed plan ({responsive} "
                                 "against {fixed} vehicle-hours): look at your forecast again (task 1).").format(
            **numbers))
    typed = workspace.answers.get("gain", "")
    answer = parse_percent(typed)
    if answer is None:
        return Feedback(False, _("Type the saving: the share of the fixed plan's delay that the responsive plan saves, "
                                 "as a percentage."))
    expected = comparison.saving_percent
    if abs(answer - expected) <= GAIN_TOLERANCE:
        best = max(range(len(comparison.hourly_saving)), key=lambda h: comparison.hourly_saving[h])
        return Feedback(True, _("Right: the responsive plan saves {saved} vehicle-hours of delay on {date}, {percent} "
                                "of the fixed plan's {fixed}. The largest saving is at {hour}: a timing made for one "
                                "hour fits the others badly.").format(
            saved=f"{comparison.saving:,.0f}", date=format_date(run.day), percent=f"{expected:.1f}%",
            hour=hours_text(best), **numbers))
    shown = f"{answer:.1f}%"
    if abs(answer - 100 * comparison.saving / responsive_vh) <= GAIN_TOLERANCE:
        return Feedback(False, _("You answered {answer}: that is the saving as a share of the responsive plan's delay. "
                                 "The question asks for a share of the fixed plan's delay, {fixed} vehicle-hours.")
                        .format(answer=shown, **numbers))
    if abs(answer - 100 * responsive_vh / fixed_vh) <= GAIN_TOLERANCE:
        return Feedback(False, _("You answered {answer}: that is the responsive plan's delay as a share of the fixed "
                                 "plan's. The saving is the rest.").format(answer=shown))
    return Feedback(False, _("You answered {answer}. The fixed plan causes {fixed} vehicle-hours of delay over the day "
                             "and the responsive plan {responsive}: work out the saving as a share of {fixed}.").format(
        answer=shown, **numbers))


def _remedy_feedback(workspace: TrafficWorkspace, remedy: str) -> str:
    row = next(r for r in workspace.design_rows(PEAK) if r.intersection == RIGHT_ANSWERS["junction"])
    name = junction_name(row.intersection)
    if remedy == "longer":
        needed = row.lost_time / (1 - row.flow_ratio_sum) if row.flow_ratio_sum < 1 else float("inf")
        return _("With Y = {y}, {junction} needs {share} of every cycle as green: only a cycle longer than {cycle} s "
                 "leaves that much after the lost time, and then every driver waits minutes at red with no spare "
                 "capacity at all. A longer cycle cannot serve demand that nearly fills the junction.").format(
            y=f"{row.flow_ratio_sum:.3f}", junction=name, share=f"{row.flow_ratio_sum:.0%}", cycle=f"{needed:,.0f}")
    if remedy == "forecast":
        perfect = workspace.reference_scenario(ORDINARY_DAY, TIMED_ON_ACTUAL)
        hours = _evening_over_capacity(perfect.responsive).get(row.intersection, [])
        return _("Timed on the actual counts, a perfect forecast, {junction} is still over capacity at {hours}: the "
                 "forecast is not the problem.").format(junction=name,
                                                         hours=hours_text(min(hours), max(hours)) if hours else "–")
    return _("In the evening peak the cross streets are as busy as Main Street (y = {ns} north-south, {ew} east-west "
             "at {junction}): Webster's split already shares the green so that both are equally saturated. Green "
             "taken from one side overloads the other.").format(ns=f"{row.ratios[0]:.3f}", ew=f"{row.ratios[1]:.3f}",
                                                                junction=name)


def _holiday_feedback(workspace: TrafficWorkspace, answer: str) -> str:
    if answer == "heavy":
        from labs.smart_city.traffic.demand import typical_weekday

        actual = sum(workspace.history.day(AFTER_HOLIDAY))
        last_week = sum(workspace.history.day(AFTER_HOLIDAY - dt.timedelta(weeks=1)))
        return _("That Monday's counts were ordinary: {actual} vehicles passed the counting station, against {typical} "
                 "on a typical weekday. The forecast was low, not the traffic high: last week's counts add up to "
                 "{forecast}.").format(actual=f"{actual:,.0f}", forecast=f"{last_week:,.0f}",
                                       typical=f"{sum(typical_weekday(workspace.history)):,.0f}")
    if answer == "model":
        return _("Timed on the actual counts, the same Monday goes well: only the demand the plan was timed for "
                 "changed, not the method.")
    bad = workspace.reference_scenario(AFTER_HOLIDAY, TIMED_ON_LAST_WEEK)
    return _("It caused {responsive} vehicle-hours of delay against {fixed} for the fixed plan: {times} times as "
             "much.").format(responsive=f"{bad.comparison.other_vehicle_hours:,.0f}",
                             fixed=f"{bad.comparison.base_vehicle_hours:,.0f}",
                             times=f"{bad.comparison.other_vehicle_hours / bad.comparison.base_vehicle_hours:,.0f}")


def check_failures(workspace: TrafficWorkspace) -> Feedback:
    if not workspace.explored:
        return Feedback(False, _("Simulate the day first (task 3): you answer from what you see on the maps."))
    answers = workspace.answers
    chosen = answers.get("junction", "")
    if not chosen:
        return Feedback(False, _("Answer the first question: which junction is over capacity in the evening peak "
                                 "under both plans?"))
    if chosen != RIGHT_ANSWERS["junction"]:
        perfect = workspace.reference_scenario(ORDINARY_DAY, TIMED_ON_ACTUAL).responsive
        worst = max((r.max_degree_of_saturation for r in perfect.intersection_hours
                     if r.intersection == chosen and r.hour in EVENING), default=0.0)
        return Feedback(False, _("{junction} is not over capacity in the evening under the responsive plan: its worst "
                                 "degree of saturation there is {x}. Look for the junction that stays at level F in "
                                 "the evening under both plans.").format(
            junction=junction_name(chosen) if chosen in JUNCTION_NAMES else chosen, x=f"{worst:.2f}"))
    remedy = answers.get("remedy", "")
    if not remedy:
        return Feedback(False, _("Answer the second question: what would help that junction?"))
    if remedy != RIGHT_ANSWERS["remedy"]:
        return Feedback(False, _remedy_feedback(workspace, remedy))
    if scenario_key(AFTER_HOLIDAY, SEASONAL_NAIVE) not in workspace.explored:
        return Feedback(False, _("Simulate {date} with the responsive plan timed on last week's counts (in \"3. "
                                 "Simulate the day\"), then answer the last question.").format(
            date=format_date(AFTER_HOLIDAY)))
    holiday = answers.get("holiday", "")
    if not holiday:
        return Feedback(False, _("Answer the last question: why did the plan timed on last week's counts fail on "
                                 "{date}?").format(date=format_date(AFTER_HOLIDAY)))
    if holiday != RIGHT_ANSWERS["holiday"]:
        return Feedback(False, _holiday_feedback(workspace, holiday))
    bad = workspace.reference_scenario(AFTER_HOLIDAY, TIMED_ON_LAST_WEEK).comparison
    perfect = workspace.reference_scenario(ORDINARY_DAY, TIMED_ON_ACTUAL)
    hours = _evening_over_capacity(perfect.responsive).get(RIGHT_ANSWERS["junction"], [16])
    return Feedback(True, _("Right. {junction} needs more green than any cycle within {limit} s can give at {hours}: "
                            "that is a job for demand management or a redesign, not for signal timing. And a forecast "
                            "is only as good as the days it copies: timed on last week's holiday, the responsive plan "
                            "caused {times} times the fixed plan's delay on {date}. Before a city trusts such a system "
                            "it keeps an operator watching and a fixed plan to fall back on.").format(
        junction=junction_name(RIGHT_ANSWERS["junction"]), limit=f"{workspace.district.max_cycle:g}",
        hours=hours_text(min(hours), max(hours)), times=f"{bad.other_vehicle_hours / bad.base_vehicle_hours:,.0f}",
        date=format_date(AFTER_HOLIDAY)))


TASKS = (
    Task("forecast", N_("Forecast the day's traffic, hour by hour"),
         N_("A demand-responsive plan is timed on a forecast of each hour's traffic. In \"1. Forecast\", choose a "
            "forecaster and compare its error over the last 40 weekdays with the baseline: the same hour one week "
            "earlier (seasonal naive). Your forecaster must make smaller errors than the baseline."),
         check_forecast,
         N_("Averaging several past days smooths out one unusual day, but reaching too far back brings in weeks that "
            "looked different. Try the same weekday, or a median.")),
    Task("fixed", N_("Time the fixed plan with Webster's method"),
         N_("A fixed-time plan runs one timing all day, so it must serve the busiest hour. In \"2. Fixed plan\", "
            "design it for each junction's peak hour and type each junction's cycle: Webster's optimum cycle "
            "C0 = (1.5 L + 5) / (1 − Y), rounded to whole seconds and kept within the city's limits of 30 to 120 s. "
            "The greens follow Webster's split."),
         check_fixed,
         N_("Y is the sum of the two phases' flow ratios y = q / s, and L the lost time: 10 s at every junction. "
            "When C0 is longer than 120 s, use 120 s.")),
    Task("gain", N_("Compare the responsive plan with the fixed plan"),
         N_("In \"3. Simulate the day\", simulate Wednesday 12 September 2018 with the responsive plan timed on your "
            "forecast: Webster's method again for every hour. Watch the district through the day, then type how much "
            "delay the responsive plan saves, as a percentage of the fixed plan's vehicle-hours of delay."),
         check_gain,
         N_("Saving = (fixed − responsive) ÷ fixed. Each plan's vehicle-hours of delay over the day are written "
            "above its map.")),
    Task("failures", N_("Find where it fails"),
         N_("Adaptive signals do not fix everything. In \"4. Where it fails\", answer three questions: which junction "
            "stays over capacity in the evening peak under both plans, what would help it, and what happens on "
            "Monday 10 September 2018 when the responsive plan is timed on last week's counts. Simulate that day "
            "first."),
         check_failures,
         N_("Play the evening on the maps and look for a junction that stays red under both plans. For the Monday, "
            "choose it in \"3. Simulate the day\" with \"last week's counts\".")),
)


# --- opening ----------------------------------------------------------------------------------------------------------


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> TrafficWorkspace:
    return open_workspace(snapshot, state, files)


# --- the reference solution and plausible mistakes ------------------------------------------------------------------

# Measured on the embedded counts with these choices; the self-test proves they still hold.
_CYCLES = {"H1": 43, "H2": 67, "H3": 47, "M1": 50, "M2": 120, "M3": 84}  # Webster's C0 for the peak hour, rounded
_AVERAGE_CYCLES = {"H1": 30, "H2": 33, "H3": 30, "M1": 30, "M2": 45, "M3": 35}  # ... for the day's average hour
_NO_ALL_RED_CYCLES = {"H1": 30, "H2": 47, "H3": 33, "M1": 35, "M2": 120, "M3": 59}  # ... with L = 6 s
REFERENCE: dict[str, Any] = {
    "version": 1,
    "forecast": {"method": SAME_WEEKDAY_MEAN, "window": 4},
    "fixed": {"basis": PEAK, "cycles": _CYCLES},
    "simulation": {"day": ORDINARY_DAY.isoformat(), "timed_on": TIMED_ON_FORECAST, "run": True},
    "explored": [scenario_key(AFTER_HOLIDAY, SEASONAL_NAIVE), scenario_key(ORDINARY_DAY, SAME_WEEKDAY_MEAN)],
    "answers": {"gain": "27.0", **RIGHT_ANSWERS},
}


def _with(**parts: Any) -> dict[str, Any]:
    snapshot = copy.deepcopy(REFERENCE)
    for key, value in parts.items():
        snapshot[key] = copy.deepcopy(value)
    return snapshot


def _answers(**answers: str) -> dict[str, Any]:
    return _with(answers={**REFERENCE["answers"], **answers})


WRONG_ATTEMPTS = (
    WrongAttempt("forecasting with last week's counts, holiday and all (the baseline itself)", "forecast",
                 _with(forecast={"method": SEASONAL_NAIVE, "window": 1})),
    WrongAttempt("the mean of only the last 5 weekdays: Labor Day weighs a fifth", "forecast",
                 _with(forecast={"method": SAME_HOUR_MEAN, "window": 5})),
    WrongAttempt("the mean of the last 40 weekdays: too far back", "forecast",
                 _with(forecast={"method": SAME_HOUR_MEAN, "window": 40})),
    WrongAttempt("fixed plan timed on the daily average", "fixed",
                 _with(fixed={"basis": AVERAGE, "cycles": _AVERAGE_CYCLES})),
    WrongAttempt("lost time without the all-red (L = 6 s)", "fixed",
                 _with(fixed={"basis": PEAK, "cycles": _NO_ALL_RED_CYCLES})),
    WrongAttempt("Station Square at Webster's 620 s, beyond the city's longest cycle", "fixed",
                 _with(fixed={"basis": PEAK, "cycles": {**_CYCLES, "M2": 620}})),
    WrongAttempt("a cycle left empty", "fixed", _with(fixed={"basis": PEAK, "cycles": {**_CYCLES, "H3": None}})),
    WrongAttempt("the saving as a share of the responsive plan's delay", "gain", _answers(gain="36.9")),
    WrongAttempt("the responsive plan's delay as a share of the fixed plan's", "gain", _answers(gain="73")),
    WrongAttempt("never simulated the day", "gain",
                 _with(simulation={**REFERENCE["simulation"], "run": False})),
    WrongAttempt("the gain measured on the Monday after the holiday, on last week's counts", "gain",
                 _with(simulation={"day": AFTER_HOLIDAY.isoformat(), "timed_on": TIMED_ON_LAST_WEEK, "run": True})),
    WrongAttempt("names Market Cross", "failures", _answers(junction="H2")),
    WrongAttempt("a longer cycle for Station Square", "failures", _answers(remedy="longer")),
    WrongAttempt("a better forecast for Station Square", "failures", _answers(remedy="forecast")),
    WrongAttempt("blames heavy traffic for the Monday after the holiday", "failures", _answers(holiday="heavy")),
    WrongAttempt("answers about the Monday without simulating it", "failures",
                 _with(explored=[scenario_key(ORDINARY_DAY, SAME_WEEKDAY_MEAN)])),
)

LAB = LabDefinition(
    id="smart_city/traffic-signals",
    family="smart_city",
    title=N_("Adaptive traffic signals"),
    summary=N_("Forecast a district's traffic hour by hour from real counts, time a fixed signal plan with Webster's "
               "method, compare it over a simulated day with a plan re-timed every hour, and find where adaptive "
               "signals fail."),
    datasets=(DATASET,),
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.smart_city.traffic_panel:TrafficPanel",
)
