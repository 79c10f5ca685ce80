"""Webster's method for one signalised intersection: flow ratios, lost time, cycle, green splits and delay.

Source: F. V. Webster, *Traffic Signal Settings*, Road Research Technical Paper No. 39, HMSO, London, 1958,
as restated in R. J. Salter, *Highway Traffic Analysis and Design* (Macmillan, 1974/1989), ch. 43 "Delay at
signal-controlled intersections", and M. Rogers, *Highway Engineering* (Blackwell, 2003), section 5.5. The
oversaturated delay term is the time-dependent (coordinate-transformation) form of Webster's random term that the
Highway Capacity Manual 2000 (TRB), ch. 16, uses as its incremental delay d2 (pretimed signal: k = 0.5, I = 1).

Units, everywhere in this module unless a name says otherwise:

- flows q and saturation flows s in vehicles (or pcu) per **hour**, as traffic counts are written;
- times (cycle c, effective green g, lost time l and L, all-red R, analysis period T) in **seconds**;
- delays in **seconds per vehicle**; queues in **vehicles**.

The functions convert flows to vehicles per second where Webster's formula needs them. Greens are *effective*
greens (displayed green + amber - lost time), the green Webster's formulas use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_CYCLE = 30.0  # s: shorter cycles waste too much of each cycle in lost time and starve pedestrians
MAX_CYCLE = 180.0  # s: longer cycles gain no capacity worth the delay, and drivers think the signal has failed
WEBSTER_CORRECTION = 0.65  # the empirical coefficient of Webster's third delay term


class Oversaturated(ValueError):
    """Webster's steady-state delay does not exist: flow reaches or exceeds capacity (x >= 1)."""


def flow_ratio(flow: float, saturation_flow: float) -> float:
    """y = q / s: the share of an hour of green the flow needs (Webster 1958; Rogers 2003, eq. for y).

    `flow` and `saturation_flow` in veh/h (or both in pcu/h). Raises ValueError for a negative flow or a
    saturation flow that is not positive.
    """
    if saturation_flow <= 0:
        raise ValueError(f"saturation flow must be positive, got {saturation_flow}")
    if flow < 0:
        raise ValueError(f"flow must not be negative, got {flow}")
    return flow / saturation_flow


def critical_flow_ratio(lane_groups: Iterable[tuple[float, float]]) -> float:
    """The phase's y: the largest q / s among the lane groups that move in the phase.

    `lane_groups` is (flow, saturation flow) pairs in veh/h. The critical lane group is the one that needs the
    most green; if it is served, every other lane group in the phase is too (Webster's y_max per phase).
    """
    ratios = [flow_ratio(q, s) for q, s in lane_groups]
    if not ratios:
        raise ValueError("a phase needs at least one lane group")
    return max(ratios)


def lost_time(phases: int, lost_per_phase: float, all_red: float = 0.0) -> float:
    """L = n * l + R, in seconds: the part of each cycle no phase can use.

    n phases each lose l seconds (start-up lost time plus the unused end of the amber), and R seconds of
    all-red are added per cycle (Webster 1958; Rogers 2003, section 5.5).
    """
    if phases < 1:
        raise ValueError("an intersection has at least one phase")
    if lost_per_phase < 0 or all_red < 0:
        raise ValueError("lost times cannot be negative")
    return phases * lost_per_phase + all_red


@dataclass(frozen=True)
class Cycle:
    """Webster's optimum cycle and what bounding did to it."""

    cycle: float  # s, the cycle to run: c0 bounded to [min_cycle, max_cycle]
    c0: float  # s, Webster's unbounded optimum; math.inf when oversaturated
    flow_ratio_sum: float  # Y
    oversaturated: bool  # Y >= 1: no cycle length can pass the flow
    bound: str  # "" when c0 was used as it is, else "min" or "max"


def optimum_cycle(total_lost_time: float, flow_ratio_sum: float, *, min_cycle: float = MIN_CYCLE,
                  max_cycle: float = MAX_CYCLE) -> Cycle:
    """C0 = (1.5 L + 5) / (1 - Y), Webster's delay-minimising cycle, bounded to [min_cycle, max_cycle].

    L is the total lost time per cycle (s) and Y the sum of the critical flow ratios. When Y >= 1 the
    intersection is oversaturated: the formula's denominator is zero or negative, so it is not evaluated;
    the longest allowed cycle is returned (it loses the smallest share of each cycle) with `oversaturated`
    set and `c0` infinite, so the caller can say plainly that no timing can serve this demand.
    """
    if flow_ratio_sum < 0:
        raise ValueError("Y cannot be negative")
    if not 0 < min_cycle <= max_cycle:
        raise ValueError("need 0 < min_cycle <= max_cycle")
    if flow_ratio_sum >= 1.0:
        return Cycle(max_cycle, math.inf, flow_ratio_sum, True, "max")
    c0 = (1.5 * total_lost_time + 5.0) / (1.0 - flow_ratio_sum)
    if c0 < min_cycle:
        return Cycle(min_cycle, c0, flow_ratio_sum, False, "min")
    if c0 > max_cycle:
        return Cycle(max_cycle, c0, flow_ratio_sum, False, "max")
    return Cycle(c0, c0, flow_ratio_sum, False, "")


def green_splits(cycle: float, total_lost_time: float, ratios: Sequence[float], *,
                 min_green: float = 0.0) -> tuple[float, ...]:
    """Effective greens g_i = (c - L) * y_i / Y: the usable green shared in proportion to each phase's y.

    This is Webster's equisaturation rule: every critical lane group gets the same degree of saturation.
    The greens always add up to c - L. With `min_green` (s), a phase whose share falls below it gets
    `min_green` and the others share the rest in proportion to y (a pedestrian or safety minimum); when
    Y = 0 (no traffic at all) the usable green is shared equally.
    """
    available = cycle - total_lost_time
    n = len(ratios)
    if n == 0:
        raise ValueError("need at least one phase")
    if any(y < 0 for y in ratios):
        raise ValueError("flow ratios cannot be negative")
    if available <= 0 or available < n * min_green - 1e-9:
        raise ValueError(f"a {cycle:g} s cycle leaves no room for {n} greens after {total_lost_time:g} s lost")
    total = sum(ratios)
    if total == 0:
        return tuple(available / n for _ in ratios)
    greens = [available * (y / total) for y in ratios]  # the share first: tiny ratios would lose precision
    if min_green > 0:
        fixed: set[int] = set()
        while True:
            short = {i for i, g in enumerate(greens) if i not in fixed and g < min_green - 1e-9}
            if not short:
                break
            fixed |= short
            free = [i for i in range(n) if i not in fixed]
            rest = available - min_green * len(fixed)
            share = sum(ratios[i] for i in free)
            greens = [min_green if i in fixed else (rest * (ratios[i] / share) if share else rest / len(free))
                      for i in range(n)]
    return tuple(greens)


@dataclass(frozen=True)
class SignalTiming:
    """One timing for a two- (or more-) phase fixed-time signal, with how it was derived."""

    cycle: float  # s
    greens: tuple[float, ...]  # effective green per phase, s; sum(greens) == cycle - lost_time
    lost_time: float  # L, s
    flow_ratios: tuple[float, ...]  # critical y per phase used to time it
    c0: float  # Webster's unbounded optimum, s (inf when oversaturated)
    oversaturated: bool  # Y >= 1 for the demand it was timed for

    @property
    def flow_ratio_sum(self) -> float:
        return sum(self.flow_ratios)

    @property
    def cut_short(self) -> bool:
        """Webster's optimum is longer than the longest allowed cycle (or infinite: Y >= 1).

        Then the critical degree of saturation is Y c / (c - L), which reaches 1 once Y >= (c - L) / c: with
        Y = 0.966, L = 10 s and a 120 s limit, the junction is over capacity although Y < 1.
        """
        return self.c0 > self.cycle + 1e-9


def signal_timing(ratios: Sequence[float], total_lost_time: float, *, min_cycle: float = MIN_CYCLE,
                  max_cycle: float = MAX_CYCLE, min_green: float = 0.0) -> SignalTiming:
    """Webster's timing for critical flow ratios `ratios` (one per phase) and lost time L (s).

    The cycle is C0 bounded to [min_cycle, max_cycle], lengthened if needed so every phase can get
    `min_green`; the greens are shared in proportion to y (see `green_splits`).
    """
    found = optimum_cycle(total_lost_time, sum(ratios), min_cycle=min_cycle, max_cycle=max_cycle)
    cycle = max(found.cycle, total_lost_time + len(ratios) * min_green)
    greens = green_splits(cycle, total_lost_time, ratios, min_green=min_green)
    return SignalTiming(cycle, greens, total_lost_time, tuple(ratios), found.c0, found.oversaturated)


def capacity(saturation_flow: float, green: float, cycle: float) -> float:
    """Q = s * g / c in veh/h: how many vehicles an hour of this timing can pass."""
    if cycle <= 0 or not 0 <= green <= cycle:
        raise ValueError(f"need 0 <= green <= cycle and cycle > 0, got g={green}, c={cycle}")
    return saturation_flow * green / cycle


def degree_of_saturation(flow: float, saturation_flow: float, green: float, cycle: float) -> float:
    """x = q / (lambda s) with lambda = g / c: flow over capacity (Webster 1958). x >= 1 means queues grow.

    A zero green with some flow is reported as math.inf; no flow gives 0.
    """
    q_cap = capacity(saturation_flow, green, cycle)
    if flow == 0:
        return 0.0
    return flow / q_cap if q_cap > 0 else math.inf


def delay_terms(flow: float, saturation_flow: float, green: float, cycle: float) -> tuple[float, float, float]:
    """The three terms of Webster's delay formula, in s/veh, for x < 1 (Webster 1958, eq. as in Salter ch. 43):

        d = c (1 - lambda)^2 / (2 (1 - lambda x))  +  x^2 / (2 q (1 - x))  -  0.65 (c / q^2)^(1/3) x^(2 + 5 lambda)

    with c the cycle (s), lambda = g / c, q the flow in **veh/s** (the veh/h argument / 3600) and x = q / (lambda s).
    The first term is the uniform delay (regular arrivals), the second the random delay (Poisson arrivals,
    as a queue with regular service), the third Webster's empirical correction from his simulations.
    Returns (uniform, random, correction); d = uniform + random - correction. Raises Oversaturated for x >= 1.
    """
    x = degree_of_saturation(flow, saturation_flow, green, cycle)
    if x >= 1:
        raise Oversaturated(f"x = {x:.3f}: Webster's steady-state delay needs x < 1")
    lam = green / cycle
    uniform = cycle * (1 - lam) ** 2 / (2 * (1 - lam * x))
    if flow == 0:
        return uniform, 0.0, 0.0
    q = flow / 3600.0
    random_part = x * x / (2 * q * (1 - x))
    correction = WEBSTER_CORRECTION * (cycle / (q * q)) ** (1 / 3) * x ** (2 + 5 * lam)
    return uniform, random_part, correction


def webster_delay(flow: float, saturation_flow: float, green: float, cycle: float) -> float:
    """Webster's (1958) average delay per vehicle, s/veh, for an undersaturated approach (x < 1).

    Flows in veh/h, times in s. This is the steady-state formula exactly (see `delay_terms`): it assumes the
    same demand for a long time and is only defined below capacity, so it raises `Oversaturated` for x >= 1.
    For any x, over a finite analysis period, use `average_delay`.
    """
    uniform, random_part, correction = delay_terms(flow, saturation_flow, green, cycle)
    return uniform + random_part - correction


def average_delay(flow: float, saturation_flow: float, green: float, cycle: float, period: float = 900.0) -> float:
    """Average delay per vehicle (s/veh) arriving during an analysis period of `period` seconds, for any x.

    d = d1 + d2 - d3 where

    - d1 = c (1 - lambda)^2 / (2 (1 - lambda min(x, 1))): Webster's uniform term, with x capped at 1 (beyond
      capacity every cycle fails, and the uniform part stops growing: HCM 2000's d1);
    - d2 = (T / 4) [(x - 1) + sqrt((x - 1)^2 + 4 x / (Q T))]: the time-dependent form of Webster's random
      term, Q the capacity in veh/s and T the period in s (HCM 2000's d2 with k = 0.5, I = 1, written in
      seconds). For x < 1 and a long period it tends to Webster's x^2 / (2 q (1 - x)); for x > 1 it tends to
      the deterministic overflow delay T (x - 1) / 2 (a queue growing at q - Q for the whole period), so it is
      finite and keeps rising with flow instead of blowing up at x = 1 or turning negative beyond it;
    - d3 = Webster's correction term with x capped at 1, so that for long periods below capacity this is
      Webster's formula.

    The result is never negative. It does not include delay from a queue left over by an earlier period;
    simulate.py adds that separately.
    """
    if period <= 0:
        raise ValueError("the analysis period must be positive")
    q_cap = capacity(saturation_flow, green, cycle)
    if flow == 0:
        lam = green / cycle
        return cycle * (1 - lam) ** 2 / 2
    if q_cap == 0:
        return math.inf
    x = flow / q_cap
    lam = green / cycle
    xc = min(x, 1.0)
    d1 = cycle * (1 - lam) ** 2 / (2 * (1 - lam * xc)) if lam < 1 else 0.0
    qc = q_cap / 3600.0
    d2 = period / 4 * ((x - 1) + math.sqrt((x - 1) ** 2 + 4 * x / (qc * period)))
    q = flow / 3600.0
    d3 = WEBSTER_CORRECTION * (cycle / (q * q)) ** (1 / 3) * xc ** (2 + 5 * lam)
    return max(0.0, d1 + d2 - d3)
