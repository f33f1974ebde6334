"""Dask clusters for grid searches: threads and GPUs shared out per worker."""

import contextlib
import logging
import os

__all__ = ["dask_client"]

logger = logging.getLogger(__name__)


def _tensorflow_env(threads):
    return {
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": str(threads),
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
    }


def _limit_tensorflow_threads(threads):
    """Run on a worker of a remote cluster: limit TensorFlow's threads."""
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
        cores by default) each with an equal share of the cores.
    n_workers : int or None, default=None
        Number of local worker processes (no GPUs).

    Yields
    ------
    client : dask.distributed.Client
        The client; the local cluster is closed on exit.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "The Dask backend needs dask.distributed: pip install 'sklearn-imdb[dask]'."
        ) from exc
    cores = os.cpu_count() or 1
    if scheduler is not None:
        with Client(scheduler) as client:
            infos = client.scheduler_info()["workers"].values()
            per_worker = {w["nthreads"] for w in infos} or {1}
            client.run(_limit_tensorflow_threads, max(1, cores // max(per_worker)))
            yield client
        return
    gpus = _count_gpus()
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
            env=_tensorflow_env(max(1, cores // n)),
        )
    with cluster, Client(cluster) as client:
        logger.info("Started a local Dask cluster of %d workers", len(cluster.workers))
        yield client


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
    scheduler = {
        "cls": Scheduler,
        "options": {"host": "127.0.0.1", "dashboard_address": None},
    }
    return SpecCluster(workers=workers, scheduler=scheduler)
