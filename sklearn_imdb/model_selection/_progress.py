"""Progress of comparisons and searches: a line a finished fit, with a bar and ETA."""

import collections
import logging
import threading
import time
import warnings

from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.model_selection import ParameterGrid
from sklearn.utils import _safe_indexing

from ..utils.parallel import threads_per_worker

__all__ = [
    "Progress",
    "ReportingAccuracy",
    "clock",
    "cross_val_accuracy",
    "quiet_epochs",
]

BAR = 20


class Progress:
    """Counts finished fits and logs each with the overall progress.

    Thread-safe: the fits of a search's threads report here as they end.

    Parameters
    ----------
    total : int
        Fits to come.
    logger : logging.Logger
        Where each line goes (at INFO level).
    """

    def __init__(self, total, logger):
        self.total, self.logger = total, logger
        self.done = 0
        self.start = time.perf_counter()
        self._lock = threading.Lock()
        self._marks = threading.local()

    def seconds_in_this_thread(self):
        """Seconds since this thread's last report (or the start): its fit's."""
        now = time.perf_counter()
        last = getattr(self._marks, "last", self.start)
        self._marks.last = now
        return now - last

    def report(self, text):
        """Log ``text`` with the count, a bar, the elapsed time and the ETA."""
        with self._lock:
            self.done += 1
            done, total = self.done, self.total
            elapsed = time.perf_counter() - self.start
        filled = round(BAR * done / total)
        eta = elapsed / done * (total - done)
        self.logger.info(
            "  [%s%s] %*d/%d  %s  (%s elapsed, ETA %s)",
            "#" * filled,
            "." * (BAR - filled),
            len(str(total)),
            done,
            total,
            text,
            clock(elapsed),
            clock(eta),
        )


def clock(seconds):
    """``m:ss``."""
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"


class quiet_epochs:
    """The network's per-epoch log lines off (they would interleave between
    the fits of several threads); the fits' own lines say enough."""

    def __enter__(self):
        self.logger = logging.getLogger("sklearn_imdb.network")
        self.level = self.logger.level
        self.logger.setLevel(max(self.level, logging.WARNING))

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


class ReportingAccuracy:
    """Accuracy, each call (one fit's test fold) reported to ``progress``.

    GridSearchCV scores every fit once, where it was fitted; a scorer is the
    one hook it calls there. The candidate is found by its parameters, the
    fold counted per candidate, the seconds those of the calling thread.
    """

    def __init__(self, param_grid, n_folds, progress):
        self.names = list(param_grid)
        self.candidates = {
            tuple(repr(p[n]) for n in self.names): i
            for i, p in enumerate(ParameterGrid(param_grid), 1)
        }
        self.n_folds, self.progress = n_folds, progress
        self.folds = collections.Counter()
        self._lock = threading.Lock()

    def __getstate__(self):
        # sent to a worker process, it scores without reporting: its lines
        # would not reach this process's log
        return {**vars(self), "progress": None, "_lock": None}

    def __call__(self, estimator, X, y):
        if self.progress is None:
            return accuracy_score(y, estimator.predict(X))
        seconds = self.progress.seconds_in_this_thread()
        accuracy = accuracy_score(y, estimator.predict(X))
        params = estimator.get_params()
        # the final step alone (final_step_search) knows its parameters
        # without the step's prefix
        values = [params.get(n, params.get(n.split("__", 1)[-1])) for n in self.names]
        key = tuple(map(repr, values))
        with self._lock:
            self.folds[key] += 1
            fold = self.folds[key]
        shown = ", ".join(
            f"{n.removeprefix('clf__')}={v}" for n, v in zip(self.names, values)
        )
        self.progress.report(
            f"candidate {self.candidates.get(key, '?')}/{len(self.candidates)} "
            f"({shown}) fold {fold}/{self.n_folds}: accuracy {accuracy:.4f} "
            f"in {seconds:.1f} s"
        )
        return accuracy


def cross_val_accuracy(pipe, X, y, folds, n_jobs, name, progress):
    """Each fold's accuracy, reported as it ends.

    ``cross_val_score`` returns when every fold has ended; joblib's unordered
    generator hands each fold's result over as it ends, so that the
    progress shows the folds as they go (as ``cross_val_score`` does, the
    folds are fitted on clones in joblib's workers).
    """
    splits = list(folds.split(X, y))
    with threads_per_worker(n_jobs), warnings.catch_warnings():
        # loky replaces a worker whose memory grew (TensorFlow's, after a
        # fit) and warns that it "stopped while some jobs were given"; the
        # jobs are run again elsewhere, nothing is lost
        warnings.filterwarnings("ignore", "A worker stopped", UserWarning)
        results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_fold_accuracy)(pipe, X, y, train, test, k)
            for k, (train, test) in enumerate(splits, 1)
        )
        scores = {}
        for k, accuracy, seconds in results:
            scores[k] = accuracy
            progress.report(
                f"{name} fold {k}/{len(splits)}: accuracy {accuracy:.4f} "
                f"in {seconds:.1f} s"
            )
    return [scores[k] for k in sorted(scores)]


def _fold_accuracy(pipe, X, y, train, test, k):
    start = time.perf_counter()
    fitted = clone(pipe).fit(_safe_indexing(X, train), _safe_indexing(y, train))
    accuracy = accuracy_score(
        _safe_indexing(y, test), fitted.predict(_safe_indexing(X, test))
    )
    return k, float(accuracy), time.perf_counter() - start
