"""Scoring alarm systems against the labelled emergencies: false calls, missed emergencies, time to alert.

Only the scored weeks count (from day `LEARNING_DAYS` on): a learned alarm may not be scored on the weeks it
learned from. For each household and system:

- an emergency is **caught** if a guardian call comes between its start and the earlier of its end (a fallen
  person is found) and `deadline_hours` after its start (24 h: a call a day late is no help); the **time to
  alert** is from the start to that call;
- **hours unattended**: from the start to the call, or to the end of the window if no call came (a missed fall
  counts until the person was found);
- a call is **false** if it is in no emergency window (each window extended by `grace_hours` after its end,
  while helpers are still around); false calls are reported per household-month (30 days).

`score` folds both sides into one number a learner can weigh: hours unattended + `call_cost_hours` x false calls
(how many hours of someone lying unattended one needless call to a guardian is worth: a policy choice, not a
fact).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from labs.smart_city.care.learned import Profile, Settings, learn, learned_alarm, relearned_alarm
from labs.smart_city.care.rules import NIGHT_HOURS, Alarms, fixed_rules
from labs.smart_city.care.streams import (LEARNING_DAYS, SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_HOUR, Emergency,
                                          Stream, emergencies, load_streams)

DEADLINE_HOURS = 24
GRACE_HOURS = 1
DAYS_PER_MONTH = 30
DEFAULT_CALL_COST_HOURS = 2.0


@dataclass(frozen=True)
class Detection:
    emergency: Emergency
    call: int | None  # the slot of the first call in the window, None if missed
    minutes_to_alert: float | None
    hours_unattended: float

    @property
    def caught(self) -> bool:
        return self.call is not None


@dataclass(frozen=True)
class Outcome:
    """One system on one household's scored weeks."""

    household: str
    system: str
    scored_days: float
    calls: int
    false_calls: int
    false_call_slots: tuple[int, ...]
    detections: tuple[Detection, ...]
    prompts: int
    night_prompts: int

    @property
    def false_calls_per_month(self) -> float:
        return self.false_calls / (self.scored_days / DAYS_PER_MONTH)


@dataclass(frozen=True)
class Summary:
    """A system over all households."""

    system: str
    household_months: float
    false_calls: int
    emergencies: int
    caught: int
    hours_unattended: float
    median_minutes_to_alert: float | None
    prompts_per_day: float
    night_prompts_per_day: float
    outcomes: tuple[Outcome, ...]

    @property
    def missed(self) -> int:
        return self.emergencies - self.caught

    @property
    def false_calls_per_household_month(self) -> float:
        return self.false_calls / self.household_months

    def score(self, call_cost_hours: float = DEFAULT_CALL_COST_HOURS) -> float:
        """Hours unattended + call_cost_hours per false call: lower is better."""
        return self.hours_unattended + call_cost_hours * self.false_calls

    def detections(self, household: str, kind: str | None = None) -> tuple[Detection, ...]:
        """The household's emergencies (of one kind, if given) in time order, with what this system did."""
        return tuple(d for o in self.outcomes for d in o.detections
                     if d.emergency.household == household and kind in (None, d.emergency.kind))


def score_alarms(item: Stream, alarms: Alarms, first_day: int = LEARNING_DAYS, deadline_hours: float = DEADLINE_HOURS,
                 grace_hours: float = GRACE_HOURS) -> Outcome:
    first = first_day * SLOTS_PER_DAY
    scored = [e for e in emergencies(item) if e.start >= first]
    deadline = int(deadline_hours * SLOTS_PER_HOUR)
    grace = int(grace_hours * SLOTS_PER_HOUR)
    calls = [c for c in alarms.calls if c >= first]
    detections = []
    for emergency in scored:
        window_end = min(emergency.end, emergency.start + deadline)
        hit = next((c for c in calls if emergency.start <= c < window_end), None)
        until = hit if hit is not None else window_end
        detections.append(Detection(emergency, hit, None if hit is None else (hit - emergency.start) * SLOT_MINUTES,
                                    (until - emergency.start) * SLOT_MINUTES / 60))
    false = [c for c in calls if not any(e.start <= c < e.end + grace for e in scored)]
    prompts = [p for p in alarms.prompts if p >= first]
    night = [p for p in prompts if (p % SLOTS_PER_DAY) // SLOTS_PER_HOUR in NIGHT_HOURS]
    return Outcome(item.household, alarms.system, (len(item) - first) / SLOTS_PER_DAY, len(calls), len(false),
                   tuple(false), tuple(detections), len(prompts), len(night))


def summarise(system: str, outcomes: Sequence[Outcome]) -> Summary:
    detections = [d for o in outcomes for d in o.detections]
    delays = [d.minutes_to_alert for d in detections if d.minutes_to_alert is not None]
    days = sum(o.scored_days for o in outcomes)
    return Summary(system, days / DAYS_PER_MONTH, sum(o.false_calls for o in outcomes), len(detections),
                   sum(d.caught for d in detections), sum(d.hours_unattended for d in detections),
                   statistics.median(delays) if delays else None, sum(o.prompts for o in outcomes) / days,
                   sum(o.night_prompts for o in outcomes) / days, tuple(outcomes))


# --------------------------------------------------------------------------------- the systems the lab compares

AlarmSystem = Callable[[Stream], Alarms]


def robot_rules(item: Stream) -> Alarms:
    """The Dasomi rules as the robot runs them: 30 min silence -> speak, 5 h without movement -> call."""
    return fixed_rules(item, system="fixed")


def robot_rules_with_door(item: Stream) -> Alarms:
    """The same 5-hour rule, paused while the door sensor says the resident is out (capped at 12 hours)."""
    return fixed_rules(item, use_door=True, away_cap=12 * SLOTS_PER_HOUR, system="fixed_door")


def learned_system(settings: Settings = Settings(), system: str = "learned") -> AlarmSystem:
    """An alarm learned per household with `settings` (the defaults are the reference solution)."""
    def run(item: Stream) -> Alarms:
        return learned_alarm(item, learn(item, settings), system)
    return run


def pooled_system(settings: Settings = Settings(), streams: Sequence[Stream] | None = None,
                  system: str = "pooled") -> AlarmSystem:
    """A plausible wrong approach: one profile for everybody (each hour's limit the median of the households'),
    as if one routine fitted all elders."""
    streams = tuple(streams or load_streams())
    profiles = [learn(s, settings) for s in streams]
    limits = tuple(int(statistics.median(p.limits[h] for p in profiles)) for h in range(24))
    floors = tuple(statistics.median(p.floors[h] for p in profiles) for h in range(24))
    cap = int(statistics.median(p.away_cap for p in profiles))

    def run(item: Stream) -> Alarms:
        return learned_alarm(item, Profile(item.household, limits, floors, cap, settings), system)
    return run


SYSTEMS: dict[str, Callable[[], AlarmSystem]] = {
    "fixed": lambda: robot_rules,
    "fixed_door": lambda: robot_rules_with_door,
    "learned": learned_system,
    "relearned_weekly": lambda: (lambda item: relearned_alarm(item, system="relearned_weekly")),
    # wrong approaches, for the lab's "what goes wrong" tasks
    "learned_no_door": lambda: learned_system(Settings(use_door=False), "learned_no_door"),
    "learned_mean_sd": lambda: learned_system(Settings(statistic="mean_sd"), "learned_mean_sd"),
    "learned_one_week": lambda: learned_system(Settings(days=7), "learned_one_week"),
    "pooled": lambda: pooled_system(system="pooled"),
}


def evaluate(system: AlarmSystem | str, streams: Iterable[Stream] | None = None, name: str = "") -> Summary:
    """Run a system (a function, or a key of SYSTEMS) on every household and summarise its scored weeks."""
    if isinstance(system, str):
        name = name or system
        system = SYSTEMS[system]()
    outcomes = [score_alarms(s, system(s)) for s in (streams if streams is not None else load_streams())]
    return summarise(name or (outcomes[0].system if outcomes else ""), outcomes)
