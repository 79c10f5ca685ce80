"""Under a quiz's question list: for each question pool in the quiz, how many questions an attempt
draws from it (0: ask them all). Each change is one undoable SetDraw command."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.core.authoring import commands as c
from app.core.i18n import _, ngettext


def pool_sizes(questions: list) -> dict[str, int]:
    """Each named pool and how many questions it holds, in the order they first appear."""
    sizes: dict[str, int] = {}
    for question in questions:
        pool = str(question.get("pool") or "").strip() if isinstance(question, dict) else ""
        if pool:
            sizes[pool] = sizes.get(pool, 0) + 1
    return sizes


def draw_counts(data: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule in data.get("draw") or []:
        if isinstance(rule, dict) and str(rule.get("pool") or ""):
            try:
                counts[str(rule["pool"])] = int(rule.get("count") or 0)
            except (TypeError, ValueError):
                continue  # the YAML tab and the problem list say what is wrong with it
    return counts


class PoolDraws(QWidget):
    def __init__(self, edit, parent=None):
        super().__init__(parent)
        self._edit = edit
        self.item_id = ""
        self.spins: dict[str, QSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(_("Questions asked from each pool per attempt (0: all of them)"))
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)

    def show_pools(self, item_id: str, questions: list, data: dict) -> None:
        """Rebuild the rows when the pools changed; otherwise only refresh the numbers (no command)."""
        self.item_id = item_id
        sizes, counts = pool_sizes(questions), draw_counts(data)
        self.setVisible(bool(sizes))
        if list(sizes) != list(self.spins) or any(s.maximum() != sizes[p] for p, s in self.spins.items()):
            self._rebuild(sizes)
        for pool, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(min(counts.get(pool, 0), spin.maximum()))
            spin.blockSignals(False)

    def _rebuild(self, sizes: dict[str, int]) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.spins = {}
        for row, (pool, size) in enumerate(sizes.items()):
            label = QLabel(pool)
            spin = QSpinBox()
            spin.setRange(0, size)
            spin.setSpecialValueText(_("all"))
            spin.setAccessibleName(_("Questions drawn from the pool {pool}").format(pool=pool))
            spin.valueChanged.connect(lambda value, p=pool: self._edit(c.SetDraw(self.item_id, p, value)))
            label.setBuddy(spin)
            of = QLabel(ngettext("of {n} question", "of {n} questions", size).format(n=size))
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(spin, row, 1)
            self.grid.addWidget(of, row, 2)
            self.spins[pool] = spin
