"""Van Henten's (1994) dynamic lettuce growth model: two states, driven by light, CO2 and temperature.

Source: E. J. Van Henten, "Validation of a dynamic lettuce growth model for greenhouse climate control",
Agricultural Systems 45 (1994) 55-72; the parameter values are those of E. J. Van Henten and G. Van Straten,
"Sensitivity analysis of a dynamic growth model of lettuce", Journal of Agricultural Engineering Research 59
(1994) 19-31, and of Van Henten's thesis, "Greenhouse climate management: an optimal control approach",
Wageningen, 1994 (which also gives the one-state reduction checked in the tests).

States, per m2 of cultivation area: X_sdw, the structural dry weight (leaves, stems, roots: what is built), and
X_nsdw, the non-structural dry weight (sugars and starch waiting to be used), both in g m-2. Inputs: U_par the
photosynthetically active radiation at the crop (W m-2), U_co2 the CO2 concentration (ppm), U_T the air
temperature (degC). Rates per second:

    dX_sdw/dt  = r_gr X_sdw
    dX_nsdw/dt = c_alpha f_phot - r_gr X_sdw - f_resp - (1 - c_beta) / c_beta r_gr X_sdw

    r_gr    = c_gr,max X_nsdw / (c_gamma X_sdw + X_nsdw) c_Q10,gr^((U_T - 20) / 10)        growth
    f_resp  = (c_resp,sht (1 - c_tau) X_sdw + c_resp,rt c_tau X_sdw) c_Q10,resp^((U_T - 25)/10)   maintenance
    f_phot  = (1 - exp(-c_K c_lar (1 - c_tau) X_sdw)) f_phot,max                            canopy photosynthesis
    f_phot,max = eps U_par g_co2 c_omega (U_co2 - Gamma) / (eps U_par + g_co2 c_omega (U_co2 - Gamma))
    Gamma   = c_Gamma c_Q10,Gamma^((U_T - 20) / 10)                                          CO2 compensation point
    eps     = c_eps (U_co2 - Gamma) / (U_co2 + 2 Gamma)                                      light use efficiency
    g_co2   = 1 / (1 / g_bnd + 1 / g_stm + 1 / g_car),  g_car = c_car1 U_T^2 + c_car2 U_T + c_car3

c_alpha converts assimilated CO2 into sugar (30/44); c_beta is the yield of structure from sugar; the canopy
intercepts light through a leaf area of c_lar per g of shoot structure; a crop that runs out of sugars stops
growing and still pays maintenance respiration.

Light: the model takes PAR in W m-2; a PPFD in umol m-2 s-1 is converted with 4.57 umol per J (McCree's factor
for daylight; white horticultural LEDs are close to it).

Some secondary implementations print other values for g_bnd, g_stm, c_tau and c_gamma; the ones here agree with
the thesis's one-state reduction (c_alpha c_beta = 0.544; the dark respiration c_beta (c_resp,sht (1 - c_tau) +
c_resp,rt c_tau) = 2.65e-7 s-1 needs c_tau = 0.07; the compensation point 5.2e-5 kg m-3 is Gamma at 15 degC times
c_omega), which the tests check. The model knows nothing of tipburn, bolting or light injury: the limits on
the setpoints (farm.py) come from the horticultural literature, not from this model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

UMOL_PER_J_PAR = 4.57  # umol of PAR photons per J of PAR energy (McCree 1972)


@dataclass(frozen=True)
class LettuceParams:
    c_alpha: float = 0.68  # g CH2O per g CO2 (30/44)
    c_beta: float = 0.8  # yield factor, structural dry matter from sugars
    c_gr_max: float = 5e-6  # s-1, saturated growth rate at 20 degC
    c_gamma: float = 1.0  # growth rate coefficient
    c_q10_gr: float = 1.6
    c_resp_sht: float = 3.47e-7  # s-1, shoot maintenance respiration at 25 degC
    c_resp_rt: float = 1.16e-7  # s-1, root maintenance respiration at 25 degC
    c_tau: float = 0.07  # root share of the dry matter
    c_q10_resp: float = 2.0
    c_k: float = 0.9  # light extinction coefficient
    c_lar: float = 75e-3  # m2 of leaf per g of shoot structure
    c_omega: float = 1.83e-3  # g m-3 ppm-1, density of CO2 in air
    c_Gamma: float = 40.0  # ppm, CO2 compensation point at 20 degC
    c_q10_Gamma: float = 2.0
    c_eps: float = 17e-6  # g CO2 per J of PAR, light use efficiency at high CO2
    g_bnd: float = 0.007  # m s-1, boundary layer conductance
    g_stm: float = 0.005  # m s-1, stomatal conductance
    c_car1: float = -1.32e-5  # m s-1 degC-2
    c_car2: float = 5.94e-4  # m s-1 degC-1
    c_car3: float = -2.64e-3  # m s-1


DEFAULT = LettuceParams()


def compensation_point(temp: float, p: LettuceParams = DEFAULT) -> float:
    """Gamma, ppm."""
    return p.c_Gamma * p.c_q10_Gamma ** ((temp - 20.0) / 10.0)


def canopy_conductance(temp: float, p: LettuceParams = DEFAULT) -> float:
    """g_co2, m s-1 (falls to 0 where the carboxylation conductance would be negative)."""
    g_car = p.c_car1 * temp * temp + p.c_car2 * temp + p.c_car3
    if g_car <= 0:
        return 0.0
    return 1.0 / (1.0 / p.g_bnd + 1.0 / p.g_stm + 1.0 / g_car)


def max_photosynthesis(par_w: float, co2_ppm: float, temp: float, p: LettuceParams = DEFAULT) -> float:
    """f_phot,max: gross CO2 assimilation of a closed canopy, g CO2 m-2 s-1."""
    gamma = compensation_point(temp, p)
    if par_w <= 0 or co2_ppm <= gamma:
        return 0.0
    eps = p.c_eps * (co2_ppm - gamma) / (co2_ppm + 2.0 * gamma)
    light = eps * par_w
    carbon = canopy_conductance(temp, p) * p.c_omega * (co2_ppm - gamma)
    if light + carbon <= 0:
        return 0.0
    return light * carbon / (light + carbon)


def rates(x_sdw: float, x_nsdw: float, par_w: float, co2_ppm: float, temp: float,
          p: LettuceParams = DEFAULT) -> tuple[float, float]:
    """(dX_sdw/dt, dX_nsdw/dt) in g m-2 s-1."""
    r_gr = p.c_gr_max * x_nsdw / (p.c_gamma * x_sdw + x_nsdw) * p.c_q10_gr ** ((temp - 20.0) / 10.0) \
        if x_nsdw > 0 else 0.0
    f_resp = (p.c_resp_sht * (1 - p.c_tau) + p.c_resp_rt * p.c_tau) * x_sdw * p.c_q10_resp ** ((temp - 25.0) / 10.0)
    f_phot = (1.0 - math.exp(-p.c_k * p.c_lar * (1 - p.c_tau) * x_sdw)) * max_photosynthesis(par_w, co2_ppm, temp, p)
    growth = r_gr * x_sdw
    return growth, p.c_alpha * f_phot - growth - f_resp - (1 - p.c_beta) / p.c_beta * growth


def ppfd_to_par(ppfd: float) -> float:
    """umol m-2 s-1 of PAR photons -> W m-2 of PAR."""
    return ppfd / UMOL_PER_J_PAR


@dataclass(frozen=True)
class Climate:
    """The crop's climate over a day: lights on for `photoperiod` hours at `ppfd` and `temp_day`, then dark."""

    ppfd: float  # umol m-2 s-1 at the crop while the lights are on
    photoperiod: float  # hours of light a day
    temp_day: float  # degC, lights on
    temp_night: float  # degC, lights off
    co2_ppm: float


def grow(climate: Climate, days: int, x0: tuple[float, float], p: LettuceParams = DEFAULT,
         step_s: float = 900.0) -> list[tuple[float, float]]:
    """The states (X_sdw, X_nsdw) at the end of each day, from x0, by explicit Euler steps of 15 minutes
    (the rates change little in 15 minutes; halving the step changes a 30-day crop by well under 1 %)."""
    par = ppfd_to_par(climate.ppfd)
    steps = int(round(86400 / step_s))
    light_steps = int(round(climate.photoperiod * 3600 / step_s))
    x_sdw, x_nsdw = x0
    out = []
    for _day in range(days):
        for step in range(steps):
            lit = step < light_steps
            d_sdw, d_nsdw = rates(x_sdw, x_nsdw, par if lit else 0.0, climate.co2_ppm,
                                  climate.temp_day if lit else climate.temp_night, p)
            x_sdw = max(x_sdw + d_sdw * step_s, 0.0)
            x_nsdw = max(x_nsdw + d_nsdw * step_s, 0.0)
        out.append((x_sdw, x_nsdw))
    return out


def reduced_parameters(p: LettuceParams = DEFAULT) -> dict[str, float]:
    """The one-state model's lumped parameters as they follow from the two-state ones (Van Henten 1994, thesis):
    c_alpha_beta (g dry matter per g CO2), c_resp_d (s-1, at 25 degC, in structure-equivalent terms) and c_Gamma
    (kg m-3, the compensation point at 15 degC times the CO2 density)."""
    return {"c_alpha_beta": p.c_alpha * p.c_beta,
            "c_resp_d": p.c_beta * (p.c_resp_sht * (1 - p.c_tau) + p.c_resp_rt * p.c_tau),
            "c_Gamma_kg_m3": compensation_point(15.0, p) * p.c_omega / 1000.0}
