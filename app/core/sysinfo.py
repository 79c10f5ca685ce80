"""Process facts for --self-test and benchmarks: start time and peak memory, on every OS."""

from __future__ import annotations

import sys
import time


def process_start_time() -> float:
    """Wall-clock time the process was created, to ~10 ms (falls back to now).

    On Linux: the process's age from /proc (psutil's create_time is anchored to whole-second
    boot time, too coarse for start-up timing, and importing it costs memory).
    """
    if sys.platform.startswith("linux"):
        try:
            import os

            with open("/proc/self/stat") as f:
                start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
            with open("/proc/uptime") as f:
                uptime = float(f.read().split()[0])
            return time.time() - (uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
        except (OSError, ValueError, IndexError):
            return time.time()
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # psutil missing or the OS refuses: measure from here instead
        return time.time()


def peak_rss_mib() -> float:
    """The largest resident memory this process has used so far, in MiB."""
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
    except ImportError:  # Windows
        import psutil

        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 1024 / 1024
