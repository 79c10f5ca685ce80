"""The machine-learning lab's panel, driven the way a learner does, through a synchronous fake host."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.machine_learning.engine.card import CardText
from labs.machine_learning.engine.samples import make_benefit_frame, make_regression_frame
from labs.machine_learning.engine.workspace import FrameSource, ModelWorkspace, Question
from tests.ui.sync_host import SyncHost

QUESTIONS = (Question("top_feature", "Which feature matters most?", "feature"),
             Question("share", "What share?", "percent"))


@pytest.fixture
def workspace() -> ModelWorkspace:
    source = FrameSource({"benefit": make_benefit_frame(800, seed=3), "bikes": make_regression_frame(1500, seed=3)},
                         {"benefit": "submitted_date", "bikes": "datetime"})
    return ModelWorkspace(source, ("benefit", "bikes"), QUESTIONS)


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(workspace: ModelWorkspace, **host_options):
        from labs.machine_learning.panel import ModelPanel

        host = SyncHost(tmp_path, **host_options)
        panel = ModelPanel(workspace, host)
        qtbot.addWidget(panel)
        panel.show()
        return panel, host
    return make


HONEST = ["applicant_age", "household_size", "monthly_income", "children_under_6", "documents_complete"]


def choose_and_train(qtbot, panel) -> None:
    with qtbot.waitSignal(panel.changed):
        panel.set_target("approved")
    with qtbot.waitSignal(panel.changed):
        panel.set_features(HONEST)
    with qtbot.waitSignal(panel.trained, timeout=60000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)


def test_choosing_a_target_shows_the_task_and_marks_leaky_columns(qtbot, make_panel, workspace):
    panel, host = make_panel(workspace)
    assert "Loading the data" in host.labels  # the first load went through the host
    assert panel.preview.rowCount() == 30 and not panel.train_button.isEnabled()
    with qtbot.waitSignal(panel.changed):
        panel.set_target("approved")
    assert workspace.setup.target == "approved"
    assert panel.task_label.text().startswith("Classification")
    texts = {panel.features_list.item(i).data(Qt.ItemDataRole.UserRole): panel.features_list.item(i)
             for i in range(panel.features_list.count())}
    assert "approved" not in texts
    assert texts["approval_code"].text().startswith("⚠") and "A goes with yes" in texts["approval_code"].toolTip()
    assert texts["decision_letter_sent_date"].text().startswith("⚠")
    assert not texts["monthly_income"].text().startswith(("⚠", "ⓘ"))
    assert "approval_code starts with a code" in panel.hints_label.text()
    assert "Looking for leakage" in host.labels


def test_training_shows_results_and_emits_changed(qtbot, make_panel, workspace):
    panel, _host = make_panel(workspace)
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    choose_and_train(qtbot, panel)
    assert changes and len(workspace.runs) == 1
    run = workspace.runs[-1]
    assert panel.steps.currentIndex() == 4 and not panel.results_empty.isVisible()
    assert panel.comparison_label.text().startswith("The model's balanced accuracy is")
    assert panel.metrics_table.rowCount() == 2
    assert panel.metrics_table.item(0, 1).text() == f"{run.metrics['accuracy']:.3f}"
    assert panel.metrics_table.item(0, 2).text() == f"{run.baseline['accuracy']:.3f}"
    assert panel.confusion.isVisible() and panel.confusion.rowCount() == 2
    assert panel.confusion.item(0, 0).text().startswith(f"{run.confusion[0][0]:,}")
    assert not panel.residuals.isVisible()
    assert panel.importance.names == [name for name, _m, _s in run.importance]
    assert panel.runs_table.rowCount() == 1 and panel.runs_table.item(0, 3).text() == "Decision tree"
    assert "DecisionTreeClassifier(max_depth=4" in panel.model_code.toPlainText()
    assert "train_test_split" in panel.split_code.toPlainText()
    # the feature question offers the run's features; answering it is a change to save
    combo = panel.answer_widgets["top_feature"]
    assert combo.count() == len(HONEST) + 1
    with qtbot.waitSignal(panel.changed):
        combo.setCurrentIndex(combo.findData("documents_complete"))
    assert workspace.answers["top_feature"] == "documents_complete"


def test_a_regression_run_draws_the_residual_plot(qtbot, make_panel, workspace):
    panel, _host = make_panel(workspace)
    panel.select_dataset("bikes")
    assert workspace.dataset == "bikes"
    with qtbot.waitSignal(panel.changed):
        panel.set_target("count")
    panel.set_features(["datetime", "temp", "workingday"])
    with qtbot.waitSignal(panel.changed):
        panel.time_radio.setChecked(True)
    assert workspace.setup.split.kind == "time" and workspace.setup.split.time_column == "datetime"
    assert "quantile" in panel.split_code.toPlainText()
    with qtbot.waitSignal(panel.trained, timeout=60000):
        panel.train()
    assert panel.residuals.isVisible() and panel.residuals.points == workspace.runs[-1].rows["test"]
    assert not panel.confusion.isVisible()


def test_model_settings_change_the_workspace(qtbot, make_panel, workspace):
    panel, _host = make_panel(workspace)
    panel.set_target("approved")
    panel.set_features(HONEST)
    with qtbot.waitSignal(panel.changed):
        panel.model_combo.setCurrentIndex(panel.model_combo.findData("random_forest"))
    assert workspace.setup.model.kind == "random_forest"
    with qtbot.waitSignal(panel.changed):
        panel.param_widgets["n_trees"].setValue(30)
    assert workspace.setup.model.value("n_trees") == 30
    assert "n_estimators=30" in panel.model_code.toPlainText()
    with qtbot.waitSignal(panel.changed):
        panel.test_share.setValue(30)
    assert workspace.setup.split.test_fraction == 0.3


def test_a_cancelled_fit_leaves_the_panel_ready_again(qtbot, make_panel, workspace):
    panel, host = make_panel(workspace)
    panel.set_target("approved")
    panel.set_features(HONEST)
    host.cancel = True
    panel.train()
    assert workspace.runs == [] and panel.train_button.isEnabled()
    assert panel.train_status.text() == "Training was cancelled."


def test_training_without_features_is_explained(qtbot, make_panel, workspace):
    panel, host = make_panel(workspace)
    assert "submitted_date" not in [panel.target_combo.itemData(i) for i in range(panel.target_combo.count())]
    panel.set_target("approved")
    assert not panel.train_button.isEnabled()
    assert panel.train_status.text() == "Choose the column to predict and at least one feature."
    panel.train()
    assert host.told == [("The model cannot be trained yet",
                          "Choose at least one feature: a column the model may use to predict.")]
    assert workspace.runs == []


def test_card_text_is_saved_and_exported_as_markdown_and_pdf(qtbot, make_panel, workspace, tmp_path):
    panel, _host = make_panel(workspace)
    assert not panel.save_pdf_button.isEnabled()
    choose_and_train(qtbot, panel)
    with qtbot.waitSignal(panel.changed, timeout=3000):
        qtbot.keyClicks(panel.purpose_edit, "Sort applications for review.")
    assert workspace.card.purpose == "Sort applications for review."
    assert "Sort applications for review." in panel.card_preview.toPlainText()
    markdown = panel.export_markdown(tmp_path / "card.md")
    assert markdown.read_text(encoding="utf-8").startswith("# Model card: Decision tree predicting approved")
    pdf = panel.export_pdf(tmp_path / "card.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert workspace.card_exports == ["markdown", "pdf"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("card", "."))) == ["card.md", "card.pdf"]


def test_a_failed_export_says_so_and_records_nothing(qtbot, make_panel, workspace, tmp_path):
    panel, host = make_panel(workspace)
    choose_and_train(qtbot, panel)
    assert panel.export_markdown(tmp_path / "missing-folder" / "card.md") is None
    assert host.told[-1][0] == "The card was not saved" and "missing-folder" in host.told[-1][1]
    assert workspace.card_exports == []


@pytest.mark.parametrize("locale, text", [("ar", "بطاقة النموذج: الغرض هو فرز الطلبات"),
                                          ("ko", "모델 카드: 신청서를 분류합니다")])
def test_the_pdf_card_is_written_in_arabic_and_korean(qtbot, make_panel, workspace, tmp_path, locale, text):
    from app.ui.fonts import register_bundled_fonts

    register_bundled_fonts()
    set_locale(locale)
    panel, _host = make_panel(workspace, locale=locale)
    choose_and_train(qtbot, panel)
    workspace.set_card(CardText(text, text, text))
    pdf = panel.export_pdf(tmp_path / f"card-{locale}.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    font = b"NotoSansArabic" if locale == "ar" else b"NotoSansKRSubset"
    assert font in data  # the script's own bundled font is embedded, not a missing-glyph box


def test_resume_shows_the_saved_run(qtbot, make_panel, workspace):
    from labs.machine_learning.engine.workspace import open_workspace

    panel, _host = make_panel(workspace)
    choose_and_train(qtbot, panel)
    snapshot = workspace.snapshot()
    again = open_workspace(snapshot, TaskState(), None, source=workspace.source, datasets=workspace.datasets,
                           questions=QUESTIONS)
    resumed, _host2 = make_panel(again)
    assert resumed.metrics_table.item(0, 1).text() == panel.metrics_table.item(0, 1).text()
    assert resumed.importance.names == panel.importance.names
    checked = [resumed.features_list.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(resumed.features_list.count())
               if resumed.features_list.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == list(workspace.setup.features)


def test_charts_stay_left_to_right_in_arabic(qtbot, make_panel, workspace, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    panel, _host = make_panel(workspace, locale="ar")
    choose_and_train(qtbot, panel)
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for widget in (panel.importance, panel.residuals, panel.confusion, panel.model_code):
        assert widget.layoutDirection() == Qt.LayoutDirection.LeftToRight
    for chart in (panel.importance, panel.residuals):  # the plot inside the view, where the axes are laid out
        assert chart.getPlotItem().layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_arabic_card_is_laid_out_right_to_left(qapp):
    from labs.machine_learning.pdf import card_document

    document = card_document("# بطاقة\n\nنص approved\n\n| a | b |\n|---|---|\n| 1 | 2 |", "ar")
    block = document.begin()
    while block.isValid():
        assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft, block.text()
        block = block.next()
    english = card_document("# Card\n\ntext", "en")
    assert english.begin().blockFormat().layoutDirection() != Qt.LayoutDirection.RightToLeft
