"""Predictions from one traced function per network, shared by all its models.

Keras' ``Model.predict`` traces a prediction function for every new model
and starts a ``tf.data`` loop even for one review, and calling the model on
each batch from Python, as Keras advises for small inputs, costs
milliseconds of Python a batch. Here each network (its layers,
``_trainers.network_key``) has one traced function per process
that takes the weights as inputs (Keras' ``stateless_call``) and runs every
batch of a call in one graph: the folds of a search, its refit and any later
estimator of the same layers reuse it. One batch of rows (one review) with no
function traced yet calls the model eagerly instead, as tracing would cost
more than it saves. Either way the numbers are those of ``predict`` with the
same batch size to float32 rounding (``tests/network/test_predictions.py``). A fold's
8,333 reviews took 0.04-0.09 s against 0.09-0.22 s called batch by batch
(1 to 3 hidden layers of 16 to 64 units, ad hoc); a trace took 0.1-0.2 s.
A user's prediction callbacks, a progress bar (``verbose``) or
``predict__steps`` keep Keras' ``predict``.
"""

import collections
import threading
import weakref

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from ..utils._keras import import_keras
from ._batches import canonical_csr
from ._trainers import network_key

__all__ = ["Predictions", "clear", "network_outputs"]

#: traced prediction functions kept per process, the least recently used dropped
MAX_FUNCTIONS = 8
#: batches a call of the function: its inputs take 16 bytes a non-zero
CALL_BATCHES = 64

_lock = threading.Lock()
_functions = collections.OrderedDict()  # (network key, sparse) -> tf.function
_keys = weakref.WeakKeyDictionary()  # model -> (trainable variables, its key)


def network_outputs(model, X, batch_size):
    """``model.predict(X, batch_size=batch_size)``, without Keras' loop.

    Parameters
    ----------
    model : keras.Model
        A network of ``network.build_network``.
    X : ndarray or scipy sparse matrix of shape (n_samples, n_features)
        Features.
    batch_size : int
        Rows per call of the model.

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs)
        The model's outputs.
    """
    sparse = sp.issparse(X)
    X = canonical_csr(X) if sparse else np.asarray(X, dtype=np.float32)
    if X.shape[0] == 0:
        return np.empty((0, model.outputs[0].shape[-1]), dtype=np.float32)
    function = _function(
        model, (_layers_key(model), sparse), create=X.shape[0] > batch_size
    )
    if function is None:
        return _predict_eagerly(model, X, batch_size)
    weights = (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
    )
    rows = batch_size * CALL_BATCHES
    return np.concatenate(
        [
            _call(function, weights, X[start : start + rows], batch_size)
            for start in range(0, X.shape[0], rows)
        ]
    )


def _layers_key(model):
    """``network_key`` of the layers alone, kept per model while its layers stay.

    Serialising the layers on every call took a quarter of predicting one
    review (the seed network: 9.5-9.9 ms against 7.3-7.4 ms kept, median of
    300 calls, ad hoc). A model's layers never change, but which of their
    variables train may (``layer.trainable``), and the traced function takes
    the two apart.
    """
    trainable = len(model.trainable_variables)
    with _lock:
        found = _keys.get(model)
    if found is None or found[0] != trainable:
        # the loss or optimizer change no prediction: left out
        found = trainable, network_key(model, compiled=False)
        with _lock:
            _keys[model] = found
    return found[1]


def _call(function, weights, X, batch_size):
    starts = np.arange(0, X.shape[0], batch_size)
    sizes = np.minimum(batch_size, X.shape[0] - starts)
    if not sp.issparse(X):
        return function(*weights, X, sizes).numpy()
    row_in_batch = np.arange(X.shape[0]) % batch_size
    coordinates = np.stack(
        [np.repeat(row_in_batch, np.diff(X.indptr)), X.indices], axis=1
    ).astype(np.int64)
    bounds = X.indptr[np.append(starts, X.shape[0])].astype(np.int64)
    values = X.data.astype(np.float32, copy=False)
    return function(*weights, coordinates, values, bounds, sizes).numpy()


def clear():
    """Drop every traced prediction function."""
    with _lock:
        _functions.clear()
        _keys.clear()


def _function(model, key, *, create):
    if key[0] is None:
        return None
    with _lock:
        found = _functions.get(key)
        if found is not None:
            _functions.move_to_end(key)
    if found is not None or not create:
        return found
    found = _traced(model, sparse=key[1])
    with _lock:
        found = _functions.setdefault(key, found)
        while len(_functions) > MAX_FUNCTIONS:
            _functions.popitem(last=False)
    return found


def _traced(model, *, sparse):
    """The batches' outputs from weights given as inputs, every batch in one call."""
    keras = import_keras()
    import tensorflow as tf

    # a copy of the layers: the cache never holds the estimator's model
    copy = keras.Model.from_config(model.get_config())
    n_features = model.inputs[0].shape[-1]
    weights = [
        [tf.TensorSpec(v.shape, v.dtype) for v in variables]
        for variables in (copy.trainable_variables, copy.non_trainable_variables)
    ]
    if sparse:
        data = [
            tf.TensorSpec([None, 2], tf.int64),  # (row in its batch, column)
            tf.TensorSpec([None], tf.float32),  # values
            tf.TensorSpec([None], tf.int64),  # each batch's first value, and the end
        ]
    else:
        data = [tf.TensorSpec([None, n_features], tf.float32)]
    sizes = tf.TensorSpec([None], tf.int64)  # rows in each batch

    # tf.slice, not matrix[first:last]: that strided slice took 6 ms for a
    # batch of 512 reviews' coordinates, tf.slice 0.5 ms (ad hoc)
    def batch(data, sizes, index):
        if not sparse:
            start = tf.cast(index, tf.int64) * sizes[0]
            return tf.slice(data[0], tf.stack([start, 0]), tf.stack([sizes[index], -1]))
        coordinates, values, bounds = data
        first, last = bounds[index], bounds[index + 1]
        return tf.SparseTensor(
            tf.slice(coordinates, tf.stack([first, 0]), tf.stack([last - first, 2])),
            values[first:last],
            tf.stack([sizes[index], n_features]),
        )

    def predict(trainable, non_trainable, *data_and_sizes):
        *data, sizes = data_and_sizes
        n_batches = tf.size(sizes)

        def step(index, outputs):
            inputs = batch(data, sizes, index)
            out, _ = copy.stateless_call(
                trainable, non_trainable, inputs, training=False
            )
            return index + 1, outputs.write(index, out)

        outputs = tf.TensorArray(tf.float32, size=n_batches, infer_shape=False)
        _, outputs = tf.while_loop(
            lambda index, _: index < n_batches,
            step,
            [0, outputs],
            parallel_iterations=1,
        )
        return outputs.concat()

    return tf.function(
        predict, autograph=False, input_signature=[*weights, *data, sizes]
    )


def _predict_eagerly(model, X, batch_size):
    import tensorflow as tf

    outputs = []
    for start in range(0, X.shape[0], batch_size):
        part = X[start : start + batch_size]
        if sp.issparse(part):
            rows = np.repeat(np.arange(part.shape[0]), np.diff(part.indptr))
            inputs = tf.SparseTensor(
                np.stack([rows, part.indices], axis=1).astype(np.int64),
                part.data.astype(np.float32, copy=False),
                part.shape,
            )
        else:
            inputs = tf.constant(part)
        outputs.append(model(inputs, training=False).numpy())
    return np.concatenate(outputs)


class Predictions:
    """The estimator's side: scikeras' ``_predict_raw`` via :func:`network_outputs`.

    A mixin for a scikeras wrapper whose ``model_`` is a network built by
    ``network.build_network``.
    """

    def _predict_raw(self, X, **kwargs):
        # scikeras' own, but for the call to Keras
        from scikeras._utils import route_params

        if not self.initialized_:
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet: "
                "call 'fit' before 'predict'."
            )
        X, _ = self._validate_data(X=X, y=None)
        X = self.feature_encoder_.transform(X)
        pred_args = route_params(
            self.get_params(),
            destination="predict",
            pass_filter=self._predict_kwargs,
            strict=True,
        )
        pred_args = {
            k: v for k, v in pred_args.items() if not k.startswith("callbacks")
        }
        pred_args.update(kwargs)
        size = pred_args.pop("batch_size", None) or self.batch_size
        size = X.shape[0] if size == -1 else size
        for_keras = {k: v for k, v in pred_args.items() if v}  # verbose, steps
        if not (for_keras or self._predict_callbacks):
            return network_outputs(self.model_, X, size)
        return self.model_.predict(
            x=canonical_csr(X) if sp.issparse(X) else X,
            batch_size=size,
            callbacks=self._predict_callbacks,
            **pred_args,
        )
