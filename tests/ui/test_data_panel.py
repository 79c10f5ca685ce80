"""The data-analysis panel driven like a learner: forms, clicks, chart, PNG, export, import, 1,000,000 rows."""

from __future__ import annotations

import time

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.core.tasks import TaskState
from labs.data_analysis.engine.bigdata import make_large_frame
from labs.data_analysis.engine.charts import ChartSpec
from labs.data_analysis.open_data import LAB
from labs.data_analysis.panel import AnalysisPanel
from labs.data_analysis.widgets.table_model import FrameModel
from labs.framework import run_check
from tests.ui.sync_host import SyncHost


@pytest.fixture
def panel(qtbot, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    workspace = LAB.open(None, TaskState(), files)
    widget = AnalysisPanel(workspace, SyncHost(files))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def apply(qtbot, panel, kind: str, **choices) -> None:
    form = panel.step_editor.choose_kind(kind)
    for name, value in choices.items():
        widget = getattr(form, name)
        if hasattr(widget, "choose"):
            widget.choose(value)
        elif hasattr(widget, "setText"):
            widget.setText(value)
        else:
            widget.setCurrentIndex(widget.findData(value))
    with qtbot.waitSignal(panel.changed, timeout=5000):
        qtbot.mouseClick(panel.step_editor.apply_button, Qt.MouseButton.LeftButton)
    assert panel.step_editor.error.text() == ""


def test_a_learner_does_the_whole_lab_through_the_panel(qtbot, panel, tmp_path):
    ws = panel.workspace
    assert panel.model.rowCount() == 12_000 and panel.source_combo.currentData() == "citizen-complaints"
    assert panel.synthetic_badge.isVisible() and "Synthetic (generated)" in panel.source_info.text()
    assert not panel.source_details.isVisible()
    qtbot.mouseClick(panel.about_button, Qt.MouseButton.LeftButton)
    assert panel.source_details.isVisible() and "Licence: " in panel.source_details.text()

    # 1. profile: click the district heading, read "missing", answer
    district = list(ws.table.columns).index("district")
    panel.view.horizontalHeader().sectionClicked.emit(district)
    assert "Missing: 364." in panel.profile_label.text()
    edit = panel.answer_edits["missing_district"]
    edit.setText("364")
    with qtbot.waitSignal(panel.changed):
        edit.editingFinished.emit()

    # 2-3. clean with the forms
    apply(qtbot, panel, "drop_duplicates")
    assert panel.model.rowCount() == 11_760 and panel.steps_list.count() == 1
    assert "240 rows removed" in panel.steps_list.item(0).text()
    apply(qtbot, panel, "convert", column="days_to_resolve", to="number")
    apply(qtbot, panel, "filter", column="days_to_resolve", operator=">=", value="0")

    # 4. group: the result becomes the table shown
    apply(qtbot, panel, "group", by="district", value="days_to_resolve", agg="mean")
    assert panel.current_table == "result_1" and panel.model.rowCount() == 8
    panel.answer_edits["slowest_district"].setText("Sollip-gu")
    panel.answer_edits["slowest_district"].editingFinished.emit()

    # 5. chart
    form = panel.chart_form
    form.kind.setCurrentIndex(form.kind.findData("bar"))
    form.x.choose("received_date")
    form.part.setCurrentIndex(form.part.findData("weekday"))
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    assert ws.chart.time_part == "weekday" and panel.chart_view.data.labels[0] == "Mon"
    bars = [i for i in panel.chart_view.plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 1 and list(bars[0].opts["height"]) == [2201, 2068, 1998, 1876, 1750, 1021, 843]
    assert panel.chart_view.hover_text_at(0.1, 100) == "Mon: 2201"
    assert panel.chart_view.hover_text_at(3.5, 100) == ""  # between two bars

    # 6. pivot, 7. export it
    apply(qtbot, panel, "pivot", index="category", columns="channel")
    assert panel.current_table == "result_2"
    with qtbot.waitSignal(panel.changed):
        panel.export_table_to(tmp_path / "pivot.xlsx")
    assert (tmp_path / "pivot.xlsx").stat().st_size > 0 and ws.exports[-1]["table"] == "result_2"

    failures = {t.id: run_check(t, ws).message for t in LAB.tasks if not run_check(t, ws).passed}
    assert failures == {}


def test_chart_png_export_writes_a_real_png(qtbot, panel, tmp_path):
    apply(qtbot, panel, "convert", column="days_to_resolve", to="number")
    panel.chart_form.set_spec(ChartSpec("box", x="category", y="days_to_resolve"))
    with qtbot.waitSignal(panel.changed):
        panel.draw_chart()
    assert panel.png_button.isEnabled() and len(panel.chart_view.data.boxes) == 8
    panel.save_chart_png(tmp_path / "chart.png")
    data = (tmp_path / "chart.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage(str(tmp_path / "chart.png"))
    assert image.width() > 100 and image.height() > 100
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".png"] == ["chart.png"]


def test_mistakes_show_next_to_the_form_and_change_nothing(qtbot, panel):
    form = panel.step_editor.choose_kind("group")
    form.by.choose("district")
    form.value.choose("days_to_resolve")
    form.agg.setCurrentIndex(form.agg.findData("mean"))
    with qtbot.assertNotEmitted(panel.changed):
        qtbot.mouseClick(panel.step_editor.apply_button, Qt.MouseButton.LeftButton)
    assert "days_to_resolve holds text" in panel.step_editor.error.text()
    assert not panel.workspace.steps and panel.step_editor.apply_button.isEnabled()
    panel.chart_form.set_spec(ChartSpec("histogram", x="district"))
    panel.draw_chart()
    assert "A histogram shows how numbers spread" in panel.chart_error.text()


def test_undo_and_switching_dataset(qtbot, panel):
    apply(qtbot, panel, "drop_duplicates")
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 12_000 and not panel.undo_button.isEnabled()
    with qtbot.waitSignal(panel.changed):
        panel.choose_dataset("seattle-weather")
    assert panel.workspace.dataset_id == "seattle-weather" and panel.model.rowCount() == 1461
    assert not panel.synthetic_badge.isVisible()


def test_importing_a_learners_file_with_a_report_and_preview(qtbot, panel, tmp_path):
    source = tmp_path / "민원 2024.csv"
    lines = ["구;분류;처리일수;접수일"] + [f"강남구;도로;{i},5;0{1 + i % 9}/03/2024" for i in range(12)]
    lines[4] = "서초구;소음;3,5;01/03/2024;extra"
    source.write_bytes(("\n".join(lines) + "\n").encode("cp949"))
    panel.import_file(source)
    dialog = panel.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Korean" in dialog.summary.text() and "semicolon" in dialog.summary.text()
    assert "line 5 has 5 fields; the header has 4" in dialog.report.toPlainText()
    assert dialog.preview_model.rowCount() == 11
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("utf-8"))  # a wrong choice: refused, clearly
    qtbot.mouseClick(dialog.read_again, Qt.MouseButton.LeftButton)
    assert "is not written in UTF-8 (line 1 does not decode)" in dialog.error.text()
    assert not dialog.use_button.isEnabled()
    dialog.encoding.setCurrentIndex(0)  # back to "as detected"
    qtbot.mouseClick(dialog.read_again, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "" and dialog.use_button.isEnabled()
    with qtbot.waitSignal(panel.changed):
        dialog.accept()
    ws = panel.workspace
    assert ws.source["name"] == "민원 2024.csv" and (panel.host.files_dir / ws.source["file"]).is_file()
    assert ws.table["처리일수"].iloc[0] == 0.5 and panel.source_combo.currentData() == "file"
    assert "Your own file" in panel.source_info.text()


def test_an_unreadable_file_gets_a_clear_message_and_no_dialog(qtbot, panel, tmp_path):
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    with qtbot.assertNotEmitted(panel.changed):
        panel.import_file(bad)
    assert panel.import_dialog is None
    assert "photo.csv is not a text table" in panel.source_error.text()
    assert panel.open_button.isEnabled()


def test_charts_stay_left_to_right_in_arabic(qtbot, panel):
    panel.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert panel.chart_view.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_table_model_serves_a_million_rows_on_demand(qtbot):
    from PySide6.QtWidgets import QTableView

    frame = make_large_frame(1_000_000, seed=3)
    model = FrameModel(frame)
    assert model.rowCount() == 1_000_000 and model.columnCount() == frame.shape[1]
    last = model.index(999_999, 0)
    start = time.process_time()
    for column in range(model.columnCount()):
        model.data(model.index(999_999, column))
    assert time.process_time() - start < 0.05
    assert model.data(last) == "1000000"
    assert model.data(model.index(999_999, 1)) == str(frame["received_date"].iloc[-1])[:16]
    assert model.data(model.index(0, 5), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    missing_row = int(frame["district"].isna().to_numpy().argmax())
    assert model.data(model.index(missing_row, 2)) == "missing"

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    start = time.process_time()
    view.scrollToBottom()
    qtbot.wait(10)
    view.viewport().repaint()
    assert time.process_time() - start < 2.0
    assert view.indexWidget(last) is None  # cells are painted, not widgets
    assert view.rowAt(view.viewport().height() - 2) > 999_000


def test_work_on_a_million_rows_runs_off_the_gui_thread(qtbot, tmp_path):
    from labs.data_analysis.engine.workspace import AnalysisWorkspace
    from labs.preview import PreviewHost

    host = PreviewHost(tmp_path)
    try:
        workspace = AnalysisWorkspace(make_large_frame(1_000_000, seed=4), {"dataset": "large"})
        panel = AnalysisPanel(workspace, host)
        qtbot.addWidget(panel)
        panel.show()
        panel.step_editor.choose_kind("filter")
        form = panel.step_editor.forms["filter"]
        form.column.choose("district")
        form.operator.setCurrentIndex(form.operator.findData("is not missing"))
        qtbot.mouseClick(panel.step_editor.apply_button, Qt.MouseButton.LeftButton)
        assert host.runner.busy and not panel.step_editor.apply_button.isEnabled()  # the GUI thread is free
        with qtbot.waitSignal(panel.changed, timeout=60_000):
            pass
        assert panel.model.rowCount() == int(workspace.original["district"].notna().sum())
        assert panel.step_editor.apply_button.isEnabled()
        qtbot.waitUntil(lambda: not host.runner.busy, timeout=10_000)
    finally:
        host.runner.shutdown()
