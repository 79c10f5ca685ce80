"""Lab "Explore and clean citizen complaints": seven guided tasks on the synthetic complaints dataset.

The learner profiles the table, removes duplicates, turns "12 days" into numbers and drops the
impossible negative values, averages the days to resolve by district, charts complaints per
weekday, builds a category x channel pivot table and saves it. Each check recomputes the right
answer from the dataset itself (nothing hard-coded but the reference answers) and, when the work
differs, says how: "You used the sum; the task asks for the average".

No Qt here; the panel is labs.data_analysis.panel:AnalysisPanel.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from app.core.formatting import number
from app.core.i18n import N_, _
from app.core.tasks import TaskState
from labs.data_analysis.engine.charts import CHART_KINDS, chart_data
from labs.data_analysis.engine.steps import (
    AGGREGATIONS,
    TIME_PARTS,
    ConvertType,
    DropDuplicates,
    Filter,
    GroupBy,
    Pivot,
    is_number,
)
from labs.data_analysis.engine.workspace import (
    AnalysisWorkspace,
    Question,
    open_workspace,
)
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt

DATASET = "citizen-complaints"
DAYS = "days_to_resolve"

QUESTIONS = (
    Question("missing_district", N_("How many complaints have no district?")),
    Question("slowest_district", N_("Which district takes the longest, on average, to resolve a complaint?")),
)


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> AnalysisWorkspace:
    fresh = {"source": {"dataset": DATASET}}
    return open_workspace(snapshot or fresh, state, files, QUESTIONS)


# --- what the checks compare with --------------------------------------------------------------------


def _other_table(ws: AnalysisWorkspace) -> Feedback | None:
    if ws.dataset_id == DATASET:
        return None
    return Feedback(False, _("This task uses the citizen complaints dataset. Choose \u201cCitizen complaints to a "
                             "city (synthetic)\u201d under Data; your own file is kept and you can open it again "
                             "later."))


def _cleaned(original: pd.DataFrame) -> pd.DataFrame:
    """The data as tasks 2 and 3 leave it, computed with the very steps the learner uses."""
    frame = DropDuplicates().apply(original)
    frame = ConvertType(DAYS, "number").apply(frame)
    return Filter(DAYS, ">=", 0).apply(frame)


def _days_as_numbers(original: pd.DataFrame) -> pd.Series:
    return ConvertType(DAYS, "number").apply(original[[DAYS]])[DAYS]


def _whole_number(text: str) -> int | None:
    digits = re.sub(r"[\s,.'\u00a0\u202f\u066c]", "", text or "")  # thousands separators of any locale
    return int(digits) if digits.isdigit() else None


def _district_key(text: str) -> str:
    return re.sub(r"[\s\-]*gu$", "", (text or "").strip().lower())


def _previous_frame(ws: AnalysisWorkspace, index: int) -> pd.DataFrame:
    return ws.outcomes[index - 1].frame if index else ws.original


# --- task 1: profile ------------------------------------------------------------------------------------


def check_profile(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    answer = ws.answers.get("missing_district", "")
    if not answer:
        return Feedback(False, _("Type your answer in the Answers tab: how many complaints have no district?"))
    given = _whole_number(answer)
    if given is None:
        return Feedback(False, _("\u201c{answer}\u201d is not a whole number; type digits only, e.g. 120.").format(
            answer=answer))
    district = ws.original["district"]
    accepted = {int(district.isna().sum()), int(ws.original.drop_duplicates()["district"].isna().sum())}
    if given in accepted:
        return Feedback(True, _("Right: {n} complaints have no district. Every \u201cby district\u201d result will "
                                "leave them out, so say so when you report one.").format(n=number(given)))
    if given in (len(ws.original), len(ws.table)):
        return Feedback(False, _("That is the number of rows in the table; the task asks how many have no district. "
                                 "Click the district column and read \u201cmissing\u201d in its profile."))
    if given == int(district.notna().sum()):
        return Feedback(False, _("That is the number of complaints that have a district; the task asks for those "
                                 "without one (\u201cmissing\u201d in the profile)."))
    if given == int(district.nunique()):
        return Feedback(False, _("That is the number of different districts; the task asks how many complaints "
                                 "have none (\u201cmissing\u201d in the profile)."))
    return Feedback(False, _("Not quite. Click the district column heading: its profile shows how many values are "
                             "missing."))


# --- task 2: duplicates ---------------------------------------------------------------------------------


def check_duplicates(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    removed_total = 0
    for index, outcome in enumerate(ws.outcomes):
        if not isinstance(outcome.step, DropDuplicates) or outcome.error:
            continue
        before = _previous_frame(ws, index)
        removed = len(before) - len(outcome.frame)
        exact = int(before.duplicated().sum())
        if removed > exact:
            return Feedback(False, _("Comparing only {columns} removed {n} rows that were different complaints. "
                                     "Undo that step and compare every column (leave the column choice empty).")
                            .format(columns=", ".join(outcome.step.columns or ()), n=number(removed - exact)))
        removed_total += removed
    left = int(ws.table.duplicated().sum())
    if left:
        return Feedback(False, _("The table still has {n} duplicate rows: the same complaint entered twice is "
                                 "counted twice in every total and average. Add \u201cRemove duplicate rows\u201d.")
                        .format(n=number(left)))
    if not removed_total:
        return Feedback(False, _("No duplicate rows were removed yet. Add \u201cRemove duplicate rows\u201d."))
    return Feedback(True, _("Done: {n} duplicate rows removed; each complaint now counts once.").format(
        n=number(removed_total)))


# --- task 3: convert and remove impossible values -------------------------------------------------------


def check_convert(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    table = ws.table
    if DAYS not in table.columns:
        return Feedback(False, _("The column days_to_resolve is gone; undo the step that removed it."))
    if not is_number(table[DAYS]):
        return Feedback(False, _("days_to_resolve is still text, so it cannot be averaged. Add \u201cChange the type "
                                 "of a column\u201d: days_to_resolve to number (values like \u201c12 days\u201d "
                                 "become 12)."))
    negative = int((table[DAYS] < 0).sum())
    if negative:
        return Feedback(False, _("{n} rows still have a negative number of days. A complaint cannot be resolved "
                                 "before it arrives: keep only the rows where days_to_resolve is at least 0.")
                        .format(n=negative))
    original = ws.original
    numbers = _days_as_numbers(original)
    written_as_text = original[DAYS].str.contains(r"[^\d\s\-]", regex=True, na=False) & (numbers >= 0)
    if int((numbers == 0).sum()) and not int((table[DAYS] == 0).sum()):
        return Feedback(False, _("You also removed the complaints resolved on the same day (0 days). Keep them: "
                                 "use \u201cis at least 0\u201d rather than \u201cis more than 0\u201d."))
    if "complaint_id" in table.columns:
        lost = set(original.loc[written_as_text, "complaint_id"]) - set(table["complaint_id"])
        if lost:
            return Feedback(False, _("{n} complaints written like \u201c12 days\u201d were removed instead of "
                                     "converted. Undo back, change the type to number first (it keeps the number "
                                     "inside the text), then remove only the negative values.").format(n=len(lost)))
    missing = int(table[DAYS].isna().sum())
    if missing:
        return Feedback(False, _("{n} rows have no days_to_resolve after the conversion; look at the note under the "
                                 "conversion step.").format(n=missing))
    return Feedback(True, _("days_to_resolve is now a number, and the impossible negative values are gone."))


# --- task 4: group --------------------------------------------------------------------------------------


def check_group(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    groups = [outcome for _key, outcome in ws.results() if isinstance(outcome.step, GroupBy)]
    if not groups:
        return Feedback(False, _("No summary yet. Add \u201cGroup and summarise\u201d: group by district, summarise "
                                 "days_to_resolve with the average (mean)."))
    exact = [o for o in groups if o.step.by == ("district",) and not o.step.time_part and o.step.value == DAYS
             and o.step.agg == "mean"]
    if not exact:
        step = groups[-1].step
        if step.by != ("district",) or step.time_part:
            return Feedback(False, _("You grouped by {by}; the task asks for district.").format(by=", ".join(step.by)))
        if step.value != DAYS:
            if step.value is None:
                return Feedback(False, _("You counted the rows of each district; the task asks for the average of "
                                         "days_to_resolve."))
            return Feedback(False, _("You summarised {value}; the task asks for days_to_resolve.").format(
                value=step.value))
        if step.agg == "sum":
            return Feedback(False, _("You used the sum; the task asks for the average (mean) days to resolve. A sum "
                                     "grows with the number of complaints, so busy districts would look slow."))
        return Feedback(False, _("You used the {agg}; the task asks for the average (mean).").format(
            agg=_(AGGREGATIONS[step.agg])))
    outcome = exact[-1]
    assert outcome.result is not None
    expected = _cleaned(ws.original).groupby("district")[DAYS].mean()
    got = outcome.result.set_index("district")[f"mean_{DAYS}"]
    if not (set(got.index) == set(expected.index) and (got.reindex(expected.index) - expected).abs().max() < 1e-9):
        before = outcome.frame
        if int(before.duplicated().sum()):
            return Feedback(False, _("Your averages were computed before the duplicate rows were removed, so repeated "
                                     "complaints count twice. Undo back to before the summary, remove the duplicates "
                                     "(task 2), then group again."))
        if int((before[DAYS] < 0).sum()):
            return Feedback(False, _("Your averages include the impossible negative days. Undo back to before the "
                                     "summary, remove them (task 3), then group again."))
        return Feedback(False, _("Your averages differ from those of the cleaned data: a step before the summary "
                                 "removed or changed other rows. Keep only the cleaning of tasks 2 and 3 before "
                                 "grouping."))
    slowest, fastest = str(expected.idxmax()), str(expected.idxmin())
    answer = ws.answers.get("slowest_district", "")
    if not answer:
        return Feedback(False, _("Your summary is right. Now read it: which district takes the longest on average? "
                                 "Type it in the Answers tab."))
    if _district_key(answer) == _district_key(slowest):
        return Feedback(True, _("Right: {district} takes the longest, {days} days on average. Complaints with no "
                                "district are in no group.").format(district=slowest, days=number(round(float(expected.max()), 1))))
    if _district_key(answer) == _district_key(fastest):
        return Feedback(False, _("{district} is the fastest (the smallest average). The task asks for the slowest: "
                                 "look for the largest number in your result.").format(district=fastest))
    if _district_key(answer) in {_district_key(str(d)) for d in expected.index}:
        return Feedback(False, _("{district} is not the slowest; look for the largest average in your result.")
                        .format(district=answer))
    return Feedback(False, _("\u201c{answer}\u201d is not one of the districts in your result.").format(answer=answer))


# --- task 5: chart --------------------------------------------------------------------------------------


def check_chart(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    spec = ws.chart
    if spec is None:
        return Feedback(False, _("No chart yet. In the Chart tab choose a bar chart, received_date across, grouped "
                                 "by day of the week, counting rows; then press Draw."))
    if spec.kind != "bar":
        return Feedback(False, _("Your chart is a {kind}; the task asks for a bar chart, one bar per day, easy to "
                                 "compare.").format(kind=_(CHART_KINDS.get(spec.kind, spec.kind))))
    if spec.x != "received_date":
        return Feedback(False, _("Your chart's horizontal axis is {x}; the task asks for received_date.").format(
            x=spec.x))
    if spec.time_part != "weekday":
        part = _(TIME_PARTS.get(spec.time_part or "", "")) if spec.time_part else _("the whole date")
        if spec.time_part == "month":
            return Feedback(False, _("Your chart groups by month; the task asks for the day of the week."))
        return Feedback(False, _("Your chart groups by {part}; the task asks for the day of the week.").format(
            part=part))
    if spec.agg != "count":
        return Feedback(False, _("Your chart shows the {agg} of {y}; the task asks for the number of complaints "
                                 "(count rows).").format(agg=_(AGGREGATIONS.get(spec.agg, spec.agg)), y=spec.y))
    duplicates = int(ws.table.duplicated().sum())
    if duplicates:
        return Feedback(False, _("Your counts include {n} duplicate rows: remove them first (task 2), then draw the "
                                 "chart again.").format(n=duplicates))
    data = chart_data(ws.table, spec)
    assert data.labels is not None
    most, fewest = data.labels[int(data.y.argmax())], data.labels[int(data.y.argmin())]
    return Feedback(True, _("Right: most complaints arrive on {most}, the fewest on {fewest}. A manager can plan "
                            "staff by weekday from this.").format(most=most, fewest=fewest))


# --- task 6: pivot --------------------------------------------------------------------------------------


def check_pivot(ws: AnalysisWorkspace) -> Feedback:
    if (other := _other_table(ws)) is not None:
        return other
    pivots = [outcome for _key, outcome in ws.results() if isinstance(outcome.step, Pivot)]
    if not pivots:
        return Feedback(False, _("No pivot table yet. Add \u201cPivot table\u201d: category down, channel across, "
                                 "counting rows."))
    outcome = pivots[-1]
    step = outcome.step
    if {step.index, step.columns} != {"category", "channel"}:
        return Feedback(False, _("Your pivot table has {index} down and {columns} across; the task asks for category "
                                 "down and channel across.").format(index=step.index, columns=step.columns))
    if step.value is not None and step.agg != "count":
        return Feedback(False, _("Your pivot table shows the {agg} of {value}; the task asks for the number of "
                                 "complaints (count rows).").format(agg=_(AGGREGATIONS[step.agg]), value=step.value))
    if int(outcome.frame.duplicated().sum()):
        return Feedback(False, _("Your pivot table counts the duplicate rows too; remove them first (task 2), then "
                                 "make the pivot table again."))
    counts = pd.crosstab(outcome.frame["category"], outcome.frame["channel"])
    share = counts.div(counts.sum(axis=1), axis=0)
    category = str(share.max(axis=1).idxmax())
    channel = str(share.loc[category].idxmax())
    message = _("Right. For example, {category} complaints come mostly by {channel}.").format(
        category=category, channel=channel)
    if step.index != "category":
        message += " " + _("(You put channel down and category across: the same numbers, turned.)")
    return Feedback(True, message)


# --- task 7: export -------------------------------------------------------------------------------------


def _is_task_pivot(step: dict[str, Any] | None) -> bool:
    return bool(step and step.get("kind") == "pivot" and {step.get("index"), step.get("columns")} ==
                {"category", "channel"} and (step.get("value") is None or step.get("agg") == "count"))


def check_export(ws: AnalysisWorkspace) -> Feedback:
    if not ws.exports:
        return Feedback(False, _("Nothing saved yet. Choose the pivot table under \u201cShow\u201d, then \u201cExport "
                                 "this table\u2026\u201d and save it as CSV or Excel."))
    for export in reversed(ws.exports):
        if _is_task_pivot(export.get("step")) and export.get("format") in ("csv", "xlsx"):
            return Feedback(True, _("Saved as {file}: a colleague can open it in Excel or LibreOffice.").format(
                file=export.get("file", "")))
    last = ws.exports[-1]
    if last.get("table") == "data":
        return Feedback(False, _("You saved the complaint rows ({rows} rows); the task asks for the pivot table. "
                                 "Choose it under \u201cShow\u201d first.").format(rows=number(last.get('rows', 0))))
    return Feedback(False, _("You saved another table ({file}); the task asks for the pivot table of categories by "
                             "channel.").format(file=last.get("file", "")))


# --- the lab --------------------------------------------------------------------------------------------

_DEDUP = DropDuplicates().to_dict()
_CONVERT = ConvertType(DAYS, "number").to_dict()
_NON_NEGATIVE = Filter(DAYS, ">=", 0).to_dict()
_GROUP = GroupBy(("district",), DAYS, "mean").to_dict()
_PIVOT = Pivot("category", "channel").to_dict()
_CHART = {"kind": "bar", "x": "received_date", "y": None, "agg": "count", "time_part": "weekday", "bins": 30}
_ANSWERS = {"missing_district": "364", "slowest_district": "Sollip-gu"}
_EXPORT = {"table": "result_2", "step": _PIVOT, "format": "xlsx", "file": "complaints-by-channel.xlsx", "rows": 8,
           "columns": ["category", "app", "phone", "visit", "web"]}


def _snapshot(steps: list[dict[str, Any]], chart: dict[str, Any] | None = None, answers: dict[str, str] | None = None,
              exports: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"version": 1, "source": {"dataset": DATASET}, "steps": steps, "chart": chart,
            "answers": dict(_ANSWERS if answers is None else answers), "exports": exports or []}


REFERENCE = _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, _GROUP, _PIVOT], _CHART, exports=[_EXPORT])

WRONG_ATTEMPTS = (
    WrongAttempt("counted every row", "profile", _snapshot([], answers={"missing_district": "12000"})),
    WrongAttempt("counted the complaints that have a district", "profile",
                 _snapshot([], answers={"missing_district": "11636"})),
    WrongAttempt("kept the duplicates", "duplicates", _snapshot([_CONVERT, _NON_NEGATIVE])),
    WrongAttempt("compared only the district", "duplicates",
                 _snapshot([DropDuplicates(("district",)).to_dict()])),
    WrongAttempt("left days_to_resolve as text", "convert", _snapshot([_DEDUP])),
    WrongAttempt("converted but kept the negative days", "convert", _snapshot([_DEDUP, _CONVERT])),
    WrongAttempt("removed the 0-day complaints too", "convert",
                 _snapshot([_DEDUP, _CONVERT, Filter(DAYS, ">", 0).to_dict()])),
    WrongAttempt("summed instead of averaging", "group",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, GroupBy(("district",), DAYS, "sum").to_dict()])),
    WrongAttempt("grouped by category", "group",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, GroupBy(("category",), DAYS, "mean").to_dict()])),
    WrongAttempt("grouped before cleaning", "group", _snapshot([_CONVERT, _GROUP, _DEDUP, _NON_NEGATIVE])),
    WrongAttempt("named the fastest district", "group",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, _GROUP],
                           answers={**_ANSWERS, "slowest_district": "Byeolbit-gu"})),
    WrongAttempt("grouped the chart by month", "chart",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE], {**_CHART, "time_part": "month"})),
    WrongAttempt("drew a line chart", "chart", _snapshot([_DEDUP], {**_CHART, "kind": "line"})),
    WrongAttempt("charted before removing duplicates", "chart", _snapshot([_CONVERT], _CHART)),
    WrongAttempt("averaged days in the pivot", "pivot",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, Pivot("category", "channel", DAYS, "mean").to_dict()])),
    WrongAttempt("pivoted district by channel", "pivot",
                 _snapshot([_DEDUP, _CONVERT, _NON_NEGATIVE, Pivot("district", "channel").to_dict()])),
    WrongAttempt("saved the data instead of the pivot", "export",
                 _snapshot([_DEDUP, _PIVOT], exports=[{"table": "data", "step": None, "format": "csv",
                                                       "file": "complaints.csv", "rows": 11760, "columns": []}])),
    WrongAttempt("saved nothing", "export", _snapshot([_DEDUP, _PIVOT])),
)

LAB = LabDefinition(
    id="data_analysis/open-data",
    family="data_analysis",
    title=N_("Explore and clean citizen complaints"),
    summary=N_("Look at a messy table of complaints to a city, clean it step by step, then answer real questions "
               "with a summary, a chart and a pivot table, and save the result for colleagues. No programming: "
               "every step also shows the pandas code that does the same."),
    datasets=(DATASET,),
    tasks=(
        Task("profile", N_("Get to know the table"),
             N_("Before changing anything, look at what you have. Click a column's name to see its profile: the "
                "kind of values, how many are missing, how many are different. Why: a missing value quietly drops "
                "out of every count and average, so you need to know how many there are before you trust a "
                "result.\n\nHow many complaints have no district? Type the number in the Answers tab."),
             check_profile,
             N_("Click the heading of the district column; the profile on the right shows \u201cmissing\u201d.")),
        Task("duplicates", N_("Remove duplicate rows"),
             N_("Some complaints were exported twice: the whole row is identical. A duplicate inflates every count "
                "and average, so remove them. In \u201cClean and summarise\u201d choose \u201cRemove duplicate "
                "rows\u201d and compare every column."),
             check_duplicates,
             N_("Leave the column choice empty: only rows identical in every column are duplicates. Comparing only "
                "one column would remove different complaints that share, say, a district.")),
        Task("convert", N_("Make the days a number"),
             N_("days_to_resolve should be a number, but a few values were typed as text, like \u201c12 days\u201d, "
                "so the whole column is text and cannot be averaged. Change its type to number (the number inside "
                "the text is kept). Then keep only the rows where days_to_resolve is at least 0: a negative number "
                "of days is a typing mistake, since a complaint cannot be resolved before it arrives."),
             check_convert,
             N_("Two steps, in this order: \u201cChange the type of a column\u201d (days_to_resolve, number), "
                "then \u201cFilter rows\u201d (days_to_resolve, is at least, 0). Keep the 0s: those complaints "
                "were resolved the same day.")),
        Task("group", N_("Which district is slowest?"),
             N_("Compare the districts: add \u201cGroup and summarise\u201d, group by district, summarise "
                "days_to_resolve with the average (mean). Do it after cleaning (tasks 2 and 3), or duplicates and "
                "impossible values distort the averages. Then read your result and type the slowest district in "
                "the Answers tab."),
             check_group,
             N_("The average, not the sum: a sum grows with the number of complaints, so it measures how busy a "
                "district is, not how fast it is.")),
        Task("chart", N_("Complaints per day of the week"),
             N_("On which days do most complaints arrive? In the Chart tab draw a bar chart with received_date "
                "across, grouped by day of the week, counting rows. Why: staff rotas are planned by weekday, so "
                "this is the chart a manager needs. Point at a bar to read its value; you can save the chart as "
                "a picture."),
             check_chart,
             N_("Kind of chart: bar chart. Across: received_date. Part of the date: day of the week. Values: (count "
                "the rows).")),
        Task("pivot", N_("Categories by channel"),
             N_("Which kinds of complaint arrive by which channel? Add a \u201cPivot table\u201d with category down "
                "and channel across, counting rows. A two-way table shows at a glance, for example, which "
                "complaints still come in person."),
             check_pivot,
             N_("Pivot table: rows category, columns channel, values: number of rows.")),
        Task("export", N_("Share your pivot table"),
             N_("Save the pivot table so colleagues can open it: choose it under \u201cShow\u201d above the table, "
                "then \u201cExport this table\u2026\u201d, as Excel (.xlsx) or CSV. The CSV is written in UTF-8 with "
                "a BOM, so Excel shows Korean or accented letters correctly."),
             check_export,
             N_("Under \u201cShow\u201d pick the pivot table (result_2 if you made the district summary first), "
                "then Export.")),
    ),
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.data_analysis.panel:AnalysisPanel",
)
