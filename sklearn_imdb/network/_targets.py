"""The classifier's training data: checked targets and a validation hold-out.

Targets get clear errors before any training; the validation hold-out is
shuffled and stratified.
"""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples, check_consistent_length, column_or_1d

__all__ = ["check_target", "hold_out"]


def check_target(X, y, name, classes=None):
    """``y`` as an array of class labels, or a clear error naming the problem.

    Parameters
    ----------
    X : {array-like, sparse matrix}
        The training data (for its length).
    y : array-like or None
        The targets.
    name : str
        The estimator, for the messages.
    classes : array-like or None, default=None
        Every class of a stream (``partial_fit``): ``y`` may then hold one of
        them only, and none other.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels.
    """
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    check_consistent_length(X, y)
    if _num_samples(X) == 0:
        raise ValueError(
            "Found array with 0 sample(s) while a minimum of 1 is required."
        )
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError("y contains NaN: every sample needs a class label.")
    if y.dtype.kind == "f" and np.isinf(y).any():
        # checked here: type_of_target would cast the infinity to an integer
        raise ValueError("y contains infinity: every sample needs a class label.")
    if y.dtype.kind == "O" and any(v is None or v != v for v in y.ravel()):
        raise ValueError("y contains None or NaN: every sample needs a class label.")
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise ValueError(
            f"Unknown label type: {name} needs class labels, got {kind!r}."
        )
    if classes is not None:
        unknown = np.setdiff1d(np.unique(y), classes)
        if unknown.size:
            raise ValueError(
                f"y has labels {unknown.tolist()} that are not among the classes "
                f"{np.asarray(classes).tolist()} given on the first call to "
                "partial_fit: pass every class of the stream then."
            )
        return y
    classes = np.unique(y)
    if classes.size < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes in the data, but the "
            f"data contains only one class: {classes[0]!r}."
        )
    return y


def hold_out(X, y, sample_weight, fraction, seed):
    """A shuffled, stratified validation split of the encoded data.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Features.
    y : ndarray of shape (n_samples, n_outputs)
        Encoded targets (a 0/1 column or one-hot rows).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights.
    fraction : float
        Share of the rows held out.
    seed : int
        Seed of the split.

    Returns
    -------
    X, y, sample_weight : the training rows
    validation_data : tuple
        ``(X_val, y_val[, sample_weight_val])``.
    """

    labels = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.ravel()
    counts = np.bincount(labels.astype(int))
    stratify = labels if counts[counts > 0].min() >= 2 else None
    index = np.arange(y.shape[0])
    train, val = train_test_split(
        index, test_size=fraction, stratify=stratify, random_state=seed
    )
    train.sort()
    val_data = (X[val], y[val])
    if sample_weight is not None:
        val_data += (sample_weight[val],)
        sample_weight = sample_weight[train]
    return X[train], y[train], sample_weight, val_data
