"""Which labs this build ships. A course manifest names a lab by id (`lab: data_analysis/open-data`);
the definition module is imported only when the lab is opened or listed, so start-up stays light.
"""

from __future__ import annotations

import importlib

from labs.framework import LabDefinition

# id -> module defining LAB. Named here (not discovered) so PyInstaller's analysis sees each module.
LABS: dict[str, str] = {
    "data_analysis/open-data": "labs.data_analysis.open_data",
    "machine_learning/no-code": "labs.machine_learning.no_code",
    "automation/paperwork": "labs.automation.paperwork",
    "chatbot/consultation": "labs.chatbot.consultation",
    "smart_city/traffic-signals": "labs.smart_city.traffic_lab",
    "smart_city/elder-care": "labs.smart_city.care_lab",
    "smart_city/air-quality": "labs.smart_city.air_lab",
    "smart_city/plant-energy": "labs.smart_city.energy_lab",
    "smart_city/container-farm": "labs.smart_city.farm_lab",
}


def lab_ids() -> tuple[str, ...]:
    return tuple(LABS)


def load_lab(lab_id: str) -> LabDefinition:
    """The definition of a shipped lab; KeyError for an id this build does not ship."""
    module = importlib.import_module(LABS[lab_id])
    lab: LabDefinition = module.LAB
    assert lab.id == lab_id, f"{LABS[lab_id]} defines {lab.id}, registered as {lab_id}"
    return lab
