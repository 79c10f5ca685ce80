"""Draws a ChartData with pyqtgraph: pan and zoom with the mouse (pyqtgraph's own), the value under
the pointer in a label below the chart, and PNG export.

pyqtgraph is imported here and in the panel only, never in the engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLocale, QPointF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.atomic import replacing
from app.core.i18n import _
from labs.data_analysis.engine.charts import ChartData

BAR_BRUSH = "#1f5fa8"
LINE_PEN = pg.mkPen("#1f5fa8", width=2)
BOX_PEN = pg.mkPen("#1d2430", width=1.5)


class ChartView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # charts read left to right in every language
        self.data: ChartData | None = None
        self._locale = QLocale()
        self._locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(200)
        # The plot is a graphics scene: its items take the application's direction unless told
        self.plot.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.plot.setAccessibleName(_("Chart"))
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            axis = self.plot.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen("#5a6473"))
            axis.setTextPen(pg.mkPen("#1d2430"))
        layout.addWidget(self.plot, 1)
        self.hover_label = QLabel(_("Point at the chart to read its values. Drag to move, scroll to zoom."))
        self.hover_label.setObjectName("Muted")
        self.hover_label.setWordWrap(True)
        self.hover_label.setAccessibleName(_("Value under the pointer"))
        self.note_label = QLabel("")
        self.note_label.setObjectName("Muted")
        self.note_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.hover_label, 1)
        row.addWidget(self.note_label)
        layout.addLayout(row)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    # --- drawing ---

    def clear(self) -> None:
        self.data = None
        self.plot.clear()
        self.plot.setTitle(None)
        self.note_label.setText("")

    def show_data(self, data: ChartData) -> None:
        self.clear()
        self.data = data
        item = self.plot.getPlotItem()
        # utcOffset=0: the engine's seconds are the table's own clock times, not UTC to be shifted
        bottom = (pg.DateAxisItem(orientation="bottom", utcOffset=0) if data.x_is_date
                  else pg.AxisItem(orientation="bottom"))
        bottom.setPen(pg.mkPen("#5a6473"))
        bottom.setTextPen(pg.mkPen("#1d2430"))
        item.setAxisItems({"bottom": bottom})
        kind = data.spec.kind
        if kind == "bar":
            self.plot.addItem(pg.BarGraphItem(x=data.x, height=data.y, width=0.7, brush=BAR_BRUSH, pen=None))
        elif kind == "histogram":
            assert data.edges is not None
            self.plot.addItem(pg.BarGraphItem(x0=data.edges[:-1], x1=data.edges[1:], height=data.y,
                                              brush=BAR_BRUSH, pen=pg.mkPen("w")))
        elif kind == "line":
            self.plot.addItem(pg.PlotDataItem(data.x, data.y, pen=LINE_PEN, symbol="o" if len(data.x) < 60 else None,
                                              symbolSize=6, symbolBrush=BAR_BRUSH))
        elif kind == "scatter":
            points = pg.PlotDataItem(data.x, data.y, pen=None, symbol="o", symbolSize=5, symbolPen=None,
                                     symbolBrush=pg.mkBrush(31, 95, 168, 120))
            self.plot.addItem(points)
        elif kind == "box":
            self._draw_boxes(data)
        if data.labels is not None:
            bottom.setTicks([self._ticks(data.labels, data.x)])
        item.setLabel("bottom", data.x_label)
        item.setLabel("left", data.y_label)
        self.plot.setTitle(data.spec.describe(), color="#1d2430")
        item.enableAutoRange()
        self.note_label.setText(data.note())

    @staticmethod
    def _ticks(labels: list[str], positions: np.ndarray) -> list[tuple[float, str]]:
        step = max(1, len(labels) // 25)  # at most ~25 labels, or they overlap
        return [(float(positions[i]), labels[i]) for i in range(0, len(labels), step)]

    def _draw_boxes(self, data: ChartData) -> None:
        boxes = data.boxes
        x = np.arange(len(boxes), dtype=float)
        q1 = np.array([b.q1 for b in boxes])
        q3 = np.array([b.q3 for b in boxes])
        self.plot.addItem(pg.BarGraphItem(x=x, y0=q1, y1=q3, width=0.5, brush=pg.mkBrush(219, 232, 247), pen=BOX_PEN))
        segments_x, segments_y = [], []
        for i, box in enumerate(boxes):
            for (x0, y0, x1, y1) in ((i - 0.25, box.median, i + 0.25, box.median), (i, box.low, i, box.q1),
                                     (i, box.q3, i, box.high), (i - 0.12, box.low, i + 0.12, box.low),
                                     (i - 0.12, box.high, i + 0.12, box.high)):
                segments_x += [x0, x1]
                segments_y += [y0, y1]
        self.plot.addItem(pg.PlotDataItem(np.array(segments_x), np.array(segments_y), connect="pairs", pen=BOX_PEN))
        outliers_x = np.concatenate([np.full(len(b.outliers), i, dtype=float) for i, b in enumerate(boxes)] or [[]])
        outliers_y = np.concatenate([b.outliers for b in boxes] or [[]])
        if len(outliers_x):
            self.plot.addItem(pg.PlotDataItem(outliers_x, outliers_y, pen=None, symbol="o", symbolSize=5,
                                              symbolBrush=None, symbolPen=pg.mkPen("#5a6473")))

    # --- hover ---

    def _mouse_moved(self, position: QPointF) -> None:
        if self.data is None or not self.plot.sceneBoundingRect().contains(position):
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(position)
        text = self.hover_text_at(point.x(), point.y())
        if text:
            self.hover_label.setText(text)

    def number(self, value: float) -> str:
        if float(value).is_integer():
            return str(int(value))
        return self._locale.toString(float(value), "f", 2)

    def _x_text(self, value: float) -> str:
        assert self.data is not None
        if self.data.x_is_date:
            moment = dt.datetime.fromtimestamp(value, dt.timezone.utc)
            return moment.strftime("%Y-%m-%d %H:%M") if (moment.hour or moment.minute) else moment.date().isoformat()
        if self.data.labels is not None and self.data.spec.kind == "line":
            index = int(np.argmin(np.abs(self.data.x - value)))
            return self.data.labels[index]
        return self.number(value)

    def hover_text_at(self, x: float, y: float) -> str:
        """What the pointer at (x, y), in the chart's coordinates, is on; "" when it is on nothing."""
        data = self.data
        if data is None:
            return ""
        kind = data.spec.kind
        if kind in ("bar", "box"):
            index = int(round(x))
            if not (0 <= index < len(data.x)) or abs(x - index) > 0.4 or data.labels is None:
                return ""
            if kind == "bar":
                return _("{label}: {value}").format(label=data.labels[index], value=self.number(data.y[index]))
            box = data.boxes[index]
            return _("{label}: median {median}, half of the values between {q1} and {q3}, {n} values").format(
                label=box.label, median=self.number(box.median), q1=self.number(box.q1), q3=self.number(box.q3),
                n=box.count)
        if kind == "histogram":
            assert data.edges is not None
            index = int(np.searchsorted(data.edges, x, side="right")) - 1
            if not 0 <= index < len(data.y):
                return ""
            return _("{low} to {high}: {count} rows").format(low=self.number(data.edges[index]),
                                                            high=self.number(data.edges[index + 1]),
                                                            count=self.number(data.y[index]))
        if not len(data.x):
            return ""
        (x0, x1), (y0, y1) = self.plot.getPlotItem().vb.viewRange()
        distance = np.hypot((data.x - x) / max(x1 - x0, 1e-12), (data.y - y) / max(y1 - y0, 1e-12))
        index = int(np.argmin(distance))
        if distance[index] > 0.05:  # farther than 5% of the chart from every point
            return ""
        return _("{x_label}: {x}; {y_label}: {y}").format(x_label=data.x_label, x=self._x_text(data.x[index]),
                                                          y_label=data.y_label, y=self.number(data.y[index]))

    # --- export ---

    def save_png(self, path: Path) -> Path:
        """The chart as a PNG, written atomically (a temporary file, then renamed)."""
        path = Path(path)
        image = self.plot.grab().toImage()
        with replacing(path, suffix=".png") as temporary:
            if not image.save(str(temporary), "PNG"):
                raise OSError(_("{file} cannot be written.").format(file=path.name))
        return path
