"""Run a function in a fresh process and measure its wall time and peak memory.

Each measured function runs in its own spawned interpreter, so one method's
memory (or TensorFlow's start-up) never counts against another's. Peak memory
is the process's peak resident set size (``ru_maxrss``), which includes the
interpreter and the loaded data: the baseline column says how much of it was
there before the measured work started.
"""

import importlib
import multiprocessing as mp
import os
import platform
import resource
import time


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(module, name, args, queue):
    try:
        func = getattr(importlib.import_module(module), name)
        prepare = getattr(func, "prepare", None)
        data = prepare(*args) if prepare else args
        baseline = _rss_mb()
        start = time.perf_counter()
        result = func(*data) if prepare else func(*args)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "result": result,
            }
        )
    except BaseException as exc:  # reported to the parent
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def measure(func, *args, repeat=1):
    """Best wall time of ``repeat`` fresh-process runs, and the peak memory.

    ``func`` must be a module-level function; if it has a ``prepare``
    attribute, ``prepare(*args)`` runs first (not timed) and its result is
    passed to ``func``.
    """
    runs = []
    ctx = mp.get_context("spawn")
    for _ in range(repeat):
        queue = ctx.Queue()
        proc = ctx.Process(
            target=_child, args=(func.__module__, func.__name__, args, queue)
        )
        proc.start()
        out = queue.get()
        proc.join()
        if "error" in out:
            raise RuntimeError(f"{func.__name__} failed: {out['error']}")
        runs.append(out)
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["all_seconds"] = [r["seconds"] for r in runs]
    return best


def machine():
    """One line about this machine."""
    import numpy
    import sklearn

    cpu = platform.processor() or platform.machine()
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 2**20
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GB RAM, Python "
        f"{platform.python_version()}, numpy {numpy.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )
