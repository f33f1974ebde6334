"""Predictions over a Dask collection of texts, partition by partition, on its workers.

dask-ml's ``ParallelPostFit`` for text: a fitted pipeline (a loaded model
file predicts without TensorFlow) is sent to each worker once, and each
partition of a bag, a dataframe column or a one-dimensional array of texts
is predicted where it lies. dask-ml is not a dependency: its last release
(2025.1, February 2025) was not tried here.
"""

import numpy as np

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
    """
    import dask
    import dask.array as da
    import dask.bag as db

    try:  # needs pyarrow, which the [dask] extra does not bring
        from dask.dataframe import Series
    except ImportError:
        Series = ()  # noqa: N806 (no dataframe column can be given then)
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
    """The estimator on every worker of the running cluster, or one graph key.

    On a distributed cluster it is broadcast to every worker first, so that
    each partition is predicted where it was read: as one key, the scheduler
    moved partitions to the worker holding it (measured: a second of a 3.2 s
    run on 100,000 reviews went to moving texts).
    """
    import dask

    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed cluster: one key
        return dask.delayed(estimator, pure=True)
    return client.scatter(estimator, broadcast=True, hash=False)


def _predict(part, estimator, method):
    texts = list(part)
    if not texts:  # an empty partition
        dtype = np.asarray(estimator.classes_).dtype if method == "predict" else None
        return np.zeros((0, *_width(estimator, method)), dtype=dtype)
    return getattr(estimator, method)(texts)


def _width(estimator, method):
    n_classes = len(estimator.classes_)
    if method == "predict" or (n_classes == 2 and method == "decision_function"):
        return ()
    return (n_classes,)
