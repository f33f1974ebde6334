"""Predict on streams of reviews, a batch at a time, in bounded memory."""

import collections
from itertools import islice

import numpy as np

__all__ = ["iter_predictions", "predict_in_batches"]


def iter_predictions(
    estimator, reviews, *, method="predict_proba", batch_size=10000, client=None
):
    """Yield ``estimator.<method>`` on successive batches of ``reviews``.

    Reviews are read lazily from any iterable (a generator over a file, say),
    so memory is bounded by the batch and not by the number of reviews.
    With a Dask ``client``, the batches are predicted on its workers (the
    estimator sent to each once, two batches a worker at a time) while this
    process reads the next, and yielded in order.

    Parameters
    ----------
    estimator : fitted estimator or pipeline
        Anything with ``method``, e.g. a pipeline ending in a classifier.
    reviews : iterable of str
        The reviews.
    method : str, default="predict_proba"
        ``"predict"``, ``"predict_proba"`` or ``"decision_function"``.
    batch_size : int, default=10000
        Reviews per batch.
    client : dask.distributed.Client or None, default=None
        Predict on this cluster's workers; None predicts here.

    Yields
    ------
    batch : ndarray
        The method's output for the next ``batch_size`` reviews.
    """
    if isinstance(reviews, (str, bytes)):
        raise ValueError("Iterable over reviews expected, string object received.")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    predict = getattr(estimator, method)
    reviews = iter(reviews)
    if client is not None:
        yield from _on_cluster(client, estimator, method, reviews, batch_size)
        return
    while batch := list(islice(reviews, batch_size)):
        yield predict(batch)


def _on_cluster(client, estimator, method, reviews, batch_size):
    """Batches predicted on ``client``'s workers, in order, a bounded number at once."""
    shipped = client.scatter(estimator, broadcast=True, hash=False)
    window = 2 * max(1, len(client.scheduler_info()["workers"]))
    pending = collections.deque()
    while batch := list(islice(reviews, batch_size)):
        pending.append(client.submit(_call, shipped, method, batch, pure=False))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _call(estimator, method, batch):
    return getattr(estimator, method)(batch)


def predict_in_batches(
    estimator, reviews, *, method="predict_proba", batch_size=10000, client=None
):
    """``estimator.<method>(reviews)``, computed a batch at a time.

    Parameters
    ----------
    estimator : fitted estimator or pipeline
        Anything with ``method``.
    reviews : iterable of str
        The reviews.
    method : str, default="predict_proba"
        ``"predict"``, ``"predict_proba"`` or ``"decision_function"``.
    batch_size : int, default=10000
        Reviews per batch.
    client : dask.distributed.Client or None, default=None
        Predict on this cluster's workers (see :func:`iter_predictions`).

    Returns
    -------
    output : ndarray
        The outputs of all batches, concatenated.
    """
    parts = list(
        iter_predictions(
            estimator, reviews, method=method, batch_size=batch_size, client=client
        )
    )
    if not parts:
        raise ValueError("No reviews to predict: the iterable is empty.")
    return np.concatenate(parts)
