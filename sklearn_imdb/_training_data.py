"""The classifier's training data: checked targets, a hold-out, seeded batches.

Targets get clear errors before any training; the validation hold-out is
shuffled and stratified. Keras shuffles with TensorFlow's process-wide seed,
which other threads (and scikeras) change; here the order of every epoch is
drawn with NumPy from the fit's own seed, so that two fits with one seed see
the same batches whatever else runs in the process. The rows go to
TensorFlow once per fit, a CSR matrix as its three arrays, and each batch is
gathered from them inside the TensorFlow graph (no dense copy, no Python per
batch).
"""

import functools

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples, check_consistent_length, column_or_1d

__all__ = ["batches", "canonical_csr", "check_target", "epoch_orders", "hold_out"]


def canonical_csr(X):
    """``X`` as a CSR matrix with sorted, unique indices, as TensorFlow needs.

    scikit-learn's own vectorizers and column subsets give unsorted indices;
    the copy is made only when needed, and never changes the caller's matrix.

    Parameters
    ----------
    X : sparse matrix or array
        Any scipy sparse matrix or array.

    Returns
    -------
    X : scipy.sparse.csr_matrix
        Canonical CSR.
    """
    X = sp.csr_matrix(X)
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X


def epoch_orders(n_samples, n_epochs, shuffle, seed):
    """The row order of each epoch: shape (n_epochs, n_samples).

    Parameters
    ----------
    n_samples : int
        Number of training rows.
    n_epochs : int
        Number of epochs.
    shuffle : bool
        Draw a permutation per epoch; otherwise every epoch is in row order.
    seed : int or sequence of int
        Seed of the permutations (``numpy.random.default_rng``).

    Returns
    -------
    orders : ndarray of shape (n_epochs, n_samples)
        Row indices.
    """
    if not shuffle:
        return np.broadcast_to(np.arange(n_samples), (n_epochs, n_samples))
    rng = np.random.default_rng(seed)
    return np.stack([rng.permutation(n_samples) for _ in range(n_epochs)])


def batches(X, y=None, sample_weight=None, *, batch_size, orders=None):
    """A ``tf.data.Dataset`` of ``(X, y[, sample_weight])`` batches.

    Parameters
    ----------
    X : ndarray or scipy CSR matrix of shape (n_samples, n_features)
        Features.
    y : ndarray of shape (n_samples, ...), default=None
        Targets.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights.
    batch_size : int
        Rows per batch; each epoch ends with its smaller remainder.
    orders : ndarray of shape (n_epochs, n_samples), default=None
        The rows of each epoch, in order; None is one epoch in row order.

    Returns
    -------
    dataset : tf.data.Dataset
        ``n_epochs * ceil(n_samples / batch_size)`` batches: give Keras
        ``steps_per_epoch=ceil(n_samples / batch_size)``.
    """
    import tensorflow as tf

    n_samples = X.shape[0]
    if orders is None:
        orders = np.arange(n_samples)[None, :]
    take_rows = _sparse_rows(canonical_csr(X)) if sp.issparse(X) else _dense_rows(X)
    others = [
        tf.constant(np.asarray(a, dtype=np.float32))
        for a in (y, sample_weight)
        if a is not None
    ]

    def take(index):
        return (take_rows(index), *(tf.gather(a, index) for a in others))

    n_epochs, n_rows = np.shape(orders)
    data = tf.data.Dataset.from_tensor_slices(np.asarray(orders, dtype=np.int64))
    data = data.flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices(order).batch(batch_size)
    )
    # a known length, so that Keras never probes past the end (and warns)
    data = data.apply(
        tf.data.experimental.assert_cardinality(n_epochs * -(-n_rows // batch_size))
    )
    return data.map(take, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
        tf.data.AUTOTUNE
    )


def _dense_rows(X):
    import tensorflow as tf

    X = tf.constant(np.asarray(X, dtype=np.float32))
    return lambda index: tf.gather(X, index)


def _sparse_rows(X):
    """A function gathering CSR rows into a ``tf.SparseTensor``."""
    import tensorflow as tf

    arrays = (
        tf.constant(X.indptr.astype(np.int64)),
        tf.constant(X.indices.astype(np.int64)),
        tf.constant(X.data.astype(np.float32, copy=False)),
        tf.constant(X.shape[1], dtype=tf.int64),
    )
    gather = _csr_gather()
    return lambda index: gather(index, *arrays)


@functools.cache
def _csr_gather():
    # one graph function per process: tf.data traces the function of each
    # dataset's map anew, and tracing the ragged gather took 0.15 s a fit
    import tensorflow as tf

    @tf.function(
        input_signature=[
            tf.TensorSpec([None], tf.int64),
            tf.TensorSpec([None], tf.int64),
            tf.TensorSpec([None], tf.int64),
            tf.TensorSpec([None], tf.float32),
            tf.TensorSpec([], tf.int64),
        ]
    )
    def gather(index, indptr, indices, data, n_features):
        start, stop = tf.gather(indptr, index), tf.gather(indptr, index + 1)
        positions = tf.ragged.range(start, stop)
        coordinates = tf.stack(
            [positions.value_rowids(), tf.gather(indices, positions.flat_values)],
            axis=1,
        )
        shape = tf.stack([tf.size(index, out_type=tf.int64), n_features])
        return tf.SparseTensor(
            coordinates, tf.gather(data, positions.flat_values), shape
        )

    return gather


def check_target(X, y, name):
    """``y`` as an array of class labels, or a clear error naming the problem.

    Parameters
    ----------
    X : {array-like, sparse matrix}
        The training data (for its length).
    y : array-like or None
        The targets.
    name : str
        The estimator, for the messages.

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
    if y.dtype.kind == "O" and any(v is None or v != v for v in y.ravel()):
        raise ValueError("y contains None or NaN: every sample needs a class label.")
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise ValueError(
            f"Unknown label type: {name} needs class labels, got {kind!r}."
        )
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
