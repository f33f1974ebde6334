"""The Keras network: its layers, its classifier, its training and its predictions.

:func:`build_network` builds the network from plain parameters (for fitting
and for loading a model file); :class:`DenseNetworkClassifier` is the
scikeras classifier around it. Private modules: checked targets and the
validation hold-out (``_targets``), training batches (``_batches``), traced
trainers kept between fits (``_trainers``), traced predictions
(``_predictions``) and what scikeras 0.13 gets wrong for modern scikit-learn
(``_scikeras_fixes``). Importing this package does not start TensorFlow;
the classifier's module does, on first use.
"""

import importlib

from ._architecture import ARCHITECTURE, build_network, weight_shapes
from ._forward import forward
from ._predictor import DenseNetworkPredictor

__all__ = [
    "ARCHITECTURE",
    "DenseNetworkClassifier",
    "DenseNetworkPredictor",
    "build_network",
    "forward",
    "weight_shapes",
]


def __getattr__(name):
    if name == "DenseNetworkClassifier":  # imports TensorFlow
        return importlib.import_module("._classifier", __name__).DenseNetworkClassifier
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["DenseNetworkClassifier"])
