"""The notebook's Dense network as a scikit-learn classifier (via scikeras)."""

import contextvars
import logging

import numpy as np
import scipy.sparse as sp

from ..utils._keras import import_keras
from ._architecture import ARCHITECTURE, _sparse_dense_class, build_network
from ._batches import batches, epoch_orders
from ._parameters import PARAMETERS_DOC, NetworkParameters
from ._predictions import Predictions
from ._scikeras_fixes import FixedKerasClassifier
from ._targets import check_target, hold_out
from ._trainers import TracedCopies

keras = import_keras()
# registered now, with this module: unpickling a fitted network imports it
# before its Keras model, which names the layer (a joblib or Dask worker's
# fitted estimator, back in a process that never built a network)
_sparse_dense_class()

from scikeras.utils.transformers import ClassifierLabelEncoder  # noqa: E402

__all__ = ["DenseNetworkClassifier"]

logger = logging.getLogger(__name__)
#: set while partial_fit trains: its one epoch is logged as the call it is
_PARTIAL_FIT = contextvars.ContextVar("partial_fit", default=False)


class DenseNetworkClassifier(
    TracedCopies, Predictions, NetworkParameters, FixedKerasClassifier
):
    """A stack of Dense layers on (sparse) bag-of-words features.

    The network of the Keras IMDB walk-through — ``hidden_layers`` Dense layers
    of ``units`` units with ``activation``, then one sigmoid unit (a softmax
    layer for more than two classes) — as a scikeras ``KerasClassifier``. It
    takes the CSR matrix of :class:`~sklearn_imdb.MultiHotVectorizer`
    directly: the sparse rows go to Keras batch by batch and no dense copy of
    the data is ever made.

    Every architecture choice is a constructor argument, so ``GridSearchCV``
    can search it (``clf__units``); scikeras' routed parameters work too,
    e.g. ``optimizer__learning_rate=1e-3`` or ``fit__validation_freq=2``.

    %(parameters)s
    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of lists
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss``,
        ``val_accuracy`` when validating).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of input features.

    See Also
    --------
    sklearn_imdb.MultiHotVectorizer : Its usual input.
    sklearn_imdb.plot_history : The training curves of ``history_``.

    Notes
    -----
    Fits run on a traced copy of ``model_`` kept from an earlier fit of the
    same network in the process (the same weights to float32 rounding; see
    the user guide's "Speed"); callbacks of yours turn it off. Predictions run
    through one traced function per network, shared by every estimator of
    it, or call ``model_`` directly for one batch (Keras' ``predict``'s
    numbers to float32 rounding); ``verbose`` or prediction callbacks keep
    Keras' ``predict``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer
    >>> pipe = make_pipeline(MultiHotVectorizer(), DenseNetworkClassifier(
    ...     epochs=20, random_state=0))
    >>> pipe.fit(["a great film", "a dull film"] * 8, ["pos", "neg"] * 8)
    Pipeline(...)
    >>> pipe.predict(["great"]).tolist()
    ['pos']
    """

    # scikeras reads these attributes; they are not parameters of this class
    model = None
    build_fn = None
    run_eagerly = False
    validation_batch_size = None

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, e.g. the output of ``MultiHotVectorizer``.
        y : array-like of shape (n_samples,)
            Class labels: integers, booleans or strings.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : DenseNetworkClassifier
            The fitted classifier.
        """
        self._validate_params()
        y = check_target(X, y, type(self).__name__)
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one epoch on this chunk, keeping the current weights.

        The scikit-learn way of streaming (as ``SGDClassifier``'s): call it on
        each chunk in turn, ``classes`` on the first call; the network is
        built then, and each later call continues its weights and optimizer.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels: any of ``classes``, one alone included.
        classes : array-like of shape (n_classes,), default=None
            Every class of the stream: required on the first call (a chunk
            may lack some), and the same if given again.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : DenseNetworkClassifier
            The classifier.
        """
        self._validate_params()
        if classes is not None:
            classes = np.unique(np.asarray(classes))
            if classes.size < 2:
                raise ValueError(
                    f"classes must hold at least 2 classes, got {classes.tolist()}."
                )
        if not self.initialized_:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the stream."
                )
        elif classes is not None and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"classes={classes.tolist()} is not the same as on the first call "
                f"to partial_fit: {self.classes_.tolist()}."
            )
        known = self.classes_ if classes is None else classes
        y = check_target(X, y, type(self).__name__, classes=known)
        token = _PARTIAL_FIT.set(True)
        try:
            return super().partial_fit(X, y, known, sample_weight, **kwargs)
        finally:
            _PARTIAL_FIT.reset(token)

    @property
    def target_encoder(self):
        # one-hot targets for several classes whatever the loss (the softmax
        # output is trained with categorical cross-entropy or with mse); a
        # single 0/1 column for two classes
        categories = "auto" if self.classes_ is None else [self.classes_]
        return ClassifierLabelEncoder(
            loss="categorical_crossentropy", categories=categories
        )

    # -- scikeras hooks ---------------------------------------------------------

    def _keras_build_fn(self, compile_kwargs):
        # scikeras' documented hook: the network itself is _architecture's
        return build_network(
            self.n_features_in_,
            self.n_classes_,
            **{name: getattr(self, name) for name in ARCHITECTURE},
            sparse=self.X_sparse_,
            seed=self._seed,
            compile_kwargs=compile_kwargs,
        )

    def _check_model_compatibility(self, y):
        # the loss is chosen by _keras_build_fn from the target's type
        pass

    def _initialize_callbacks(self):
        # the epoch log and early stopping join the user's callbacks
        super()._initialize_callbacks()
        extra = [_EpochLogger()]
        if self.early_stopping:
            extra.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss",
                    patience=self.patience,
                    restore_best_weights=True,
                )
            )
        self._fit_callbacks = list(self._fit_callbacks) + extra

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        # a stratified hold-out instead of Keras' last rows, and the rows as
        # seeded batches (see _batches)
        fraction = self.validation_split or (0.1 if self.early_stopping else 0.0)
        if fraction and "validation_data" not in kwargs:
            X, y, sample_weight, kwargs["validation_data"] = hold_out(
                X, y, sample_weight, fraction, self._seed
            )
        val = kwargs.get("validation_data")
        if val is not None and (sp.issparse(val[0]) or isinstance(val[0], np.ndarray)):
            kwargs["validation_data"] = batches(*val, batch_size=self.batch_size)
        # each epoch's order drawn from this fit's seed (and the epoch, for
        # warm starts and partial_fit), not from TensorFlow's global seed
        orders = epoch_orders(
            X.shape[0], epochs, self.shuffle, [self._seed, initial_epoch]
        )
        X = batches(X, y, sample_weight, batch_size=self.batch_size, orders=orders)
        steps = -(-orders.shape[1] // self.batch_size)
        kwargs.update(
            batch_size=None, shuffle=False, validation_split=0.0, steps_per_epoch=steps
        )
        with self._training_copy(steps):  # see _trainers.TracedCopies
            super()._fit_keras_model(
                X, None, None, warm_start, epochs, initial_epoch, **kwargs
            )
        self.history_ = dict(self.history_)


DenseNetworkClassifier.__doc__ %= {"parameters": PARAMETERS_DOC}


class _EpochLogger(keras.callbacks.Callback):
    """Logs each epoch's metrics at INFO level.

    scikeras counts each ``partial_fit`` call as one more epoch ("epoch
    147/147" for a stream's 147th chunk); such a call is logged as what it is.
    """

    def on_epoch_end(self, epoch, logs=None):
        if logger.isEnabledFor(logging.INFO):
            metrics = ", ".join(f"{k}={v:.4f}" for k, v in (logs or {}).items())
            if _PARTIAL_FIT.get():
                logger.info("partial_fit call %d: %s", epoch + 1, metrics)
            else:
                logger.info(
                    "epoch %d/%d: %s", epoch + 1, self.params.get("epochs", 0), metrics
                )
