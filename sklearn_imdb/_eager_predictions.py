"""Predictions by calling the network on each batch of rows, with nothing traced.

Keras' ``Model.predict`` traces a prediction function for every new model
and starts a ``tf.data`` loop even for one review. Calling the model eagerly
on each batch, as Keras advises for inputs that fit in a batch, gives the
same numbers bit for bit with the same batch size
(``tests/test_eager_predictions.py``): a new network's first prediction of
a fold's 8,333 reviews took 0.16 s against 0.37 s, and one review 7 ms
against 153 ms (``benchmarks/profile_fit.py``). A user's prediction
callbacks, a progress bar (``verbose``) or ``predict__steps`` keep Keras'
``predict``.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from ._batches import canonical_csr

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

    X = canonical_csr(X) if sp.issparse(X) else X
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
            inputs = tf.constant(np.asarray(part, dtype=np.float32))
        outputs.append(model(inputs, training=False).numpy())
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
        for_keras = {k: v for k, v in pred_args.items() if v}  # verbose, steps
        if not (for_keras or self._predict_callbacks):
            return predict_eagerly(self.model_, X, size)
        return self.model_.predict(
            x=canonical_csr(X) if sp.issparse(X) else X,
            batch_size=size,
            callbacks=self._predict_callbacks,
            **pred_args,
        )
