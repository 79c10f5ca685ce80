"""An alarm learned from each household's own routine, instead of one rule for everybody.

From the first `days` of a household's stream (four weeks by default) it learns, for each hour of the day:

1. **How long a still spell at home can normally last** at that hour. At every learning slot the engine takes the
   time since the last movement or door opening at home (streams.home_silence: outings, seen through the front
   door, do not count) and, per hour of the day h, its `quantile` q_h (the 99th percentile by default). The
   hour's limit is

       limit_h = max(min_minutes, margin * max(q_{h-1}, q_h, q_{h+1}) + slack_minutes)

   (the neighbouring hours smooth the edges of the night, when sleeping in by twenty minutes would otherwise
   cross into a daytime limit). A still spell at home that reaches the limit of the current hour calls the
   guardian: for the early riser H1, after 75 minutes at 10 am and after 10 hours at 3 am (margin 1.5, slack 30
   minutes, at least 45 minutes: the reference settings).
2. **How little movement is still normal**: the share of at-home slots with any movement over the last
   `window_hours`, and per hour of the day its low `activity_quantile`, times `activity_factor` (0.5), smoothed
   over the neighbouring hours like the limits. Falling below it calls the guardian ("low activity", the
   signature of illness: in bed most of the day, but moving).
3. **The longest outing**: how long "out" (door opened, no movement since) may be believed, `away_cap`.

This is the textbook anomaly-detection recipe (learn the normal range per context, flag what falls outside it),
applied per household and per hour: Chandola, Banerjee & Kumar, "Anomaly detection: a survey", ACM Computing
Surveys 41(3), 2009 (contextual anomalies). Activity-monitoring systems for elders living alone work this way
(e.g. Cook & Krishnan, *Activity Learning*, Wiley 2015); the numbers here are this project's choices.

Where it fails: it learns whatever the four weeks held. A new habit (a long afternoon nap from week 8 in household
H1) looks like an emergency; an emergency during the learning weeks would be learned as normal; at night, when a
long stillness is normal, it is no quicker than the fixed rule and can be slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from labs.smart_city.care.rules import Alarms, crossings, silence_prompts
from labs.smart_city.care.streams import (LEARNING_DAYS, SLOTS_PER_DAY, SLOTS_PER_HOUR, Stream, away,
                                          home_silence, minutes)

DEFAULT_QUANTILE = 0.99
DEFAULT_MARGIN = 1.5
DEFAULT_SLACK_MINUTES = 30
DEFAULT_MIN_MINUTES = 45
DEFAULT_WINDOW_HOURS = 6
DEFAULT_ACTIVITY_QUANTILE = 0.01
DEFAULT_ACTIVITY_FACTOR = 0.5
CALL_GAP_HOURS = 3  # a second call within this time of the first is the same alert


@dataclass(frozen=True)
class Settings:
    """How a routine is learned; the defaults are the lab's reference solution."""

    days: int = LEARNING_DAYS
    quantile: float = DEFAULT_QUANTILE
    margin: float = DEFAULT_MARGIN
    slack_minutes: float = DEFAULT_SLACK_MINUTES
    min_minutes: float = DEFAULT_MIN_MINUTES
    max_hours: float | None = None  # an upper bound on any limit (e.g. 5: never slower than the fixed rule)
    use_door: bool = True
    smooth: bool = True
    window_hours: float = DEFAULT_WINDOW_HOURS
    activity_quantile: float = DEFAULT_ACTIVITY_QUANTILE
    activity_factor: float = DEFAULT_ACTIVITY_FACTOR
    low_activity: bool = True
    statistic: str = "quantile"  # or "mean_sd": mean + 2 sd of the still spells (a plausible, wrong choice)


@dataclass(frozen=True)
class Profile:
    """What was learned about one household: 24 still-spell limits, 24 activity floors, the longest outing."""

    household: str
    limits: tuple[int, ...]  # slots, per hour of the day
    floors: tuple[float, ...]  # share of active slots at home over the window, per hour of the day
    away_cap: int  # slots
    settings: Settings = field(default=Settings(), compare=False)

    def limit_minutes(self, hour: int) -> float:
        return minutes(self.limits[hour])


def _learning_part(item: Stream, days: int, end_day: int | None = None) -> Stream:
    end = (days if end_day is None else end_day) * SLOTS_PER_DAY
    start = max(0, end - days * SLOTS_PER_DAY)
    return Stream(item.household, item.time(start), item.motion[start:end], item.door[start:end],
                  item.sound[start:end], item.incident[start:end])


def longest_outing(item: Stream) -> int:
    """The longest run of slots taken to be out (door, then no movement), in slots."""
    import numpy as np

    out = away(item).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], out, [0]))))
    runs = edges[1::2] - edges[::2]
    return int(runs.max()) if len(runs) else 0


def activity_share(item: Stream, window_hours: float, cap: int | None, use_door: bool = True):
    """Share of at-home slots with movement over the last `window_hours` (NaN where under half of it was at home)."""
    import numpy as np

    window = int(round(window_hours * SLOTS_PER_HOUR))
    home = ~away(item, cap) if use_door else np.ones(len(item), dtype=bool)
    active = (item.motion > 0) & home
    home_count = np.convolve(home.astype(float), np.ones(window))[:len(item)]
    active_count = np.convolve(active.astype(float), np.ones(window))[:len(item)]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = active_count / home_count
    share[home_count < window / 2] = np.nan
    return share


def learn(item: Stream, settings: Settings = Settings(), end_day: int | None = None) -> Profile:
    """Learn a household's profile from the first `settings.days` days of its stream, or from the
    `settings.days` days before `end_day`."""
    import numpy as np

    part = _learning_part(item, settings.days, end_day)
    cap_slots = int(math.ceil(longest_outing(part) * 1.25 + SLOTS_PER_HOUR)) if settings.use_door else None
    silence = home_silence(part, cap=cap_slots, use_door=settings.use_door)
    hours = part.hour_of_day()
    raw = []
    for h in range(24):
        values = silence[hours == h].astype(float)
        if settings.statistic == "mean_sd":
            raw.append(values.mean() + 2 * values.std())
        else:
            raw.append(float(np.quantile(values, settings.quantile)))
    limits = []
    for h in range(24):
        base = max(raw[(h - 1) % 24], raw[h], raw[(h + 1) % 24]) if settings.smooth else raw[h]
        value = max(settings.min_minutes / 5, settings.margin * base + settings.slack_minutes / 5)
        if settings.max_hours is not None:
            value = min(value, settings.max_hours * SLOTS_PER_HOUR)
        limits.append(int(math.ceil(value)))
    share = activity_share(part, settings.window_hours, cap_slots, settings.use_door)
    low = []
    for h in range(24):
        values = share[(hours == h) & ~np.isnan(share)]
        low.append(float(np.quantile(values, settings.activity_quantile)) if len(values) else 0.0)
    floors = [settings.activity_factor * (min(low[(h - 1) % 24], low[h], low[(h + 1) % 24]) if settings.smooth
                                          else low[h]) for h in range(24)]
    return Profile(item.household, tuple(limits), tuple(floors), cap_slots or 0, settings)


def learned_alarm(item: Stream, profile: Profile, system: str = "learned") -> Alarms:
    """Run a learned profile over a whole stream (causal: each decision uses only the slots before it)."""
    import numpy as np

    settings = profile.settings
    cap = profile.away_cap if settings.use_door else None
    silence = home_silence(item, cap=cap, use_door=settings.use_door)
    hours = item.hour_of_day()
    limits = np.asarray(profile.limits)[hours]
    events = [(t, "still_too_long") for t in crossings(silence, limits)]
    if settings.low_activity:
        share = activity_share(item, settings.window_hours, cap, settings.use_door)
        floors = np.asarray(profile.floors)[hours]
        low = np.where(np.isnan(share), False, share < floors)
        events += [(t, "low_activity") for t in crossings(low.astype(int), 1)]
    events.sort()
    calls, reasons = [], []
    gap = CALL_GAP_HOURS * SLOTS_PER_HOUR
    for slot, reason in events:
        if calls and slot - calls[-1] < gap:
            continue
        calls.append(slot)
        reasons.append(reason)
    return Alarms(item.household, system, tuple(calls), tuple(silence_prompts(item)), tuple(reasons))


def relearned_alarm(item: Stream, settings: Settings = Settings(), every_days: int = 7, first_day: int = LEARNING_DAYS,
                    system: str = "relearned") -> Alarms:
    """Re-learn the profile every `every_days` from the `settings.days` days before, and use each profile for the
    days up to the next re-learning (from `first_day` on; before it, the first profile). This follows a changed
    routine within a week or two, and also learns whatever went wrong in those weeks (an illness) as normal."""
    calls, reasons = [], []
    boundaries = list(range(first_day, item.days, every_days)) + [item.days]
    first = learned_alarm(item, learn(item, settings, first_day), system)
    for slot, reason in zip(first.calls, first.reasons):
        if slot < first_day * SLOTS_PER_DAY:
            calls.append(slot)
            reasons.append(reason)
    for start, end in zip(boundaries[:-1], boundaries[1:]):
        alarms = learned_alarm(item, learn(item, settings, start), system)
        for slot, reason in zip(alarms.calls, alarms.reasons):
            if start * SLOTS_PER_DAY <= slot < end * SLOTS_PER_DAY:
                calls.append(slot)
                reasons.append(reason)
    return Alarms(item.household, system, tuple(calls), first.prompts, tuple(reasons))
