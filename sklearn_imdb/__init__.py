"""scikit-learn compatible sentiment classification of IMDB movie reviews.

The package is laid out by concept, each sub-package on a floor of its own;
a module imports from its own sub-package and from lower floors only:

========================  ===================================================
``cli``                   the ``sklearn-imdb`` command
``model_selection``       named pipelines, ``compare``, ``tune``, scores
``serve``                 a model file as an HTTP service
``datasets``              IMDB's archive, the user's files, their splits
``model_files``           ``save_model`` / ``load_model``
``inspection``            which words decide (``explain``, ``top_features``)
``plotting``              the figures
``text`` / ``network``    the vectorizer and weighting / the Keras network
``utils``                 thread limits, TensorFlow's start, atomic files
========================  ===================================================

Everything public is importable from here. Importing the package is cheap:
TensorFlow is only loaded when :class:`DenseNetworkClassifier` (or something
built on it) is first used, and the model-selection tools and figures when
first named. A loaded model file predicts without TensorFlow
(:class:`~sklearn_imdb.network.DenseNetworkPredictor`).
"""

import importlib

from .datasets import (
    fetch_imdb,
    iter_reviews,
    load_labelled,
    load_reviews,
    load_splits,
    read_texts,
)
from .inspection import explain, explanation_html, top_features
from .model_files import load_model, save_model
from .network import DenseNetworkPredictor, build_network
from .text import MultiHotVectorizer, NBFeatureWeighter, tokenize
from .utils import available_threads, share_tensorflow_ops

__all__ = [
    "DenseNetworkClassifier",
    "DenseNetworkPredictor",
    "MultiHotVectorizer",
    "NBFeatureWeighter",
    "available_pipelines",
    "available_threads",
    "build_network",
    "check_classes",
    "classification_scores",
    "compare",
    "dask_predictions",
    "describe_pipeline",
    "explain",
    "explanation_html",
    "fetch_imdb",
    "fit_stream",
    "iter_predictions",
    "iter_reviews",
    "load_labelled",
    "load_model",
    "load_reviews",
    "load_splits",
    "named_pipeline",
    "plot_comparison",
    "plot_confusion_matrix",
    "plot_history",
    "plot_search",
    "predict_in_batches",
    "predict_with_scores",
    "read_texts",
    "save_model",
    "scores_of_predictions",
    "share_tensorflow_ops",
    "tokenize",
    "top_features",
    "tune",
]
__version__ = "0.1.0"

# names whose modules import TensorFlow, matplotlib or most of scikit-learn:
# loaded on first use
_LAZY = {
    "DenseNetworkClassifier": "network",
    **dict.fromkeys(
        [
            "available_pipelines",
            "check_classes",
            "classification_scores",
            "compare",
            "dask_predictions",
            "describe_pipeline",
            "fit_stream",
            "iter_predictions",
            "named_pipeline",
            "predict_in_batches",
            "predict_with_scores",
            "scores_of_predictions",
            "tune",
        ],
        "model_selection",
    ),
    **dict.fromkeys(
        ["plot_comparison", "plot_confusion_matrix", "plot_history", "plot_search"],
        "plotting",
    ),
}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
