"""The chart's choices in plain words: which kind, what goes across, which values, how summarised."""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QWidget

from app.core.i18n import _
from labs.data_analysis.engine.charts import CHART_KINDS, ChartSpec
from labs.data_analysis.engine.steps import AGGREGATIONS, TIME_PARTS, is_date
from labs.data_analysis.widgets.step_forms import ColumnCombo, choice_combo, choose


class ChartForm(QWidget):
    def __init__(self, buttons: QLayout | None = None, parent: QWidget | None = None):
        """`buttons` (Draw, Save…) take the free cell after the last choice."""
        super().__init__(parent)
        self.frame = pd.DataFrame()
        grid = QGridLayout(self)  # choices two by two: the chart below keeps most of the height
        grid.setContentsMargins(0, 0, 0, 0)
        self.kind = choice_combo(_("Kind of chart"), {k: _(v) for k, v in CHART_KINDS.items()})
        self.x = ColumnCombo(_("Across (horizontal axis)"), _("(nothing)"))
        self.part = choice_combo(_("Part of the date"), {"": _("(the whole value)"),
                                                         **{k: _(v) for k, v in TIME_PARTS.items()}})
        self.y = ColumnCombo(_("Values (vertical axis)"), _("(count the rows)"))
        self.agg = choice_combo(_("Summary"), {**{k: _(v) for k, v in AGGREGATIONS.items()},
                                              "none": _("none: every row is a point")})
        fields = ((_("Kind of chart"), self.kind), (_("Across"), self.x), (_("Part of the date"), self.part),
                  (_("Values"), self.y), (_("Summary"), self.agg))
        for position, (label, field) in enumerate(fields):
            row, column = divmod(position, 2)
            caption = QLabel(label)
            caption.setBuddy(field)
            grid.addWidget(caption, row, 2 * column)
            grid.addWidget(field, row, 2 * column + 1)
        if buttons is not None:
            grid.addLayout(buttons, 2, 2, 1, 2)
        for column in (1, 3):
            grid.setColumnStretch(column, 1)
        self.kind.currentIndexChanged.connect(self._update)
        self.x.currentIndexChanged.connect(self._update)
        self.y.currentIndexChanged.connect(self._y_changed)
        self._update()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        names = [str(c) for c in frame.columns]
        self.x.set_columns(names)
        self.y.set_columns(names)
        self._update()

    def _dated_x(self) -> bool:
        column = self.x.column()
        return column is not None and column in self.frame.columns and is_date(self.frame[column])

    def _update(self) -> None:
        kind = self.kind.currentData()
        dated = self._dated_x()
        self.part.setEnabled(dated and kind in ("bar", "line", "box"))
        if not self.part.isEnabled():
            choose(self.part, "")
        elif not self.part.currentData() and kind == "bar":
            choose(self.part, "weekday")
        self.agg.setEnabled(kind in ("bar", "line"))
        self.y.setEnabled(kind != "histogram")

    def _y_changed(self) -> None:
        if self.y.column() is None:
            choose(self.agg, "count")
        elif self.agg.currentData() == "count":
            choose(self.agg, "mean")

    def spec(self) -> ChartSpec:
        kind = self.kind.currentData()
        return ChartSpec(kind, x=self.x.column(), y=self.y.column() if self.y.isEnabled() else None,
                         agg=self.agg.currentData() if self.agg.isEnabled() else "count",
                         time_part=(self.part.currentData() or None) if self.part.isEnabled() else None)

    def set_spec(self, spec: ChartSpec) -> None:
        choose(self.kind, spec.kind)
        self.x.choose(spec.x)
        self.y.choose(spec.y)
        self._update()
        choose(self.agg, spec.agg)
        choose(self.part, spec.time_part or "")
