"""Choosing a model: named pipelines, comparisons, searches and their scores.

:func:`named_pipeline` builds the named baselines and networks;
:func:`compare` cross-validates and tests several of them side by side and
:func:`tune` searches one's grid; :func:`classification_scores` and its
siblings score predictions; :func:`iter_predictions` predicts streams of
reviews in bounded memory. Private modules: ``tune``'s search over the final
step (``_final_step_search``) and the reports it and ``compare`` write
(``_reports``, whose :func:`table_markdown` is public).
"""

from ._experiments import GRIDS, compare, tune
from ._pipelines import (
    available_pipelines,
    check_classes,
    describe_pipeline,
    named_pipeline,
)
from ._reports import table_markdown
from ._scoring import (
    classification_scores,
    expected_calibration_error,
    predict_with_scores,
    scores_of_predictions,
)
from ._streams import iter_predictions, predict_in_batches

__all__ = [
    "GRIDS",
    "available_pipelines",
    "check_classes",
    "classification_scores",
    "compare",
    "describe_pipeline",
    "expected_calibration_error",
    "iter_predictions",
    "named_pipeline",
    "predict_in_batches",
    "predict_with_scores",
    "scores_of_predictions",
    "table_markdown",
    "tune",
]
