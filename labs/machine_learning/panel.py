"""The machine-learning lab's work area: Data -> Target & features -> Split -> Model -> Results -> Model card.

Every change goes to the ModelWorkspace on the GUI thread and emits `changed` (the lab screen then
autosaves and refreshes the code view). Loading a dataset, looking for leakage and training run off
the GUI thread through `host.run`; their results come back to on_done on the GUI thread.

Benchmarks: `panel.train()` starts a fit; `panel.trained` is emitted (with the RunResult) once the
results are on screen. `python -m labs.machine_learning.panel` opens the panel alone.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QScrollArea, QSpinBox,
                               QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from app.core.atomic import write_text
from app.core.i18n import _, ngettext
from labs.machine_learning.charts import ConfusionGrid, ImportanceChart, ResidualChart
from labs.machine_learning.engine.card import CardText
from labs.machine_learning.engine.cautions import HINT, Caution
from labs.machine_learning.engine.models import MODEL_TITLES, MODELS_FOR_TASK, PARAMETERS, ModelSpec
from labs.machine_learning.engine.problem import (CLASSIFICATION, CLUSTERING, REGRESSION, TASK_TITLES, SetupProblem,
                                                  candidate_targets, column_kind)
from labs.machine_learning.engine.split import RANDOM, TIME, SplitSpec
from labs.machine_learning.engine.training import MAIN_METRIC, METRIC_TITLES, RunResult, RunSummary, comparison_text
from labs.machine_learning.engine.workspace import NOT_CHOSEN, ModelWorkspace

GROUPS = "\x00groups"  # the target combo's value for "no target: find groups" (None in the workspace)
PREVIEW_ROWS = 30


def _kind_title(kind: str) -> str:
    return {"number": _("number"), "category": _("category"), "date": _("date"), "text": _("text")}[kind]


def _short_metric(key: str) -> str:
    return {"balanced_accuracy": _("balanced accuracy"), "r2": "R²", "silhouette": _("silhouette")}[key]


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _code_view() -> QPlainTextEdit:
    """A few lines of code beside a step: read-only, monospaced, left-to-right in every language."""
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    font = QFont()
    font.setFamilies(["Noto Sans Mono", "monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    view.setFont(font)
    view.setMaximumHeight(view.fontMetrics().lineSpacing() * 9)
    view.setAccessibleName(_("The same step in Python"))
    return view


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cautions_html(cautions: list[Caution]) -> str:
    items = []
    for caution in cautions:
        colour = "#7a5a00" if caution.severity == HINT else "#a12a1a"
        items.append(f'<li style="color:{colour}">{_escape(caution.message())}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ModelPanel(QWidget):
    changed = Signal()
    trained = Signal(object)  # the RunResult, once its results are shown

    def __init__(self, workspace: ModelWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False  # True while widgets are filled from the workspace: no feedback loop
        self._hints: dict[str, list[Caution]] = {}
        self._hints_key: tuple[str, Any] | None = None
        self._training = False
        self._loading = False
        self._card_timer = QTimer(self)  # typing on the card saves after a short pause, not per key
        self._card_timer.setSingleShot(True)
        self._card_timer.setInterval(400)
        self._card_timer.timeout.connect(self._card_settled)

        self.steps = QTabWidget()
        self.steps.setDocumentMode(True)
        self.steps.addTab(self._data_step(), _("1. Data"))
        self.steps.addTab(self._target_step(), _("2. Target and features"))
        self.steps.addTab(self._split_step(), _("3. Split"))
        self.steps.addTab(self._model_step(), _("4. Model"))
        self.steps.addTab(self._results_step(), _("5. Results"))
        self.steps.addTab(self._card_step(), _("6. Model card"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps)

        if workspace.has_frame():
            self.refresh()
            self._request_hints()
        else:
            self._load(workspace.dataset)

    # --- building the steps ------------------------------------------------------------------------

    def _data_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.dataset_combo = QComboBox()
        for dataset_id in self.workspace.datasets:
            self.dataset_combo.addItem(self.workspace.source.facts(dataset_id).title, dataset_id)
        self.dataset_combo.currentIndexChanged.connect(self._dataset_chosen)
        form.addRow(_("Data:"), self.dataset_combo)
        layout.addLayout(form)
        self.dataset_about = _wrapping()
        layout.addWidget(self.dataset_about)
        self.preview = _table(0)
        self.preview.setAccessibleName(_("The first rows of the data"))
        layout.addWidget(self.preview, 1)
        return page

    def _target_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.target_combo = QComboBox()
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        form.addRow(_("Column to predict:"), self.target_combo)
        self.task_label = _wrapping()
        form.addRow(_("Task:"), self.task_label)
        layout.addLayout(form)
        layout.addWidget(_wrapping(_("Features: tick the columns the model may use. Use only what is known at the "
                                     "moment of the prediction.")))
        self.features_list = QListWidget()
        self.features_list.setAccessibleName(_("Features"))
        self.features_list.itemChanged.connect(self._features_ticked)
        layout.addWidget(self.features_list, 1)
        buttons = QHBoxLayout()
        self.all_button = QPushButton(_("Tick all"))
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button = QPushButton(_("Untick all"))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.hints_label = _wrapping()
        self.hints_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.hints_label)
        self.target_code = _code_view()
        layout.addWidget(self.target_code)
        return page

    def _split_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.split_note = _wrapping()
        layout.addWidget(self.split_note)
        self.random_radio = QRadioButton(_("At random"))
        self.time_radio = QRadioButton(_("By time: train on the earlier rows, test on the later ones"))
        self.split_kind = QButtonGroup(self)
        self.split_kind.addButton(self.random_radio)
        self.split_kind.addButton(self.time_radio)
        self.split_kind.buttonToggled.connect(lambda *_args: self._split_changed())
        layout.addWidget(self.random_radio)
        layout.addWidget(self.time_radio)
        form = QFormLayout()
        self.test_share = QSpinBox()
        self.test_share.setRange(5, 50)
        self.test_share.setSuffix(" %")
        self.test_share.valueChanged.connect(lambda *_args: self._split_changed())
        form.addRow(_("Rows kept for testing:"), self.test_share)
        self.stratify_box = QCheckBox(_("Same share of each class in both parts (stratify)"))
        self.stratify_box.toggled.connect(lambda *_args: self._split_changed())
        form.addRow("", self.stratify_box)
        self.time_combo = QComboBox()
        self.time_combo.currentIndexChanged.connect(lambda *_args: self._split_changed())
        form.addRow(_("Time column:"), self.time_combo)
        layout.addLayout(form)
        self.split_explained = _wrapping()
        layout.addWidget(self.split_explained)
        layout.addStretch(1)
        self.split_code = _code_view()
        layout.addWidget(self.split_code)
        return page

    def _model_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.model_combo = QComboBox()
        self.model_combo.currentIndexChanged.connect(self._model_chosen)
        form.addRow(_("Model:"), self.model_combo)
        layout.addLayout(form)
        self.params_box = QGroupBox(_("Settings"))
        self.params_form = QFormLayout(self.params_box)
        self.param_widgets: dict[str, QWidget] = {}
        layout.addWidget(self.params_box)
        row = QHBoxLayout()
        self.train_button = QPushButton(_("Train the model"))
        self.train_button.clicked.connect(self.train)
        row.addWidget(self.train_button)
        self.train_status = _wrapping()
        row.addWidget(self.train_status, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.model_code = _code_view()
        layout.addWidget(self.model_code)
        return page

    def _results_step(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.results_empty = _wrapping(_("Train a model to see how well it does here."))
        layout.addWidget(self.results_empty)
        self.comparison_label = _wrapping()
        bold = self.comparison_label.font()
        bold.setBold(True)
        self.comparison_label.setFont(bold)
        layout.addWidget(self.comparison_label)
        self.cautions_box = QFrame()
        self.cautions_box.setObjectName("cautions")
        self.cautions_box.setStyleSheet("QFrame#cautions { background: #fff4e5; border: 1px solid #e0a040; }")
        box_layout = QVBoxLayout(self.cautions_box)
        self.cautions_title = QLabel(_("Warnings"))
        self.cautions_title.setFont(bold)
        box_layout.addWidget(self.cautions_title)
        self.cautions_label = _wrapping()
        self.cautions_label.setTextFormat(Qt.TextFormat.RichText)
        box_layout.addWidget(self.cautions_label)
        layout.addWidget(self.cautions_box)
        self.metrics_table = _table(3)
        self.metrics_table.horizontalHeader().setStretchLastSection(False)
        self.metrics_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.metrics_table.setAccessibleName(_("The model's scores next to the naive baseline's"))
        layout.addWidget(self.metrics_table)
        self.detail_title = QLabel()
        self.detail_title.setFont(bold)
        layout.addWidget(self.detail_title)
        self.confusion = ConfusionGrid()
        layout.addWidget(self.confusion)
        self.per_class_label = _wrapping()
        layout.addWidget(self.per_class_label)
        self.residuals = ResidualChart()
        layout.addWidget(self.residuals)
        self.clusters_table = _table(0)
        layout.addWidget(self.clusters_table)
        self.importance_title = QLabel(_("Which features matter (permutation importance)"))
        self.importance_title.setFont(bold)
        layout.addWidget(self.importance_title)
        self.importance = ImportanceChart()
        layout.addWidget(self.importance)
        self.importance_text = _wrapping()
        layout.addWidget(self.importance_text)
        self.questions_box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(self.questions_box)
        self.answer_widgets: dict[str, QWidget] = {}
        for question in self.workspace.questions:
            prompt = _wrapping(_(question.prompt))
            if question.kind == "feature":
                widget: QWidget = QComboBox()
                widget.currentIndexChanged.connect(
                    lambda _i, q=question.id, w=widget: self._answered(q, w.currentData() or ""))
            else:
                widget = QLineEdit()
                if question.kind == "percent":
                    widget.setPlaceholderText(_("for example 75%"))
                widget.editingFinished.connect(lambda q=question.id, w=widget: self._answered(q, w.text()))
            widget.setAccessibleName(_(question.prompt))
            self.answer_widgets[question.id] = widget
            questions.addWidget(prompt)
            questions.addWidget(widget)
        self.questions_box.setVisible(bool(self.workspace.questions))
        layout.addWidget(self.questions_box)
        runs_title = QLabel(_("Your runs, to compare"))
        runs_title.setFont(bold)
        layout.addWidget(runs_title)
        self.runs_table = _table(8)
        self.runs_table.setHorizontalHeaderLabels([_("Run"), _("Data"), _("Predicts"), _("Model"), _("Split"),
                                                   _("Score"), _("Baseline"), _("Warnings")])
        self.runs_table.setAccessibleName(_("Your runs, to compare"))
        layout.addWidget(self.runs_table)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _card_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.purpose_edit, self.limits_edit, self.not_for_edit = QPlainTextEdit(), QPlainTextEdit(), QPlainTextEdit()
        for edit, label, placeholder in (
                (self.purpose_edit, _("Purpose: what the model is for, and who uses it"),
                 _("For example: sort incoming applications so caseworkers see likely refusals first.")),
                (self.limits_edit, _("Limits: what it gets wrong, what data it has not seen"),
                 _("For example: it misses one refusal in three; trained on two years of data.")),
                (self.not_for_edit, _("Not for: uses to avoid"),
                 _("For example: refusing an application without a person reading it."))):
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(placeholder)
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 5)
            edit.setAccessibleName(label)
            edit.textChanged.connect(self._card_typed)
            form.addRow(label, edit)
        layout.addLayout(form)
        self.card_preview = QTextBrowser()
        self.card_preview.setAccessibleName(_("The model card"))
        layout.addWidget(self.card_preview, 1)
        row = QHBoxLayout()
        self.save_markdown_button = QPushButton(_("Save as Markdown…"))
        self.save_markdown_button.clicked.connect(lambda: self.export_markdown())
        self.save_pdf_button = QPushButton(_("Save as PDF…"))
        self.save_pdf_button.clicked.connect(lambda: self.export_pdf())
        row.addWidget(self.save_markdown_button)
        row.addWidget(self.save_pdf_button)
        self.card_status = _wrapping()
        row.addWidget(self.card_status, 1)
        layout.addLayout(row)
        return page

    # --- filling the widgets from the workspace ----------------------------------------------------

    def refresh(self) -> None:
        """Show the workspace as it is (after opening, loading or training)."""
        self._updating = True
        try:
            self._refresh_data()
            self._refresh_target()
            self._refresh_split()
            self._refresh_model()
            self._refresh_results()
            self._refresh_card()
        finally:
            self._updating = False

    def _refresh_data(self) -> None:
        workspace = self.workspace
        self.dataset_combo.setCurrentIndex(max(0, self.dataset_combo.findData(workspace.dataset)))
        frame = workspace.frame()
        facts = workspace.source.facts(workspace.dataset)
        about = [facts.description] if facts.description else []
        about.append(ngettext("{rows} row and {columns} columns.", "{rows} rows and {columns} columns.",
                              len(frame)).format(rows=f"{len(frame):,}", columns=len(frame.columns)))
        self.dataset_about.setText(" ".join(about))
        head = frame.head(PREVIEW_ROWS)
        self.preview.setColumnCount(len(head.columns))
        self.preview.setRowCount(len(head))
        self.preview.setHorizontalHeaderLabels([str(c) for c in head.columns])
        for r, row in enumerate(head.itertuples(index=False)):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem("" if pd.isna(value) else str(value)))

    def _refresh_target(self) -> None:
        workspace, setup = self.workspace, self.workspace.setup
        frame = workspace.frame()
        self.target_combo.clear()
        self.target_combo.addItem(_("Choose a column…"), NOT_CHOSEN)
        for column in candidate_targets(frame):
            self.target_combo.addItem(column, column)
        self.target_combo.addItem(_("No target: find groups of similar rows"), GROUPS)
        wanted = GROUPS if setup.target is None else setup.target
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(wanted)))
        task = workspace.task
        self.task_label.setText(_(TASK_TITLES[task]) if task else _("Choose the column to predict."))
        self.features_list.clear()
        chosen = set(setup.features)
        for column in frame.columns:
            if column == setup.target:
                continue
            item = QListWidgetItem(f"{column}  ({_kind_title(column_kind(frame[column]))})")
            item.setData(Qt.ItemDataRole.UserRole, column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if column in chosen else Qt.CheckState.Unchecked)
            self.features_list.addItem(item)
        self._decorate_features()
        self.target_code.setPlainText(workspace.step_code().get("target", ""))

    def _decorate_features(self) -> None:
        """Mark the columns with a leakage warning (red) or a hint (amber), with the reason as a tooltip."""
        lines = []
        for index in range(self.features_list.count()):
            item = self.features_list.item(index)
            column = item.data(Qt.ItemDataRole.UserRole)
            found = self._hints.get(column, [])
            base = f"{column}  ({_kind_title(column_kind(self.workspace.frame()[column]))})"
            if found:
                strong = any(c.severity != HINT for c in found)
                item.setText(("⚠ " if strong else "ⓘ ") + base)
                item.setForeground(QColor("#a12a1a" if strong else "#7a5a00"))
                item.setToolTip("\n".join(c.message() for c in found))
                lines += found
            else:
                item.setText(base)
                item.setForeground(self.features_list.palette().text())
                item.setToolTip("")
        self.hints_label.setText(_cautions_html(lines) if lines else "")

    def _refresh_split(self) -> None:
        workspace, setup = self.workspace, self.workspace.setup
        frame = workspace.frame()
        task = workspace.task
        split = setup.split
        grouping = task == CLUSTERING
        for widget in (self.random_radio, self.time_radio, self.test_share, self.stratify_box, self.time_combo):
            widget.setEnabled(not grouping)
        self.split_note.setText(_("Finding groups uses every row: there is no answer to test against, so no split.")
                                if grouping else _("Keep some rows aside: the model is tested on rows it never saw."))
        times = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        self.time_combo.clear()
        for column in times:
            self.time_combo.addItem(column, column)
        self.time_radio.setEnabled(bool(times) and not grouping)
        (self.time_radio if split.kind == TIME else self.random_radio).setChecked(True)
        self.test_share.setValue(round(split.test_fraction * 100))
        self.stratify_box.setChecked(split.stratify)
        self.stratify_box.setEnabled(not grouping and split.kind == RANDOM and task == CLASSIFICATION)
        self.time_combo.setEnabled(not grouping and split.kind == TIME)
        if split.time_column:
            self.time_combo.setCurrentIndex(max(0, self.time_combo.findData(split.time_column)))
        if split.kind == TIME:
            explained = _("The model learns from the earlier {train} of the rows and is tested on the last {test}, as "
                          "it would be used: on days that come after the ones it learned from.")
        else:
            explained = _("{test} of the rows, picked at random (always the same ones, seed {seed}), are kept for "
                          "testing; the model learns from the other {train}.")
        self.split_explained.setText(explained.format(train=f"{1 - split.test_fraction:.0%}",
                                                      test=f"{split.test_fraction:.0%}", seed=split.seed))
        self.split_code.setPlainText(workspace.step_code().get("split", ""))

    def _refresh_model(self) -> None:
        workspace = self.workspace
        task = workspace.task
        self.model_combo.clear()
        for kind in MODELS_FOR_TASK.get(task, ()):
            self.model_combo.addItem(_(MODEL_TITLES[kind]), kind)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(workspace.setup.model.kind)))
        self.model_combo.setEnabled(task is not None)
        self._build_params()
        ready = task is not None and bool(workspace.setup.features)
        self.train_button.setEnabled(ready and not self._training)
        if not self._training:
            self.train_status.setText("" if ready else _("Choose the column to predict and at least one feature."))
        self.model_code.setPlainText(workspace.step_code().get("model", ""))

    def _build_params(self) -> None:
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self.param_widgets = {}
        spec = self.workspace.setup.model
        parameters = PARAMETERS.get(spec.kind, ()) if self.workspace.task else ()
        for parameter in parameters:
            if parameter.name == "balanced" and self.workspace.task != CLASSIFICATION:
                continue
            value = spec.value(parameter.name)
            if parameter.is_switch:
                widget: QWidget = QCheckBox(_(parameter.title))
                widget.setChecked(bool(value))
                widget.toggled.connect(lambda *_args: self._params_changed())
                label = ""
            elif isinstance(parameter.default, float):
                widget = QDoubleSpinBox()
                widget.setDecimals(2)
                widget.setSingleStep(0.05)
                widget.setRange(parameter.minimum, parameter.maximum)
                widget.setValue(float(value))
                widget.valueChanged.connect(lambda *_args: self._params_changed())
                label = _(parameter.title)
            else:
                widget = QSpinBox()
                widget.setRange(int(parameter.minimum), int(parameter.maximum))
                widget.setValue(int(value))
                widget.valueChanged.connect(lambda *_args: self._params_changed())
                label = _(parameter.title)
            widget.setToolTip(_(parameter.help) if parameter.help else "")
            widget.setAccessibleName(_(parameter.title))
            self.param_widgets[parameter.name] = widget
            self.params_form.addRow(label, widget)
        self.params_box.setVisible(bool(self.param_widgets))

    def _refresh_results(self) -> None:
        run = self.workspace.runs[-1] if self.workspace.runs else None
        latest = self.workspace.latest
        shown = run is not None
        for widget in (self.comparison_label, self.metrics_table, self.importance_title, self.importance,
                       self.importance_text, self.detail_title):
            widget.setVisible(shown)
        self.results_empty.setVisible(not shown)
        self.cautions_box.setVisible(bool(run and run.cautions))
        self.confusion.setVisible(bool(run and run.task == CLASSIFICATION))
        self.per_class_label.setVisible(bool(run and run.task == CLASSIFICATION))
        self.residuals.setVisible(bool(run and run.task == REGRESSION))
        self.clusters_table.setVisible(bool(run and run.task == CLUSTERING))
        self._refresh_runs()
        self._refresh_answers(run)
        if run is None:
            return
        self.comparison_label.setText(comparison_text(run))
        self.cautions_label.setText(_cautions_html(run.cautions))
        self._fill_metrics(run)
        if run.task == CLASSIFICATION:
            self.detail_title.setText(_("Confusion matrix: where the model is right and where it is wrong"))
            self.confusion.show_matrix(run.classes, run.confusion)
            self.per_class_label.setText(_("Recall (share of each class the model finds): {recalls}. Precision (how "
                                           "often the model is right when it says so): {precisions}.").format(
                recalls=", ".join(f"{c}: {v['recall']:.0%}" for c, v in run.per_class.items()),
                precisions=", ".join(f"{c}: {v['precision']:.0%}" for c, v in run.per_class.items())))
        elif run.task == REGRESSION:
            self.detail_title.setText(_("Residual plot: each test row's mistake against its prediction"))
            same = latest is not None and latest.summary is run
            self.residuals.show_residuals(latest.predicted if same else None, latest.residuals if same else None)
        else:
            self.detail_title.setText(_("The groups: their size and their centre"))
            self._fill_clusters(run)
        self.importance.setVisible(bool(run.importance))
        self.importance_title.setVisible(bool(run.importance))
        self.importance.show_importance(run.importance)
        self.importance_text.setText(_("Most important: {features}.").format(features=", ".join(
            f"{name} ({mean:.3f})" for name, mean, _spread in run.importance[:3])) if run.importance else "")

    def _fill_metrics(self, run: RunSummary) -> None:
        table = self.metrics_table
        table.setHorizontalHeaderLabels([_("Measure"), _("Your model"), _("Naive baseline (always \"{answer}\")")
                                         .format(answer=run.baseline_answer) if run.task != CLUSTERING
                                         else _("Naive baseline (one group)")])
        table.setRowCount(len(run.metrics))
        for row, (key, value) in enumerate(run.metrics.items()):
            baseline = run.baseline.get(key)
            cells = (_(METRIC_TITLES[key]), f"{value:.3f}", "" if baseline is None else f"{baseline:.3f}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        table.setFixedHeight(table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(
            table.rowCount())) + 4)

    def _fill_clusters(self, run: RunSummary) -> None:
        sizes = run.clusters.get("sizes", {})
        centres = run.clusters.get("centres", {})
        table = self.clusters_table
        table.setColumnCount(2 + len(centres))
        table.setHorizontalHeaderLabels([_("Group"), _("Rows")] + list(centres))
        table.setRowCount(len(sizes))
        for row, (group, size) in enumerate(sizes.items()):
            cells = [str(int(group) + 1), f"{size:,}"]
            for values in centres.values():
                value = values.get(group, "")
                cells.append(f"{value:.4g}" if isinstance(value, float) else str(value))
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))

    def _refresh_runs(self) -> None:
        runs = self.workspace.runs
        self.runs_table.setRowCount(len(runs))
        for row, run in enumerate(reversed(runs)):
            key = MAIN_METRIC[run.task]
            split = (_("none") if run.task == CLUSTERING else _("by time") if run.spec.split.kind == TIME
                     else _("random {share}").format(share=f"{run.spec.split.test_fraction:.0%}"))
            score = f"{_short_metric(key)} {run.metrics.get(key, 0):.3f}"
            baseline = "" if run.task == CLUSTERING else f"{run.baseline.get(key, 0):.3f}"
            warnings = sum(1 for c in run.cautions if c.severity != HINT)
            cells = (str(len(runs) - row), self.workspace.source.facts(run.spec.dataset).title,
                     run.spec.target if run.spec.target is not None else _("(groups)"),
                     _(MODEL_TITLES[run.spec.model.kind]), split, score, baseline, str(warnings) if warnings else "")
            for column, text in enumerate(cells):
                self.runs_table.setItem(row, column, QTableWidgetItem(text))

    def _refresh_answers(self, run: RunSummary | None) -> None:
        for question in self.workspace.questions:
            widget = self.answer_widgets[question.id]
            answer = self.workspace.answers.get(question.id, "")
            if isinstance(widget, QComboBox):
                widget.clear()
                widget.addItem(_("Choose a feature…"), "")
                for name in (run.spec.features if run else ()):
                    widget.addItem(name, name)
                widget.setCurrentIndex(max(0, widget.findData(answer)))
            else:
                widget.setText(answer)

    def _refresh_card(self) -> None:
        card = self.workspace.card
        for edit, text in ((self.purpose_edit, card.purpose), (self.limits_edit, card.limits),
                           (self.not_for_edit, card.not_for)):
            if edit.toPlainText() != text:
                edit.setPlainText(text)
        self._refresh_card_preview()

    def _refresh_card_preview(self) -> None:
        has_run = bool(self.workspace.runs)
        self.save_markdown_button.setEnabled(has_run)
        self.save_pdf_button.setEnabled(has_run)
        if has_run:
            self.card_preview.setMarkdown(self.workspace.card_markdown(written=date.today().isoformat()))
        else:
            self.card_preview.setPlainText(_("Train a model first: the card describes your latest run."))

    # --- the learner's changes -----------------------------------------------------------------------

    def _after_change(self, *parts: str) -> None:
        self._updating = True
        try:
            for part in parts:
                getattr(self, f"_refresh_{part}")()
        finally:
            self._updating = False
        self.changed.emit()

    def _dataset_chosen(self, index: int) -> None:
        if self._updating or index < 0:
            return
        dataset_id = self.dataset_combo.itemData(index)
        if dataset_id == self.workspace.dataset:
            return
        if self.workspace.has_frame(dataset_id):
            self.workspace.choose_dataset(dataset_id)
            self._hints, self._hints_key = {}, None
            self._after_change("data", "target", "split", "model")
            self._request_hints()
        else:
            self._load(dataset_id, changed=True)

    def select_dataset(self, dataset_id: str) -> None:
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(dataset_id))

    def _load(self, dataset_id: str, changed: bool = False) -> None:
        self._loading = True
        self.steps.setEnabled(False)
        self.dataset_about.setText(_("Loading the data…"))
        load = self.workspace.load_frame

        def loaded(frame: pd.DataFrame) -> None:
            self._loading = False
            self.steps.setEnabled(True)
            self.workspace.put_frame(dataset_id, frame)
            self.workspace.choose_dataset(dataset_id)
            self._hints, self._hints_key = {}, None
            self.refresh()
            self._request_hints()
            if changed:
                self.changed.emit()

        def stopped() -> None:  # cancelled or failed: back to the data already on screen
            self._loading = False
            self.steps.setEnabled(True)
            if self.workspace.has_frame():
                self.refresh()

        def failed(error: BaseException) -> None:
            stopped()
            self.host.tell(_("The data could not be opened"), str(error))

        self.host.run(lambda state: load(dataset_id), loaded, _("Loading the data"), on_error=failed,
                      on_cancel=stopped)

    def _target_chosen(self, index: int) -> None:
        if self._updating or index < 0:
            return
        value = self.target_combo.itemData(index)
        if value == NOT_CHOSEN:
            return  # "Choose a column…" is only a prompt
        try:
            self.workspace.set_target(None if value == GROUPS else value)
        except SetupProblem as problem:
            self.host.tell(_("This column cannot be predicted"), str(problem))
            self._after_change("target")
            return
        self._hints, self._hints_key = {}, None
        self._after_change("target", "split", "model")
        self._request_hints()

    def set_target(self, target: str | None) -> None:
        """Choose the target as the learner does (None: find groups)."""
        self.target_combo.setCurrentIndex(self.target_combo.findData(GROUPS if target is None else target))

    def _features_ticked(self, _item: QListWidgetItem | None) -> None:
        if self._updating:
            return
        chosen = [self.features_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.features_list.count())
                  if self.features_list.item(i).checkState() == Qt.CheckState.Checked]
        self.workspace.set_features(chosen)
        self._updating = True
        try:
            self.target_code.setPlainText(self.workspace.step_code().get("target", ""))
        finally:
            self._updating = False
        self._after_change("split", "model")

    def set_features(self, features: list[str]) -> None:
        """Tick exactly these features, as the learner does."""
        wanted = set(features)
        self._updating = True  # one change for the whole list, not one per ticked box
        try:
            for index in range(self.features_list.count()):
                item = self.features_list.item(index)
                on = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._updating = False
        self._features_ticked(None)

    def _tick_all(self, on: bool) -> None:
        self.set_features([self.features_list.item(i).data(Qt.ItemDataRole.UserRole)
                           for i in range(self.features_list.count())] if on else [])

    def _split_changed(self) -> None:
        if self._updating:
            return
        old = self.workspace.setup.split
        split = SplitSpec(TIME if self.time_radio.isChecked() else RANDOM, self.test_share.value() / 100,
                          self.time_combo.currentData() or old.time_column, self.stratify_box.isChecked(), old.seed)
        if split != old:
            self.workspace.set_split(split)
            self._after_change("split", "model")

    def _model_chosen(self, index: int) -> None:
        if self._updating or index < 0:
            return
        kind = self.model_combo.itemData(index)
        if kind != self.workspace.setup.model.kind:
            self.workspace.set_model(ModelSpec(kind))
            self._after_change("model")

    def _params_changed(self) -> None:
        if self._updating:
            return
        params: dict[str, Any] = {}
        for name, widget in self.param_widgets.items():
            params[name] = widget.isChecked() if isinstance(widget, QCheckBox) else widget.value()
        self.workspace.set_model(ModelSpec(self.workspace.setup.model.kind, params))
        self._updating = True
        try:
            self.model_code.setPlainText(self.workspace.step_code().get("model", ""))
        finally:
            self._updating = False
        self.changed.emit()

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer.strip():
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()

    def _card_typed(self) -> None:
        if self._updating:
            return
        self.workspace.set_card(CardText(self.purpose_edit.toPlainText(), self.limits_edit.toPlainText(),
                                         self.not_for_edit.toPlainText()))
        self._card_timer.start()

    def _card_settled(self) -> None:
        self._refresh_card_preview()
        self.changed.emit()

    # --- leakage hints and training (off the GUI thread) ---------------------------------------------

    def _request_hints(self) -> None:
        key = (self.workspace.dataset, self.workspace.setup.target)
        if self.workspace.task is None or key == self._hints_key:
            return
        self._hints_key = key
        self.hints_label.setText(_("Looking for columns that give the answer away…"))

        def found(hints: dict[str, list[Caution]]) -> None:
            if key != (self.workspace.dataset, self.workspace.setup.target):
                return  # the learner has moved on: these hints are for another target
            self._hints = hints
            self._updating = True
            try:
                self._decorate_features()
            finally:
                self._updating = False

        def failed(error: BaseException) -> None:
            self._hints_key = None
            self.hints_label.setText(_("The leakage check did not finish: {reason}").format(reason=error))

        self.host.run(self.workspace.hints_job(), found, _("Looking for leakage"), on_error=failed,
                      on_cancel=lambda: failed(RuntimeError(_("cancelled"))))

    def train(self) -> None:
        """Train the current choices off the GUI thread; `trained` is emitted when the results are shown."""
        if self._training:
            return
        try:
            job = self.workspace.training_job()
        except SetupProblem as problem:
            self.host.tell(_("The model cannot be trained yet"), str(problem))
            return
        self._set_training(True)
        self.host.run(job, self._trained, _("Training the model"), on_error=self._train_failed,
                      on_cancel=self._train_cancelled)

    def _set_training(self, training: bool) -> None:
        self._training = training
        self.train_button.setEnabled(not training)
        self.train_status.setText(_("Training… (the status bar shows the progress and a Cancel button)")
                                  if training else "")

    def _trained(self, result: RunResult) -> None:
        self._set_training(False)
        self.workspace.add_run(result)
        self._updating = True
        try:
            self._refresh_results()
            self._refresh_card_preview()
            self._refresh_model()
        finally:
            self._updating = False
        self.train_status.setText(_("Trained in {seconds} s.").format(seconds=f"{result.summary.duration:.1f}"))
        self.steps.setCurrentIndex(4)
        self.changed.emit()
        self.trained.emit(result)

    def _train_failed(self, error: BaseException) -> None:
        self._set_training(False)
        self._refresh_model()
        if isinstance(error, SetupProblem):
            self.host.tell(_("The model cannot be trained yet"), str(error))
        else:
            self.host.tell(_("Training did not work"), _("Training stopped with this error: {reason}").format(
                reason=error))

    def _train_cancelled(self) -> None:
        self._set_training(False)
        self._refresh_model()
        self.train_status.setText(_("Training was cancelled."))

    # --- the model card -------------------------------------------------------------------------------

    def _card_path(self, path: Path | None, suffix: str, filter_text: str) -> Path | None:
        if path is not None:
            return Path(path)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = _("model-card") + suffix  # a file name in the learner's language
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save the model card"), str(Path(folder) / name),
                                                      filter_text)
        if not chosen:
            return None
        chosen_path = Path(chosen)
        return chosen_path if chosen_path.suffix else chosen_path.with_suffix(suffix)

    def export_markdown(self, path: Path | None = None) -> Path | None:
        """Save the card as Markdown (asks where when `path` is None); returns the path written."""
        return self._export(path, ".md", _("Markdown (*.md)"), "markdown")

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Save the card as an A4 PDF (asks where when `path` is None); returns the path written."""
        return self._export(path, ".pdf", _("PDF (*.pdf)"), "pdf")

    def _export(self, path: Path | None, suffix: str, filter_text: str, kind: str) -> Path | None:
        try:
            markdown = self.workspace.card_markdown(written=date.today().isoformat())
        except SetupProblem as problem:
            self.host.tell(_("The card cannot be saved yet"), str(problem))
            return None
        target = self._card_path(path, suffix, filter_text)
        if target is None:
            return None
        try:
            if kind == "pdf":
                from labs.machine_learning.pdf import write_card_pdf

                write_card_pdf(target, markdown, self.host.locale, _("Model card"))
            else:
                write_text(target, markdown)
        except OSError as error:
            self.host.tell(_("The card was not saved"), _("Could not write {path}: {reason}").format(
                path=target, reason=error.strerror or error))
            return None
        self.workspace.note_card_exported(kind)
        self.card_status.setText(_("Saved: {path}").format(path=target))
        self.changed.emit()
        return target


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.machine_learning.no_code", ModelPanel)
