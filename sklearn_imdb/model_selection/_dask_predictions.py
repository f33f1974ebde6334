"""Predictions over a Dask collection of texts, partition by partition, on its workers.

dask-ml's ``ParallelPostFit`` for text: a fitted pipeline (a loaded model
file predicts without TensorFlow) is sent to each worker once, and each
partition of a bag, a dataframe column or a one-dimensional array of texts
is predicted where it lies. dask-ml is not a dependency: its
``ParallelPostFit`` takes dask arrays and dataframes, not a bag of texts.
"""

import sys

import numpy as np

try:  # the [dask] extra
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - depends on the install
    WorkerPlugin = object

__all__ = ["dask_predictions"]


def dask_predictions(estimator, texts, *, method="predict_proba"):
    """``estimator.<method>`` of each partition of ``texts``, as a Dask array.

    Parameters
    ----------
    estimator : fitted estimator or pipeline
        Anything with ``method`` and ``classes_``.
    texts : dask.bag.Bag, dask.dataframe.Series or dask.array.Array
        The texts (a bag of str, a column of str, a 1-D array of str objects).
    method : str, default="predict_proba"
        ``"predict_proba"``, ``"predict"`` or ``"decision_function"``.

    Returns
    -------
    predictions : dask.array.Array
        The partitions' outputs in order, one chunk per partition (lengths
        unknown until computed): ``.compute()`` gives what
        ``estimator.<method>(all texts)`` would.

    Notes
    -----
    On a distributed cluster the estimator is held on each worker by a
    worker plugin named ``sklearn-imdb-estimator-<hash of its content>``
    (the same model is sent once), until
    ``client.unregister_worker_plugin(name)``. Partitions of a few megabytes
    of text serve best (``db.read_text(path, blocksize=2**22)``): 2 workers
    predicted 1.6 M reviews in 21-23 s from 4 MB blocks, 23-26 s from 16 MB,
    whose memory each worker faulted in again
    (``benchmarks/results/stream.md``).
    """
    import dask
    import dask.array as da
    import dask.bag as db

    # a dataframe column exists only where dask.dataframe was imported: not
    # imported here for a bag or an array (0.3 s, and it needs pyarrow,
    # which the [dask] extra does not bring)
    Series = getattr(sys.modules.get("dask.dataframe"), "Series", ())  # noqa: N806
    if method not in ("predict_proba", "predict", "decision_function"):
        raise ValueError(
            'method must be "predict_proba", "predict" or "decision_function", '
            f"got {method!r}."
        )
    getattr(estimator, method)  # AttributeError now, not on a worker
    if isinstance(texts, Series):
        parts = texts.to_delayed()
    elif isinstance(texts, da.Array) and texts.ndim == 1:
        parts = texts.to_delayed().ravel().tolist()
    elif not isinstance(texts, db.Bag):
        raise TypeError(
            "texts must be a Dask bag, a Dask dataframe column or a 1-D Dask "
            f"array of texts, got {type(texts).__name__}."
        )
    shipped = _shipped(estimator)
    if isinstance(texts, db.Bag):  # read and predicted in one task a partition
        outputs = texts.map_partitions(_predict, shipped, method).to_delayed()
    else:
        outputs = [dask.delayed(_predict)(part, shipped, method) for part in parts]
    width = _width(estimator, method)
    dtype = np.asarray(estimator.classes_).dtype if method == "predict" else np.float64
    blocks = [
        da.from_delayed(output, shape=(np.nan, *width), dtype=dtype)
        for output in outputs
    ]
    return da.concatenate(blocks, axis=0, allow_unknown_chunksizes=True)


def _shipped(estimator):
    """Where the tasks find the estimator: a worker plugin's name, or one graph key.

    On a distributed cluster the estimator is held by a worker plugin on
    every worker (and any that joins later), looked up by name in each task,
    so that a partition's task depends on nothing but the partition: read
    and predicted in one task where it was read. Given as a graph key, a
    scattered estimator made each prediction a task of its own, and the
    scheduler moved partitions of text to a worker that was idle, each move
    waiting on a worker busy predicting (1.6 M reviews on 2 workers: 4 to 14
    moves, 4 to 20 s of waiting). The plugin is named by the estimator's
    content (and ``idempotent``: not sent again), so the same model is held
    once; it stays on the workers until ``client.unregister_worker_plugin``.
    """
    import dask
    import joblib

    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed cluster: one key
        return dask.delayed(estimator, pure=True)
    # joblib.hash: by content, the same for the same model loaded twice
    # (dask's tokenize is not, for an estimator); 0.1 s for nb-net's 78 MB
    name = f"sklearn-imdb-estimator-{joblib.hash(estimator)}"
    client.register_plugin(_Holder(estimator), name=name)
    return name


def _predict(part, estimator, method):
    if isinstance(estimator, str):  # the name of a _Holder plugin
        from distributed import get_worker

        estimator = get_worker().plugins[estimator].estimator
    texts = list(part)
    if not texts:  # an empty partition
        dtype = np.asarray(estimator.classes_).dtype if method == "predict" else None
        return np.zeros((0, *_width(estimator, method)), dtype=dtype)
    return getattr(estimator, method)(texts)


class _Holder(WorkerPlugin):
    """A worker plugin holding a fitted estimator."""

    idempotent = True  # registered again under its name: not sent again

    def __init__(self, estimator):
        self.estimator = estimator


def _width(estimator, method):
    n_classes = len(estimator.classes_)
    if method == "predict" or (n_classes == 2 and method == "decision_function"):
        return ()
    return (n_classes,)
