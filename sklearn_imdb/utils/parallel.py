"""How many threads this process may use, and parallel searches that respect it.

The one place for thread limits: :func:`available_threads` is what this
process (a joblib or Dask worker included) may use; TensorFlow (whose
start in ``_keras`` applies the limits set here), the vectorizer's thread
pool and BLAS all follow it. :func:`threads_per_worker`
shares the cores out between joblib's workers, :func:`share_tensorflow_ops`
between worker threads of this process and :func:`dask_client` between
Dask's.
"""

import contextlib
import logging
import os

from joblib.parallel import LokyBackend, get_active_backend

__all__ = [
    "available_threads",
    "dask_backend",
    "dask_client",
    "share_tensorflow_ops",
    "threads_per_worker",
]

logger = logging.getLogger(__name__)


def available_threads():
    """Count the threads this process may keep busy.

    The cores it may run on (``joblib.cpu_count``, which honours CPU affinity
    and cgroup quotas), fewer when a parent limited its workers'
    ``OMP_NUM_THREADS`` (joblib's ``inner_max_num_threads``, our Dask workers).

    Returns
    -------
    n_threads : int
        At least 1.
    """
    import joblib

    n = joblib.cpu_count()
    limit = os.environ.get("OMP_NUM_THREADS", "")
    if limit.isdigit() and int(limit) > 0:
        n = min(n, int(limit))
    return max(1, n)


@contextlib.contextmanager
def threads_per_worker(n_jobs):
    """Give the TensorFlow of each joblib worker its share of the cores.

    Worker processes start with this process's environment, and TensorFlow
    applies these variables when it starts (``_keras.import_keras``).
    loky's workers get them in the environment loky gives its workers, with
    ``inner_max_num_threads`` for their BLAS and OpenMP: loky reuses workers
    only when that environment is the same, so workers started by another
    search, whose TensorFlow may run with other limits, are replaced.
    """
    from joblib import effective_n_jobs, parallel_config

    workers = effective_n_jobs(n_jobs)
    if workers <= 1:
        yield
        return
    share = max(1, available_threads() // workers)
    saved = {
        k: os.environ.get(k)
        for k in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
    }
    os.environ.update(TF_NUM_INTRAOP_THREADS=str(share), TF_NUM_INTEROP_THREADS="1")
    loky = type(get_active_backend()[0]).__name__ == "LokyBackend"
    try:
        with (
            parallel_config(backend=_TensorFlowLoky(inner_max_num_threads=share))
            if loky
            else (contextlib.nullcontext())
        ):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def share_tensorflow_ops(n_jobs):
    """Give each of ``n_jobs`` threads of this process its share of the cores for an op.

    The threads share TensorFlow's thread pools, whose size is set once per
    process. Left to its default, TensorFlow splits an op over every core
    while the other thread's ops wait for them, and its pool's threads spin
    while they wait: with one core an op, ``tune`` searched 12 candidates in
    40.3 s against 45.8 s (``n_jobs=2`` on 2 cores, ad hoc), and one fit took
    as long. Once TensorFlow has run an op its pools stay as they are (said
    in the log), as they do when ``TF_NUM_INTRAOP_THREADS`` is set.

    Parameters
    ----------
    n_jobs : int or None
        Worker threads, as joblib counts them.

    Returns
    -------
    threads : int or None
        The threads an op may use now, or None where left unchanged.
    """
    from joblib import effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    if workers <= 1 or os.environ.get("TF_NUM_INTRAOP_THREADS"):
        return None
    from ._keras import import_keras

    import_keras()
    import tensorflow as tf

    share = max(1, available_threads() // workers)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(share)
    except RuntimeError:  # its pools exist already
        logger.info("TensorFlow has already run: its ops keep their threads")
        return None
    return share


@contextlib.contextmanager
def dask_backend(scheduler, n_jobs, scatter):
    """joblib's Dask backend on a client; ``scatter`` goes to the workers once."""
    from joblib import parallel_config

    with dask_client(scheduler, n_jobs) as client:
        logger.info("Dask scheduler at %s", client.scheduler.address)
        # the reviews go to the workers once, not inside every task
        with parallel_config(backend="dask", scatter=scatter):
            yield


class _TensorFlowLoky(LokyBackend):
    """loky, whose workers' environment also holds TensorFlow's thread limits."""

    def _prepare_worker_env(self, n_jobs):
        env = super()._prepare_worker_env(n_jobs)
        env.update(_tensorflow_env(self.inner_max_num_threads))
        return env


def _tensorflow_env(threads):
    return {
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": str(threads),
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
    }


def _limit_tensorflow_threads(worker_threads):
    """Run on a worker of a remote cluster: its share of *its own* cores."""
    threads = max(1, available_threads() // worker_threads)
    os.environ.update(_tensorflow_env(threads))
    import sys

    if "tensorflow" in sys.modules:  # already started: too late for the env
        tf = sys.modules["tensorflow"]
        with contextlib.suppress(RuntimeError):
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
    return threads


def _count_gpus():
    from ._keras import import_keras

    import_keras()
    import tensorflow as tf

    return len(tf.config.list_physical_devices("GPU"))


@contextlib.contextmanager
def dask_client(scheduler=None, n_workers=None):
    """A ``dask.distributed`` client, on a given scheduler or a local cluster.

    Parameters
    ----------
    scheduler : str or None, default=None
        Address of a running scheduler (``tcp://host:8786``). Its workers are
        asked to limit TensorFlow to ``cores / threads-per-worker``. None
        starts a local cluster on 127.0.0.1: one process per GPU when there
        are GPUs (each seeing only its own), else ``n_workers`` processes (all
        cores by default) each with an equal share of the cores; it has no
        dashboard, and its workers no profiler.
    n_workers : int or None, default=None
        Number of local worker processes (no GPUs).

    Yields
    ------
    client : dask.distributed.Client
        The client; the local cluster is closed on exit.
    """
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "The Dask backend needs dask.distributed: pip install 'sklearn-imdb[dask]'."
        ) from exc
    cores = available_threads()
    if scheduler is not None:
        with Client(scheduler) as client:
            infos = client.scheduler_info()["workers"].values()
            per_worker = {w["nthreads"] for w in infos} or {1}
            client.run(_limit_tensorflow_threads, max(per_worker))
            yield client
        return
    gpus = _count_gpus()
    with dask.config.set(_local_worker_config()):
        if gpus:
            cluster = _gpu_cluster(gpus)
        else:
            n = n_workers if n_workers and n_workers > 0 else cores
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                scheduler_kwargs=_NO_DASHBOARD,
                env=_tensorflow_env(max(1, cores // n)),
            )
    with cluster, Client(cluster) as client:
        logger.info("Started a local Dask cluster of %d workers", len(cluster.workers))
        yield client


_SPAWN_ENV = "distributed.nanny.pre-spawn-environ"
#: a scheduler without a dashboard still serves its health and metrics pages,
#: on 8787 unless told: a free port, so that a second cluster (the user's own
#: dashboard, two of our commands at once) does not warn "Port 8787 is
#: already in use" or take that port
_NO_DASHBOARD = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}


def _local_worker_config():
    """Dask settings for the workers of a local cluster of ours.

    - Their environment is distributed's bar ``MALLOC_TRIM_THRESHOLD_``:
      distributed starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, so
      that glibc hands freed memory back to the system at once; the
      tokenizer's many small allocations then ran a third slower (15,600
      reviews on one thread: 0.39 s in a process of its own, 0.52 s with it
      set; 2 workers predicted 1.6 M reviews 1.16x as fast as one process with
      it, 1.32x without: ``benchmarks/results/stream.md``). glibc's own
      adaptive threshold is kept instead, a worker keeping freed memory for
      its next task.
    - The statistical profiler is off: it samples the stack of each worker's
      threads every 10 ms for the dashboard's profile page, and these
      clusters have no dashboard; it took about 5% of a worker's time predicting
      (the same 32 batches of reviews in a task: 3.0-3.2 s with it, 2.8-3.0 s
      without).
    """
    import dask

    env = dict(dask.config.get(_SPAWN_ENV, default={}) or {})
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    return {_SPAWN_ENV: env, "distributed.worker.profile.enabled": False}


def _gpu_cluster(gpus):
    from dask.distributed import Nanny, Scheduler, SpecCluster

    workers = {
        f"gpu-{i}": {
            "cls": Nanny,
            "options": {
                "nthreads": 1,
                "env": {**_tensorflow_env(1), "CUDA_VISIBLE_DEVICES": str(i)},
            },
        }
        for i in range(gpus)
    }
    scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", **_NO_DASHBOARD}}
    return SpecCluster(workers=workers, scheduler=scheduler)
