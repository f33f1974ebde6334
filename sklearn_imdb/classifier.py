"""The notebook's Dense network as a scikit-learn classifier (via scikeras)."""

import logging
import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Tags, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._tags import ClassifierTags, InputTags, TargetTags
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    _num_samples,
    check_array,
    check_consistent_length,
    column_or_1d,
)

from ._keras import import_keras
from ._tf_input import batches, canonical_csr, epoch_orders

keras = import_keras()

from scikeras.utils.transformers import ClassifierLabelEncoder  # noqa: E402
from scikeras.wrappers import BaseWrapper, KerasClassifier  # noqa: E402

__all__ = ["DenseNetworkClassifier"]

logger = logging.getLogger(__name__)

ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "linear")
OPTIMIZERS = ("rmsprop", "adam", "adamw", "sgd", "adagrad", "nadam")
LOSSES = ("binary_crossentropy", "mse")
# seeds stay int32 with the per-layer offsets added to them
_MAX_SEED = 2**31 - 1024


class _TagsRoot:
    """The end of the ``super().__sklearn_tags__()`` chain after ClassifierMixin.

    scikeras lists ClassifierMixin after BaseEstimator, so ClassifierMixin's
    ``super()`` would reach ``object``; scikit-learn 1.6 calls every
    ``__sklearn_tags__`` of the MRO (scikeras still defines ``_more_tags``)
    and failed there, so Pipelines and searches did not see a classifier.
    """

    def __sklearn_tags__(self):
        return Tags(estimator_type=None, target_tags=TargetTags(required=False))


class DenseNetworkClassifier(KerasClassifier, _TagsRoot):
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

    Parameters
    ----------
    hidden_layers : int, default=2
        Number of hidden Dense layers (0 gives logistic regression).
    units : int, default=16
        Units of each hidden layer.
    activation : str, default="relu"
        Activation of the hidden layers: one of ``"relu"``, ``"tanh"``,
        ``"sigmoid"``, ``"elu"``, ``"selu"``, ``"gelu"``, ``"swish"``,
        ``"linear"``.
    dropout : float, default=0.0
        Dropout rate after each hidden layer.
    loss : {"binary_crossentropy", "mse"}, default="binary_crossentropy"
        Training loss. For more than two classes, cross-entropy means
        categorical cross-entropy on the softmax output.
    optimizer : str, default="rmsprop"
        One of ``"rmsprop"``, ``"adam"``, ``"adamw"``, ``"sgd"``,
        ``"adagrad"``, ``"nadam"``. Set its learning rate with
        ``optimizer__learning_rate`` (Keras' default: 0.001).
    epochs : int, default=4
        Passes over the training data.
    batch_size : int, default=512
        Reviews per gradient step (and per prediction batch).
    validation_split : float, default=0.0
        Fraction of the training data held out to report ``val_loss`` and
        ``val_accuracy`` each epoch. Unlike Keras' own ``validation_split``
        (the *last* rows), the hold-out is a shuffled, stratified sample.
    early_stopping : bool, default=False
        Stop when the validation loss has not improved for ``patience``
        epochs and restore the best weights. Validates on 10% of the data
        when ``validation_split`` is 0.
    patience : int, default=2
        Epochs without improvement before early stopping.
    metrics : list or None, default=None
        Keras metrics to record; None records accuracy.
    random_state : int, RandomState instance or None, default=None
        Seed of the weights, the hold-out and the shuffling: the same seed
        gives the same predictions.
    verbose : int, default=0
        0 is silent, 1 shows Keras' progress bar, 2 one line per epoch.
        Each epoch is also logged at INFO level to ``sklearn_imdb.classifier``.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss.
    warm_start : bool, default=False
        Continue training the current model on the next ``fit``.
    shuffle : bool, default=True
        Shuffle the training data before each epoch.
    **kwargs : dict
        scikeras routed parameters (``optimizer__*``, ``fit__*``,
        ``predict__*``, ``compile__*``, ...), stored as given.

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

    _parameter_constraints = {
        "hidden_layers": [Interval(numbers.Integral, 0, None, closed="left")],
        "units": [Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "loss": [StrOptions(set(LOSSES) | {"mean_squared_error"})],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_split": [Interval(numbers.Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(numbers.Integral, 1, None, closed="left")],
        "metrics": [list, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "warm_start": ["boolean"],
        "shuffle": ["boolean"],
    }

    def __init__(
        self,
        *,
        hidden_layers=2,
        units=16,
        activation="relu",
        dropout=0.0,
        loss="binary_crossentropy",
        optimizer="rmsprop",
        epochs=4,
        batch_size=512,
        validation_split=0.0,
        early_stopping=False,
        patience=2,
        metrics=None,
        random_state=None,
        verbose=0,
        callbacks=None,
        class_weight=None,
        warm_start=False,
        shuffle=True,
        **kwargs,
    ):
        self.hidden_layers = hidden_layers
        self.units = units
        self.activation = activation
        self.dropout = dropout
        self.loss = loss
        self.optimizer = optimizer
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.metrics = metrics
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.shuffle = shuffle
        vars(self).update(kwargs)
        if kwargs:
            self._user_params = set(kwargs)

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
        y = _check_target(X, y)
        # KerasClassifier.fit would multiply the caller's sample_weight by the
        # class weights in place; BaseWrapper.fit is the rest of it
        self.classes_ = None
        sample_weight = self._weights(y, sample_weight)
        return BaseWrapper.fit(self, X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one epoch, keeping the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            All classes; needed on the first call when ``y`` lacks some.
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
        check_consistent_length(X, y)
        self.classes_ = (
            classes if classes is not None else getattr(self, "classes_", None)
        )
        sample_weight = self._weights(np.asarray(y), sample_weight)
        BaseWrapper.partial_fit(self, X, y, sample_weight=sample_weight, **kwargs)
        return self

    def predict_proba(self, X, **kwargs):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; also for one sample.
        """
        # scikeras squeezes the result: (2,) for a single review
        proba = super().predict_proba(X, **kwargs)
        return np.asarray(proba).reshape(-1, len(self.classes_))

    def predict(self, X, **kwargs):
        """The most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X, **kwargs)
        return self.classes_[np.argmax(proba, axis=1)]

    def _weights(self, y, sample_weight):
        """``sample_weight`` times the class weights, as a new array."""
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(self.class_weight, y)
        if sample_weight is None:
            return weights
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        check_consistent_length(sample_weight, y)
        return weights * sample_weight

    def __sklearn_tags__(self):
        # scikeras lists ClassifierMixin after BaseEstimator, so modern
        # scikit-learn would not see a classifier; declare it here.
        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(sparse=True),
            non_deterministic=self.random_state is None,
        )

    @property
    def target_encoder(self):
        # one-hot targets for several classes whatever the loss (the softmax
        # output is trained with categorical cross-entropy or with mse); a
        # single 0/1 column for two classes
        categories = "auto" if self.classes_ is None else [self.classes_]
        return ClassifierLabelEncoder(
            loss="categorical_crossentropy", categories=categories
        )

    def _restore(self, model, classes):
        """Make this unfitted estimator predict with a trained ``model``."""
        self._random_state, self._seed = None, _draw_seed(self.random_state)
        self.classes_ = None
        self.target_encoder_ = self.target_encoder.fit(classes)
        vars(self).update(self.target_encoder_.get_metadata())
        n_features = int(model.inputs[0].shape[-1])
        self.feature_encoder_ = self.feature_encoder.fit(np.zeros((1, n_features)))
        self.model_ = model
        self.n_features_in_, self.X_sparse_ = n_features, bool(model.inputs[0].sparse)
        self.X_dtype_, self.X_shape_ = np.dtype(np.float32), (0, n_features)
        self.y_dtype_, self.y_ndim_ = classes.dtype, 1
        self.target_type_ = type_of_target(classes)
        self._initialize_callbacks()
        return self

    # -- scikeras hooks ---------------------------------------------------------

    def _initialize(self, X, y=None):
        # scikeras seeds through process-wide state (np.random, the TF global
        # seed, TF_DETERMINISTIC_OPS) whenever _random_state is set, which is
        # neither thread-safe nor tidy; ours is local: the initializers, the
        # dropout layers and the batches' order all derive from self._seed
        self._seed = _draw_seed(self.random_state)
        self._random_state = None
        X, y = self._validate_data(X, y, reset=True)
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _keras_build_fn(self, compile_kwargs):
        seed = self._seed
        n_classes = self.n_classes_
        inputs = keras.Input(
            shape=(self.n_features_in_,), sparse=self.X_sparse_, name="features"
        )
        x = inputs
        for i in range(self.hidden_layers):
            x = keras.layers.Dense(
                self.units,
                activation=self.activation,
                kernel_initializer=keras.initializers.GlorotUniform(
                    seed=_offset_seed(seed, i)
                ),
                name=f"hidden_{i + 1}",
            )(x)
            if self.dropout:
                x = keras.layers.Dropout(
                    self.dropout, seed=_offset_seed(seed, 100 + i)
                )(x)
        binary = n_classes <= 2
        outputs = keras.layers.Dense(
            1 if binary else n_classes,
            activation="sigmoid" if binary else "softmax",
            kernel_initializer=keras.initializers.GlorotUniform(
                seed=_offset_seed(seed, 99)
            ),
            name="output",
        )(x)
        model = keras.Model(inputs, outputs, name="dense_network")
        loss = (
            "mse"
            if self.loss in ("mse", "mean_squared_error")
            else ("binary_crossentropy" if binary else "categorical_crossentropy")
        )
        compile_kwargs["loss"] = loss
        compile_kwargs["metrics"] = compile_kwargs.get("metrics") or ["accuracy"]
        model.compile(**compile_kwargs)
        return model

    def _check_model_compatibility(self, y):
        # the loss is chosen by _keras_build_fn from the target's type
        pass

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        if X is not None and not reset:
            shape = getattr(X, "shape", ())
            n_features = shape[1] if len(shape) == 2 else self.n_features_in_
            if n_features != self.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input."
                )
        if X is None or not sp.issparse(X):
            X, y = super()._validate_data(X, y, reset=reset, y_numeric=y_numeric)
            if reset and X is not None:
                self.X_sparse_ = False
            return X, y
        # scikeras converts sparse input to a LIL copy; CSR goes to Keras as
        # is, in the canonical form TensorFlow requires (sorted, unique
        # indices: CountVectorizer and column subsets give neither), made on
        # a copy so that the caller's matrix is never changed
        X = canonical_csr(
            check_array(X, accept_sparse="csr", dtype=(np.float32, np.float64))
        )
        if y is not None:
            check_consistent_length(X, y)
            _, y = super()._validate_data(None, y, reset=reset, y_numeric=y_numeric)
        if reset:
            self.X_dtype_, self.X_shape_ = X.dtype, X.shape
            self.n_features_in_, self.X_sparse_ = X.shape[1], True
        return X, y

    def _initialize_callbacks(self):
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
        fraction = self.validation_split or (0.1 if self.early_stopping else 0.0)
        if fraction and "validation_data" not in kwargs:
            X, y, sample_weight, kwargs["validation_data"] = _hold_out(
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
        kwargs.update(
            batch_size=None,
            shuffle=False,
            validation_split=0.0,
            steps_per_epoch=-(-orders.shape[1] // self.batch_size),
        )
        super()._fit_keras_model(
            X, None, None, warm_start, epochs, initial_epoch, **kwargs
        )
        self.history_ = dict(self.history_)

def _draw_seed(random_state):
    """An int seed: the int given, or one drawn from a ``RandomState``.

    ``None`` draws from fresh entropy, not from ``np.random``'s global state.
    """
    if random_state is None:
        return int(np.random.default_rng().integers(_MAX_SEED))
    if isinstance(random_state, numbers.Integral):
        return int(random_state) % _MAX_SEED
    return int(check_random_state(random_state).randint(_MAX_SEED))


def _offset_seed(seed, offset):
    return int(seed) + offset


def _check_target(X, y):
    """Clear errors for targets no classifier can learn from."""
    name = DenseNetworkClassifier.__name__
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


def _hold_out(X, y, sample_weight, fraction, seed):
    """A shuffled, stratified validation split of the encoded data."""
    from sklearn.model_selection import train_test_split

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


class _EpochLogger(keras.callbacks.Callback):
    """Logs each epoch's metrics at INFO level."""

    def on_epoch_end(self, epoch, logs=None):
        if logger.isEnabledFor(logging.INFO):
            metrics = ", ".join(f"{k}={v:.4f}" for k, v in (logs or {}).items())
            logger.info(
                "epoch %d/%d: %s", epoch + 1, self.params.get("epochs", 0), metrics
            )
