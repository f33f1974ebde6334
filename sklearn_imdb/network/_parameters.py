"""The network's parameters, shared by the Keras classifier and its NumPy predictor.

:class:`NetworkParameters` holds the constructor and the constraints of
:class:`~sklearn_imdb.DenseNetworkClassifier`, without TensorFlow, so that
:class:`~sklearn_imdb.network.DenseNetworkPredictor` (and a model file's
check of its stored parameters) speak the same parameters.
"""

import numbers

from sklearn.utils._param_validation import Interval, StrOptions

from ._architecture import ACTIVATIONS, LOSSES, OPTIMIZERS

__all__ = ["NetworkParameters", "PARAMETERS_DOC", "ROUTING_PREFIXES"]

#: the Parameters section of both estimators' docstrings (``%(parameters)s``)
PARAMETERS_DOC = """Parameters
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
        Each epoch is also logged at INFO level to the ``sklearn_imdb.network`` logger.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss.
    warm_start : bool, default=False
        Continue training the current model on the next ``fit``.
    shuffle : bool, default=True
        Shuffle the training data before each epoch.
    **kwargs : dict
        Routed scikeras parameters (``optimizer__*``, ``fit__*``,
        ``predict__*``, ``compile__*``, ...), stored as given.
"""

#: scikeras' routed parameters (``optimizer__learning_rate``): its ``_routing_prefixes``
ROUTING_PREFIXES = (
    "model",
    "fit",
    "compile",
    "predict",
    "optimizer",
    "loss",
    "metrics",
)


class NetworkParameters:
    """The constructor of the network's estimators: every parameter stored as given."""

    _parameter_constraints = {
        "hidden_layers": [Interval(numbers.Integral, 0, None, closed="left")],
        "units": [Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "loss": [StrOptions(set(LOSSES))],
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

    def _get_param_names(self):
        # scikeras' rule: the routed parameters given as keywords count too
        return (k for k in vars(self) if not k.endswith("_") and not k.startswith("_"))
