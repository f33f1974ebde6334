"""Predictions by calling the network on each batch of rows, with nothing traced.

Keras' ``Model.predict`` traces a prediction function for every new model
(0.2-0.4 s for the notebook's network: more than predicting a fold's 8,333
reviews then takes) and starts a ``tf.data`` loop even for one review (about
100 ms here). Calling the model eagerly on each batch, as Keras advises for
inputs that fit in a batch, gives the same numbers bit for bit with the same
batch size (``tests/test_trainers.py``), a fold's 8,333 reviews in about half
the time of a traced ``predict`` and one review in 6-10 ms (ad hoc, this
machine). A user's prediction callbacks, a progress bar (``verbose``) or
``predict__steps`` keep Keras' ``predict``.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from ._batches import batches, canonical_csr

__all__ = ["EagerPredictions", "predict_eagerly"]


def predict_eagerly(model, X, batch_size):
    """``model.predict(X, batch_size=batch_size)``, with no function traced.

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
    import tensorflow as tf

    if sp.issparse(X):
        X = canonical_csr(X)
        rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
        coordinates = np.stack([rows, X.indices.astype(np.int64)], axis=1)
        values = X.data.astype(np.float32, copy=False)
    outputs = []
    for start in range(0, X.shape[0], batch_size):
        stop = min(start + batch_size, X.shape[0])
        if sp.issparse(X):
            first, last = X.indptr[start], X.indptr[stop]
            block = coordinates[first:last] - [start, 0]
            rows = tf.SparseTensor(
                block, values[first:last], (stop - start, X.shape[1])
            )
        else:
            rows = tf.constant(np.asarray(X[start:stop], dtype=np.float32))
        outputs.append(model(rows, training=False).numpy())
    if not outputs:
        return np.empty((0, model.outputs[0].shape[-1]), dtype=np.float32)
    return np.concatenate(outputs)


class EagerPredictions:
    """The estimator's side: scikeras' ``_predict_raw`` through :func:`predict_eagerly`.

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
        keras_only = {k: v for k, v in pred_args.items() if v}
        if not (keras_only or self._predict_callbacks):
            return predict_eagerly(self.model_, X, size)
        if sp.issparse(X):
            X = batches(X, batch_size=size)
        else:
            pred_args["batch_size"] = size
        return self.model_.predict(x=X, callbacks=self._predict_callbacks, **pred_args)
