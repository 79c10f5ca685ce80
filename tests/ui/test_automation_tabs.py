"""The automation lab's Routing and Letters tabs, driven like a person: train, move the threshold, read
the queue and the languages, answer; edit a template, see the problem on its line, fix it, preview,
and write the batch of PDFs (also through the real task runner, on a worker thread)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.core.i18n import set_locale
from app.core.problems import InvalidInput, Problem
from app.core.tasks import TaskState
from labs.automation.engine import routing as routing_engine
from labs.automation.engine.letters import LetterWork, default_template
from labs.automation.engine.routing import RoutingWork, train_routing
from tests.ui.sync_host import SyncHost
from tests.ui.test_accessibility import unnamed_controls


@pytest.fixture
def routing_tab(qtbot, tmp_path):
    def make(work: RoutingWork | None = None, **host_options):
        from labs.automation.routing_tab import RoutingTab

        host = SyncHost(tmp_path, **host_options)
        tab = RoutingTab(work or RoutingWork.fresh(), host)
        qtbot.addWidget(tab)
        tab.show()
        return tab, host
    return make


@pytest.fixture
def letters_tab(qtbot, tmp_path):
    def make(work: LetterWork | None = None, **host_options):
        from labs.automation.letters_tab import LettersTab

        host = SyncHost(tmp_path, **host_options)
        tab = LettersTab(work or LetterWork.fresh(), host)
        qtbot.addWidget(tab)
        tab.show()
        return tab, host
    return make


def _click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ------------------------------------------------------------------------------------ routing

def test_train_and_read_the_results(qtbot, routing_tab):
    tab, host = routing_tab()
    assert not tab.slider.isEnabled() and tab.status.text() == "Not trained yet."
    with qtbot.waitSignal(tab.changed, timeout=5000):
        _click(qtbot, tab.train_button)
    assert host.labels == ["Training the router"] and tab.work.trained
    assert tab.status.text().startswith("Trained on 2100 requests")
    stats = tab.work.stats()
    assert tab.auto_label.text().startswith(f"{stats.auto_share:.0%} ({stats.auto_count} of 900")
    assert tab.sweep_table.rowCount() == 21 and tab.chart.points == 21
    assert tab.language_table.rowCount() == 8
    assert tab.language_table.item(0, 1).text() == str(max(tab.work.result.train_counts.values()))
    queue = tab.work.result.review_queue(tab.work.threshold)
    assert tab.queue_table.rowCount() == min(len(queue), 300)
    assert str(len(queue)) in tab.queue_label.text()
    assert tab.worst_answer.count() == 9  # "(choose a language)" and the eight languages


def test_moving_the_threshold_updates_the_numbers_and_saves_once(qtbot, routing_tab):
    tab, _host = routing_tab()
    _click(qtbot, tab.train_button)
    emitted = []
    tab.changed.connect(lambda: emitted.append(1))
    for value in (0.2, 0.5, 0.9):
        tab.spin.setValue(value)
    assert tab.work.threshold == 0.9 and tab.slider.value() == 90
    qtbot.waitUntil(lambda: emitted == [1], timeout=3000)  # one save after the movement settles
    stats = tab.work.result.stats(0.9)
    assert tab.auto_accuracy_label.text() == f"{stats.auto_accuracy:.0%}"
    assert tab.queue_table.rowCount() == min(stats.review_count, 300)
    tab.slider.setValue(40)
    assert tab.work.threshold == 0.4 and tab.spin.value() == pytest.approx(0.4)
    tab.sweep_table.cellClicked.emit(2, 0)  # a row of the trade-off table sets its threshold
    assert tab.work.threshold == 0.1


def test_answers_and_trying_a_request(qtbot, routing_tab):
    tab, _host = routing_tab()
    _click(qtbot, tab.train_button)
    qtbot.keyClicks(tab.reviews_answer, "12")
    assert tab.work.answers["reviews_per_day"] == "12"
    worst = tab.work.result.worst_language().language
    tab.worst_answer.setCurrentIndex(tab.worst_answer.findData(worst))
    assert tab.work.answers["worst_language"] == worst
    with qtbot.waitSignal(tab.changed, timeout=3000):
        pass
    tab.views.setCurrentIndex(3)
    tab.try_input.setText("عمود الإنارة في شارع السوق مطفأ")  # QTest types ASCII only
    tab.spin.setValue(0.0)
    _click(qtbot, tab.try_button)
    assert tab.try_result.text().startswith("Routed to ")
    tab.spin.setValue(1.0)
    _click(qtbot, tab.try_button)
    assert tab.try_result.text().startswith("To the review queue")


def test_a_resumed_tab_shows_the_same_work(qtbot, routing_tab):
    work = RoutingWork.from_dict({"test_share": 0.25, "threshold": 0.65, "trained": True,
                                  "answers": {"reviews_per_day": "3", "worst_language": "fr"}}, TaskState())
    tab, _host = routing_tab(work)
    assert tab.test_share.currentData() == 0.25 and tab.spin.value() == pytest.approx(0.65)
    assert tab.reviews_answer.text() == "3" and tab.worst_answer.currentData() == "fr"
    tab.test_share.setCurrentIndex(tab.test_share.findData(0.4))
    assert not tab.work.trained and tab.status.text() == "Not trained yet."


def test_training_errors_and_cancel_leave_the_tab_usable(qtbot, routing_tab, monkeypatch):
    import labs.automation.routing_tab as module

    def broken(share, state):
        raise InvalidInput([Problem("citizen-requests", 0, "The data could not be read.")])

    monkeypatch.setattr(module, "train_routing", broken)
    tab, host = routing_tab()
    _click(qtbot, tab.train_button)
    assert host.told and host.told[-1][0] == "The router could not be trained"
    assert "could not be read" in host.told[-1][1] and tab.train_button.isEnabled()
    monkeypatch.setattr(module, "train_routing", train_routing)
    cancelled, _host = routing_tab(cancel=True)
    monkeypatch.setattr(routing_engine, "_CACHE", {})  # a cached router would skip the cancel point
    _click(qtbot, cancelled.train_button)
    assert not cancelled.work.trained and cancelled.train_button.isEnabled()


# ------------------------------------------------------------------------------------ letters

def test_a_broken_template_is_explained_on_its_line_and_fixed(qtbot, letters_tab):
    tab, _host = letters_tab()
    assert tab.problem is None and not tab.problem_label.isVisible()
    assert "All 44 letters can be written." == tab.summary_label.text()
    source = default_template("en").replace("{{ address }}", "{{ adress }}")
    tab.editor.setPlainText(source)
    with qtbot.waitSignal(tab.changed, timeout=3000):  # committed once typing pauses
        pass
    assert tab.work.edited("en") and tab.problem.line == 5
    assert tab.problem_label.text().startswith("Line 5: ") and "Did you mean 'address'?" in tab.problem_label.text()
    assert tab.highlighted_line() == 5 and tab.show_line_button.isVisible()
    _click(qtbot, tab.show_line_button)
    assert tab.editor.textCursor().blockNumber() == 4
    assert tab.summary_label.text().startswith("40 of 44 letters")  # only the 4 English letters use this template
    assert "cannot be written" in tab.preview.toPlainText()
    tab.editor.setPlainText(default_template("en"))
    tab.commit_template()
    assert tab.problem is None and tab.highlighted_line() == 0 and not tab.work.edited("en")


def test_an_escape_typed_in_the_editor_is_stopped(qtbot, letters_tab):
    tab, _host = letters_tab()
    tab.editor.setPlainText("Dear {{ applicant_name }},\n{{ ''.__class__.__mro__ }}\n")
    tab.commit_template()
    assert tab.problem.kind == "refused" and tab.highlighted_line() == 2
    assert "'__class__'" in tab.problem_label.text()
    tab.editor.setPlainText("{% include '/etc/passwd' %}")
    tab.commit_template()
    assert "cannot read files" in tab.problem_label.text() and tab.highlighted_line() == 1


def test_fields_insert_previews_follow_the_applicant_and_reset_works(qtbot, letters_tab):
    tab, _host = letters_tab()
    record = tab.records[5]
    tab.record.setCurrentIndex(5)
    assert tab.work.preview == 5 and record["applicant_name"] in tab.preview.toPlainText()
    from labs.printing import SealedDocument

    assert isinstance(tab.preview.document(), SealedDocument)  # an image link in a template reads no file
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    item = next(tab.fields.item(i) for i in range(tab.fields.count())
                if tab.fields.item(i).data(Qt.ItemDataRole.UserRole) == "appeal_deadline")
    tab.fields.itemDoubleClicked.emit(item)
    assert tab.editor.toPlainText().endswith("{{ appeal_deadline }}")
    tab.commit_template()
    assert record["appeal_deadline"].isoformat() in tab.preview.toPlainText()
    assert tab.reset_button.isEnabled()
    _click(qtbot, tab.reset_button)
    assert not tab.work.edited("en") and tab.editor.toPlainText() == default_template("en")
    tab.language.setCurrentIndex(tab.language.findData("ko"))
    assert tab.work.editing == "ko" and "님께" in tab.preview.toPlainText()


def test_the_batch_writes_every_letter_and_passes_the_task(qtbot, letters_tab, tmp_path):
    from labs.automation.engine.letters import LETTER_TASKS

    tab, host = letters_tab()
    folder = tmp_path / "letters"
    folder.mkdir()
    with qtbot.waitSignal(tab.batch_written, timeout=60000) as written:
        tab.generate(folder, combined=True)
    batch = written.args[0]
    assert host.labels == ["Writing the letters"] and batch["letters"] == 44
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 45 and "all-letters.pdf" in files and "BP-2024-00001-ko.pdf" in files
    assert "44 letters written" in tab.batch_label.text()
    check = next(t for t in LETTER_TASKS if t.id == "letters_batch").check

    class Workspace:
        letters = tab.work

    assert check(Workspace()).passed
    tab.mode.setCurrentIndex(tab.mode.findData("en"))
    assert not check(Workspace()).passed  # changed after the batch


def test_a_batch_with_a_broken_template_writes_nothing(qtbot, letters_tab, tmp_path):
    tab, host = letters_tab()
    tab.language.setCurrentIndex(tab.language.findData("ko"))
    tab.editor.setPlainText("{{ nope }}")
    tab.generate(tmp_path, combined=False)
    assert host.told[-1][0] == "The letters were not written" and "'nope'" in host.told[-1][1]
    assert not any(tmp_path.glob("*.pdf")) and tab.work.batches == []


def test_a_cancelled_batch_says_so(qtbot, letters_tab, tmp_path):
    tab, _host = letters_tab(cancel=True)
    tab.generate(tmp_path, combined=True)
    assert tab.batch_label.text().startswith("Cancelled.") and tab.work.batches == []
    assert not any(tmp_path.glob("*.pdf")) and tab.generate_button.isEnabled()


def test_the_batch_runs_on_the_real_task_runner(qtbot, tmp_path):
    """Through the app's TaskRunner: the PDFs are printed on a worker thread, the result comes back here."""
    from labs.automation.letters_tab import LettersTab
    from labs.preview import PreviewHost

    parent = QWidget()
    qtbot.addWidget(parent)
    host = PreviewHost(tmp_path, parent)
    tab = LettersTab(LetterWork.fresh(), host, parent)
    with qtbot.waitSignal(tab.batch_written, timeout=120000):
        tab.generate(tmp_path, combined=True)
    host.runner.shutdown()
    pdfs = list(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 45
    assert all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in pdfs)
    assert b"NotoSansArabic" in (tmp_path / "all-letters.pdf").read_bytes()


# ------------------------------------------------------------------------------------ both

def test_every_control_has_a_name(qtbot, routing_tab, letters_tab):
    routing, _host = routing_tab()
    _click(qtbot, routing.train_button)
    for index in range(routing.views.count()):
        routing.views.setCurrentIndex(index)
        assert not unnamed_controls(routing), unnamed_controls(routing)
    letters, _host = letters_tab()
    assert not unnamed_controls(letters), unnamed_controls(letters)


def test_arabic_mirrors_the_tabs_but_not_charts_numbers_or_code(qtbot, qapp, routing_tab, letters_tab):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    routing, _host = routing_tab()
    _click(qtbot, routing.train_button)
    assert routing.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert routing.chart.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert routing.chart.getPlotItem().layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert routing.slider.layoutDirection() == Qt.LayoutDirection.LeftToRight
    letters, _host = letters_tab()
    assert letters.layoutDirection() == Qt.LayoutDirection.RightToLeft
    letters.language.setCurrentIndex(letters.language.findData("ar"))
    assert letters.preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    document = letters.preview.document()
    assert document.begin().blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
    letters.language.setCurrentIndex(letters.language.findData("en"))
    assert letters.preview.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_large_text_still_fits(qtbot, qapp, routing_tab, letters_tab):
    font = qapp.font()
    size = font.pointSize()
    font.setPointSize(size * 2)
    qapp.setFont(font)
    try:
        routing, _host = routing_tab()
        letters, _host = letters_tab()
        for tab in (routing, letters):
            tab.resize(1000, 800)
            qtbot.wait(10)
            hint = tab.minimumSizeHint()
            # layouts and word-wrapped labels, no fixed widths: it still fits a 1366-pixel-wide screen
            assert hint.width() < 1300, (type(tab).__name__, hint.width())
    finally:
        font.setPointSize(size)
        qapp.setFont(font)
