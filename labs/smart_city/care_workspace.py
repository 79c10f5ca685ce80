"""The learner's work in the care lab ("Care for elders living alone"), with no Qt and no text for learners.

The engine (labs/smart_city/care/) reads the households' sensor streams, runs the Dasomi robot's fixed rules and an
alarm learned from each household's routine, scores both against the labelled emergencies, and measures what
dropping or coarsening data costs. This module holds what the learner chose, in the order of the lab's tasks:

1. `robot_door`, `robot`  the robot's rules run over the six scored weeks (`robot_job`, long work for the task
               runner); `robot_door` pauses the five-hour count while the front door says the resident is out (not
               the robot's rule: a comparison).
2. `choice`, `learned`  how each household's routine is learned (a LearnChoice: weeks to learn from, how unusual a
               still spell must be, a safety margin, the door, the low-activity check, a five-hour cap, the
               statistic, one routine for everybody) and the learned alarm's run over the same weeks; `call_cost`
               is the policy weight of the score (hours unattended that one needless call is worth).
3. `relearned`  the learner's alarm re-learned every week from the four weeks before (long work), for "where it
               fails".
4. `privacy`, `measured`  which data the service keeps, how finely and for how long, and who is told what
               (a PrivacyChoice), and the learned alarm run on data cut down that way (long work).
   `answers`  the learner's typed numbers and chosen answers; `household`, `day` what the day chart shows.

`snapshot()` is plain JSON; `open_workspace(snapshot, state, files)` rebuilds the same work and re-runs what had
been run (about a second in all), so a resumed lab shows the same numbers. `code()` is the runnable pandas script
of it all (care_script.py). A changed choice makes the runs that depended on it stale (`*_is_current()`): they are
no longer shown, checked or saved, since their numbers would no longer be the learner's.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.tasks import TaskState
from labs.smart_city.care import privacy as pv
from labs.smart_city.care.evaluate import (DEFAULT_CALL_COST_HOURS, Summary, pooled_system, robot_rules,
                                           robot_rules_with_door, score_alarms, summarise)
from labs.smart_city.care.learned import Profile, Settings, learn, learned_alarm, relearned_alarm
from labs.smart_city.care.rules import Alarms
from labs.smart_city.care.streams import (DATASET, LEARNING_DAYS, SLOTS_PER_DAY, SLOTS_PER_HOUR, Emergency, Stream,
                                          away, emergencies, load_streams)

SNAPSHOT_VERSION = 1
DAYS = 70
FIRST_SCORED_DAY = LEARNING_DAYS  # day 28: the first of the six scored weeks
START_DATE = dt.date(2024, 4, 1)  # a Monday: day 0 of the data
OUT_CAP_HOURS = 12  # how long the day chart believes "out" after the door (as evaluate.robot_rules_with_door)

# --- 2. how a routine is learned ------------------------------------------------------------------------------------

PERCENTILES = (90.0, 95.0, 98.0, 99.0, 99.5, 100.0)  # of the still spells seen at each hour
MARGIN_RANGE = (1.0, 4.0, 0.25)  # smallest, largest, step
WEEKS_RANGE = (1, 4)  # the four learning weeks are all there is before the scored weeks
PERCENTILE_STAT, MEAN_SD_STAT = "percentile", "mean_sd"
OWN_ROUTINE, SHARED_ROUTINE = "own", "shared"
CAP_HOURS = 5  # "never wait longer than the robot": every limit capped at the robot's five hours


@dataclass(frozen=True)
class LearnChoice:
    """The learner's settings for the learned alarm (the engine's Settings, in the lab's words)."""

    weeks: int = 1
    percentile: float = 99.0
    margin: float = 1.5
    use_door: bool = True
    low_activity: bool = True
    cap_five_hours: bool = False
    statistic: str = PERCENTILE_STAT
    routine: str = OWN_ROUTINE

    def __post_init__(self) -> None:
        low, high = WEEKS_RANGE
        object.__setattr__(self, "weeks", max(low, min(high, int(self.weeks))))
        if float(self.percentile) not in PERCENTILES:
            raise ValueError(f"unknown percentile {self.percentile!r}")
        object.__setattr__(self, "percentile", float(self.percentile))
        first, last, step = MARGIN_RANGE
        margin = round(max(first, min(last, float(self.margin))) / step) * step
        object.__setattr__(self, "margin", margin)
        if self.statistic not in (PERCENTILE_STAT, MEAN_SD_STAT):
            raise ValueError(f"unknown statistic {self.statistic!r}")
        if self.routine not in (OWN_ROUTINE, SHARED_ROUTINE):
            raise ValueError(f"unknown routine {self.routine!r}")

    def settings(self) -> Settings:
        return Settings(days=7 * self.weeks, quantile=self.percentile / 100, margin=self.margin,
                        use_door=self.use_door, low_activity=self.low_activity,
                        max_hours=CAP_HOURS if self.cap_five_hours else None,
                        statistic="mean_sd" if self.statistic == MEAN_SD_STAT else "quantile")

    def to_dict(self) -> dict[str, Any]:
        return {"weeks": self.weeks, "percentile": self.percentile, "margin": self.margin, "door": self.use_door,
                "low_activity": self.low_activity, "cap_five_hours": self.cap_five_hours,
                "statistic": self.statistic, "routine": self.routine}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LearnChoice:
        data = data or {}
        default = cls()
        try:
            return cls(int(data.get("weeks", default.weeks)), float(data.get("percentile", default.percentile)),
                       float(data.get("margin", default.margin)), bool(data.get("door", default.use_door)),
                       bool(data.get("low_activity", default.low_activity)),
                       bool(data.get("cap_five_hours", default.cap_five_hours)),
                       str(data.get("statistic", default.statistic)), str(data.get("routine", default.routine)))
        except (TypeError, ValueError):
            return default


REFERENCE_CHOICE = LearnChoice(weeks=4)  # the engine's reference settings: four weeks, 99th percentile, 1.5


# --- 4. data minimisation -------------------------------------------------------------------------------------------

# Each field of the PrivacyChoice and its options, in the order the panel lists them. The first option of each is
# what a service that "keeps everything" would choose.
MOTION_OPTIONS = ("counts", "yes_no", "none")  # triggers per slot / moved or not / not collected
DOOR_OPTIONS = ("kept", "none")
SOUND_OPTIONS = ("recording", "yes_no", "none")  # audio recordings / heard or not, on the device / not collected
STEP_OPTIONS = (5, 15, 60)  # minutes: the time step readings are kept at
KEEP_OPTIONS = ("always", "year", "four_weeks", "day", "six_hours")  # how long raw readings are kept
KEEP_HOURS = {"always": float("inf"), "year": 365 * 24.0, "four_weeks": 28 * 24.0, "day": 24.0, "six_hours": 6.0}
GUARDIAN_OPTIONS = ("calls", "live", "nothing")  # each call with its time and reason / the live readings / nothing
CARE_WORKER_OPTIONS = ("calls_activity", "calls", "raw")  # + daily active hours / calls only / every reading
CITY_OPTIONS = ("monthly_counts", "named_calls", "raw")  # monthly counts / each household's calls, named / raw
VENDOR_OPTIONS = ("device_health", "raw")  # device health only / every reading, to improve its product
PRIVACY_FIELDS: dict[str, tuple] = {
    "motion": MOTION_OPTIONS, "door": DOOR_OPTIONS, "sound": SOUND_OPTIONS, "step": STEP_OPTIONS,
    "keep": KEEP_OPTIONS, "guardian": GUARDIAN_OPTIONS, "care_worker": CARE_WORKER_OPTIONS, "city": CITY_OPTIONS,
    "vendor": VENDOR_OPTIONS}
DATA_FIELDS = ("motion", "door", "sound", "step")  # the choices that change what the alarm reads
RECIPIENTS = ("guardian", "care_worker", "city", "vendor")


@dataclass(frozen=True)
class PrivacyChoice:
    motion: str = "counts"
    door: str = "kept"
    sound: str = "recording"
    step: int = 5
    keep: str = "always"
    guardian: str = "calls"
    care_worker: str = "raw"
    city: str = "raw"
    vendor: str = "raw"

    def __post_init__(self) -> None:
        for name, options in PRIVACY_FIELDS.items():
            if getattr(self, name) not in options:
                raise ValueError(f"{name}: unknown option {getattr(self, name)!r}")

    def with_(self, name: str, value: Any) -> PrivacyChoice:
        return replace(self, **{name: value})

    def data_key(self) -> tuple:
        """What the alarm reads: a measurement stays valid while this is unchanged."""
        return tuple(getattr(self, name) for name in DATA_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PRIVACY_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PrivacyChoice:
        values = {}
        for name, options in PRIVACY_FIELDS.items():
            value = (data or {}).get(name)
            if name == "step" and isinstance(value, (int, float)):
                value = int(value)
            if value in options:
                values[name] = value
        return cls(**values)


def minimised_view(choice: PrivacyChoice) -> Callable[[Stream], Stream]:
    """The stream as the service would hold it under `choice` (the engine's views, one after the other)."""
    steps: list[Callable[[Stream], Stream]] = []
    if choice.motion == "yes_no":
        steps.append(pv.motion_yes_no)
    elif choice.motion == "none":
        steps.append(lambda item: item.replace(motion=item.motion * 0))
    if choice.door == "none":
        steps.append(pv.without_door)
    if choice.sound == "none":
        steps.append(pv.without_sound)
    if choice.step != 5:
        steps.append(pv.coarser(choice.step))

    def view(item: Stream) -> Stream:
        for step in steps:
            item = step(item)
        return item
    return view


# --- runs -----------------------------------------------------------------------------------------------------------

ROBOT, ROBOT_DOOR, LEARNED, RELEARNED = "fixed", "fixed_door", "learned", "relearned_weekly"


@dataclass(frozen=True)
class Run:
    """One alarm system over every household's scored weeks: the engine's summary and each household's calls."""

    system: str
    summary: Summary
    alarms: dict[str, Alarms] = field(compare=False)
    profiles: dict[str, Profile] = field(default_factory=dict, compare=False)  # learned systems only
    choice: LearnChoice | None = None  # learned systems: the settings it was learned with
    door: bool = False  # the robot: whether the count paused while out

    def emergency_ids(self, caught: bool) -> list[str]:
        return [emergency_id(d.emergency) for o in self.summary.outcomes for d in o.detections if d.caught == caught]

    def detection(self, emergency: str):
        return next(d for o in self.summary.outcomes for d in o.detections if emergency_id(d.emergency) == emergency)


@dataclass(frozen=True)
class Measurement:
    """The learned alarm on data cut down by a PrivacyChoice, beside the same alarm on the data as collected."""

    data_key: tuple
    choice: LearnChoice
    full: Summary
    minimised: Summary
    needed_hours: dict[str, float]  # per household: raw readings the alarm needs at any moment (privacy.py)
    full_needed_hours: dict[str, float]  # the same on the data as collected

    @property
    def broken(self) -> bool:
        """Fewer emergencies caught, or more than two more hours unattended: the cut breaks the alarm."""
        return (self.minimised.caught < self.full.caught
                or self.minimised.hours_unattended > self.full.hours_unattended + BROKEN_HOURS)


BROKEN_HOURS = 2.0  # more hours unattended than this over the six weeks is a real cost, not noise


def emergency_id(emergency: Emergency) -> str:
    """"H4-illness-32": household, kind and study day: stable across runs and languages."""
    return f"{emergency.household}-{emergency.kind}-{emergency.start // SLOTS_PER_DAY}"


def shared_profile(streams: Sequence[Stream], settings: Settings) -> Profile:
    """The one routine evaluate.pooled_system gives everybody (each hour's limit and floor the households' median),
    as a profile the limits chart can draw."""
    profiles = [learn(item, settings) for item in streams]
    return Profile("all", tuple(int(statistics.median(p.limits[h] for p in profiles)) for h in range(24)),
                   tuple(statistics.median(p.floors[h] for p in profiles) for h in range(24)),
                   int(statistics.median(p.away_cap for p in profiles)), settings)


def make_system(choice: LearnChoice, streams: Sequence[Stream]) -> Callable[[Stream], tuple[Alarms, Profile | None]]:
    """The learned alarm with `choice`: each household's own profile, or one profile for all (the engine's pooled
    system; its profile is drawn, not used)."""
    settings = choice.settings()
    if choice.routine == SHARED_ROUTINE:
        pooled = pooled_system(settings, streams, LEARNED)
        shared = shared_profile(streams, settings)
        return lambda item: (pooled(item), shared)

    def run(item: Stream) -> tuple[Alarms, Profile]:
        profile = learn(item, settings)
        return learned_alarm(item, profile, LEARNED), profile
    return run


def _run(name: str, streams: Sequence[Stream], system: Callable[[Stream], tuple[Alarms, Profile | None]],
         state: TaskState, done: int = 0, total: int | None = None) -> tuple[Summary, dict, dict]:
    total = total or len(streams)
    outcomes, alarms, profiles = [], {}, {}
    for index, item in enumerate(streams):
        state.raise_if_cancelled()
        found, profile = system(item)
        alarms[item.household] = found
        if profile is not None:
            profiles[item.household] = profile
        outcomes.append(score_alarms(item, found))
        state.set_progress(done + index + 1, total)
    return summarise(name, outcomes), alarms, profiles


# Runs are deterministic for given streams and settings; opening a snapshot, the self-test's many workspaces and a
# learner who goes back to earlier settings reuse them. Keyed by the streams' identity (the dataset is loaded once).
_RUNS: dict[tuple, tuple[tuple[Stream, ...], Any]] = {}


def _cached(key: tuple, streams: Sequence[Stream], state: TaskState, compute: Callable[[], Any]) -> Any:
    streams = tuple(streams)
    state.raise_if_cancelled()
    found = _RUNS.get((id(streams[0]) if streams else 0, *key))
    if found is not None and all(a is b for a, b in zip(found[0], streams)) and len(found[0]) == len(streams):
        state.set_progress(1, 1)
        return found[1]
    result = compute()
    _RUNS[(id(streams[0]) if streams else 0, *key)] = (streams, result)
    return result


def run_robot(streams: Sequence[Stream], door: bool, state: TaskState) -> Run:
    def compute() -> Run:
        rules = robot_rules_with_door if door else robot_rules
        summary, alarms, _profiles = _run(ROBOT_DOOR if door else ROBOT, streams, lambda item: (rules(item), None),
                                          state)
        return Run(summary.system, summary, alarms, door=door)
    return _cached(("robot", door), streams, state, compute)


def run_learned(streams: Sequence[Stream], choice: LearnChoice, state: TaskState) -> Run:
    def compute() -> Run:
        state.set_progress(0, len(streams))
        summary, alarms, profiles = _run(LEARNED, streams, make_system(choice, streams), state)
        return Run(LEARNED, summary, alarms, profiles, choice)
    return _cached(("learned", choice), streams, state, compute)


def run_relearned(streams: Sequence[Stream], choice: LearnChoice, state: TaskState) -> Run:
    """Each household's routine re-learned every week from the weeks before (always each household's own)."""
    def compute() -> Run:
        settings = choice.settings()
        state.set_progress(0, len(streams))
        summary, alarms, _profiles = _run(RELEARNED, streams, lambda item: (
            relearned_alarm(item, settings, system=RELEARNED), None), state)
        return Run(RELEARNED, summary, alarms, choice=choice)
    return _cached(("relearned", choice), streams, state, compute)


def measure(streams: Sequence[Stream], choice: LearnChoice, privacy: PrivacyChoice, state: TaskState) -> Measurement:
    """The learner's alarm on the data as collected and on the data `privacy` keeps."""
    def compute() -> Measurement:
        n = len(streams)
        state.set_progress(0, 2 * n)
        full = run_learned(streams, choice, state).summary
        state.set_progress(n, 2 * n)
        view = minimised_view(privacy)
        viewed = tuple(view(item) for item in streams)
        minimised, _alarms, _profiles = _run("minimised", viewed, make_system(choice, viewed), state, n, 2 * n)
        settings = choice.settings()
        needed = {item.household: pv.raw_history_hours(learn(item, settings)) for item in viewed}
        full_needed = {item.household: pv.raw_history_hours(learn(item, settings)) for item in streams}
        return Measurement(privacy.data_key(), choice, full, minimised, needed, full_needed)
    return _cached(("measured", choice, privacy.data_key()), streams, state, compute)


# --- what the day chart shows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayView:
    """One household's day, slot by slot (288 slots from midnight), with what each alarm did that day."""

    household: str
    day: int
    motion: tuple[int, ...]
    door: tuple[int, ...]
    sound: tuple[int, ...]
    out: tuple[bool, ...]  # taken to be out (the door, then no movement)
    incident: tuple[int, ...]  # 0 none, 1 fall, 2 illness (the answer key: shown, never read by an alarm)
    robot_calls: tuple[int, ...]  # slots within the day
    robot_prompts: tuple[int, ...]
    learned_calls: tuple[int, ...] | None  # None until the learned alarm has run


def _within(slots: Sequence[int], day: int) -> tuple[int, ...]:
    first = day * SLOTS_PER_DAY
    return tuple(s - first for s in slots if first <= s < first + SLOTS_PER_DAY)


# --- the workspace ----------------------------------------------------------------------------------------------------


class CareWorkspace:
    def __init__(self, streams: Sequence[Stream], data_file: str = ""):
        self.streams = tuple(streams)
        self.data_file = data_file  # the dataset file the script reads
        self.households = tuple(s.household for s in self.streams)
        self.household = self.households[0]
        self.day = 40  # Mrs Kim's kitchen fall: a day worth looking at first
        self.robot_door = False
        self.robot: Run | None = None
        self.choice = LearnChoice()
        self.learned: Run | None = None
        self.relearned: Run | None = None
        self.call_cost = DEFAULT_CALL_COST_HOURS
        self.privacy = PrivacyChoice()
        self.measured: Measurement | None = None
        self.answers: dict[str, str] = {}
        self._robot_alarms: dict[tuple[str, bool], Alarms] = {}
        self._away_cache: dict[str, Any] = {}

    # --- the data -------------------------------------------------------------------------------------------------

    def stream(self, household: str) -> Stream:
        return self.streams[self.households.index(household)]

    def emergencies(self) -> tuple[Emergency, ...]:
        """Every labelled emergency in the scored weeks, in time order."""
        found = [e for s in self.streams for e in emergencies(s) if e.start >= FIRST_SCORED_DAY * SLOTS_PER_DAY]
        return tuple(sorted(found, key=lambda e: e.start))

    def emergency(self, emergency: str) -> Emergency:
        return next(e for e in self.emergencies() if emergency_id(e) == emergency)

    def date_of(self, day: int) -> dt.date:
        return START_DATE + dt.timedelta(days=day)

    def set_view(self, household: str | None = None, day: int | None = None) -> None:
        if household is not None:
            if household not in self.households:
                raise KeyError(household)
            self.household = household
        if day is not None:
            self.day = max(0, min(DAYS - 1, int(day)))

    def day_view(self, household: str | None = None, day: int | None = None) -> DayView:
        household = household or self.household
        day = self.day if day is None else day
        item = self.stream(household)
        first, last = day * SLOTS_PER_DAY, (day + 1) * SLOTS_PER_DAY
        robot = self._robot_alarms_of(household)
        learned = self.learned.alarms.get(household) if self.learned_is_current() else None
        out = self._away(household)[first:last]
        return DayView(household, day, tuple(int(v) for v in item.motion[first:last]),
                       tuple(int(v) for v in item.door[first:last]), tuple(int(v) for v in item.sound[first:last]),
                       tuple(bool(v) for v in out), tuple(int(v) for v in item.incident[first:last]),
                       _within(robot.calls, day), _within(robot.prompts, day),
                       None if learned is None else _within(learned.calls, day))

    def _robot_alarms_of(self, household: str) -> Alarms:
        """The robot's rules on one household (as the learner last ran them; about 5 ms, cached)."""
        key = (household, self.robot_door)
        if key not in self._robot_alarms:
            rules = robot_rules_with_door if self.robot_door else robot_rules
            self._robot_alarms[key] = rules(self.stream(household))
        return self._robot_alarms[key]

    def _away(self, household: str):
        """Where the resident is taken to be out, believed for at most 12 hours (as the robot-with-door run)."""
        if household not in self._away_cache:
            self._away_cache[household] = away(self.stream(household), OUT_CAP_HOURS * SLOTS_PER_HOUR)
        return self._away_cache[household]

    # --- 1. the robot's rules -------------------------------------------------------------------------------------

    def set_robot_door(self, door: bool) -> None:
        if bool(door) != self.robot_door:
            self.robot_door = bool(door)
            self.robot = None

    def robot_job(self) -> Callable[[TaskState], Run]:
        streams, door = self.streams, self.robot_door
        return lambda state: run_robot(streams, door, state)

    def set_robot(self, run: Run) -> None:
        self.robot = run

    def robot_is_current(self) -> bool:
        return self.robot is not None and self.robot.door == self.robot_door

    # --- 2. the learned alarm -------------------------------------------------------------------------------------

    def set_choice(self, choice: LearnChoice) -> None:
        """New settings: the runs made with the old ones stay (the tab can say "changed since the last test") but
        are no longer current; only current runs are shown, checked and saved."""
        self.choice = choice

    def learn_job(self) -> Callable[[TaskState], Run]:
        streams, choice = self.streams, self.choice
        return lambda state: run_learned(streams, choice, state)

    def set_learned(self, run: Run) -> None:
        self.learned = run

    def learned_is_current(self) -> bool:
        return self.learned is not None and self.learned.choice == self.choice

    def set_call_cost(self, hours: float) -> None:
        self.call_cost = max(0.0, float(hours))

    def reference(self, system: str, state: TaskState | None = None) -> Run:
        """The robot's rules (with or without the door), the reference learned alarm or its weekly re-learning: what
        the checks quote. Cached (0.1 to 0.7 s the first time); `open_workspace` prepares them off the GUI thread."""
        state = state or TaskState()
        if system in (ROBOT, ROBOT_DOOR):
            return run_robot(self.streams, system == ROBOT_DOOR, state)
        if system == LEARNED:
            return run_learned(self.streams, REFERENCE_CHOICE, state)
        return run_relearned(self.streams, REFERENCE_CHOICE, state)

    # --- 3. re-learning every week ----------------------------------------------------------------------------------

    def relearn_job(self) -> Callable[[TaskState], Run]:
        streams, choice = self.streams, self.choice
        return lambda state: run_relearned(streams, choice, state)

    def set_relearned(self, run: Run) -> None:
        self.relearned = run

    def relearned_is_current(self) -> bool:
        return self.relearned is not None and self.relearned.choice == self.choice

    # --- 4. data minimisation ---------------------------------------------------------------------------------------

    def set_privacy(self, name: str, value: Any) -> None:
        choice = self.privacy.with_(name, value)
        if choice != self.privacy:
            self.privacy = choice
            if self.measured is not None and self.measured.data_key != choice.data_key():
                self.measured = None

    def measure_job(self) -> Callable[[TaskState], Measurement]:
        streams, choice, privacy = self.streams, self.choice, self.privacy
        return lambda state: measure(streams, choice, privacy, state)

    def set_measured(self, measurement: Measurement) -> None:
        self.measured = measurement

    def measured_is_current(self) -> bool:
        return (self.measured is not None and self.measured.data_key == self.privacy.data_key()
                and self.measured.choice == self.choice)

    # --- answers ----------------------------------------------------------------------------------------------------

    def set_answer(self, question: str, answer: str) -> None:
        self.answers[question] = str(answer).strip()

    # --- saving and the script ----------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "view": {"household": self.household, "day": self.day},
                "robot": {"door": self.robot_door, "run": self.robot is not None},
                "learn": {**self.choice.to_dict(), "run": self.learned_is_current()},
                "relearned": self.relearned_is_current(), "call_cost": _plain(self.call_cost),
                "privacy": {**self.privacy.to_dict(), "measured": self.measured_is_current()},
                "answers": dict(self.answers)}

    def load(self, snapshot: dict[str, Any], state: TaskState) -> None:
        view = snapshot.get("view") or {}
        if view.get("household") in self.households:
            self.household = view["household"]
        if isinstance(view.get("day"), int):
            self.set_view(day=view["day"])
        robot = snapshot.get("robot") or {}
        self.robot_door = bool(robot.get("door", False))
        learn_part = snapshot.get("learn") or {}
        self.choice = LearnChoice.from_dict(learn_part)
        cost = snapshot.get("call_cost")
        if isinstance(cost, (int, float)) and cost >= 0:
            self.call_cost = float(cost)
        self.privacy = PrivacyChoice.from_dict(snapshot.get("privacy"))
        self.answers = {str(k): str(v) for k, v in (snapshot.get("answers") or {}).items()}
        if robot.get("run"):
            self.robot = self.robot_job()(state)
        if learn_part.get("run"):
            self.learned = self.learn_job()(state)
        if snapshot.get("relearned"):
            self.relearned = self.relearn_job()(state)
        if (snapshot.get("privacy") or {}).get("measured"):
            self.measured = self.measure_job()(state)

    def code(self) -> str:
        from labs.smart_city.care_script import script

        return script(self)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> CareWorkspace:
    """Rebuild the work a snapshot describes (None: a fresh start). Reads the dataset (pandas, about half a second
    the first time) and runs the systems the checks quote: call it off the GUI thread. `files` is unused."""
    from labs.datasets.catalog import dataset_path

    state.set_progress(0, 3)
    streams = load_streams()
    state.raise_if_cancelled()
    workspace = CareWorkspace(streams, data_file=str(dataset_path(DATASET)))
    state.set_progress(1, 3)
    for system in (ROBOT, ROBOT_DOOR, LEARNED):
        workspace.reference(system)
        state.raise_if_cancelled()
    state.set_progress(2, 3)
    if snapshot:
        workspace.load(snapshot, state)
    state.set_progress(3, 3)
    return workspace
