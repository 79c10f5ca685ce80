"""`python main.py bench labs`: the labs' heavy work, each against a baseline measured in the same
run (these machines are noisy, so only ratios and limits are judged), plus the GUI's longest stall
while a model fits in the lab and the peak memory with the labs open.

    group-by        the data lab's GroupBy step on 1,000,000 rows  vs  the same pandas groupby call
    boosting        the ML lab's fit of gradient boosting on 100,000 rows (grown in chunks, with
                    progress and cancel between them)  vs  one plain scikit-learn fit of the same
                    model on the same rows; the learner's whole run (with a baseline, permutation
                    importance and leakage checks) is reported beside it
    gui             in a fresh process: the real window, the ML lab open, a gradient-boosting fit run
                    through the task runner while a 5 ms timer probes the event loop; then the data
                    lab opened too; the longest stall and the peak memory

Exit 0 when every target holds. Targets (issue 4): stall < 50 ms, memory < 350 MiB; the ratios
are ours: the lab's group-by and its chunked fit each cost at most 1.5x the bare library call.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from app.core.resources import resource_root

GROUPBY_RATIO_TARGET = 1.5
FIT_RATIO_TARGET = 1.5
STALL_TARGET_MS = 50.0
MEMORY_TARGET_MIB = 350.0
TRAFFIC_DAY_TARGET_S = 1.0  # issue 8: a full simulated day of the traffic district


def _median_seconds(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def groupby(rows: int) -> dict:
    from labs.data_analysis.engine.bigdata import make_large_frame
    from labs.data_analysis.engine.steps import GroupBy

    frame = make_large_frame(rows, seed=0)
    step = GroupBy(("district",), "days_to_resolve", "mean")
    step.apply(frame)  # warm both paths once
    frame.groupby("district")["days_to_resolve"].mean()
    lab, bare = [], []
    for _ in range(5):  # interleaved, so noise hits both
        lab.append(_median_seconds(lambda: step.apply(frame), 1))
        bare.append(_median_seconds(lambda: frame.groupby("district")["days_to_resolve"].mean(), 1))
    result = {"rows": rows, "lab_groupby_s": round(statistics.median(lab), 4),
              "pandas_groupby_s": round(statistics.median(bare), 4)}
    result["ratio"] = round(result["lab_groupby_s"] / max(result["pandas_groupby_s"], 1e-9), 2)
    result["ratio_target"] = GROUPBY_RATIO_TARGET
    result["ok"] = result["ratio"] <= GROUPBY_RATIO_TARGET
    return result


def boosting(rows: int = 100_000) -> dict:
    """The lab's fit (grown in chunks with progress and cancel) against one plain fit of the same model
    on the same prepared rows; and the learner's whole training run, reported beside it."""
    from sklearn.base import clone

    from app.core.tasks import TaskState
    from labs.machine_learning.engine.benchmark import BENCHMARK_SPEC, fit_gradient_boosting, make_regression_frame
    from labs.machine_learning.engine.split import split_rows
    from labs.machine_learning.engine.training import _Progress, fit_model, fit_threads
    from threadpoolctl import threadpool_limits

    run = fit_gradient_boosting(rows)
    frame = make_regression_frame(rows, seed=0)
    train_rows = split_rows(frame, BENCHMARK_SPEC.target, run.summary.task, BENCHMARK_SPEC.split).train
    X = clone(run.pipeline["prepare"]).fit_transform(train_rows[list(BENCHMARK_SPEC.features)])
    y = train_rows[BENCHMARK_SPEC.target]
    lab, bare = [], []
    for _ in range(3):  # interleaved, so noise hits both
        model = clone(run.pipeline["model"]).set_params(warm_start=False)
        start = time.perf_counter()
        fit_model(model, X, y, BENCHMARK_SPEC.model, _Progress(TaskState()))
        lab.append(time.perf_counter() - start)
        model = clone(run.pipeline["model"]).set_params(warm_start=False)
        with threadpool_limits(limits=fit_threads()):  # the lab leaves one core to the window
            start = time.perf_counter()
            model.fit(X, y)
            bare.append(time.perf_counter() - start)
    lab_s, bare_s = statistics.median(lab), statistics.median(bare)
    return {"rows": rows, "lab_fit_s": round(lab_s, 3), "sklearn_fit_s": round(bare_s, 3),
            "ratio": round(lab_s / max(bare_s, 1e-9), 2), "ratio_target": FIT_RATIO_TARGET,
            "whole_training_run_s": round(run.summary.duration, 3),
            "r2": round(float(run.summary.metrics.get("r2", float("nan"))), 3),
            "ok": lab_s / max(bare_s, 1e-9) <= FIT_RATIO_TARGET}


def gui(timeout_s: int = 600) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(resource_root()) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-m", "app.bench_labs_gui"], capture_output=True, text=True, env=env,
                          timeout=timeout_s)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"ok": False, "error": (done.stderr or done.stdout)[-2000:]}
    result = json.loads(lines[-1])
    result["stall_target_ms"] = STALL_TARGET_MS
    result["memory_target_mib"] = MEMORY_TARGET_MIB
    traffic = result.get("traffic", {})
    result["ok"] = (result["longest_stall_ms"] < STALL_TARGET_MS
                    and result["peak_rss_after_mib"]["ml_lab_open"] < MEMORY_TARGET_MIB and result["fit_finished"]
                    and traffic.get("finished", False)
                    and max(traffic.get("stall_while_simulating_ms", 1e9),
                            traffic.get("stall_while_playing_ms", 1e9)) < STALL_TARGET_MS)
    return result


def traffic_day() -> dict:
    """Issue 8: a full simulated day of the traffic district under 1 s, beside a plain loop over the same cells."""
    from labs.smart_city.traffic.benchmark import run_benchmark

    result = run_benchmark()
    return {"simulated_day_s": round(result.seconds, 4), "plan_s": round(result.plan_seconds, 4),
            "baseline_loop_s": round(result.baseline_seconds, 5), "ratio": round(result.ratio, 1),
            "target_s": TRAFFIC_DAY_TARGET_S, "ok": result.seconds < TRAFFIC_DAY_TARGET_S}


def run(rows: int, as_json: bool) -> int:
    # The GUI process first: Linux keeps a process's peak memory across exec, so a child started by a
    # parent that already holds a million-row table would report the parent's peak as its own.
    gui_result = gui()
    results = {"groupby": groupby(rows), "boosting": boosting(), "traffic_day": traffic_day(), "gui": gui_result}
    results["ok"] = all(part["ok"] for part in results.values() if isinstance(part, dict))
    if as_json:
        print(json.dumps(results))
    else:
        g, b, u = results["groupby"], results["boosting"], results["gui"]
        print(f"group-by on {g['rows']:,} rows: lab {g['lab_groupby_s']} s, pandas {g['pandas_groupby_s']} s, "
              f"ratio {g['ratio']} (target <= {g['ratio_target']})")
        print(f"gradient boosting on {b['rows']:,} rows: lab fit {b['lab_fit_s']} s, bare fit "
              f"{b['sklearn_fit_s']} s, ratio {b['ratio']} (target <= {b['ratio_target']}); the whole training "
              f"run {b['whole_training_run_s']} s, R2 {b['r2']}")
        d = results["traffic_day"]
        print(f"traffic district, a full simulated day: {d['simulated_day_s'] * 1000:.1f} ms (target < "
              f"{d['target_s']} s); a plain loop over the same approach-periods {d['baseline_loop_s'] * 1000:.2f} ms,"
              f" ratio {d['ratio']}; re-timing every hour {d['plan_s'] * 1000:.1f} ms")
        if "error" in u:
            print(f"GUI measurement failed: {u['error']}")
        else:
            print(f"longest GUI stall while a model fits in the lab: {u['longest_stall_ms']} ms "
                  f"(target < {STALL_TARGET_MS}); with its results drawn: "
                  f"{u['stall_with_results_drawn_lab_data_ms']} ms; fitting 100,000 rows in the same panel: "
                  f"{u['stall_100k_rows_ms']} ms, with results drawn {u['stall_with_results_drawn_100k_rows_ms']} ms")
            traffic = u.get("traffic", {})
            print(f"traffic lab: longest GUI stall while the day is simulated {traffic.get('stall_while_simulating_ms')}"
                  f" ms, while the animation plays {traffic.get('stall_while_playing_ms')} ms "
                  f"(target < {STALL_TARGET_MS}); one frame {traffic.get('frame_ms_mean')} ms on average, "
                  f"{traffic.get('frame_ms_max')} ms at most")
            print(f"peak memory with the machine-learning lab open: {u['peak_rss_after_mib']['ml_lab_open']} MiB "
                  f"(target < {MEMORY_TARGET_MIB}); after every step: {u['peak_rss_after_mib']}")
        print("OK" if results["ok"] else "TARGET MISSED")
    return 0 if results["ok"] else 1
