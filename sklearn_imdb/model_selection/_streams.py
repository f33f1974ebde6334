"""Predict on streams of reviews, a batch at a time, in bounded memory."""

from itertools import islice

import numpy as np

__all__ = ["iter_predictions", "predict_in_batches"]


def iter_predictions(estimator, reviews, *, method="predict_proba", batch_size=10000):
    """Yield ``estimator.<method>`` on successive batches of ``reviews``.

    Reviews are read lazily from any iterable (a generator over a file, say),
    so memory is bounded by the batch and not by the number of reviews.

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
    while batch := list(islice(reviews, batch_size)):
        yield predict(batch)


def predict_in_batches(estimator, reviews, *, method="predict_proba", batch_size=10000):
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

    Returns
    -------
    output : ndarray
        The outputs of all batches, concatenated.
    """
    parts = list(
        iter_predictions(estimator, reviews, method=method, batch_size=batch_size)
    )
    if not parts:
        raise ValueError("No reviews to predict: the iterable is empty.")
    return np.concatenate(parts)
