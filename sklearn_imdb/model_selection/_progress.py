"""Progress of comparisons and searches: a line a finished fit, with a bar and ETA."""

import logging
import threading
import time

__all__ = ["Progress", "clock", "quiet_epochs"]

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
