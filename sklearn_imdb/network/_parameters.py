"""The network's parameters, shared by the Keras classifier and its NumPy predictor.

:class:`NetworkParameters` holds the constructor and the constraints of
:class:`~sklearn_imdb.DenseNetworkClassifier`, without TensorFlow, so that
:class:`~sklearn_imdb.network.DenseNetworkPredictor` (and a model file's
check of its stored parameters) speak the same parameters.
"""

import numbers

from sklearn.utils._param_validation import Interval, StrOptions

from ._architecture import ACTIVATIONS, LOSSES, OPTIMIZERS

__all__ = ["NetworkParameters", "ROUTING_PREFIXES"]

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
