"""The GUI half of `python main.py bench labs`, run in a fresh process so its peak memory is the app's:
the real main window opens the data-and-ml course's machine-learning lab and fits gradient boosting
through the task runner while a 5 ms timer probes the event loop. The target stall is the fit in the
lab on its own data; the same panel fitting 100,000 rows, and the moments the results are drawn,
are reported beside it. Then the data lab opens too, and the traffic lab's panel simulates a day and plays it on
its maps at 60 frames a second (four times the learner's speed) while the same probe runs. Prints one JSON line.

`python -m app.bench_labs_gui --traffic-only` measures only the traffic lab (a quick look: no model fits)."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.i18n import set_locale
    from app.core.paths import settings_path
    from app.core.record.store import LearningRecord
    from app.core.settings import Settings, save_settings
    from app.core.storage.database import open_database
    from app.core.sysinfo import peak_rss_mib
    from app.ui.locale_setup import prepare_application
    from app.ui.main_window import MainWindow
    from app.ui.stall_probe import StallProbe

    folder = Path(tempfile.mkdtemp(prefix="civicai-benchlabs-"))
    database = open_database(folder)
    learner = LearningRecord(database).add_learner("Benchmark", "en")
    database.dispose()
    settings = Settings(locale="en", learner_id=learner.id)
    save_settings(settings_path(folder), settings)

    app = QApplication(sys.argv[:1])
    set_locale("en")
    prepare_application(app, "en")
    from app.ui.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # noqa: F841 - as the app runs: cycles collected on the GUI thread
    window = MainWindow(folder, settings, app.font())
    window.resize(1200, 800)
    window.show()

    def wait_for(condition, timeout_s: float = 300) -> bool:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                return False
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()
        return True

    loop = QEventLoop()
    window.ready.connect(loop.quit)
    window.start()
    loop.exec()
    if "--traffic-only" in sys.argv:
        print(json.dumps({"traffic": traffic_animation(window, wait_for), "peak_rss_mib": round(peak_rss_mib(), 1)}),
              flush=True)
        window.close()
        app.processEvents()
        return 0
    course = window.services.catalogue.course("data-and-ml")
    peaks = {"catalogue": round(peak_rss_mib(), 1)}  # the peak after each stage, to see what costs

    def open_lab(target: str):
        item = next(i for i in course.items if i.target == target)
        window.open_item(course.id, item.id)
        screen = window.screen
        assert wait_for(lambda: screen.panel is not None), "the lab did not open"
        assert wait_for(lambda: not window.runner.busy), "the lab's background work did not end"
        return screen

    def fit_in(panel) -> tuple[float, float, bool]:
        """(longest stall while the model fits, longest stall while its results are drawn, finished)."""
        done, fitting = [], []
        panel.trained.connect(done.append)
        probe = StallProbe(interval_ms=5)
        window.runner.ended.connect(lambda _task: fitting.append(probe.longest_ms) if not fitting else None)
        probe.start()
        panel.train()
        finished = wait_for(lambda: bool(done), timeout_s=600)
        overall = probe.stop()
        return (fitting[0] if fitting else overall), overall, finished

    from labs.machine_learning.engine.models import BOOSTING, ModelSpec

    screen = open_lab("machine_learning/no-code")
    peaks["ml_lab_open"] = round(peak_rss_mib(), 1)
    workspace = screen.workspace
    workspace.set_target("approved")
    workspace.set_features(["applicant_age", "household_size", "monthly_income", "children_under_6", "employment",
                            "region", "documents_complete", "previous_applications"])
    workspace.set_model(ModelSpec(BOOSTING))
    screen.panel.refresh()
    stall_lab, drawn_lab, finished_lab = fit_in(screen.panel)
    peaks["ml_lab_fitted"] = round(peak_rss_mib(), 1)

    from labs.machine_learning.engine.benchmark import benchmark_workspace
    from labs.machine_learning.panel import ModelPanel

    big = ModelPanel(benchmark_workspace(100_000), screen)  # the same panel, on 100,000 rows
    big.resize(900, 600)
    big.show()
    assert wait_for(lambda: not window.runner.busy)
    stall_big, drawn_big, finished_big = fit_in(big)
    big.close()
    big.deleteLater()
    peaks["fitted_100k_rows"] = round(peak_rss_mib(), 1)

    open_lab("data_analysis/open-data")
    peaks["data_lab_open"] = round(peak_rss_mib(), 1)
    traffic = traffic_animation(window, wait_for)
    peaks["traffic_lab_played"] = round(peak_rss_mib(), 1)
    print(json.dumps({"longest_stall_ms": round(stall_lab, 1),  # the target: the lab, on its own data
                      "stall_lab_data_ms": round(stall_lab, 1), "stall_100k_rows_ms": round(stall_big, 1),
                      "stall_with_results_drawn_lab_data_ms": round(drawn_lab, 1),
                      "stall_with_results_drawn_100k_rows_ms": round(drawn_big, 1),
                      "fit_finished": finished_lab and finished_big, "traffic": traffic,
                      "peak_rss_mib": round(peak_rss_mib(), 1),
                      "peak_rss_after_mib": peaks}),
          flush=True)
    window.close()
    app.processEvents()
    return 0


def traffic_animation(window, wait_for) -> dict:
    """The traffic lab's panel in a window of its own: the longest stall of the event loop while the day is
    simulated on the task runner, and while the animation plays the whole day at 16 ms a frame; the cost of one
    frame (recolouring both maps and moving the chart's time line) measured directly on the GUI thread."""
    from app.core.tasks import TaskState
    from app.ui.stall_probe import StallProbe
    from labs.preview import PreviewHost
    from labs.smart_city.traffic_lab import LAB, REFERENCE
    from labs.smart_city.traffic_panel import TrafficPanel
    from labs.smart_city.traffic_workspace import PERIODS

    host = PreviewHost(Path(tempfile.mkdtemp(prefix="civicai-benchtraffic-")), window)
    snapshot = {**REFERENCE, "simulation": {**REFERENCE["simulation"], "run": False}}  # simulated below, measured
    opened: list = []
    host.run(lambda state: LAB.open(snapshot, state, None), opened.append, "traffic lab")
    assert wait_for(lambda: bool(opened)), "the traffic lab did not open"
    start = time.perf_counter()
    job = opened[0].simulation_job()
    job(TaskState())  # the simulated day itself, both plans and the maps' frames, off any event loop
    job_ms = (time.perf_counter() - start) * 1000
    panel = TrafficPanel(opened[0], host)
    panel.resize(1100, 760)
    panel.show()
    panel.tabs.setCurrentIndex(2)
    wait_for(lambda: False, timeout_s=0.3)  # painted and settled
    simulated, played = [], []
    panel.simulated.connect(lambda: simulated.append(1))
    panel.day.finished_playing.connect(lambda: played.append(1))
    probe = StallProbe(interval_ms=5)
    probe.start()
    panel.day.simulate()
    finished = wait_for(lambda: bool(simulated), timeout_s=60)
    stall_simulating = probe.stop()
    probe.start()
    start = time.perf_counter()
    panel.day.play(interval_ms=16)
    finished = wait_for(lambda: bool(played), timeout_s=120) and finished
    play_s = time.perf_counter() - start
    stall_playing = probe.stop()
    frame_ms = []
    for index in range(PERIODS):
        start = time.perf_counter()
        panel.day.slider.setValue(index)
        frame_ms.append((time.perf_counter() - start) * 1000)
    panel.close()
    panel.deleteLater()
    host.runner.shutdown()
    return {"simulation_job_ms": round(job_ms, 1), "stall_while_simulating_ms": round(stall_simulating, 1),
            "stall_while_playing_ms": round(stall_playing, 1), "frames_played": PERIODS - 1,
            "play_seconds": round(play_s, 2), "frame_ms_mean": round(sum(frame_ms) / len(frame_ms), 2),
            "frame_ms_max": round(max(frame_ms), 2), "finished": finished}


if __name__ == "__main__":
    sys.exit(main())
