"""Shared utilities, the floor every other sub-package stands on.

How many threads this process may use and how parallel searches share them
(:mod:`~sklearn_imdb.utils.parallel`), TensorFlow's lazy and quiet start with
those limits applied (``_keras``), files written atomically (``_files``) and
scikit-learn's input validation, short-cut for our CSR rows (``_validation``).
TensorFlow's start sits here rather than in ``network`` because the thread
limits need it (``parallel`` sets TensorFlow's pools and counts its GPUs).
"""

from .parallel import (
    available_threads,
    dask_backend,
    dask_client,
    share_tensorflow_ops,
    threads_per_worker,
)

__all__ = [
    "available_threads",
    "dask_backend",
    "dask_client",
    "share_tensorflow_ops",
    "threads_per_worker",
]
