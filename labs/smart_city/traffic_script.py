"""The adaptive traffic signals lab as a runnable script: pandas for the counts, plain Python for Webster's method
and the simulated day, with the learner's choices filled in. It needs nothing from this app: a learner can run it
with pandas alone and get the same numbers as the lab (a test runs it and compares).

No Qt and no text for learners: the script is code, its comments are English like the rest of the code tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labs.smart_city.traffic_workspace import TrafficWorkspace

_READ = '''\
# Adaptive traffic signals: what you did in the lab, as a script you can run with pandas.
# Counts: Metro Interstate Traffic Volume (I-94 westbound, Minnesota DOT ATR 301), J. Hogue, UCI Machine Learning
# Repository, https://doi.org/10.24432/C5X60B, CC BY 4.0. The district and its daily volumes are the lab's.
import math

import pandas as pd

counts = pd.read_csv({path!r}, parse_dates=["datetime"])
counts["date"] = counts["datetime"].dt.normalize()
counts["hour"] = counts["datetime"].dt.hour
grid = counts.pivot(index="date", columns="hour", values="traffic_volume")  # one row of 24 hours per day
complete = grid.notna().all(axis=1)
weekday = grid.index.day_of_week < 5
complete_weekdays = list(grid.index[complete & weekday])

# The typical weekday (and weekend day): the median of each hour over the complete days
typical = [float(v) for v in grid[complete & weekday].median()]
weekend = [float(v) for v in grid[complete & ~weekday].median()]
R = sum(typical)  # vehicles on a typical weekday
weekend_shares = [v / sum(weekend) for v in weekend]
'''

_FORECAST = '''
# 1. Forecast a day's 24 counts from the days before it
METHOD, WINDOW = {method!r}, {window}


def day_counts(day):
    return [float(v) for v in grid.loc[day]]


def seasonal_naive(day):
    """The same hour one week earlier (two weeks if last week has gaps): the baseline."""
    for weeks in (1, 2):
        earlier = day - pd.Timedelta(weeks=weeks)
        if earlier in grid.index and complete[earlier]:
            return day_counts(earlier)
    raise ValueError(f"no complete day one or two weeks before {{day}}")


def forecast(day, method=METHOD, window=WINDOW):
    if method == "seasonal_naive":
        return seasonal_naive(day)
    earlier = [d for d in complete_weekdays if d < day]
    if method == "same_weekday_mean":
        earlier = [d for d in earlier if d.day_of_week == day.day_of_week]
    rows = grid.loc[earlier[-window:]]
    return [float(v) for v in (rows.median() if method == "same_hour_median" else rows.mean())]


def mae(actual, predicted):
    return sum(abs(a - p) for a, p in zip(actual, predicted)) / len(actual)


def backtest(method, window=1, days=complete_weekdays[-40:]):
    """The mean absolute error (vehicles per hour) over the last 40 complete weekdays."""
    errors = [mae(day_counts(day), forecast(day, method, window)) for day in days]
    return sum(errors) / len(errors)


my_mae = backtest(METHOD, WINDOW)
baseline_mae = backtest("seasonal_naive")
print(f"forecast error (MAE): yours {{my_mae:,.0f}} vehicles per hour, seasonal naive {{baseline_mae:,.0f}}")
'''

_DISTRICT = '''
# The district: junction -> lost time L (s) and its approaches (side, phase, saturation flow veh/h, vehicles a day,
# profile). Phase 0 serves north and south, phase 1 east and west.
DISTRICT = {{
{junctions}
}}
MIN_CYCLE, MAX_CYCLE, MIN_GREEN = {min_cycle:g}, {max_cycle:g}, {min_green:g}  # s: the city's limits


def district_demand(day_counts):
    """Vehicles per hour on every approach: arterials follow the day's counts, cross streets half the counts
    and half the typical weekend's flatter shape."""
    commuter = [v / R for v in day_counts]
    local = [0.5 * c + 0.5 * w for c, w in zip(commuter, weekend_shares)]
    return {{(j, side): [daily * s for s in (commuter if profile == "commuter" else local)]
            for j, (L, approaches) in DISTRICT.items() for side, phase, sat, daily, profile in approaches}}


def flow_ratios(j, flows):
    """Webster's y = q / s, the largest of each phase."""
    ys = [0.0, 0.0]
    for side, phase, sat, daily, profile in DISTRICT[j][1]:
        ys[phase] = max(ys[phase], flows[side] / sat)
    return ys


def green_splits(cycle, L, ys):
    """Effective greens g_i = (c - L) y_i / Y, with a minimum green for pedestrians."""
    available, total = cycle - L, sum(ys)
    if total == 0:
        return [available / len(ys)] * len(ys)
    greens, fixed = [available * y / total for y in ys], set()
    while True:
        short = {{i for i, g in enumerate(greens) if i not in fixed and g < MIN_GREEN - 1e-9}}
        if not short:
            return greens
        fixed |= short
        free = [i for i in range(len(ys)) if i not in fixed]
        rest, share = available - MIN_GREEN * len(fixed), sum(ys[i] for i in free)
        greens = [MIN_GREEN if i in fixed else (rest * ys[i] / share if share else rest / len(free))
                  for i in range(len(ys))]


def webster_cycle(L, ys):
    """C0 = (1.5 L + 5) / (1 - Y), kept within the city's limits (the longest cycle when Y >= 1)."""
    Y = sum(ys)
    if Y >= 1:
        return MAX_CYCLE
    c0 = (1.5 * L + 5) / (1 - Y)
    return max(min(max(c0, MIN_CYCLE), MAX_CYCLE), L + len(ys) * MIN_GREEN)
'''

_FIXED = '''
# 2. The fixed plan: Webster's method for {basis_text}, with the cycles you typed
typical_demand = district_demand(typical)
BASIS = {basis!r}
MY_CYCLES = {cycles}
fixed_plan = {{}}
for j, (L, approaches) in DISTRICT.items():
    hourly = [{{side: typical_demand[(j, side)][h] for side, *_ in approaches}} for h in range(24)]
    if BASIS == "peak":  # the hour with the largest Y
        design = max(range(24), key=lambda h: (sum(flow_ratios(j, hourly[h])), -h))
        flows = hourly[design]
    else:  # the day's average hour
        flows = {{side: sum(typical_demand[(j, side)]) / 24 for side, *_ in approaches}}
    ys = flow_ratios(j, flows)
    c0 = (1.5 * L + 5) / (1 - sum(ys)) if sum(ys) < 1 else math.inf
    cycle = MY_CYCLES[j]
    fixed_plan[j] = (cycle, green_splits(cycle, L, ys))
    print(f"{{j}}: Y = {{sum(ys):.3f}}, Webster's C0 = {{c0:.1f}} s, your cycle {{cycle:g}} s, "
          f"greens {{fixed_plan[j][1][0]:.1f}} s and {{fixed_plan[j][1][1]:.1f}} s")
'''

_FIXED_MISSING = '''
# 2. The fixed plan: type a cycle for every junction in the lab to time it (missing: {missing}).
'''

_SIMULATE = '''
# 3. A simulated day: {day}, the responsive plan timed on {timed_on_text}
DAY, TIMED_ON = pd.Timestamp({day!r}), {timed_on!r}
T = 900.0  # s: 15-minute periods


def average_delay(q, s, g, c):
    """Seconds per vehicle arriving in a period of T s: Webster's uniform delay, the time-dependent random delay
    (finite above capacity) and Webster's correction (HCM 2000's d1 and d2 with k = 0.5, I = 1)."""
    lam = g / c
    capacity = s * g / c
    if q == 0:
        return c * (1 - lam) ** 2 / 2
    x = q / capacity
    xc = min(x, 1.0)
    d1 = c * (1 - lam) ** 2 / (2 * (1 - lam * xc)) if lam < 1 else 0.0
    d2 = T / 4 * ((x - 1) + math.sqrt((x - 1) ** 2 + 4 * x / (capacity / 3600 * T)))
    d3 = 0.65 * (c / (q / 3600) ** 2) ** (1 / 3) * xc ** (2 + 5 * lam)
    return max(0.0, d1 + d2 - d3)


def leftover_area(n0, capacity, q):
    """Vehicle-seconds waited over a period by a queue of n0 vehicles left from the period before."""
    if n0 <= 0:
        return 0.0
    drain = (capacity - q) / 3600
    if drain <= 0:
        return n0 * T
    clear = n0 / drain
    return n0 * T - drain * T * T / 2 if clear >= T else n0 * clear / 2


def simulate(plan, demand):
    """plan(j, hour) -> (cycle, greens); vehicle-hours of delay in each hour, for the whole district."""
    leftover = {{key: 0.0 for key in demand}}
    hourly = [0.0] * 24
    for hour in range(24):
        for j, (L, approaches) in DISTRICT.items():
            cycle, greens = plan(j, hour)
            for side, phase, sat, daily, profile in approaches:
                q = demand[(j, side)][hour]
                capacity = sat * greens[phase] / cycle
                base = average_delay(q, sat, greens[phase], cycle) if q > 0 else 0.0
                for _ in range(4):
                    n0 = leftover[(j, side)]
                    hourly[hour] += (q * T / 3600 * base + leftover_area(n0, capacity, q)) / 3600
                    leftover[(j, side)] = max(0.0, n0 + (q - capacity) * T / 3600)
    return hourly


actual = district_demand(day_counts(DAY))
if TIMED_ON == "actual":
    timed = actual  # a perfect forecast
else:
    timed = district_demand(forecast(DAY) if TIMED_ON == "forecast" else seasonal_naive(DAY))
responsive_plan = {{}}
for j, (L, approaches) in DISTRICT.items():
    for h in range(24):
        ys = flow_ratios(j, {{side: timed[(j, side)][h] for side, *_ in approaches}})
        cycle = webster_cycle(L, ys)
        responsive_plan[(j, h)] = (cycle, green_splits(cycle, L, ys))

fixed_hourly = simulate(lambda j, h: fixed_plan[j], actual)
responsive_hourly = simulate(lambda j, h: responsive_plan[(j, h)], actual)
fixed_vehicle_hours, responsive_vehicle_hours = sum(fixed_hourly), sum(responsive_hourly)
saving_percent = 100 * (fixed_vehicle_hours - responsive_vehicle_hours) / fixed_vehicle_hours
print(f"vehicle-hours of delay on {{DAY:%Y-%m-%d}}: fixed plan {{fixed_vehicle_hours:,.0f}}, "
      f"responsive plan {{responsive_vehicle_hours:,.0f}}, saving {{saving_percent:.1f}}%")
print(pd.DataFrame({{"fixed": fixed_hourly, "responsive": responsive_hourly}}).round(1))
'''


def _junctions(workspace: TrafficWorkspace) -> str:
    lines = []
    for junction in workspace.district.intersections:
        approaches = ", ".join(f"({a.id!r}, {a.phase}, {a.saturation_flow:g}, {a.daily_volume:g}, {a.profile!r})"
                               for a in junction.approaches)
        lines.append(f"    {junction.id!r}: ({junction.lost_time:g}, [{approaches}]),")
    return "\n".join(lines)


def _cycles(workspace: TrafficWorkspace) -> str:
    return "{" + ", ".join(f"{k!r}: {v:g}" for k, v in workspace.cycles.items() if v is not None) + "}"


def script(workspace: TrafficWorkspace) -> str:
    """The script of the learner's work so far: the forecast always; the fixed plan once every junction has a
    cycle; the simulated day once it was simulated."""
    district = workspace.district
    parts = [_READ.format(path=workspace.data_file),
             _FORECAST.format(method=workspace.forecast.method, window=workspace.forecast.window),
             _DISTRICT.format(junctions=_junctions(workspace), min_cycle=district.min_cycle,
                              max_cycle=district.max_cycle, min_green=district.min_green)]
    if workspace.fixed_plan() is None:
        missing = [k for k, t in workspace.timings().items() if t is None]
        parts.append(_FIXED_MISSING.format(missing=", ".join(missing)))
        return "".join(parts)
    basis_text = "each junction's peak hour" if workspace.basis == "peak" else "the day's average hour"
    parts.append(_FIXED.format(basis=workspace.basis, basis_text=basis_text, cycles=_cycles(workspace)))
    run = workspace.run
    if run is not None:
        timed_on_text = {"forecast": "your forecast", "last_week": "last week's counts (seasonal naive)",
                         "actual": "the actual counts (a perfect forecast)"}[run.timed_on]
        timed_on = {"last_week": "seasonal_naive"}.get(run.timed_on, run.timed_on)
        parts.append(_SIMULATE.format(day=run.day.isoformat(), timed_on=timed_on, timed_on_text=timed_on_text))
    return "".join(parts)
