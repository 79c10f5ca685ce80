"""The care lab as a runnable script: pandas reads the sensor readings, numpy does the rest, with the learner's choices
filled in. It needs nothing from this app: a learner can run it with pandas alone and get the same numbers as the
lab (a test runs it and compares).

No Qt and no text for learners: the script is code, its comments are English like the rest of the code tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labs.smart_city.care_workspace import CareWorkspace

_READ = '''\
# Care for elders living alone: what you did in the lab, as a script you can run with pandas and numpy.
# Data: the lab's synthetic home sensors of five elders living alone (motion, front door, sound every 5 minutes,
# ten weeks; falls and illness marked in "incident", the answer key no alarm may read).
import math

import numpy as np
import pandas as pd

SLOTS_PER_HOUR, SLOTS_PER_DAY = 12, 288  # 5-minute slots
LEARNING_DAYS = 28  # the first four weeks are for learning; the last six are scored

readings = pd.read_csv({path!r}, parse_dates=["time"], keep_default_na=False)
homes = {{}}
for household, part in readings.groupby("household", sort=False):
    part = part.sort_values("time")
    homes[household] = {{name: part[name].to_numpy(dtype=np.int64) for name in ("motion", "door", "sound")}}
    homes[household]["incident"] = part["incident"].map({{"": 0, "fall": 1, "illness": 2}}).to_numpy()


def slots_since(events):
    """For every slot, the slots since the last one with an event (counted from the start before the first)."""
    index = np.arange(len(events))
    last = np.maximum.accumulate(np.where(events > 0, index, -1))
    return np.where(last >= 0, index - last, index + 1)


def crossings(values, limit):
    """Slots where `values` reaches `limit` coming from below it."""
    above = values >= np.broadcast_to(limit, values.shape)
    return [int(i) for i in np.flatnonzero(above & ~np.concatenate(([False], above[:-1])))]


def away(home, cap=None):
    """Out: the door opened and nothing moved since, believed for at most `cap` slots."""
    motion, door = home["motion"], home["door"]
    out, door_at = np.zeros(len(motion), dtype=bool), -1
    for t in range(len(motion)):
        if door[t] > 0:
            door_at = t
        elif door_at >= 0 and motion[t] > 0:
            door_at = -1
        elif door_at >= 0 and (cap is None or t - door_at <= cap):
            out[t] = True
    return out


def home_silence(home, cap=None, use_door=True):
    """Slots without movement at home (0 while out); without the door, plain time since the last movement."""
    if not use_door:
        return slots_since(home["motion"])
    return np.where(away(home, cap), 0, slots_since(home["motion"] + home["door"]))


def emergencies(home):
    """The labelled emergencies of the scored weeks: (kind, first slot, slot after the last)."""
    codes = home["incident"]
    change = np.flatnonzero(np.diff(np.concatenate(([0], codes, [0]))) != 0)
    found = [("fall" if codes[a] == 1 else "illness", int(a), int(b)) for a, b in zip(change[:-1], change[1:])
             if codes[a]]
    return [e for e in found if e[1] >= LEARNING_DAYS * SLOTS_PER_DAY]


def score(calls_by_home):
    """False calls (outside every emergency and the hour after it), caught emergencies (a call before the person
    is found and within 24 h) and hours unattended, over the six scored weeks of every home."""
    first = LEARNING_DAYS * SLOTS_PER_DAY
    result = {{"false_calls": 0, "caught": 0, "emergencies": 0, "hours_unattended": 0.0, "days": 0.0,
              "by_home": {{}}}}
    for household, calls in calls_by_home.items():
        home = homes[household]
        calls = [c for c in calls if c >= first]
        found = emergencies(home)
        false = [c for c in calls if not any(start <= c < end + SLOTS_PER_HOUR for _kind, start, end in found)]
        caught = 0
        for _kind, start, end in found:
            window_end = min(end, start + 24 * SLOTS_PER_HOUR)
            hit = next((c for c in calls if start <= c < window_end), None)
            caught += hit is not None
            result["hours_unattended"] += ((hit if hit is not None else window_end) - start) * 5 / 60
        result["false_calls"] += len(false)
        result["caught"] += caught
        result["emergencies"] += len(found)
        result["days"] += (len(home["motion"]) - first) / SLOTS_PER_DAY
        result["by_home"][household] = len(false)
    result["household_months"] = result["days"] / 30
    result["rate"] = result["false_calls"] / result["household_months"]
    return result
'''

_ROBOT = '''
# 1. The robot's rules: a guardian call after 5 hours without movement{door_note}
ROBOT_READS_THE_DOOR = {door}


def robot_calls(home):
    silence = home_silence(home, cap=12 * SLOTS_PER_HOUR, use_door=True) if ROBOT_READS_THE_DOOR \\
        else slots_since(home["motion"])
    return crossings(silence, 5 * SLOTS_PER_HOUR)


robot = score({{h: robot_calls(home) for h, home in homes.items()}})
robot_false_calls, robot_rate = robot["false_calls"], robot["rate"]
robot_missed = robot["emergencies"] - robot["caught"]
robot_hours_unattended = robot["hours_unattended"]
print(f"robot: {{robot_false_calls}} false calls in {{robot['household_months']:.1f}} household-months "
      f"({{robot_rate:.2f}} each), {{robot_missed}} of {{robot['emergencies']}} emergencies missed, "
      f"{{robot_hours_unattended:.1f}} hours unattended")
'''

_LEARN = '''
# 2. An alarm learned from each household's routine (your settings)
SETTINGS = dict(days={days}, quantile={quantile!r}, margin={margin!r}, slack_minutes=30, min_minutes=45,
                max_hours={max_hours!r}, use_door={use_door}, window_hours=6, activity_quantile=0.01,
                activity_factor=0.5, low_activity={low_activity}, statistic={statistic!r})
ONE_ROUTINE_FOR_EVERYBODY = {shared}


def learning_part(home, days, end_day=None):
    end = (days if end_day is None else end_day) * SLOTS_PER_DAY
    start = max(0, end - days * SLOTS_PER_DAY)
    return {{name: values[start:end] for name, values in home.items()}}


def longest_outing(home):
    out = away(home).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], out, [0]))))
    runs = edges[1::2] - edges[::2]
    return int(runs.max()) if len(runs) else 0


def activity_share(home, cap, use_door, window_hours):
    """Share of at-home slots with movement over the last hours (NaN where under half of them were at home)."""
    n, window = len(home["motion"]), int(round(window_hours * SLOTS_PER_HOUR))
    at_home = ~away(home, cap) if use_door else np.ones(n, dtype=bool)
    active = (home["motion"] > 0) & at_home
    home_count = np.convolve(at_home.astype(float), np.ones(window))[:n]
    active_count = np.convolve(active.astype(float), np.ones(window))[:n]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = active_count / home_count
    share[home_count < window / 2] = np.nan
    return share


def learn(home, s, end_day=None):
    """24 still-spell limits, 24 activity floors and the longest outing believed, from the learning weeks."""
    part = learning_part(home, s["days"], end_day)
    cap = int(math.ceil(longest_outing(part) * 1.25 + SLOTS_PER_HOUR)) if s["use_door"] else None
    silence = home_silence(part, cap, s["use_door"])
    hours = (np.arange(len(part["motion"])) % SLOTS_PER_DAY) // SLOTS_PER_HOUR
    raw = []
    for h in range(24):
        values = silence[hours == h].astype(float)
        raw.append(values.mean() + 2 * values.std() if s["statistic"] == "mean_sd"
                   else float(np.quantile(values, s["quantile"])))
    limits = []
    for h in range(24):
        base = max(raw[(h - 1) % 24], raw[h], raw[(h + 1) % 24])  # the neighbouring hours smooth the edges
        value = max(s["min_minutes"] / 5, s["margin"] * base + s["slack_minutes"] / 5)
        if s["max_hours"] is not None:
            value = min(value, s["max_hours"] * SLOTS_PER_HOUR)
        limits.append(int(math.ceil(value)))
    share = activity_share(part, cap, s["use_door"], s["window_hours"])
    low = []
    for h in range(24):
        values = share[(hours == h) & ~np.isnan(share)]
        low.append(float(np.quantile(values, s["activity_quantile"])) if len(values) else 0.0)
    floors = [s["activity_factor"] * min(low[(h - 1) % 24], low[h], low[(h + 1) % 24]) for h in range(24)]
    return {{"limits": limits, "floors": floors, "cap": cap or 0}}


def learned_calls(home, profile, s):
    """Calls when a still spell at home reaches the hour's limit, or activity falls below the hour's floor; a call
    within 3 hours of the previous one is the same alert."""
    cap = profile["cap"] if s["use_door"] else None
    hours = (np.arange(len(home["motion"])) % SLOTS_PER_DAY) // SLOTS_PER_HOUR
    events = [(t, "still_too_long") for t in crossings(home_silence(home, cap, s["use_door"]),
                                                        np.asarray(profile["limits"])[hours])]
    if s["low_activity"]:
        share = activity_share(home, cap, s["use_door"], s["window_hours"])
        low = np.where(np.isnan(share), False, share < np.asarray(profile["floors"])[hours])
        events += [(t, "low_activity") for t in crossings(low.astype(int), 1)]
    calls = []
    for slot, _reason in sorted(events):
        if not calls or slot - calls[-1] >= 3 * SLOTS_PER_HOUR:
            calls.append(slot)
    return calls


def profiles_for(all_homes, s):
    profiles = {{h: learn(home, s) for h, home in all_homes.items()}}
    if ONE_ROUTINE_FOR_EVERYBODY:  # each hour's limit and floor the median of the households'
        shared = {{"limits": [int(np.median([p["limits"][h] for p in profiles.values()])) for h in range(24)],
                  "floors": [float(np.median([p["floors"][h] for p in profiles.values()])) for h in range(24)],
                  "cap": int(np.median([p["cap"] for p in profiles.values()]))}}
        profiles = {{h: shared for h in profiles}}
    return profiles


profiles = profiles_for(homes, SETTINGS)
learned = score({{h: learned_calls(home, profiles[h], SETTINGS) for h, home in homes.items()}})
learned_false_calls, learned_rate = learned["false_calls"], learned["rate"]
learned_caught, learned_hours_unattended = learned["caught"], learned["hours_unattended"]
print(f"learned alarm: {{learned_false_calls}} false calls ({{learned_rate:.2f}} per household-month), "
      f"{{learned_caught}} of {{learned['emergencies']}} emergencies caught, {{learned_hours_unattended:.1f}} hours "
      f"unattended")
if robot_false_calls:
    print(f"share of the robot's false calls avoided: {{100 * (1 - learned_false_calls / robot_false_calls):.1f}}%")
'''

_RELEARN = '''
# 3. The same alarm re-learned every week from the weeks before it


def relearned_calls(home, s):
    days = len(home["motion"]) // SLOTS_PER_DAY
    bounds = list(range(LEARNING_DAYS, days, 7)) + [days]
    calls = [c for c in learned_calls(home, learn(home, s, LEARNING_DAYS), s) if c < LEARNING_DAYS * SLOTS_PER_DAY]
    for start, end in zip(bounds[:-1], bounds[1:]):
        calls += [c for c in learned_calls(home, learn(home, s, start), s)
                  if start * SLOTS_PER_DAY <= c < end * SLOTS_PER_DAY]
    return calls


relearned = score({{h: relearned_calls(home, SETTINGS) for h, home in homes.items()}})
relearned_false_calls, relearned_caught = relearned["false_calls"], relearned["caught"]
print(f"re-learned every week: {{relearned_false_calls}} false calls, {{relearned_caught}} caught; "
      f"false calls by home {{relearned['by_home']}} (learned once: {{learned['by_home']}})")
'''

_PRIVACY = '''
# 4. The learned alarm on the data the service keeps
KEEP = dict(motion={motion!r}, door={door!r}, sound={sound!r}, step_minutes={step})


def kept(home):
    home = dict(home)
    if KEEP["motion"] == "yes_no":
        home["motion"] = (home["motion"] > 0).astype(home["motion"].dtype)
    elif KEEP["motion"] == "none":
        home["motion"] = home["motion"] * 0
    if KEEP["door"] == "none":
        home["door"] = home["door"] * 0
    if KEEP["sound"] == "none":
        home["sound"] = home["sound"] * 0
    step = KEEP["step_minutes"] // 5
    if step > 1:  # totals per period, known at its last 5-minute slot
        for name in ("motion", "door", "sound"):
            values = home[name]
            usable = len(values) // step * step
            spread = np.zeros_like(values)
            spread[step - 1:usable:step] = values[:usable].reshape(-1, step).sum(axis=1)
            home[name] = spread if name != "sound" else (spread > 0).astype(values.dtype)
    return home


kept_homes = {{h: kept(home) for h, home in homes.items()}}
kept_profiles = profiles_for(kept_homes, SETTINGS)
on_kept = score({{h: learned_calls(home, kept_profiles[h], SETTINGS) for h, home in kept_homes.items()}})
kept_false_calls, kept_caught, kept_hours_unattended = (on_kept["false_calls"], on_kept["caught"],
                                                        on_kept["hours_unattended"])
own = {{h: learn(home, SETTINGS) for h, home in kept_homes.items()}}
raw_hours_needed = {{h: max(max(p["limits"]), int(SETTINGS["window_hours"] * SLOTS_PER_HOUR), p["cap"]) / 12
                    for h, p in own.items()}}
print(f"on the data kept: {{kept_false_calls}} false calls, {{kept_caught}} caught, "
      f"{{kept_hours_unattended:.1f}} hours unattended; raw readings needed at any moment: "
      f"up to {{max(raw_hours_needed.values()):.1f}} hours")
'''


def script(workspace: CareWorkspace) -> str:
    choice = workspace.choice
    settings = choice.settings()
    parts = [_READ.format(path=workspace.data_file)]
    parts.append(_ROBOT.format(door=workspace.robot_door, door_note=(
        " (here paused while the door says the resident is out, which the robot cannot do)"
        if workspace.robot_door else "")))
    parts.append(_LEARN.format(days=settings.days, quantile=settings.quantile, margin=settings.margin,
                               max_hours=settings.max_hours, use_door=settings.use_door,
                               low_activity=settings.low_activity, statistic=settings.statistic,
                               shared=choice.routine == "shared"))
    if workspace.relearned_is_current():
        parts.append(_RELEARN.format())
    else:
        parts.append("\n# 3. Re-learning every week: press \"Re-learn every week\" in the lab to add it here.\n")
    if workspace.measured_is_current():
        privacy = workspace.privacy
        parts.append(_PRIVACY.format(motion=privacy.motion, door=privacy.door, sound=privacy.sound,
                                     step=privacy.step))
    else:
        parts.append("\n# 4. The data kept: press \"Test the alarm on this data\" in the lab to add it here.\n")
    return "".join(parts)
