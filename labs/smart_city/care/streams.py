"""The care lab's sensor streams: one household's 5-minute readings as arrays, its emergencies, and the derived
series every alarm reads (how long since the last movement, since the last sound, and whether the resident is
probably out).

The data is the synthetic `elder-care-activity` dataset (labs/datasets/elder_care.py; assumptions in
labs/datasets/DATASETS.md): five households, ten weeks, motion/door/sound per 5-minute slot, and an `incident`
column that labels falls and illness. Alarms never read `incident`; `emergencies()` turns it into the answer key.

Presence from the door sensor (`away`): after the front door opens at slot d, the resident is taken to be out while
no motion follows, that is at every slot t > d with no motion in (d, t]. A visitor who leaves while the resident
sits still looks the same, and so does a fall right behind the door; so "out" is believed for at most `away_cap`
slots (the household's longest outing seen while learning, see learned.py); after that the silence is counted
again from the door's slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

DATASET = "elder-care-activity"
SLOT_MINUTES = 5
SLOTS_PER_HOUR = 60 // SLOT_MINUTES
SLOTS_PER_DAY = 24 * SLOTS_PER_HOUR
LEARNING_DAYS = 28  # the first four weeks: what a learned alarm may learn from; the rest is scored
INCIDENT_CODES = {"": 0, "fall": 1, "illness": 2}
KINDS = ("", "fall", "illness")


@dataclass(frozen=True, eq=False)
class Stream:
    """One household's readings, slot by slot from `start` (every SLOT_MINUTES minutes)."""

    household: str
    start: dt.datetime
    motion: numpy.ndarray  # motion-sensor triggers in the slot
    door: numpy.ndarray  # front-door openings in the slot
    sound: numpy.ndarray  # 1 if voice or TV/radio was heard in the slot
    incident: numpy.ndarray  # 0 none, 1 fall, 2 illness (the answer key: alarms must not read it)

    def __len__(self) -> int:
        return len(self.motion)

    @property
    def days(self) -> int:
        return len(self.motion) // SLOTS_PER_DAY

    def time(self, slot: int) -> dt.datetime:
        return self.start + dt.timedelta(minutes=SLOT_MINUTES * int(slot))

    def hour_of_day(self) -> numpy.ndarray:
        import numpy as np

        return (np.arange(len(self.motion)) % SLOTS_PER_DAY) // SLOTS_PER_HOUR

    def replace(self, **arrays) -> Stream:
        """A copy with some arrays replaced (used by the data-minimisation views)."""
        values = {"motion": self.motion, "door": self.door, "sound": self.sound, "incident": self.incident}
        values.update(arrays)
        return Stream(self.household, self.start, **values)


@dataclass(frozen=True)
class Emergency:
    household: str
    kind: str  # "fall" or "illness"
    start: int  # first slot
    end: int  # slot after the last one (a fall ends when the person is found)


@lru_cache(maxsize=1)
def load_streams() -> tuple[Stream, ...]:
    """All households of the embedded dataset, in file order."""
    from labs.datasets.catalog import load_dataset

    return streams_from_frame(load_dataset(DATASET))


def streams_from_frame(frame) -> tuple[Stream, ...]:
    """Streams from a frame with the dataset's columns (household, time, motion, door, sound, incident)."""
    import numpy as np

    result = []
    for household, part in frame.groupby("household", sort=False):
        part = part.sort_values("time")
        incident = part["incident"].fillna("").map(INCIDENT_CODES).to_numpy(dtype=np.int8)
        arrays = {name: part[name].to_numpy(dtype=np.int32) for name in ("motion", "door", "sound")}
        for array in (*arrays.values(), incident):
            array.flags.writeable = False  # shared through load_streams' cache
        result.append(Stream(str(household), part["time"].iloc[0].to_pydatetime(), incident=incident, **arrays))
    return tuple(result)


def stream(household: str) -> Stream:
    for item in load_streams():
        if item.household == household:
            return item
    raise KeyError(household)


def emergencies(item: Stream) -> tuple[Emergency, ...]:
    """The labelled emergencies of a stream: each maximal run of one incident code."""
    import numpy as np

    codes = item.incident
    change = np.flatnonzero(np.diff(np.concatenate(([0], codes, [0]))) != 0)
    result = []
    for start, end in zip(change[:-1], change[1:]):
        if codes[start]:
            result.append(Emergency(item.household, KINDS[codes[start]], int(start), int(end)))
    return tuple(result)


def slots_since(events: numpy.ndarray) -> numpy.ndarray:
    """For every slot, how many slots since the last slot where `events` > 0 (0 in such a slot).

    Before the first event the count starts at the beginning of the stream (as if there were one just before).
    """
    import numpy as np

    n = len(events)
    index = np.arange(n)
    last = np.where(events > 0, index, -1)
    last = np.maximum.accumulate(last)
    return np.where(last >= 0, index - last, index + 1)


def away(item: Stream, cap: int | None = None) -> numpy.ndarray:
    """True where the resident is taken to be out: the door opened and no motion since (see the module docstring).

    `cap`: believe "out" for at most this many slots after the door (None: without limit).
    """
    import numpy as np

    n = len(item)
    result = np.zeros(n, dtype=bool)
    door_at = -1
    for t in range(n):
        if item.door[t] > 0:
            door_at = t
        elif door_at >= 0 and item.motion[t] > 0:
            door_at = -1
        elif door_at >= 0 and (cap is None or t - door_at <= cap):
            result[t] = True
    return result


def home_silence(item: Stream, cap: int | None = None, use_door: bool = True) -> numpy.ndarray:
    """Slots without movement at home: slots since the last motion or door opening, 0 while the resident is
    taken to be out.

    Without the door (`use_door=False`) this is plain time since the last motion, as a robot that sees
    only movement counts it.
    """
    import numpy as np

    if not use_door:
        return slots_since(item.motion)
    since = slots_since(item.motion + item.door)  # opening the door is a sign of life too
    return np.where(away(item, cap), 0, since)


def minutes(slots: float) -> float:
    return slots * SLOT_MINUTES
