"""The district as a schematic map drawn with Qt's graphics view: streets, six junctions and their approaches,
coloured by delay and lengthened by queues, one 15-minute period at a time.

The map is built once; `show_frame(frames, index)` only recolours the junctions and arms, moves the arms' ends and
changes a few labels, so an animation over the day costs little per frame. Positions come from the engine's
layout in metres (x to the east, y to the south); the map keeps them in every language (a map is not mirrored in a
right-to-left window), while its labels are written in the learner's language and keep their size when the map is
scaled to the window.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import (QFrame, QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsView, QSizePolicy, QWidget)

from app.core.i18n import _
from labs.smart_city.traffic.district import APPROACH_DIRECTION, District
from labs.smart_city.traffic_lab import JUNCTION_NAMES, SIDE_NAMES, STREET_NAMES
from labs.smart_city.traffic_widgets.common import LOS_COLOURS, LOS_TEXT, NO_DATA
from labs.smart_city.traffic_workspace import LOS_LETTERS, Frames, level_of_service

MARGIN = 175.0  # m of street drawn beyond the outer junctions
EAST_MARGIN = 300.0  # m: more to the east, where the east column's names are written
NORTH_MARGIN = 230.0  # m: more to the north, where the northern junctions' names and delays are written
NAME_WIDTH = 84  # px: a longer junction name is written on two lines
RADIUS = 32.0  # m: a junction's disc
ARM_START = RADIUS + 4.0
ARM_MIN = 28.0  # m of arm drawn for an empty approach
METRES_PER_VEHICLE = 7.0  # a queued car and its gap, per lane
ARM_MAX = {"N": 105.0, "S": 105.0, "E": 140.0, "W": 140.0}  # m: less than half a block
STREET = QColor("#c9c4b8")
BACKGROUND = QColor("#f6f4ee")
INK = QColor("#222222")


def _label(text: str = "", size: float = 1.0, weight: bool = False) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # readable at any zoom
    item.setBrush(QBrush(INK))
    font = QFont(item.font())
    if size != 1.0:
        font.setPointSizeF(max(6.0, font.pointSizeF() * size))
    font.setBold(weight)
    item.setFont(font)
    return item


def _wrap(item: QGraphicsSimpleTextItem) -> None:
    """Break a long name at the space nearest its middle, so that neighbouring names do not meet."""
    text = item.text()
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if item.boundingRect().width() <= NAME_WIDTH or not spaces:
        return
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    item.setText(text[:middle] + "\n" + text[middle + 1:])


def _anchor(item: QGraphicsSimpleTextItem, x: float, y: float, ax: float, ay: float, shift: float = 0.0) -> None:
    """Put the point (ax, ay) of the label's box (0..1 across and down) at scene point (x, y), `shift` pixels
    higher."""
    box = item.boundingRect()
    item.setPos(x, y)
    item.setTransform(QTransform.fromTranslate(-box.width() * ax, -box.height() * ay - shift))


class DistrictView(QGraphicsView):
    def __init__(self, district: District, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.district = district
        self.title = title
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a map, not a sentence: never mirrored
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundBrush(QBrush(BACKGROUND))
        self.setMinimumSize(300, 180)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        self.setAccessibleName(title)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setScene(QGraphicsScene(self))
        self.keys = district.approach_keys()
        self.arms: list[QGraphicsLineItem] = []
        self.queue_labels: list[QGraphicsSimpleTextItem] = []
        self.discs: list[QGraphicsEllipseItem] = []
        self.letters: list[QGraphicsSimpleTextItem] = []
        self.delay_labels: list[QGraphicsSimpleTextItem] = []
        self._pens = {(lanes, level): self._arm_pen(lanes, LOS_COLOURS[level]) for lanes in (1, 2)
                      for level in range(len(LOS_COLOURS))}
        self._empty_pens = {lanes: self._arm_pen(lanes, NO_DATA) for lanes in (1, 2)}
        self._brushes = [QBrush(c) for c in LOS_COLOURS]
        self._text_brushes = [QBrush(c) for c in LOS_TEXT]
        self.frame_index: int | None = None
        self._build()

    @staticmethod
    def _arm_pen(lanes: int, colour: QColor) -> QPen:
        pen = QPen(colour, 10.0 * lanes + 4.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    # --- building ---------------------------------------------------------------------------------------------

    def _build(self) -> None:
        scene = self.scene()
        junctions = self.district.intersections
        xs = sorted({j.x for j in junctions})
        ys = sorted({j.y for j in junctions})
        left, right, top, bottom = xs[0] - MARGIN, xs[-1] + EAST_MARGIN, ys[0] - NORTH_MARGIN, ys[-1] + MARGIN
        scene.setSceneRect(QRectF(left, top, right - left, bottom - top))
        arterial = QPen(STREET, 30.0)
        cross = QPen(STREET, 20.0)
        for y in ys:
            scene.addLine(left, y, right, y, arterial)
        for x in xs:
            scene.addLine(x, top, x, bottom, cross)
        for y, prefix in zip(ys, ("H", "M")):
            label = _label(_(STREET_NAMES[prefix]), 0.85)
            label.setBrush(QBrush(QColor("#4a4a4a")))
            label.setZValue(-1)  # under the arms: a long queue matters more than the street's name
            scene.addItem(label)
            _anchor(label, (xs[0] + xs[1]) / 2, y, 0.5, 0.5)  # on the street, mid-block
        for junction in junctions:
            for approach in junction.approaches:
                arm = QGraphicsLineItem()
                arm.setPen(self._empty_pens[approach.lanes])
                arm.setData(0, approach.lanes)
                scene.addItem(arm)
                self.arms.append(arm)
                label = _label("", 0.85)
                scene.addItem(label)
                self.queue_labels.append(label)
                self._place_arm(len(self.arms) - 1, 0.0)
            disc = QGraphicsEllipseItem(junction.x - RADIUS, junction.y - RADIUS, 2 * RADIUS, 2 * RADIUS)
            pen = QPen(INK, 1.5)
            pen.setCosmetic(True)
            disc.setPen(pen)
            disc.setBrush(QBrush(NO_DATA))
            disc.setToolTip(_(JUNCTION_NAMES[junction.id]))
            scene.addItem(disc)
            self.discs.append(disc)
            letter = _label("", 1.0, weight=True)
            scene.addItem(letter)
            self.letters.append(letter)
            name = _label(_(JUNCTION_NAMES[junction.id]), 0.9, weight=True)
            _wrap(name)
            scene.addItem(name)
            # north-east of the disc, the name above the junction's delay
            delay = _label("0 s", 0.85)
            _anchor(name, junction.x + RADIUS + 6, junction.y - RADIUS - 2, 0.0, 1.0, delay.boundingRect().height())
            delay.setText("")
            scene.addItem(delay)
            self.delay_labels.append(delay)

    def _place_arm(self, k: int, queue: float) -> None:
        junction_id, side = self.keys[k]
        junction = self.district.intersection(junction_id)
        lanes = self.arms[k].data(0)
        dx, dy = APPROACH_DIRECTION[side]
        length = min(ARM_MAX[side], ARM_MIN + queue * METRES_PER_VEHICLE / lanes)
        start = QPointF(junction.x + dx * ARM_START, junction.y + dy * ARM_START)
        end = QPointF(start.x() + dx * length, start.y() + dy * length)
        self.arms[k].setLine(start.x(), start.y(), end.x(), end.y())
        label = self.queue_labels[k]
        # Beside the arm, at its end: inside the arm's length when the arm is long, past its end when it is short.
        # The north arm writes to its west, the others below or to the east of themselves: the north-east is the
        # junction's name and delay, and two arms meeting mid-block write on opposite sides of their ends.
        outward = length < 80.0
        if dx > 0:  # east arm: below it
            _anchor(label, end.x(), end.y() + 12, 0.0 if outward else 1.0, 0.0)
        elif dx < 0:  # west arm: below it, always within the arm (past its end is the next junction's)
            _anchor(label, end.x(), end.y() + 12, 0.0, 0.0)
        elif dy < 0:  # north arm: to its left
            _anchor(label, end.x() - 10, end.y(), 1.0, 1.0 if outward else 0.0)
        else:  # south arm: to its right
            _anchor(label, end.x() + 10, end.y(), 0.0, 0.0 if outward else 1.0)

    # --- showing a period ----------------------------------------------------------------------------------------

    def clear_frame(self) -> None:
        """No simulation to show: grey junctions and short arms."""
        self.frame_index = None
        for k, arm in enumerate(self.arms):
            arm.setPen(self._empty_pens[arm.data(0)])
            self._place_arm(k, 0.0)
            self.queue_labels[k].setText("")
            arm.setToolTip("")
        for j, disc in enumerate(self.discs):
            disc.setBrush(QBrush(NO_DATA))
            self.letters[j].setText("")
            self.delay_labels[j].setText("")
        self.setAccessibleDescription("")

    def show_frame(self, frames: Frames, index: int, time_text: str) -> None:
        """Colour and label the map for period `index` (0..95) of `frames`."""
        self.frame_index = index
        delays, queues = frames.approach_delay[index], frames.approach_queue[index]
        for k, arm in enumerate(self.arms):
            level = level_of_service(delays[k])
            arm.setPen(self._pens[(arm.data(0), level)])
            self._place_arm(k, queues[k])
            self.queue_labels[k].setText(f"{queues[k]:,.0f}")
            junction_id, side = self.keys[k]
            arm.setToolTip(_("{junction}, {side}: {delay} s per vehicle (level {level}), {queue} vehicles "
                             "waiting").format(junction=_(JUNCTION_NAMES[junction_id]), side=_(SIDE_NAMES[side]),
                                               delay=f"{delays[k]:,.0f}", level=LOS_LETTERS[level],
                                               queue=f"{queues[k]:,.0f}"))
        worst = 0
        junction_delays = frames.junction_delay[index]
        for j, disc in enumerate(self.discs):
            level = level_of_service(junction_delays[j])
            disc.setBrush(self._brushes[level])
            letter = self.letters[j]
            letter.setText(LOS_LETTERS[level])
            letter.setBrush(self._text_brushes[level])
            junction = self.district.intersections[j]
            _anchor(letter, junction.x, junction.y, 0.5, 0.5)
            # TRANSLATORS: a junction's average delay on the district map, in seconds per vehicle, e.g. "28 s".
            delay = self.delay_labels[j]
            delay.setText(_("{seconds} s").format(seconds=f"{junction_delays[j]:,.0f}"))
            _anchor(delay, junction.x + RADIUS + 6, junction.y - RADIUS - 2, 0.0, 1.0)  # under the junction's name
            if junction_delays[j] > junction_delays[worst]:
                worst = j
        level = level_of_service(junction_delays[worst])
        self.setAccessibleDescription(_("{plan}, {time}: the longest delay is at {junction}, {delay} s per vehicle "
                                        "(level {level}).").format(
            plan=self.title, time=time_text, junction=_(JUNCTION_NAMES[self.district.intersections[worst].id]),
            delay=f"{junction_delays[worst]:,.0f}", level=LOS_LETTERS[level]))

    def level_of(self, junction_id: str) -> str:
        """The letter shown on a junction (for tests and screen readers); "" before a simulation."""
        index = next(i for i, j in enumerate(self.district.intersections) if j.id == junction_id)
        return self.letters[index].text()

    def colour_of(self, junction_id: str) -> QColor:
        index = next(i for i, j in enumerate(self.district.intersections) if j.id == junction_id)
        return self.discs[index].brush().color()

    # --- fitting the window ----------------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        rect = self.sceneRect()
        return int(width * rect.height() / rect.width()) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(420, self.heightForWidth(420))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
