"""Hours saved a year by automating paperwork, from the learner's own numbers.

For each stream of work (applications decided, requests routed, letters written):

    minutes saved = cases a year × share handled automatically × (minutes by hand − minutes per automated case)

    hours saved = Σ minutes saved ÷ 60 − hours a year spent keeping the automation right
    full-time equivalents (FTE) = hours saved ÷ working hours in a year (1,600 unless the learner says otherwise)

An automated case still costs minutes (a person reviews the decision, checks the routing, reads the
letter), and keeping rules, templates and the model right costs hours: both are inputs, so the
estimate is only as generous as the learner's own numbers. A value left empty (None) for the
volume or the share means "what my work measured" (see `AutomationWorkspace.measured`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.core.i18n import N_, _

DECISIONS, ROUTING, LETTERS = "decisions", "routing", "letters"
STREAMS = (DECISIONS, ROUTING, LETTERS)
STREAM_TITLES = {DECISIONS: N_("Applications decided"), ROUTING: N_("Requests routed"),
                 LETTERS: N_("Letters written")}
DEFAULT_HOURS_PER_FTE = 1600.0
MAX_PER_YEAR = 100_000_000
MAX_MINUTES = 10_000.0


@dataclass(frozen=True)
class Stream:
    per_year: float | None = None  # cases a year; None: what the learner's work measured
    share: float | None = None  # 0..1 handled automatically; None: what the learner's work measured
    by_hand: float | None = None  # minutes per case done by hand
    automated: float | None = None  # minutes per automated case (review, check)

    def to_dict(self) -> dict[str, Any]:
        return {"per_year": self.per_year, "share": self.share, "by_hand": self.by_hand, "automated": self.automated}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Stream:
        data = data or {}

        def number(key: str, high: float) -> float | None:
            value = data.get(key)
            if value is None or value == "":
                return None
            try:
                return min(max(float(value), 0.0), high)
            except (TypeError, ValueError):
                return None

        return cls(number("per_year", MAX_PER_YEAR), number("share", 1.0), number("by_hand", MAX_MINUTES),
                   number("automated", MAX_MINUTES))


@dataclass(frozen=True)
class SavingsInputs:
    streams: dict[str, Stream] = field(default_factory=lambda: {name: Stream() for name in STREAMS})
    upkeep_hours: float = 0.0  # hours a year to keep the rules, templates and model right
    hours_per_fte: float = DEFAULT_HOURS_PER_FTE

    def stream(self, name: str) -> Stream:
        return self.streams.get(name, Stream())

    def with_stream(self, name: str, **changes: Any) -> SavingsInputs:
        streams = dict(self.streams)
        streams[name] = replace(self.stream(name), **changes)
        return replace(self, streams=streams)

    def to_dict(self) -> dict[str, Any]:
        return {"streams": {name: self.stream(name).to_dict() for name in STREAMS},
                "upkeep_hours": self.upkeep_hours, "hours_per_fte": self.hours_per_fte}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SavingsInputs:
        data = data or {}
        streams = {name: Stream.from_dict((data.get("streams") or {}).get(name)) for name in STREAMS}
        try:
            upkeep = min(max(float(data.get("upkeep_hours", 0.0) or 0.0), 0.0), 1e6)
        except (TypeError, ValueError):
            upkeep = 0.0
        try:
            hours = float(data.get("hours_per_fte", DEFAULT_HOURS_PER_FTE))
        except (TypeError, ValueError):
            hours = DEFAULT_HOURS_PER_FTE
        return cls(streams, upkeep, hours if 1 <= hours <= 8784 else DEFAULT_HOURS_PER_FTE)


@dataclass(frozen=True)
class StreamSaving:
    name: str
    per_year: float
    share: float
    by_hand: float | None
    automated: float | None
    per_year_measured: bool  # the volume came from the learner's work, not typed
    share_measured: bool
    hours: float  # hours saved a year by this stream (0 while minutes are missing)

    @property
    def complete(self) -> bool:
        return self.by_hand is not None and self.automated is not None


@dataclass(frozen=True)
class SavingsEstimate:
    streams: tuple[StreamSaving, ...]
    gross_hours: float
    upkeep_hours: float
    net_hours: float
    hours_per_fte: float

    @property
    def fte(self) -> float:
        return self.net_hours / self.hours_per_fte

    def stream(self, name: str) -> StreamSaving:
        return next(s for s in self.streams if s.name == name)

    @property
    def missing(self) -> tuple[str, ...]:
        """Streams with cases a year but minutes not yet typed."""
        return tuple(s.name for s in self.streams if s.per_year and not s.complete)


def stream_hours(per_year: float, share: float, by_hand: float, automated: float) -> float:
    """Hours a year saved by one stream (negative when an automated case takes longer than by hand)."""
    return per_year * share * (by_hand - automated) / 60.0


def estimate(inputs: SavingsInputs, measured: dict[str, dict[str, float | None]]) -> SavingsEstimate:
    """`measured[stream]` holds "per_year" and "share" from the learner's work (None: not measured yet),
    used wherever the learner left the value empty."""
    rows = []
    for name in STREAMS:
        stream = inputs.stream(name)
        found = measured.get(name, {})
        per_year = stream.per_year if stream.per_year is not None else (found.get("per_year") or 0.0)
        share = stream.share if stream.share is not None else (found.get("share") or 0.0)
        hours = (stream_hours(per_year, share, stream.by_hand, stream.automated)
                 if stream.by_hand is not None and stream.automated is not None else 0.0)
        rows.append(StreamSaving(name, float(per_year), float(share), stream.by_hand, stream.automated,
                                 stream.per_year is None, stream.share is None, hours))
    gross = sum(r.hours for r in rows)
    return SavingsEstimate(tuple(rows), gross, inputs.upkeep_hours, gross - inputs.upkeep_hours, inputs.hours_per_fte)


def _number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def formula_lines(result: SavingsEstimate) -> list[str]:
    """The arithmetic with the learner's numbers, one translated line per step."""
    lines = []
    for row in result.streams:
        if not row.complete:
            continue
        lines.append(_("{stream}: {cases} a year × {share} automated × ({by_hand} − {automated} minutes) ÷ 60 = "
                       "{hours} hours").format(stream=_(STREAM_TITLES[row.name]), cases=_number(row.per_year),
                                               share=f"{row.share:.1%}", by_hand=_number(row.by_hand, 1),
                                               automated=_number(row.automated, 1), hours=_number(row.hours)))
    lines.append(_("Hours saved = {gross} − {upkeep} hours of upkeep = {net} hours a year").format(
        gross=_number(result.gross_hours), upkeep=_number(result.upkeep_hours), net=_number(result.net_hours)))
    lines.append(_("Full-time equivalents = {net} ÷ {year} working hours a year = {fte}").format(
        net=_number(result.net_hours), year=_number(result.hours_per_fte), fte=f"{result.fte:.2f}"))
    return lines


def savings_code(result: SavingsEstimate) -> str:
    """The same arithmetic as a few lines of Python, with the learner's numbers."""
    lines = ["# Hours saved a year, from your numbers",
             "streams = {  # cases a year, share automated, minutes by hand, minutes per automated case"]
    for row in result.streams:
        entry = f"({row.per_year:g}, {row.share:.4g}, {row.by_hand:g}, {row.automated:g})" if row.complete else None
        if entry is None:
            lines.append(f"    # {row.name!r}: minutes not filled in yet")
        else:
            lines.append(f"    {row.name!r}: {entry},")
    lines += ["}",
              f"upkeep_hours = {result.upkeep_hours:g}  # keeping the rules, templates and model right",
              f"hours_per_fte = {result.hours_per_fte:g}  # working hours in a year (an assumption)",
              "saved_minutes = sum(n * share * (by_hand - automated) for n, share, by_hand, automated in "
              "streams.values())",
              "hours_saved = saved_minutes / 60 - upkeep_hours",
              "fte = hours_saved / hours_per_fte",
              "print(round(hours_saved), \"hours a year, or\", round(fte, 2), \"full-time equivalents\")"]
    return "\n".join(lines)
