"""A one-page model card in Markdown: purpose, data, metrics with the baseline, limits, intended use.

The learner writes the purpose, the limits and what the model is not for; the lab fills in the rest
from the run. The panel prints the same Markdown to PDF with Qt (labs/machine_learning/pdf.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import _
from labs.machine_learning.engine.cautions import HINT
from labs.machine_learning.engine.models import MODEL_TITLES
from labs.machine_learning.engine.problem import CLASSIFICATION, CLUSTERING, TASK_TITLES
from labs.machine_learning.engine.training import METRIC_TITLES, RunSummary, comparison_text

CARD_SECTIONS = ("purpose", "data", "metrics", "limits", "use")


@dataclass(frozen=True)
class CardText:
    """What the learner writes on the card."""

    purpose: str = ""
    limits: str = ""
    not_for: str = ""


@dataclass(frozen=True)
class DataFacts:
    """What the card says about the dataset (from the catalog)."""

    title: str
    source: str = ""
    licence: str = ""
    synthetic: bool = False
    description: str = ""


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _or_missing(text: str) -> str:
    return text.strip() or _("(not written yet)")


def card_markdown(run: RunSummary, text: CardText, data: DataFacts, written: str = "") -> str:
    """The model card of one run. `written` is the date to print (left out when empty)."""
    spec = run.spec
    model = _(MODEL_TITLES[spec.model.kind])
    if run.task == CLUSTERING:
        title = _("Model card: {model} grouping rows of {dataset}").format(model=model, dataset=data.title)
    else:
        title = _("Model card: {model} predicting {target}").format(model=model, target=spec.target)
    lines = [f"# {title}", ""]
    if written:
        lines += [_("Written on {date}.").format(date=written), ""]
    lines += ["## " + _("Purpose"), "", _or_missing(text.purpose), ""]

    lines += ["## " + _("Data"), ""]
    origin = _("{dataset} (made-up data)").format(dataset=data.title) if data.synthetic else data.title
    if data.source:
        origin = _("{dataset}, from {source}").format(dataset=origin, source=data.source)
    if data.licence:
        origin = _("{text}; licence: {licence}").format(text=origin, licence=data.licence)
    lines.append(_("- Dataset: {origin}").format(origin=origin))
    rows = run.rows
    if run.task == CLUSTERING:
        lines.append(_("- Rows used: {used} (k-means uses every row)").format(used=f"{rows['used']:,}"))
    else:
        lines.append(_("- Rows used: {used} ({train} to train, {test} to test)").format(
            used=f"{rows['used']:,}", train=f"{rows['train']:,}", test=f"{rows['test']:,}"))
    left_out = rows.get("no_target", 0) + rows.get("no_time", 0)
    if left_out:
        lines.append(_("- Rows left out (no value to predict, or no time to split by): {count}").format(
            count=f"{left_out:,}"))
    if run.period[0]:
        lines.append(_("- Period: {start} to {end}").format(start=run.period[0], end=run.period[1]))
    if run.task != CLUSTERING:
        lines.append(_("- Target: {target} ({task})").format(target=spec.target, task=_(TASK_TITLES[run.task])))
    lines.append(_("- Features: {features}").format(features=", ".join(spec.features)))
    lines.append(_("- Model: {model}").format(model=model))
    lines.append(f"- {split_text(run)}")
    lines.append("")

    lines += ["## " + _("Metrics"), ""]
    baseline = _("Naive baseline (always \"{answer}\")").format(answer=run.baseline_answer) \
        if run.task != CLUSTERING else _("Naive baseline (one group)")
    measure, model_heading = _("Measure"), _("Model")  # outside the f-string, so extraction finds them
    lines += [f"| {measure} | {model_heading} | {_cell(baseline)} |", "|---|---:|---:|"]
    for key, value in run.metrics.items():
        other = run.baseline.get(key)
        lines.append(f"| {_cell(_(METRIC_TITLES[key]))} | {value:.3f} | {'' if other is None else f'{other:.3f}'} |")
    lines += ["", comparison_text(run), ""]
    if run.task == CLASSIFICATION and run.per_class:
        recalls = ", ".join(f"{label}: {values['recall']:.0%}" for label, values in run.per_class.items())
        lines += [_("Recall per class (share of each class the model finds): {recalls}.").format(recalls=recalls), ""]
    if run.importance:
        top = ", ".join(f"{name} ({mean:.3f})" for name, mean, _spread in run.importance[:5])
        lines += [_("Features that matter most (score drop when shuffled): {features}.").format(features=top), ""]

    lines += ["## " + _("Limits and warnings"), "", _or_missing(text.limits), ""]
    for caution in run.cautions:
        mark = _("Hint") if caution.severity == HINT else _("Warning")
        lines.append(f"- **{mark}:** {caution.message()}")
    if run.cautions:
        lines.append("")

    lines += ["## " + _("Intended use"), "", _("- For: {purpose}").format(purpose=_or_missing(text.purpose)),
              _("- Not for: {not_for}").format(not_for=_or_missing(text.not_for)), ""]
    return "\n".join(lines)


def split_text(run: RunSummary) -> str:
    split = run.spec.split
    if run.task == CLUSTERING:
        return _("Split: none (grouping has no answer to test against)")
    if split.kind == "time":
        return _("Split: by time on {column}; the last {share} of the period is the test part (from {cutoff})").format(
            column=split.time_column, share=f"{split.test_fraction:.0%}", cutoff=run.cutoff)
    if run.stratified:
        return _("Split: random, {share} of the rows to test, same share of each class in both parts (seed {seed})"
                 ).format(share=f"{split.test_fraction:.0%}", seed=split.seed)
    return _("Split: random, {share} of the rows to test (seed {seed})").format(
        share=f"{split.test_fraction:.0%}", seed=split.seed)
