"""Run a function in a fresh process and measure its wall time and peak memory.

Each measured function runs in its own spawned interpreter, so one method's
memory (or TensorFlow's start-up) never counts against another's. Peak memory
is the child's own high-water mark of resident memory, ``VmHWM`` in
``/proc/self/status``: it belongs to the address space the interpreter was
exec'd into, so it starts from nothing. (``ru_maxrss`` does not: Linux carries
the forked copy of the parent's peak across ``exec``, so a child of a parent
that had fitted a model reported the parent's peak.) It includes the
interpreter and the loaded data: the baseline column says how much of it was
there before the measured work started.
"""

import contextlib
import importlib
import multiprocessing as mp
import os
import platform
import subprocess
import tempfile
import time


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    """This process's peak resident memory since its ``exec`` (VmHWM), in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise OSError("no VmHWM in /proc/self/status")


def _child(module, name, args, queue):
    try:
        func = getattr(importlib.import_module(module), name)
        prepare = getattr(func, "prepare", None)
        data = prepare(*args) if prepare else args
        baseline = _rss_mb()
        start = time.perf_counter()
        result = func(*data) if prepare else func(*args)
        seconds = time.perf_counter() - start
        peak = peak_mb()
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


@contextlib.contextmanager
def package_at(ref):
    """A checkout of git revision ``ref`` (a temporary worktree): its path.

    Put it first on a child's ``PYTHONPATH`` to run the package as it was.
    """
    root = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "before")
        subprocess.run(
            ["git", "-C", root, "worktree", "add", "--detach", tree, ref],
            check=True,
            capture_output=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", root, "worktree", "remove", "--force", tree],
                check=True,
            )


#: where the package kept these before its sub-packages (0.2), so that a
#: benchmark run with an older revision first on ``PYTHONPATH`` (``--before``)
#: finds them
_BEFORE_SUB_PACKAGES = {
    "available_pipelines": "pipelines",
    "classification_scores": "scoring",
    "import_keras": "_keras",
    "load_splits": "splits",
    "named_pipeline": "pipelines",
    "tune": "model_selection",
}


def api(name):
    """``sklearn_imdb``'s function ``name``, from this layout or the one before."""
    import importlib

    import sklearn_imdb

    if name == "import_keras":
        try:
            return importlib.import_module("sklearn_imdb.utils._keras").import_keras
        except ImportError:
            pass
    elif hasattr(sklearn_imdb, name):
        return getattr(sklearn_imdb, name)
    module = importlib.import_module(f"sklearn_imdb.{_BEFORE_SUB_PACKAGES[name]}")
    return getattr(module, name)


#: prepended to a ``python -c`` child's code: it prints its peak at exit
PEAK_AT_EXIT = (
    "import atexit, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print('PEAK_KB', line.split()[1], file=sys.stderr)\n"
    "atexit.register(_peak)\n"
)


def run_child(code, *args):
    """Wall seconds, peak MB and stdout of ``python -c code args`` (a fresh process).

    For what cannot be a module-level function (a command line, another
    library's training): the child's own ``VmHWM`` at exit.
    """
    import sys

    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_AT_EXIT + code, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return seconds, int(peak[-1].split()[1]) / 1024, done.stdout
