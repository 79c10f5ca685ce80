"""The seeded generator of the `elder-care-activity` dataset: home sensors of five elders living alone.

Written for the care lab (issue 8, scenario 2, after the Dasomi care robot, which speaks up after 30 minutes of
silence and calls a guardian after 5 hours without movement). Every number below is an assumption of this
project, chosen to look plausible and written out in DATASETS.md; none is a measurement.

Each household has three sensors, read in 5-minute slots:

- `motion`: how many times the motion sensors (living room, kitchen, bedroom, bathroom) fired in the slot;
- `door`: how many times the front door opened;
- `sound`: 1 if voice or TV/radio sound was heard in the slot (a level, never a recording), else 0.

A day is built as a sequence of states (asleep, up and about, sitting quietly, napping, out, a visitor in,
fallen, ill in bed, ill and up), from the household's routine with random variation; each slot's readings are
then drawn from its state. Emergencies (falls, illness) come from a fixed, documented table and are labelled in
the `incident` column, which an alarm must never read: it is the answer key for scoring alarms.

Only numpy and the standard library, like generate.py; `rows()` gives the CSV rows and `generate.py` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

SEED = 20240401
FILE = "elder-care-activity.csv.gz"
COLUMNS = ["household", "time", "motion", "door", "sound", "incident"]
START = date(2024, 4, 1)  # a Monday
DAYS = 70  # ten weeks: the alarms learn from the first four and are scored on the last six
LEARNING_DAYS = 28
SLOT_MINUTES = 5
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES  # 288
# Korean public holidays inside the ten weeks: the day centre is closed (Children's Day substitute holiday,
# Buddha's Birthday, Memorial Day).
HOLIDAYS = frozenset({date(2024, 5, 6), date(2024, 5, 15), date(2024, 6, 6)})

# States of a slot
SLEEP, ACTIVE, QUIET, NAP, OUT, VISIT, FALLEN, ILL_BED, ILL_UP = range(9)


@dataclass(frozen=True)
class Block:
    """Something the routine may put in a day: an outing, a visitor or a nap (times in hours, means and sds)."""

    start: float
    start_sd: float
    hours: float
    hours_sd: float
    chance: float = 1.0  # on a day it may happen
    weekdays: frozenset[int] = frozenset(range(7))  # 0 = Monday
    first_day: int = 0  # study days (0-69) between which it may happen
    last_day: int = DAYS - 1
    closed_on_holidays: bool = False


@dataclass(frozen=True)
class Routine:
    id: str
    wake: float  # mean hour of getting up
    bed: float  # mean hour of going to bed (above 24 = after midnight)
    sleep_sd: float  # hours
    restless: float  # chance that a sleep slot has one motion trigger (turning over, seen by the bedroom sensor)
    bathroom: float  # mean bathroom trips a night
    active_rate: float  # mean motion triggers in a slot while up and about
    active_minutes: float  # mean length of a spell up and about
    quiet_minutes: float  # mean length of a spell sitting quietly (reading, TV)
    fidget: float  # chance that a quiet slot has a trigger
    media: tuple[tuple[float, float], ...]  # hours when the TV or radio is usually on
    outings: tuple[Block, ...] = ()
    visits: tuple[Block, ...] = ()
    naps: tuple[Block, ...] = ()


WEEKDAYS = frozenset(range(5))

ROUTINES = (
    # H1, an early riser (display name: "Mrs Kim, 78"): up at 5, a morning walk, radio in the morning, in bed by 9 pm.
    # From week 8 a new medicine makes her nap long after lunch: a routine the alarm did not learn.
    Routine("H1", wake=5.0, bed=21.0, sleep_sd=0.3, restless=0.06, bathroom=1.5, active_rate=5.0,
            active_minutes=35, quiet_minutes=30, fidget=0.30, media=((6.5, 9.0), (18.0, 20.5)),
            outings=(Block(6.0, 0.2, 1.0, 0.2, chance=0.85), Block(15.0, 0.5, 1.2, 0.3, chance=0.3)),
            naps=(Block(13.5, 0.3, 0.5, 0.15, chance=0.4, last_day=48),
                  Block(13.5, 0.3, 2.2, 0.3, chance=0.9, first_day=49))),
    # H2, a night owl ("Mr Park, 74"): up at half past nine, TV late into the night, errands some afternoons.
    Routine("H2", wake=9.5, bed=25.5, sleep_sd=0.6, restless=0.05, bathroom=0.8, active_rate=4.0,
            active_minutes=30, quiet_minutes=45, fidget=0.25, media=((11.0, 13.0), (19.0, 25.5)),
            outings=(Block(15.0, 0.7, 1.5, 0.5, chance=0.5),)),
    # H3, daily outings ("Mrs Lee, 81"): the market every morning, the seniors' centre or the park most
    # afternoons, and a whole day at her son's about every second week.
    Routine("H3", wake=6.5, bed=22.0, sleep_sd=0.3, restless=0.045, bathroom=1.0, active_rate=5.5,
            active_minutes=30, quiet_minutes=30, fidget=0.25, media=((19.0, 22.0),),
            outings=(Block(9.5, 0.4, 2.0, 0.5, chance=0.9), Block(14.0, 0.5, 2.5, 0.5, chance=0.6))),
    # H4, a day centre ("Mr Choi, 85"): the centre's bus takes him Monday, Wednesday and Friday from a quarter to
    # nine to half past four (closed on public holidays); on other days long naps and long spells in front of the TV.
    Routine("H4", wake=6.5, bed=21.5, sleep_sd=0.3, restless=0.04, bathroom=1.8, active_rate=3.5,
            active_minutes=25, quiet_minutes=60, fidget=0.20, media=((9.0, 12.0), (14.5, 21.5)),
            outings=(Block(8.75, 0.05, 7.75, 0.15, chance=1.0, weekdays=frozenset({0, 2, 4}),
                           closed_on_holidays=True),),
            naps=(Block(13.0, 0.3, 1.6, 0.4, chance=0.7, weekdays=frozenset({1, 3, 5, 6})),)),
    # H5, a carer visits ("Mrs Jung, 88, frail"): ten and a half hours in bed, lying very still; a care worker
    # from ten to noon on weekdays; long still spells in an armchair.
    Routine("H5", wake=7.0, bed=20.5, sleep_sd=0.3, restless=0.03, bathroom=0.7, active_rate=2.5,
            active_minutes=20, quiet_minutes=70, fidget=0.12, media=((8.0, 9.0), (13.0, 20.5)),
            visits=(Block(10.0, 0.1, 2.0, 0.15, chance=1.0, weekdays=WEEKDAYS),
                    Block(10.0, 0.5, 1.0, 0.3, chance=0.4, weekdays=frozenset({5, 6}))),
            naps=(Block(14.0, 0.5, 1.0, 0.4, chance=0.5),)),
)

# Other people in the stream: a day trip of H3 to her son's (a long outing an alarm must not call in).
DAY_TRIPS = {"H3": (12, 26, 40, 54, 68)}  # study days; out 9:00 to about 18:00


@dataclass(frozen=True)
class Incident:
    """A labelled emergency: `kind` is "fall" or "illness"; times are study day + hour."""

    household: str
    kind: str
    day: int
    hour: float
    hours: float  # fall: until found; illness: how long the person stays ill
    found_by: str = ""  # who finds a fallen person (a fall lasts until then)
    sound_on: bool = False  # a fall with the TV left on: sound goes on, the person does not move
    notes: str = field(default="", compare=False)


# All emergencies are in the six scored weeks (days 28-69), so the alarms never learn one as normal.
INCIDENTS = (
    Incident("H1", "fall", 40, 10.33, 9.5, found_by="daughter, after an unanswered evening call",
             notes="in the kitchen, in the middle of her active morning"),
    Incident("H2", "illness", 44, 9.5, 60.0, notes="flu: three days mostly in bed"),
    Incident("H3", "fall", 52, 13.17, 7.83, found_by="son, who comes round when she does not answer his evening call",
             notes="in the hallway, an hour after coming back from the market"),
    Incident("H4", "fall", 57, 14.0, 18.75, found_by="day-centre bus driver next morning",
             notes="on a day at home, in the afternoon; the TV stays on", sound_on=True),
    Incident("H4", "illness", 32, 6.5, 48.0, notes="stomach bug: misses the day centre on Friday"),
    Incident("H5", "fall", 45, 15.5, 18.5, found_by="care worker next morning",
             notes="in the armchair's blind spot after the care worker left; the TV stays on", sound_on=True),
    Incident("H5", "illness", 62, 7.0, 56.0, notes="chest infection: stays in bed; the care worker calls a doctor"),
    Incident("H1", "fall", 66, 22.5, 8.0, found_by="neighbour, who notices the missed morning walk",
             notes="at night, in the bedroom, shortly after going to bed"),
)


def _slot(hour: float) -> int:
    return int(round(hour * 60 / SLOT_MINUTES))


def _block_times(rng: np.random.Generator, block: Block) -> tuple[int, int]:
    start = _slot(block.start + rng.normal(0, block.start_sd))
    length = max(1, _slot(max(0.25, block.hours + rng.normal(0, block.hours_sd))))
    return start, start + length


def _applies(block: Block, day_index: int, day: date) -> bool:
    return (day.weekday() in block.weekdays and block.first_day <= day_index <= block.last_day
            and not (block.closed_on_holidays and day in HOLIDAYS))


def _fill_awake(rng: np.random.Generator, states: np.ndarray, start: int, end: int, routine: Routine) -> None:
    """Alternate spells up and about and spells sitting quietly (exponential lengths, at least one slot)."""
    position, active = start, bool(rng.random() < 0.6)
    while position < end:
        mean = routine.active_minutes if active else routine.quiet_minutes
        length = max(1, int(round(rng.exponential(mean) / SLOT_MINUTES)))
        states[position:min(end, position + length)] = ACTIVE if active else QUIET
        position += length
        active = not active


def household_states(routine: Routine, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The state of every slot of the study, and the incident code (0 none, 1 fall, 2 illness) of each slot."""
    total = DAYS * SLOTS_PER_DAY
    states = np.full(total + SLOTS_PER_DAY, SLEEP, dtype=np.int8)  # one spare day for the last night
    incident = np.zeros(total, dtype=np.int8)
    ill_days = {d for item in INCIDENTS if item.household == routine.id and item.kind == "illness"
                for d in range(item.day, item.day + int(np.ceil(item.hours / 24)))}
    for d in range(DAYS):
        day = START + timedelta(days=d)
        base = d * SLOTS_PER_DAY
        ill = d in ill_days
        wake = base + _slot(routine.wake + rng.normal(0, routine.sleep_sd) + (1.5 if ill else 0.0))
        bed = base + _slot(routine.bed + rng.normal(0, routine.sleep_sd) - (1.0 if ill else 0.0))
        # Sleep runs from the previous bedtime to `wake`; slots before `wake` not yet filled stay SLEEP.
        states[wake:bed] = ACTIVE
        if ill:
            _fill_ill(rng, states, wake, bed)
        else:
            _fill_awake(rng, states, wake, bed, routine)
            for block in routine.naps:
                if _applies(block, d, day) and rng.random() < block.chance:
                    start, end = _block_times(rng, block)
                    states[base + start:base + end] = NAP
            for block in routine.outings:
                if _applies(block, d, day) and rng.random() < block.chance:
                    start, end = _block_times(rng, block)
                    states[base + start:base + end] = OUT
            if d in DAY_TRIPS.get(routine.id, ()):
                start, end = _slot(9.0 + rng.normal(0, 0.2)), _slot(18.0 + rng.normal(0, 0.5))
                states[base + start:base + end] = OUT
        for block in routine.visits:
            if _applies(block, d, day) and rng.random() < block.chance:
                start, end = _block_times(rng, block)
                states[base + start:base + end] = VISIT
        # Bathroom trips in the night that ends this morning (after the previous bedtime, before `wake`).
        night_start = max(0, base - SLOTS_PER_DAY + _slot(routine.bed)) if d else 0
        for _ in range(rng.poisson(routine.bathroom)):
            at = int(rng.integers(night_start, max(night_start + 1, wake)))
            if states[at] == SLEEP:
                states[at:at + int(rng.integers(1, 3))] = ACTIVE
    for item in INCIDENTS:
        if item.household != routine.id:
            continue
        first = item.day * SLOTS_PER_DAY + _slot(item.hour)
        last = min(total, first + _slot(item.hours))
        if item.kind == "fall":
            states[first:last] = FALLEN
            found = min(total, last + _slot(0.75))
            states[last:found] = VISIT  # whoever found the person, then the paramedics
            incident[first:last] = 1
        else:
            incident[first:last] = 2
    return states[:total], incident


def _fill_ill(rng: np.random.Generator, states: np.ndarray, start: int, end: int) -> None:
    """An ill day: mostly in bed, now and then up for a short while; no outings."""
    position, in_bed = start, True
    while position < end:
        mean = 110 if in_bed else 20
        length = max(1, int(round(rng.exponential(mean) / SLOT_MINUTES)))
        states[position:min(end, position + length)] = ILL_BED if in_bed else ILL_UP
        position += length
        in_bed = not in_bed


def _media_on(routine: Routine, hour: float) -> bool:
    for start, end in routine.media:
        if start <= hour < end or start <= hour + 24 < end:
            return True
    return False


def household_readings(routine: Routine, states: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """motion, door, sound for every slot (an int array of shape (slots, 3)), drawn from the states."""
    total = len(states)
    out = np.zeros((total, 3), dtype=np.int16)
    u = rng.random((total, 4))
    poisson_active = rng.poisson(routine.active_rate, total)
    poisson_small = rng.poisson(1.2, total)
    tv_fall = {item.day * SLOTS_PER_DAY + _slot(item.hour) for item in INCIDENTS
               if item.household == routine.id and item.sound_on}
    sound_on_fall = False
    for i, state in enumerate(states):
        hour = (i % SLOTS_PER_DAY) * SLOT_MINUTES / 60
        media = _media_on(routine, hour)
        motion = 0
        sound = 0
        if state == SLEEP:
            motion = int(u[i, 0] < routine.restless)
        elif state == ACTIVE:
            motion = max(1, int(poisson_active[i])) if u[i, 0] < 0.97 else 0
            sound = int(u[i, 1] < (0.75 if media else 0.25))
        elif state == QUIET:
            motion = 1 + int(poisson_small[i]) if u[i, 0] < routine.fidget else 0
            sound = int(u[i, 1] < (0.9 if media else 0.05))
        elif state == NAP:
            motion = int(u[i, 0] < 0.04)
        elif state == VISIT:
            motion = int(poisson_active[i]) + 3
            sound = int(u[i, 1] < 0.95)
        elif state == FALLEN:
            if i in tv_fall:
                sound_on_fall = True
            sound = int(u[i, 1] < (0.85 if sound_on_fall else 0.02))
        elif state == ILL_BED:
            motion = int(u[i, 0] < 0.06)
            sound = int(u[i, 1] < 0.03)
        elif state == ILL_UP:
            motion = 1 + int(poisson_small[i]) if u[i, 0] < 0.6 else 0
            sound = int(u[i, 1] < 0.2)
        if state != FALLEN:
            sound_on_fall = False
        out[i, 0], out[i, 2] = motion, sound
    # The front door: once when leaving and once when coming back; a visitor opens it on arrival and leaving;
    # now and then while at home (rubbish out, a parcel in), with someone moving in the same slot.
    previous = states[0]
    for i in range(1, total):
        state = states[i]
        if (state == OUT) != (previous == OUT) or (state == VISIT) != (previous == VISIT):
            out[i, 1] += 1
            if state != OUT:
                out[i, 0] = max(out[i, 0], 2)  # someone walks through the hall
        elif state == ACTIVE and u[i, 2] < 0.004:
            out[i, 1] += 1
        previous = state
    return out


def rows(seed: int = SEED) -> list[list[object]]:
    """Every slot of every household, in household then time order."""
    rng = np.random.default_rng(seed)
    result: list[list[object]] = []
    codes = ("", "fall", "illness")
    start = datetime(START.year, START.month, START.day)
    stamps = [f"{start + timedelta(minutes=SLOT_MINUTES * i):%Y-%m-%d %H:%M:%S}"
              for i in range(DAYS * SLOTS_PER_DAY)]
    for routine in ROUTINES:
        states, incident = household_states(routine, rng)
        readings = household_readings(routine, states, rng)
        for i, stamp in enumerate(stamps):
            motion, door, sound = readings[i]
            result.append([routine.id, stamp, int(motion), int(door), int(sound), codes[incident[i]]])
    return result
