"""Small pieces the traffic lab's tabs share: labels, the level-of-service colours and their legend."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.panel_widgets import cell, error_label, wrapping  # noqa: F401 - the tabs import them from here
from labs.smart_city.traffic_workspace import LOS_LETTERS, LOS_LIMITS

# Levels of service A..F: green to red as traffic engineers draw them; the letter is always written beside the
# colour, so nothing is said by colour alone.
LOS_COLOURS = tuple(QColor(c) for c in ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027"))
LOS_TEXT = tuple(QColor(c) for c in ("#ffffff", "#111111", "#111111", "#111111", "#111111", "#ffffff"))
NO_DATA = QColor("#b8b8b8")


def los_range(index: int) -> str:
    letter = LOS_LETTERS[index]
    if index < len(LOS_LIMITS):
        # TRANSLATORS: a level of service in the map's legend, e.g. "C: up to 35 s" (delay per vehicle).
        return _("{letter}: up to {seconds} s").format(letter=letter, seconds=f"{LOS_LIMITS[index][0]:g}")
    # TRANSLATORS: the worst level of service in the map's legend, e.g. "F: over 80 s".
    return _("{letter}: over {seconds} s").format(letter=letter, seconds=f"{LOS_LIMITS[-1][0]:g}")


class Legend(QWidget):
    """The levels of service as coloured swatches, each with its letter and its range in words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        outer.addWidget(wrapping(_("On the maps, the colour of a junction and of each of its arms is the delay per "
                                   "vehicle there, as a level of service from A to F. The number at the end of an "
                                   "arm is the vehicles waiting, and the arm grows with the queue.")))
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        self.swatches: list[QLabel] = []
        for index, colour in enumerate(LOS_COLOURS):
            swatch = QLabel(los_range(index))
            swatch.setStyleSheet(f"background: {colour.name()}; color: {LOS_TEXT[index].name()}; "
                                 "padding: 2px 6px; border: 1px solid #555;")
            swatch.setAccessibleName(los_range(index))
            layout.addWidget(swatch)
            self.swatches.append(swatch)
        layout.addStretch(1)
        self.setAccessibleName(_("Legend of the maps"))
