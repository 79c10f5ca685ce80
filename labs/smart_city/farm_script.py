"""The container farm lab as a runnable script: Van Henten's lettuce model, the container's electricity and the
grid search in plain Python, with the learner's setpoints filled in. It needs nothing from this app: a learner can
run it with Python alone and get the same numbers as the lab (a test runs it and compares).

No Qt and no text for learners: the script is code, its comments are English like the rest of the code tab. The
constants are written from the engine's own values, so the script and the lab cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from labs.smart_city.farm import container as ct
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm import lettuce as lt

if TYPE_CHECKING:
    from labs.smart_city.farm_workspace import FarmWorkspace

_MODEL = '''\
# Container farm: what you did in the lab, as a script you can run with plain Python.
# Crop: E. J. Van Henten's lettuce model (Agricultural Systems 45, 1994, 55-72; parameters of Van Henten and
# Van Straten, J. Agric. Eng. Res. 59, 1994). Electricity: a 40-foot container in Seoul's climate (the lab's
# engine README lists every assumption and its source).
import itertools
import math

# Van Henten's parameters (per second, per m2 of cultivation area)
P = {params}


def rates(x_sdw, x_nsdw, par, co2, temp):
    """Growth of the structural and the non-structural dry weight (g m-2 s-1)."""
    r_gr = (P["c_gr_max"] * x_nsdw / (P["c_gamma"] * x_sdw + x_nsdw) * P["c_q10_gr"] ** ((temp - 20) / 10)
            if x_nsdw > 0 else 0.0)
    f_resp = ((P["c_resp_sht"] * (1 - P["c_tau"]) + P["c_resp_rt"] * P["c_tau"]) * x_sdw
              * P["c_q10_resp"] ** ((temp - 25) / 10))
    gamma = P["c_Gamma"] * P["c_q10_Gamma"] ** ((temp - 20) / 10)  # CO2 compensation point, ppm
    f_max = 0.0
    if par > 0 and co2 > gamma:
        eps = P["c_eps"] * (co2 - gamma) / (co2 + 2 * gamma)  # light use efficiency
        g_car = P["c_car1"] * temp ** 2 + P["c_car2"] * temp + P["c_car3"]
        g = 1 / (1 / P["g_bnd"] + 1 / P["g_stm"] + 1 / g_car) if g_car > 0 else 0.0
        light, carbon = eps * par, g * P["c_omega"] * (co2 - gamma)
        f_max = light * carbon / (light + carbon) if light + carbon > 0 else 0.0
    f_phot = (1 - math.exp(-P["c_k"] * P["c_lar"] * (1 - P["c_tau"]) * x_sdw)) * f_max
    growth = r_gr * x_sdw
    return growth, P["c_alpha"] * f_phot - growth - f_resp - (1 - P["c_beta"]) / P["c_beta"] * growth


def grow_one_day(x, ppfd, hours, t_day, t_night, co2, step=1800.0):
    """One day in steps of half an hour: the lights on for `hours` at `ppfd` (umol m-2 s-1) first, then dark."""
    x_sdw, x_nsdw = x
    par = ppfd / {umol_per_j}  # W m-2 of PAR
    light_steps = int(round(hours * 3600 / step))
    for i in range(int(round(86400 / step))):
        lit = i < light_steps
        d_sdw, d_nsdw = rates(x_sdw, x_nsdw, par if lit else 0.0, co2, t_day if lit else t_night)
        x_sdw, x_nsdw = max(x_sdw + d_sdw * step, 0.0), max(x_nsdw + d_nsdw * step, 0.0)
    return x_sdw, x_nsdw


# The container: lit area (m2), volume (m3), surface (m2), U (W m-2 K-1), air changes an hour, LED efficacy
# (umol J-1), fans and pumps (W m-2), the heat pump's COP for cooling and heating; Seoul's monthly mean air
# temperatures (degC).
AREA, VOLUME, SURFACE, U, ACH = {area!r}, {volume!r}, {surface!r}, {u!r}, {ach!r}
EFFICACY, AUX_W_M2, COP_COOL, COP_HEAT = {efficacy!r}, {aux!r}, {cop_cool!r}, {cop_heat!r}
SEOUL = {seoul!r}
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
UA = U * SURFACE + ACH * VOLUME * {rho_cp!r} / 3600  # W K-1: walls and leaks


def year_electricity(ppfd, hours, t_day, t_night):
    """kWh a year: (lights, heat pump, fans and pumps). Every watt used inside becomes heat; the heat pump removes
    it with what the walls let in, or adds heat on cold nights."""
    light_w, aux_w = ppfd * AREA / EFFICACY, AUX_W_M2 * AREA
    lights = hvac = aux = 0.0
    for outdoor, days in zip(SEOUL, MONTH_DAYS):
        for h, inside_w, temp in ((hours, light_w + aux_w, t_day), (24 - hours, aux_w, t_night)):
            q = inside_w + UA * (outdoor - temp)
            hvac += (q / COP_COOL if q > 0 else -q / COP_HEAT) * h * days / 1000
        lights += light_w * hours * days / 1000
        aux += aux_w * 24 * days / 1000
    return lights, hvac, aux


# The farm: heads per m2, a seedling's dry weight (g), harvest weight (g fresh), g dry per g fresh, days to replant
DENSITY, SEEDLING, STRUCTURAL, HEAD_FW, DRY_MATTER, TURNAROUND, MAX_DAYS = \\
    {density!r}, {seedling!r}, {structural!r}, {head!r}, {dry!r}, {turnaround!r}, {max_days!r}


def head_weight(x):
    return (1 - P["c_tau"]) * sum(x) / DRY_MATTER / DENSITY


def grow(ppfd, hours, t_day, t_night, co2):
    """Days from transplanting to the harvest weight, the head's weight that day, and the curve (g m-2 a day)."""
    start = SEEDLING * DENSITY
    x = (STRUCTURAL * start, (1 - STRUCTURAL) * start)
    curve = [sum(x)]
    for day in range(1, MAX_DAYS + 1):
        x = grow_one_day(x, ppfd, hours, t_day, t_night, co2)
        curve.append(sum(x))
        if head_weight(x) >= HEAD_FW:
            return day, head_weight(x), curve
    return None, head_weight(x), curve


def farm(ppfd, hours, t_day, t_night, co2):
    """What a year with these setpoints gives."""
    days, head, curve = grow(ppfd, hours, t_day, t_night, co2)
    lights, hvac, aux = year_electricity(ppfd, hours, t_day, t_night)
    harvests = 365 / (days + TURNAROUND) if days else 0.0
    kg_per_m2 = harvests * DENSITY * head / 1000
    kwh = lights + hvac + aux
    return {{"days": days, "head_g": head, "harvests": harvests, "kg_per_m2": kg_per_m2, "kwh": kwh,
            "lights_kwh": lights, "kwh_per_kg": kwh / (kg_per_m2 * AREA) if kg_per_m2 else math.inf,
            "curve": curve}}


def show(title, r):
    print(f"{{title}}: harvest on day {{r['days']}}, {{r['harvests']:.1f}} harvests a year, "
          f"{{r['kg_per_m2']:.0f}} kg per m2 a year, {{r['kwh']:,.0f}} kWh a year, {{r['kwh_per_kg']:.1f}} kWh per kg")
'''

_START = '''
# 1. The starting setpoints (a greenhouse habit): light umol m-2 s-1, hours, day and night degC, CO2 ppm
START = {start}
start = farm(*START)
show("starting setpoints", start)
print("dry weight, g per m2, every 7 days:", [round(w) for w in start["curve"][::7]])
'''

_PLAN = '''
# 2. Your setpoints{note}
BUDGET = {budget!r}  # kWh of electricity a year
MINE = {mine}
plan = farm(*MINE)
show("your setpoints", plan)
print("within the budget" if plan["kwh"] <= BUDGET else f"over the budget by {{plan['kwh'] - BUDGET:,.0f}} kWh")
'''

_PLAN_OUT_OF_RANGE = '''
# 2. Your setpoints {mine} are outside the range the lab's model is built for: bring them back in the lab.
'''

_SEARCH = '''
# 3. The computer's search: every combination of the grid (nights {night_drop:g} degC cooler than days), skipping
# those outside what lettuce tolerates; for each budget the one with the most kg per m2 a year
GRID = {grid}
BUDGETS = {budgets}


def risky(ppfd, hours, t_day, co2):
    return t_day > 26 or ppfd > 500 or co2 > 1500 or hours > 20


def best_by_budget(co2_levels):
    tried = []
    for ppfd, hours, t_day, co2 in itertools.product(GRID["ppfd"], GRID["photoperiod"], GRID["temp_day"], co2_levels):
        if risky(ppfd, hours, t_day, co2) or sum(year_electricity(ppfd, hours, t_day, t_day - {night_drop:g})) > \\
                max(BUDGETS):
            continue
        r = farm(ppfd, hours, t_day, t_day - {night_drop:g}, co2)
        if r["days"] is not None:
            tried.append(((ppfd, hours, t_day, t_day - {night_drop:g}, co2), r))
    best = {{}}
    for budget in BUDGETS:
        fits = [(s, r) for s, r in tried if r["kwh"] <= budget]
        # the most kg per m2; ties: fewer kWh per kg, then the first in the grid's order
        best[budget] = max(fits, key=lambda sr: (sr[1]["kg_per_m2"], -sr[1]["kwh_per_kg"]),
                           default=None) if fits else None
    return best


for label, levels in {searches}:
    best = best_by_budget(levels)
    reach = next((b for b in BUDGETS if best[b] and best[b][1]["harvests"] >= 13), None)
    print(f"search {{label}}: 13 harvests a year need {{reach:,.0f}} kWh a year" if reach else
          f"search {{label}}: no budget reaches 13 harvests a year")
    for budget in BUDGETS:
        if best[budget]:
            s, r = best[budget]
            print(f"  {{budget:>8,.0f}} kWh: {{s}} -> {{r['harvests']:.1f}} harvests, {{r['kg_per_m2']:.0f}} kg per m2")
    if label == "with CO2":
        search_with_co2 = best
    else:
        search_without_co2 = best
'''


def _params() -> str:
    values = {f.name: getattr(lt.DEFAULT, f.name) for f in fields(lt.LettuceParams)}
    return "{\n" + "".join(f"    {name!r}: {value!r},\n" for name, value in values.items()) + "}"


def _setpoints(setpoints: fm.Setpoints) -> str:
    return "(" + ", ".join(f"{v:g}" for v in (setpoints.ppfd, setpoints.photoperiod, setpoints.temp_day,
                                              setpoints.temp_night, setpoints.co2_ppm)) + ")"


def script(workspace: FarmWorkspace) -> str:
    """The script of the learner's work so far: the model and the starting setpoints always; the learner's own
    setpoints once they differ from the start or were grown; the searches the learner ran."""
    from labs.smart_city.farm_workspace import BUDGET_KWH, CONTAINER, START, SWEEP_BUDGETS, out_of_range

    box = CONTAINER
    parts = [_MODEL.format(params=_params(), umol_per_j=lt.UMOL_PER_J_PAR, area=box.area_m2, volume=box.volume_m3,
                           surface=box.surface_m2, u=box.u_value, ach=box.air_changes, efficacy=box.led_efficacy,
                           aux=box.aux_w_per_m2, cop_cool=box.cop_cool, cop_heat=box.cop_heat,
                           seoul=ct.SEOUL_MONTHLY_TEMP, rho_cp=ct.AIR_RHO_CP, density=fm.DENSITY,
                           seedling=fm.SEEDLING_DW_G, structural=fm.STRUCTURAL_SHARE, head=fm.HEAD_FW_G,
                           dry=fm.SHOOT_DRY_MATTER, turnaround=fm.TURNAROUND_DAYS, max_days=fm.MAX_DAYS),
             _START.format(start=_setpoints(START))]
    setpoints = workspace.setpoints
    if out_of_range(setpoints):
        parts.append(_PLAN_OUT_OF_RANGE.format(mine=_setpoints(setpoints)))
    else:
        note = "" if workspace.plan_is_current() else " (not grown in the lab yet)"
        parts.append(_PLAN.format(note=note, budget=BUDGET_KWH, mine=_setpoints(setpoints)))
    searches = [(label, levels) for co2, label, levels in
                ((True, "with CO2", fm.GRID["co2_ppm"]), (False, "without CO2", (420,))) if co2 in workspace.sweeps]
    if searches:
        grid = {k: fm.GRID[k] for k in ("ppfd", "photoperiod", "temp_day")}
        parts.append(_SEARCH.format(night_drop=fm.NIGHT_DROP, grid=repr(grid),
                                    budgets=repr(tuple(int(b) for b in SWEEP_BUDGETS)), searches=repr(searches)))
    return "".join(parts)
