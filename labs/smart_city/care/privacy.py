"""The data-minimisation view of the care lab: which data each alarm needs, what could be dropped or coarsened,
and who is told what; and the measured effect of dropping or coarsening each field.

The principle is the GDPR's Article 5(1)(c) "data minimisation" (adequate, relevant and limited to what is
necessary) and (e) "storage limitation"; Korea's Personal Information Protection Act, Article 3, asks the same
(collect the minimum personal information needed for the purpose). Sensor data on when an elder sleeps, goes out
or is visited is personal data about health and private life, so each alarm's needs are written down here and
`minimisation_table` shows what each cut costs in missed emergencies and false calls.

Identifiers only; the lab definition gives them words in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from labs.smart_city.care.evaluate import SYSTEMS, Summary, evaluate
from labs.smart_city.care.learned import Profile
from labs.smart_city.care.rules import NO_MOTION_HOURS, SILENCE_MINUTES
from labs.smart_city.care.streams import SLOT_MINUTES, SLOTS_PER_HOUR, Stream, load_streams


@dataclass(frozen=True)
class DataNeed:
    """What one alarm reads, how finely, and how much raw history it must hold at any moment."""

    alarm: str
    fields: tuple[str, ...]  # dataset columns it reads
    resolution_minutes: int  # the coarsest time step that still works
    raw_history_hours: float  # raw readings it must keep; older ones can be deleted
    learned_summary: str  # what it keeps besides raw readings ("" for none)
    not_needed: tuple[str, ...]  # data such a system is often offered but does not need


NOT_NEEDED = ("audio_recording", "camera", "room_of_each_trigger", "name_and_address", "health_record")

DATA_NEEDS = (
    # The robot's prompt: only whether any sound was heard in the last 30 minutes.
    DataNeed("speak_up_rule", ("sound",), SLOT_MINUTES, SILENCE_MINUTES / 60, "", NOT_NEEDED + ("motion", "door")),
    # The robot's call: only whether anything moved in the last 5 hours.
    DataNeed("five_hour_rule", ("motion",), SLOT_MINUTES, NO_MOTION_HOURS, "", NOT_NEEDED + ("sound", "door")),
    # The learned alarm: movement yes/no and the door; 24 limits + 24 floors + one outing length per household.
    DataNeed("learned_alarm", ("motion", "door"), SLOT_MINUTES, float("nan"), "profile_24_limits_24_floors_1_cap",
             NOT_NEEDED + ("sound",)),
)


@dataclass(frozen=True)
class Disclosure:
    """Who is told what, and why (identifiers; the lab asks the learner to judge each line)."""

    recipient: str
    receives: tuple[str, ...]
    purpose: str


DISCLOSURES = (
    Disclosure("guardian", ("call_time", "call_reason"), "check_on_the_resident"),
    Disclosure("care_worker", ("call_time", "call_reason", "daily_active_hours"), "plan_visits"),
    Disclosure("city_welfare_office", ("monthly_call_counts", "monthly_false_call_counts"), "evaluate_the_service"),
    Disclosure("vendor", ("device_health",), "maintain_the_device"),  # raw readings stay on the device
)


def raw_history_hours(profile: Profile) -> float:
    """How many hours of raw readings the learned alarm needs at any moment: its longest limit, the activity
    window, or the longest outing it believes, whichever is longest. Older readings can be deleted once the
    profile is learned."""
    longest = max(max(profile.limits), int(profile.settings.window_hours * SLOTS_PER_HOUR), profile.away_cap)
    return longest / SLOTS_PER_HOUR


# ------------------------------------------------------------------------------------- minimised views of a stream


def motion_yes_no(item: Stream) -> Stream:
    """Counts replaced by yes/no: the alarms only ask whether anything moved."""
    return item.replace(motion=(item.motion > 0).astype(item.motion.dtype))


def without_sound(item: Stream) -> Stream:
    return item.replace(sound=item.sound * 0)


def without_door(item: Stream) -> Stream:
    return item.replace(door=item.door * 0)


def coarser(minutes: int) -> Callable[[Stream], Stream]:
    """Readings summed over `minutes` and known only at the end of each period (the last 5-minute slot)."""
    import numpy as np

    step = minutes // SLOT_MINUTES

    def view(item: Stream) -> Stream:
        arrays = {}
        for name in ("motion", "door", "sound"):
            values = getattr(item, name)
            usable = len(values) // step * step
            sums = values[:usable].reshape(-1, step).sum(axis=1)
            spread = np.zeros_like(values)
            spread[step - 1:usable:step] = sums
            arrays[name] = spread if name != "sound" else (spread > 0).astype(values.dtype)
        return item.replace(**arrays)
    return view


VIEWS: dict[str, Callable[[Stream], Stream]] = {
    "full": lambda item: item,
    "motion_yes_no": motion_yes_no,
    "no_sound": without_sound,
    "no_door": without_door,
    "every_15_minutes": coarser(15),
    "hourly": coarser(60),
}


def minimisation_table(system: str = "learned", views: Iterable[str] | None = None,
                       streams: Iterable[Stream] | None = None) -> dict[str, Summary]:
    """The system (a key of evaluate.SYSTEMS) run on each minimised view of every household: view -> summary."""
    streams = tuple(streams if streams is not None else load_streams())
    run = SYSTEMS[system]()
    result = {}
    for name in (views or VIEWS):
        view = VIEWS[name]
        result[name] = evaluate(lambda item: run(view(item)), streams, f"{system}:{name}")
    return result
