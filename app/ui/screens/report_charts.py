"""The Reports screen's pictures: learners by status, question difficulty (hardest first), completions
by week. Each draws series that app.core.reports.presentation reads from the report's tables, and says
its numbers in words in a line under it (also its accessible description): a chart is never the only
place a number is, and the tables hold every one of them.

The plots stay left to right in a right-to-left window (axes and numbers read that way), as the labs'
charts do; their labels are in the window's language and font.
"""

from __future__ import annotations

import html
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.core import formatting
from app.core.i18n import _, ngettext
from app.core.reports.presentation import QuestionBar, StatusCounts, WeekPoint

COMPLETED = QColor(46, 125, 50)  # green
IN_PROGRESS = QColor(47, 111, 171)  # blue
OVERDUE = QColor(196, 92, 28)  # amber-red
NOT_STARTED = QColor(170, 178, 189)  # grey
LINE_COLOURS = (QColor(31, 95, 168), QColor(196, 92, 28), QColor(46, 125, 50), QColor(128, 74, 160),
                QColor(0, 128, 128), QColor(160, 60, 90))
WEEK_BARS = QColor(190, 208, 232)  # light blue, behind the line
LABEL_WIDTH = 260  # px of a label on the left axis; the full text is in the line under the chart
HARDEST = 10  # questions drawn; the table lists them all


def _elided(text: str, width: int) -> str:
    """`text` on one line, cut to `width` px at its end."""
    return QFontMetrics(QApplication.font()).elidedText(" ".join(text.split()), Qt.TextElideMode.ElideRight, width)


class _Axis(pg.AxisItem):
    """An axis that paints its labels straight onto the view. pyqtgraph's own records them in a QPicture,
    whose playback lays each label out again left to right: an Arabic label loses its spaces and its
    numbers land on the wrong side ("مصطلح123" for "مصطلح 123")."""

    def paint(self, painter, option, widget) -> None:
        painter.save()
        try:
            if self.style["tickFont"]:
                painter.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(painter)
            if specs is not None:
                self.drawPicture(painter, *specs)
        finally:
            painter.restore()


class _Chart(QWidget):
    """A white, left-to-right plot without a menu or panning, and the line that says its numbers."""

    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="w", axisItems={"left": _Axis("left"), "bottom": _Axis("bottom")})
        # Axes on the left, values growing rightwards, in every language: the view and the plot item
        # (a QGraphicsWidget, which otherwise takes the application's right-to-left direction).
        self.plot.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.plot.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.plot.setAccessibleName(accessible_name)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(180)
        font = QApplication.font()
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen("#444"))
            axis.setTextPen(pg.mkPen("#222"))
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)
        layout.addWidget(self.plot, 1)
        self.key = QLabel("")  # the colours' meanings: in the window's font and direction, never over the bars
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.key.hide()
        layout.addWidget(self.key)
        self.caption = QLabel("")
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.caption)
        self._labels: tuple[list[float], list[str]] = ([], [])

    def _axis_label(self, side: str, text: str) -> None:
        self.plot.setLabel(side, text, **{"font-family": ", ".join(QApplication.font().families()) or "sans-serif"})

    def _legend(self, entries: list[tuple[str, QColor]]) -> None:
        swatch = '<span style="background-color: {colour}; color: {colour};">&#9608;&#9608;</span>&nbsp;{name}'
        parts = [swatch.format(colour=colour.name(), name=html.escape(name)) for name, colour in entries]
        self.key.setText("&nbsp;&nbsp;&nbsp; ".join(parts))
        self.key.setAccessibleName(", ".join(name for name, _colour in entries))
        self.key.setVisible(bool(entries))

    def _describe(self, lines: list[str], drawn: bool, shown: int | None = None) -> None:
        """The chart's numbers in words: all of them for a screen reader (and the tooltip), the first `shown`
        lines under the chart (the table beside holds every number)."""
        words = "\n".join(lines)
        self.caption.setText(words if shown is None else "\n".join(lines[:shown]))
        self.caption.setAccessibleName(self.caption.text())
        self.plot.setAccessibleDescription(words)
        self.plot.setToolTip(words)
        self.plot.setVisible(drawn)
        if not drawn:
            self.key.hide()

    def _left_labels(self, ys: list[float], labels: list[str]) -> None:
        self._labels = (ys, labels)
        self._fit_labels()
        line = QFontMetrics(QApplication.font()).lineSpacing()
        self.plot.setMinimumHeight(max(150, int(line * 1.6 * len(labels)) + 70))


    def _fit_labels(self) -> None:
        """The left axis's labels cut to a third of the chart's width (at most LABEL_WIDTH), and the axis as
        wide as the widest: it would only widen itself after a first, clipped paint."""
        ys, labels = self._labels
        left = self.plot.getAxis("left")
        if not labels:
            return
        room = max(100, min(LABEL_WIDTH, self.width() // 3)) if self.width() > 0 else LABEL_WIDTH
        cut = [_elided(label, room) for label in labels]
        left.setTicks([list(zip(ys, cut))])
        left.setWidth(max(QFontMetrics(QApplication.font()).horizontalAdvance(text) for text in cut) + 16)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_labels()


def _bars(x0, y, width, colour: QColor) -> pg.BarGraphItem:
    return pg.BarGraphItem(x0=x0, y=y, height=0.6, width=width, brush=pg.mkBrush(colour), pen=pg.mkPen(colour))


class StatusChart(_Chart):
    """One bar per course, in four parts: completed, in progress, overdue, not started."""

    def __init__(self, parent=None):
        super().__init__(_("Chart: learners by status"), parent)
        self._axis_label("bottom", _("Learners"))
        self.data: list[StatusCounts] = []

    def show_counts(self, counts: list[StatusCounts]) -> None:
        self.plot.clear()
        self.data = list(counts)
        if not counts:
            self._describe([], False)
            return
        ys = [float(len(counts) - 1 - index) for index in range(len(counts))]  # the first course on top
        left = [0.0] * len(counts)
        parts = [(_("Completed"), "completed", COMPLETED), (_("In progress"), "in_progress", IN_PROGRESS),
                 (_("Overdue"), "overdue", OVERDUE), (_("Not started"), "not_started", NOT_STARTED)]
        for name, key, colour in parts:
            widths = [float(getattr(c, key)) for c in counts]
            self.plot.addItem(_bars(list(left), ys, widths, colour))
            left = [a + b for a, b in zip(left, widths)]
        self._legend([(name, colour) for name, _key, colour in parts])
        self._left_labels(ys, [c.title for c in counts])
        most = max(c.total for c in counts)
        self.plot.setXRange(0, max(most, 1) * 1.04, padding=0)
        self.plot.setYRange(-0.6, len(counts) - 0.4, padding=0)
        step = _nice_step(most)
        self.plot.getAxis("bottom").setTickSpacing(major=step, minor=step)  # whole people
        lines = [_("{course}: {completed} completed, {in_progress} in progress, {overdue} overdue, {not_started} not "
                   "started ({total} in all).").format(
            course=c.title, completed=formatting.number(c.completed), in_progress=formatting.number(c.in_progress),
            overdue=formatting.number(c.overdue), not_started=formatting.number(c.not_started),
            total=formatting.number(c.total)) for c in counts]
        if most == 0:
            lines = [_("Nobody in this report is enrolled in these courses.")]
        self._describe(lines, most > 0)


class DifficultyChart(_Chart):
    """The share of right answers to each question answered, the hardest at the top."""

    def __init__(self, parent=None):
        super().__init__(_("Chart: question difficulty, hardest first"), parent)
        self.data: list[QuestionBar] = []

    def show_questions(self, bars: list[QuestionBar], share_title: str) -> None:
        self.plot.clear()
        shown = list(bars[:HARDEST])
        self.data = shown
        if not shown:
            self._describe([_("Nobody has answered these questions yet.")], False)
            return
        self._axis_label("bottom", share_title)
        ys = [float(len(shown) - 1 - index) for index in range(len(shown))]
        self.plot.addItem(_bars([0.0] * len(shown), ys, [bar.share_correct for bar in shown], IN_PROGRESS))
        self._left_labels(ys, [bar.question for bar in shown])
        self.plot.setXRange(0, 100, padding=0.02)
        self.plot.setYRange(-0.7, len(shown) - 0.3, padding=0)
        # TRANSLATORS: one question of the difficulty chart, said in words: "Which sentence … — 33.3% right (1 of 3
        # answers)".
        lines = [_("{question} — {share} right ({correct} of {answers} answers)").format(
            question=bar.question, share=formatting.percent(bar.share_correct, 1),
            correct=formatting.number(bar.correct), answers=formatting.number(bar.answers)) for bar in shown]
        lines.insert(0, ngettext("The chart draws the {n} hardest of {total} question answered, the share of right "
                                 "answers to each; the table lists them all. The hardest:",
                                 "The chart draws the {n} hardest of {total} questions answered, the share of right "
                                 "answers to each; the table lists them all. The hardest:",
                                 len(bars)).format(n=formatting.number(len(shown)), total=formatting.number(len(bars))))
        self._describe(lines, True, shown=4)


class CompletionsChart(_Chart):
    """Completions so far, week by week, a line per course; with one course, the week's own completions as
    bars behind it."""

    def __init__(self, parent=None):
        super().__init__(_("Chart: completions over time"), parent)
        self.data: dict[str, list[WeekPoint]] = {}

    def show_weeks(self, series: dict[str, list[WeekPoint]], titles: dict[str, str], week_title: str,
                   so_far_title: str, completed_title: str) -> None:
        self.plot.clear()
        self.data = {course: list(points) for course, points in series.items() if points}
        if not self.data:
            self._describe([_("Nobody has completed these courses yet.")], False)
            return
        self._axis_label("bottom", week_title)
        self._axis_label("left", so_far_title)
        if len(self.data) == 1:
            [points] = self.data.values()
            bars = pg.BarGraphItem(x=[p.week.toordinal() for p in points], height=[p.completed for p in points],
                                   width=5, brush=pg.mkBrush(WEEK_BARS), pen=pg.mkPen(WEEK_BARS))
            self.plot.addItem(bars)
            entries = [(completed_title, WEEK_BARS)]
        else:
            entries = []
        for index, (course, points) in enumerate(self.data.items()):
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            self.plot.plot([p.week.toordinal() for p in points], [p.cumulative for p in points],
                           pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=7, symbolBrush=colour,
                           symbolPen=colour)
            entries.append((so_far_title if len(self.data) == 1 else titles.get(course, course), colour))
        self._legend(entries)
        weeks = sorted({p.week for points in self.data.values() for p in points})
        step = max(1, -(-len(weeks) // 5))  # at most five dates under the axis, or they overlap
        self.plot.getAxis("bottom").setTicks([[(w.toordinal(), formatting.date(w)) for w in weeks[::step]]])
        first, last = weeks[0].toordinal(), weeks[-1].toordinal()
        self.plot.setXRange(first - 7, last + 7, padding=0)
        top = max(p.cumulative for points in self.data.values() for p in points)
        self.plot.setYRange(0, top * 1.15 + 0.5, padding=0)
        left = self.plot.getAxis("left")
        left.setTickSpacing(major=max(1, _nice_step(top)), minor=max(1, _nice_step(top)))
        self._describe([self._course_line(titles.get(course, course), points)
                        for course, points in self.data.items()], True)

    @staticmethod
    def _course_line(title: str, points: list[WeekPoint]) -> str:
        busiest = max(points, key=lambda p: (p.completed, -p.week.toordinal()))
        return _("{course}: {total} completed by the week of {last}; the most in one week, {count}, in the week of "
                 "{busiest}.").format(course=title, total=formatting.number(points[-1].cumulative),
                                      last=formatting.date(points[-1].week), count=formatting.number(busiest.completed),
                                      busiest=formatting.date(busiest.week))


def _nice_step(top: int) -> int:
    """A whole-number tick step giving about five ticks: learners are counted in whole people."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10000
