"""A shipping-container farm's electricity: LED lighting, heating and cooling (HVAC), fans and pumps; and its CO2.

Lighting (exact, given the fixture's efficacy):

    P_light = PPFD x A / eta          (W; PPFD in umol m-2 s-1, A the lit cultivation area in m2, eta in umol J-1)
    E_light = P_light x photoperiod   (Wh a day)

eta = 2.7 umol J-1 is a good current LED fixture (Kusuma, Pattison and Bugbee, "From physics to fixtures to food:
current and potential LED efficacy", Horticulture Research 7:56, 2020, measured fixtures up to about 3 umol J-1);
older fixtures give about 1.7.

HVAC (approximate, documented): a closed container is a heat balance. Every watt of electricity used inside (the
LEDs, fans, pumps) ends up as heat in the air, and part of it drives the plants' transpiration; the cooling coil
has to remove both the sensible heat and the latent heat of the water it condenses, and in steady state their
sum equals the electrical input plus what the walls let in (the energy balance used for plant factories by
Graamans et al., "Plant factories versus greenhouses: comparison of resource use efficiency", Agricultural
Systems 160 (2018) 31-43). So for the lights-on and the lights-off part of the day:

    Q = P_inside + UA (T_out - T_in)          (W; UA = walls' U x area + leakage air x rho c_p)
    cooling electricity = Q / COP_cool  if Q > 0;   heating electricity = -Q / COP_heat  if Q < 0

with T_out Seoul's monthly mean outdoor temperature (Korea Meteorological Administration climate normals
1991-2020, rounded), U = 0.35 W m-2 K-1 for 100 mm insulated panels, 0.3 air changes an hour of leakage,
COP 3.0 cooling and 2.5 heating (an air-source heat pump). The part of the light stored in the crop (a few
per cent) is ignored, which errs on the side of more cooling.

CO2: the leakage replaced by outside air carries CO2 away: kg a day = ACH x V x (C_in - C_out) x 24 x 1.83e-6
(kg m-3 ppm-1), plus what the crop fixes: 1.83 g CO2 per g of dry matter grown (44/30 g CO2 per g of sugar,
divided by the model's yield factor 0.8). Bottled CO2 is not electricity; it is reported, not added to the kWh.
The Seoul temperatures are rounded approximations of the normals; check them before quoting them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Seoul, monthly mean air temperature, degC (KMA normals 1991-2020, rounded), January..December.
SEOUL_MONTHLY_TEMP = (-2.0, 0.7, 6.1, 12.6, 17.9, 22.2, 25.3, 26.1, 21.6, 14.9, 7.5, 0.2)
AIR_RHO_CP = 1200.0  # J m-3 K-1
CO2_KG_PER_M3_PPM = 1.83e-6
OUTDOOR_CO2_PPM = 420.0
CO2_PER_DRY_MATTER = 1.83  # g CO2 fixed per g of dry matter grown (44/30 / 0.8)


@dataclass(frozen=True)
class Container:
    area_m2: float = 50.0  # lit cultivation area: 4 tiers of racks in a 40-foot high-cube container
    volume_m3: float = 76.0  # 12.0 x 2.35 x 2.69 m inside
    surface_m2: float = 134.0  # walls, roof and floor
    u_value: float = 0.35  # W m-2 K-1
    air_changes: float = 0.3  # per hour, leakage
    led_efficacy: float = 2.7  # umol J-1
    aux_w_per_m2: float = 12.0  # fans, pumps, controls: W per m2 of cultivation area, all day
    cop_cool: float = 3.0
    cop_heat: float = 2.5

    @property
    def ua(self) -> float:
        """W K-1: conduction through the walls plus the leakage air."""
        return self.u_value * self.surface_m2 + self.air_changes * self.volume_m3 * AIR_RHO_CP / 3600.0


@dataclass(frozen=True)
class DayEnergy:
    lighting_kwh: float
    cooling_kwh: float
    heating_kwh: float
    aux_kwh: float

    @property
    def hvac_kwh(self) -> float:
        return self.cooling_kwh + self.heating_kwh

    @property
    def total_kwh(self) -> float:
        return self.lighting_kwh + self.cooling_kwh + self.heating_kwh + self.aux_kwh


def light_power_w(ppfd: float, container: Container = Container()) -> float:
    return ppfd * container.area_m2 / container.led_efficacy


def day_energy(ppfd: float, photoperiod: float, temp_day: float, temp_night: float, outdoor: float,
               container: Container = Container()) -> DayEnergy:
    """One day's electricity (kWh) at an outdoor temperature `outdoor` (degC)."""
    light_w = light_power_w(ppfd, container)
    aux_w = container.aux_w_per_m2 * container.area_m2
    cooling = heating = 0.0
    for hours, inside_w, temp in ((photoperiod, light_w + aux_w, temp_day), (24.0 - photoperiod, aux_w, temp_night)):
        q = inside_w + container.ua * (outdoor - temp)
        if q > 0:
            cooling += q / container.cop_cool * hours
        else:
            heating += -q / container.cop_heat * hours
    return DayEnergy(light_w * photoperiod / 1000.0, cooling / 1000.0, heating / 1000.0, aux_w * 24.0 / 1000.0)


def year_energy(ppfd: float, photoperiod: float, temp_day: float, temp_night: float,
                container: Container = Container(), climate: tuple[float, ...] = SEOUL_MONTHLY_TEMP) -> DayEnergy:
    """A year's electricity (kWh), month by month at the monthly mean outdoor temperature (365 days)."""
    days = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    parts = [day_energy(ppfd, photoperiod, temp_day, temp_night, t, container) for t in climate]
    return DayEnergy(*(sum(getattr(p, f) * n for p, n in zip(parts, days))
                       for f in ("lighting_kwh", "cooling_kwh", "heating_kwh", "aux_kwh")))


def co2_kg_per_day(co2_ppm: float, dry_matter_g_per_day: float, container: Container = Container()) -> float:
    """Bottled CO2 to hold the setpoint: leakage plus what the crop fixes (kg a day)."""
    leak = container.air_changes * container.volume_m3 * max(co2_ppm - OUTDOOR_CO2_PPM, 0.0) * 24.0 * CO2_KG_PER_M3_PPM
    return leak + CO2_PER_DRY_MATTER * dry_matter_g_per_day / 1000.0
