"""Choosing a model: named pipelines, comparisons, searches and their scores.

:func:`named_pipeline` builds the named baselines and networks;
:func:`compare` cross-validates and tests several of them side by side and
:func:`tune` searches one's grid; :func:`classification_scores` and its
siblings score predictions. :func:`iter_predictions` predicts streams of
reviews and :func:`fit_stream` fits a pipeline on one, in bounded memory;
:func:`dask_predictions` predicts a Dask collection on its workers. Private
modules: ``tune``'s search over the final step (``_final_step_search``),
the reports it and ``compare`` write (``_reports``, whose
:func:`table_markdown` is public) and ``fit_stream``'s passes on a Dask
cluster (``_stream_cluster``).
"""

import importlib

from ._scoring import (
    classification_scores,
    expected_calibration_error,
    predict_with_scores,
    scores_of_predictions,
)
from ._streams import iter_predictions, predict_in_batches

# names whose modules import most of scikit-learn (its ensembles, searches and
# the plotting they report with): loaded on first use, so that predicting from
# a model file starts 0.04 s sooner
_LAZY = {
    **dict.fromkeys(["compare", "tune"], "_experiments"),
    "fit_stream": "_stream_fit",
    "dask_predictions": "_dask_predictions",
    **dict.fromkeys(
        [
            "GRIDS",
            "available_pipelines",
            "check_classes",
            "describe_pipeline",
            "named_pipeline",
        ],
        "_pipelines",
    ),
    "table_markdown": "_reports",
}

__all__ = [
    "GRIDS",
    "available_pipelines",
    "check_classes",
    "classification_scores",
    "compare",
    "dask_predictions",
    "describe_pipeline",
    "expected_calibration_error",
    "fit_stream",
    "iter_predictions",
    "named_pipeline",
    "predict_in_batches",
    "predict_with_scores",
    "scores_of_predictions",
    "table_markdown",
    "tune",
]


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
