"""The batches a network trains on: seeded epoch orders, rows sliced in the graph.

Keras shuffles with TensorFlow's process-wide seed, which other threads (and
scikeras) change; here the order of every epoch is drawn with NumPy from the
fit's own seed, so that two fits with one seed see the same batches whatever
else runs in the process. The rows go to TensorFlow once per fit, sparse
rows already in the order of the epochs' batches (up to ``ORDERED_EPOCHS``),
and each batch is sliced from them inside the TensorFlow graph (no dense
copy, no Python per batch). Inside :func:`reusing_batches` the batches made
for some data are kept for the next fit on the same data.
"""

import collections
import contextlib
import functools
import hashlib
import threading
import types

import numpy as np
import scipy.sparse as sp

__all__ = ["batches", "canonical_csr", "epoch_orders", "reusing_batches"]


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

    Inside :func:`reusing_batches`, the same data in the same order gives
    the batches made before, held in memory.

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
    if sp.issparse(X):
        X = canonical_csr(X)
    with _lock:
        reusing = _reused.limit > 0
    if not reusing:
        return _new_batches(X, y, sample_weight, batch_size, orders)
    key = _digest(X, y, sample_weight, batch_size, orders)
    with _lock:
        found = _reused.datasets.get(key)
        if found is not None:
            _reused.datasets.move_to_end(key)
            return found[0]
    data = _new_batches(X, y, sample_weight, batch_size, orders).cache()
    data.reduce(np.int64(0), lambda count, *_: count + 1)  # fills the cache
    size = (1 if orders is None else len(orders)) * (
        X.nnz * 20 if sp.issparse(X) else np.size(X) * 4
    )
    with _lock:
        _reused.datasets[key] = (data, size)
        while sum(each[1] for each in _reused.datasets.values()) > _reused.limit:
            _reused.datasets.popitem(last=False)
    return data


@contextlib.contextmanager
def reusing_batches(max_bytes=2**31):
    """Keep the batches :func:`batches` makes, for fits on the same data.

    A grid search fits every candidate on each fold with the same rows and
    (one seed) the same epochs' orders: the batches are made once a fold and
    read from memory afterwards, a quarter of a small network's fit saved
    (``benchmarks/profile_fit.py``). The data are recognised by a digest of
    their contents, so a changed matrix is never given old batches.

    Parameters
    ----------
    max_bytes : int, default=2**31
        Memory the kept batches may take; the least recently used go first.
    """
    with _lock:
        _reused.limit, previous = max_bytes, _reused.limit
    try:
        yield
    finally:
        with _lock:
            _reused.limit = previous
            if not previous:
                _reused.datasets.clear()


#: a fit of at most this many epochs has its rows laid out in each epoch's
#: order beforehand (a copy of the rows per epoch, sliced by batch); longer
#: fits gather each batch's rows in the graph, slower but with memory flat:
#: the notebook's 20 epochs on 15,000 reviews took 0.7 GB more laid out
ORDERED_EPOCHS = 4

_lock = threading.Lock()
#: batches kept inside reusing_batches: digest -> (dataset, bytes)
_reused = types.SimpleNamespace(limit=0, datasets=collections.OrderedDict())


def _digest(X, y, sample_weight, batch_size, orders):
    parts = (X.indptr, X.indices, X.data) if sp.issparse(X) else (np.asarray(X),)
    # SHA-256, not BLAKE2: CPUs with SHA extensions hash 1.4 GB/s against
    # 0.57 (measured here), and a search digests each fold's rows every fit
    digest = hashlib.sha256(repr((X.shape, batch_size)).encode())
    for part in (*parts, y, sample_weight, orders):
        part = np.ascontiguousarray(np.asarray(part) if part is not None else [])
        digest.update(repr((part.dtype.str, part.shape)).encode())
        digest.update(part.view(np.uint8) if part.size else b"")
    return digest.hexdigest()


def _new_batches(X, y, sample_weight, batch_size, orders):
    import tensorflow as tf

    rows = np.arange(X.shape[0]) if orders is None else np.ravel(orders)
    n_rows = X.shape[0] if orders is None else np.shape(orders)[1]
    # each epoch's rows cut into batches: [start, stop) in `rows`
    starts = np.arange(0, rows.size, n_rows)[:, None] + np.arange(0, n_rows, batch_size)
    stops = np.minimum(starts + batch_size, (starts // n_rows + 1) * n_rows)
    if sp.issparse(X) and rows.size <= ORDERED_EPOCHS * X.shape[0]:
        first_rows = np.repeat(starts.ravel(), (stops - starts).ravel())
        arrays, take_rows = _sparse_rows(X if orders is None else X[rows], first_rows)
    elif sp.issparse(X):
        arrays, take_rows = _gathered_rows(X, rows)
    else:
        arrays, take_rows = _dense_rows(X, rows)
    others = tuple(
        tf.constant(np.asarray(a, dtype=np.float32)[rows])
        for a in (y, sample_weight)
        if a is not None
    )

    n = len(arrays)

    def take(bounds, tensors):
        start, stop = bounds[0], bounds[1]
        rows_of = (a[start:stop] for a in tensors[n:])
        return (take_rows(start, stop, *tensors[:n]), *rows_of)

    bounds = np.stack([starts.ravel(), stops.ravel()], axis=1).astype(np.int64)
    # The tensors reach `take` as an element repeated beside each batch's
    # bounds, not captured by it: tf.data copies what a dataset's function
    # captures, and kept part of each copy (a streamed fit's partial_fit
    # calls, a new dataset each, grew by 2 MB a call: 1.6 M reviews in
    # 10,000-row chunks peaked at 1.9 GB, ``benchmarks/results/stream.md``)
    held = tf.data.Dataset.from_tensors((*arrays, *others)).repeat()
    data = tf.data.Dataset.zip(tf.data.Dataset.from_tensor_slices(bounds), held)
    # No autotuning: its thread, started with every iterator, made each
    # fit's end wait for it (0.1-1.3 s; a 12-candidate search 40-43 s
    # against 36-37 s without, ad hoc). Two batches prefetched keep the
    # making of batches beside the training (a fit 0.78 s against 0.85 s)
    options = tf.data.Options()
    options.autotune.enabled = False
    return data.map(take).prefetch(2).with_options(options)


def _dense_rows(X, rows):
    """The tensors of dense ``X``'s rows and ``take(start, stop, *tensors)``.

    As ``_gathered_rows`` and ``_sparse_rows`` give theirs: a batch is the
    rows ``rows[start:stop]``.
    """
    import tensorflow as tf

    arrays = (tf.constant(np.asarray(X, dtype=np.float32)), tf.constant(rows))
    return arrays, lambda start, stop, X, rows: tf.gather(X, rows[start:stop])


def _gathered_rows(X, rows):
    """Gathering each batch's CSR rows inside the graph: memory flat in epochs."""
    import tensorflow as tf

    arrays = (
        tf.constant(rows),
        tf.constant(X.indptr.astype(np.int64)),
        tf.constant(X.indices.astype(np.int64)),
        tf.constant(X.data.astype(np.float32, copy=False)),
    )
    gather, n_features = _csr_gather(), np.int64(X.shape[1])
    return arrays, lambda start, stop, rows, *csr: gather(
        rows[start:stop], *csr, n_features
    )


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


def _sparse_rows(X, first_rows):
    """Slicing consecutive rows of CSR ``X`` into a ``tf.SparseTensor``.

    The rows arrive in the order of the batches (NumPy puts each epoch's
    rows in order once, in milliseconds), so that a batch is one slice of
    each array; ``first_rows`` gives each row's batch's first row (up to
    ``ORDERED_EPOCHS`` epochs: ``_gathered_rows`` beyond). Gathering
    a shuffled batch's rows inside the graph (``tf.ragged.range`` and
    ``tf.gather``) made a fit on one core 1.5 times as long (1.4 against
    0.9 s, ad hoc). The coordinates are kept as int32 where they fit, and
    widened per batch.
    """
    import tensorflow as tf

    index = np.int32 if max(X.shape) < np.iinfo(np.int32).max else np.int64
    coordinates = np.empty((X.nnz, 2), dtype=index)
    row_in_batch = (np.arange(X.shape[0]) - first_rows).astype(index)
    coordinates[:, 0] = np.repeat(row_in_batch, np.diff(X.indptr))
    coordinates[:, 1] = X.indices
    arrays = (
        tf.constant(coordinates),
        tf.constant(X.data.astype(np.float32, copy=False)),
        tf.constant(X.indptr.astype(np.int64)),
    )
    n_features = X.shape[1]

    def take(start, stop, coordinates, values, indptr):
        first, last = indptr[start], indptr[stop]
        # tf.slice, not coordinates[first:last]: that strided slice of a
        # matrix took 5 ms a batch of 512 reviews (ad hoc)
        rows = tf.slice(coordinates, tf.stack([first, 0]), tf.stack([last - first, 2]))
        return tf.SparseTensor(
            tf.cast(rows, tf.int64),
            values[first:last],
            tf.stack([stop - start, n_features]),
        )

    return arrays, take
