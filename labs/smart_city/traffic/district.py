"""A small district of signalised intersections: six junctions on a 3 x 2 grid, each with two phases.

Two east-west arterials (Harbour Road to the north, Main Street to the south; two lanes each way) cross three
north-south streets (one lane each way). Every junction runs two phases: phase 0 serves the north and south
approaches, phase 1 the east and west approaches. The numbers are invented but typical of an urban grid; the
assumptions are written next to each constant and in README.md:

- saturation flow: 1,800 veh/h per through lane on the arterials, 1,750 veh/h on the single-lane cross streets
  (turning vehicles share the lane), i.e. the flow a queue discharges at during green;
- lost time per phase l = 3 s (start-up lost time plus the unused end of the amber) and an all-red of 2 s at
  each of the two phase changes, so R = 4 s and L = n l + R = 10 s;
- daily volumes per approach (veh/day) chosen so the busiest junction, Station Square, is close to capacity in
  the evening peak and the others run at 50-80 % of it; `demand.py` turns them into hourly volumes;
- links: 400 m between junctions along the arterials and 300 m along the cross streets, driven at about
  40 km/h (11 m/s) between queues, i.e. 36 s and 27 s;
- a schematic layout in metres (x to the east, y to the south, as a screen draws), for a later screen to draw
  the junctions, the approaches and their queues; no map tiles.

The engine holds no text for learners: junctions have ids only. The names the lab will show (H1 Harbour Gate,
H2 Market Cross, H3 Hospital Junction, M1 School Corner, M2 Station Square, M3 City Hall) belong to the lab
definition, marked with N_() when it is written, so that the translation catalogs are regenerated with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from labs.smart_city.traffic.webster import lost_time

NORTH_SOUTH, EAST_WEST = 0, 1  # phase numbers
APPROACH_PHASE = {"N": NORTH_SOUTH, "S": NORTH_SOUTH, "E": EAST_WEST, "W": EAST_WEST}
# Where each approach's traffic comes from, as a unit vector in layout coordinates (y grows to the south):
# traffic on the north approach drives south.
APPROACH_DIRECTION = {"N": (0, -1), "S": (0, 1), "E": (1, 0), "W": (-1, 0)}

COMMUTER, LOCAL = "commuter", "local"  # hourly profiles, see demand.py

ARTERIAL_LANE_SATURATION = 1800.0  # veh/h per through lane
CROSS_STREET_SATURATION = 1750.0  # veh/h for a single lane shared by turning vehicles
LOST_PER_PHASE = 3.0  # s
ALL_RED = 4.0  # s per cycle: 2 s at each of the two phase changes
DISTRICT_MIN_CYCLE = 30.0  # s
DISTRICT_MAX_CYCLE = 120.0  # s: the city's practice on a grid with 400 m blocks (Webster's formula allows 180)
MIN_GREEN = 7.0  # s of effective green for every phase: time for pedestrians to start crossing
LINK_SPEED = 11.1  # m/s, about 40 km/h between queues


@dataclass(frozen=True)
class Approach:
    """One arm of a junction: the traffic arriving from one side."""

    id: str  # "N", "S", "E" or "W": the side the traffic arrives from
    lanes: int
    saturation_flow: float  # veh/h for the whole approach (its critical lane group)
    daily_volume: float  # veh/day on a typical weekday
    profile: str  # COMMUTER or LOCAL: which hourly shape its demand follows

    @property
    def phase(self) -> int:
        return APPROACH_PHASE[self.id]


@dataclass(frozen=True)
class Intersection:
    id: str  # "H1".."H3" on Harbour Road, "M1".."M3" on Main Street, west to east
    x: float  # m, schematic layout
    y: float  # m
    approaches: tuple[Approach, ...]
    lost_per_phase: float = LOST_PER_PHASE
    all_red: float = ALL_RED
    phases: int = 2

    @property
    def lost_time(self) -> float:
        """L = n l + R, s."""
        return lost_time(self.phases, self.lost_per_phase, self.all_red)

    def approach(self, approach_id: str) -> Approach:
        for approach in self.approaches:
            if approach.id == approach_id:
                return approach
        raise KeyError(approach_id)


@dataclass(frozen=True)
class Link:
    """A street section between two neighbouring junctions (both directions)."""

    a: str  # intersection ids
    b: str
    length: float  # m
    travel_time: float  # s at LINK_SPEED, without signal delay


@dataclass(frozen=True)
class District:
    intersections: tuple[Intersection, ...]
    links: tuple[Link, ...]
    min_cycle: float = DISTRICT_MIN_CYCLE
    max_cycle: float = DISTRICT_MAX_CYCLE
    min_green: float = MIN_GREEN

    def intersection(self, intersection_id: str) -> Intersection:
        for intersection in self.intersections:
            if intersection.id == intersection_id:
                return intersection
        raise KeyError(intersection_id)

    def approach_keys(self) -> tuple[tuple[str, str], ...]:
        """(intersection id, approach id) for every approach, in a stable order."""
        return tuple((i.id, a.id) for i in self.intersections for a in i.approaches)

    def link(self, a: str, b: str) -> Link:
        for link in self.links:
            if {link.a, link.b} == {a, b}:
                return link
        raise KeyError((a, b))


def _arterial(side: str, daily: float) -> Approach:
    return Approach(side, 2, 2 * ARTERIAL_LANE_SATURATION, daily, COMMUTER)


def _cross(side: str, daily: float) -> Approach:
    return Approach(side, 1, CROSS_STREET_SATURATION, daily, LOCAL)


def _junction(junction_id: str, column: int, row: int, north: float, south: float, east: float,
              west: float) -> Intersection:
    return Intersection(junction_id, 400.0 * column, 300.0 * row,
                        (_cross("N", north), _cross("S", south), _arterial("E", east), _arterial("W", west)))


def sample_district() -> District:
    """The lab's district: Harbour Road (H1-H3) to the north, Main Street (M1-M3) to the south.

    Daily volumes (veh/day, typical weekday) per approach, north/south/east/west:
    Station Square (M2) is the busy one: the evening peak brings it to capacity.
    """
    junctions = (
        _junction("H1", 0, 0, 5000, 4000, 15000, 16000),
        _junction("H2", 1, 0, 7000, 8000, 17000, 18000),
        _junction("H3", 2, 0, 6000, 6500, 14000, 15000),
        _junction("M1", 0, 1, 6000, 5500, 16000, 17000),
        _junction("M2", 1, 1, 12000, 9500, 23000, 20000),
        _junction("M3", 2, 1, 8500, 9000, 19000, 18000),
    )
    links = []
    for a, b in (("H1", "H2"), ("H2", "H3"), ("M1", "M2"), ("M2", "M3"), ("H1", "M1"), ("H2", "M2"),
                 ("H3", "M3")):
        ja, jb = next(j for j in junctions if j.id == a), next(j for j in junctions if j.id == b)
        length = abs(ja.x - jb.x) + abs(ja.y - jb.y)
        links.append(Link(a, b, length, round(length / LINK_SPEED, 1)))
    return District(junctions, tuple(links))
