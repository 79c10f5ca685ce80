"""The fixed rules of the Dasomi care robot, and what they would have done on a household's stream.

The robot "talks to the elderly when they do not speak for 30 minutes, and automatically calls guardian if
elderly person does not move for 5 hours" (Korea's national AI strategy, public-sector use cases; the project's
background file 000). Here:

- a **prompt** (the robot speaks up) when 30 minutes pass with no sound heard (`sound` = 0 in six slots running);
  once per silent spell;
- a **guardian call** when 5 hours pass with no movement (`motion` = 0 in sixty slots running); once per still
  spell: the next call needs movement first.

The robot sees movement and sound, not the front door, so a day out looks like five hours without movement. The
variant `use_door=True` (not the robot's rule) pauses the count while the resident is taken to be out
(streams.away).

Both rules are causal: a decision at slot t uses only slots up to t.
"""

from __future__ import annotations

from dataclasses import dataclass

from labs.smart_city.care.streams import SLOTS_PER_HOUR, Stream, home_silence, slots_since

SILENCE_MINUTES = 30
NO_MOTION_HOURS = 5
NIGHT_HOURS = frozenset({22, 23, 0, 1, 2, 3, 4, 5, 6})  # a prompt in these hours may wake the resident


@dataclass(frozen=True)
class Alarms:
    """What an alarm system did on one stream: the slots of its guardian calls and of its prompts."""

    household: str
    system: str
    calls: tuple[int, ...]
    prompts: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()  # one per call: "no_motion", "still_too_long", "low_activity"


def crossings(values, limit) -> list[int]:
    """Slots where `values` reaches `limit` (an array, or a number) coming from below it."""
    import numpy as np

    values = np.asarray(values)
    limit = np.broadcast_to(np.asarray(limit), values.shape)
    above = values >= limit
    before = np.concatenate(([False], above[:-1]))
    return [int(i) for i in np.flatnonzero(above & ~before)]


def silence_prompts(item: Stream, minutes: int = SILENCE_MINUTES) -> list[int]:
    """The slots where the robot speaks up: `minutes` without any sound."""
    return crossings(slots_since(item.sound), minutes // 5)


def fixed_rules(item: Stream, silence_minutes: int = SILENCE_MINUTES, no_motion_hours: float = NO_MOTION_HOURS,
                use_door: bool = False, away_cap: int | None = None, system: str = "fixed") -> Alarms:
    """The robot's two rules on a stream (with `use_door`, outings pause the count; see the module docstring)."""
    silence = home_silence(item, cap=away_cap, use_door=use_door)
    calls = crossings(silence, int(round(no_motion_hours * SLOTS_PER_HOUR)))
    return Alarms(item.household, system, tuple(calls), tuple(silence_prompts(item, silence_minutes)),
                  ("no_motion",) * len(calls))
