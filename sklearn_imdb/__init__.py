"""scikit-learn compatible sentiment classification of IMDB movie reviews.

Importing the package is cheap: TensorFlow is only loaded when
:class:`DenseNetworkClassifier` (or something built on it) is first used.
"""

import importlib

from .datasets import fetch_imdb
from .inspection import explain, top_features
from .nb_weighting import NBFeatureWeighter
from .persistence import load_model, save_model
from .tokenizer import tokenize
from .user_data import load_reviews
from .vectorizer import MultiHotVectorizer

__all__ = [
    "DenseNetworkClassifier",
    "MultiHotVectorizer",
    "NBFeatureWeighter",
    "explain",
    "fetch_imdb",
    "load_model",
    "load_reviews",
    "plot_history",
    "save_model",
    "tokenize",
    "top_features",
]
__version__ = "0.1.0"

# names whose modules import TensorFlow or matplotlib: loaded on first use
_LAZY = {
    "DenseNetworkClassifier": "classifier",
    "plot_history": "plotting",
}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
