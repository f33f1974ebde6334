"""A grid search over a pipeline's last step that fits the steps before it once a fold.

``GridSearchCV(pipeline, grid)`` refits the vectorizer for every candidate of
every fold although the grid only changes the classifier: 72 candidates
vectorize each fold 72 times. Here each fold's earlier steps are fitted once,
their output for the fold's training and validation rows is stacked into one
matrix, and ``GridSearchCV`` searches the final step alone over index splits
of that matrix. The final step sees exactly the rows a pipeline search gives
it, so the scores are the same
(``tests/model_selection/test_experiments.py``); the result is a
``GridSearchCV`` of the whole pipeline, refitted on all the data, as if it
had been fitted itself (the earlier steps are fitted on all the data beside
the folds', so that the refit fits the final step alone). In threads,
the reviews' n-grams are keyed once for all those fits (``_shared_ngrams``).
``Pipeline(memory=...)`` caches the same fits on disk, but hashing the
reviews for every fit cost what it saved (measured in
``docs/user_guide/tuning.rst``).

Each worker takes all the folds of a candidate in turn: ``GridSearchCV``
lists its fits candidate by candidate, so two workers taking one fit each
would both trace the candidate's network (``_trainers``), where one worker
traces it once and reuses it for the other folds. With ``threads=True`` the
workers are threads of this process, and the batches made of a fold's rows
are kept for the candidates after the first (``reusing_batches``: with one
seed, every candidate trains on them in the same order); otherwise the
workers are those of joblib's active backend (Dask's included).
"""

import copy
import logging
import time
from contextlib import nullcontext

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed, parallel_config
from joblib.parallel import ThreadingBackend, get_active_backend
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import GridSearchCV, check_cv
from sklearn.utils import _safe_indexing

from ..network._batches import reusing_batches
from ..text._shared_ngrams import sharing_ngrams

__all__ = ["final_step_search", "searches_final_step"]

logger = logging.getLogger(__name__)


def searches_final_step(pipe, param_grid):
    """Whether every parameter of ``param_grid`` belongs to the pipeline's last step.

    Parameters
    ----------
    pipe : Pipeline
        The pipeline.
    param_grid : dict
        Parameter names and values.

    Returns
    -------
    bool
        True when the earlier steps are the same for every candidate.
    """
    if not isinstance(param_grid, dict) or len(pipe.steps) < 2:
        return False
    prefix = f"{pipe.steps[-1][0]}__"
    return all(name.startswith(prefix) for name in param_grid)


def final_step_search(search, X, y, *, threads=False):
    """Fit ``search`` as ``search.fit(X, y)`` would, with each fold vectorized once.

    Parameters
    ----------
    search : GridSearchCV
        Unfitted, over a pipeline and a dict grid of its last step's
        parameters (``searches_final_step``), with a single scorer,
        ``refit=True`` and ``error_score="raise"``. When the earlier steps
        give the folds different numbers of features, it is fitted as usual.
    X, y : array-like
        The data.
    threads : bool, default=False
        Run the fits in ``search.n_jobs`` threads; otherwise on joblib's
        active backend. Either way a candidate's folds go to one worker.

    Returns
    -------
    search : GridSearchCV
        ``search``, fitted: ``cv_results_``, ``best_params_``,
        ``best_estimator_`` (the whole pipeline refitted on ``X, y``) and the
        rest.
    """
    pipe, param_grid, n_jobs = search.estimator, search.param_grid, search.n_jobs
    name = pipe.steps[-1][0]
    cv = check_cv(search.cv, y, classifier=is_classifier(pipe))
    folds = list(cv.split(X, y))
    start = time.perf_counter()
    with (
        parallel_config(backend="threading") if threads else nullcontext(),
        sharing_ngrams(X) if threads else nullcontext(),
    ):
        # the earlier steps fitted on all the data too, for the refit
        *blocks, (head, whole) = Parallel(n_jobs=n_jobs)(
            [delayed(_fold_features)(pipe[:-1], X, y, tr, te) for tr, te in folds]
            + [delayed(_head_features)(pipe[:-1], X, y)]
        )
    if len({block.shape[1] for pair in blocks for block in pair}) > 1:
        # e.g. fewer distinct words than num_words: the folds' widths differ
        logger.info("Folds of different widths: every candidate fits its pipeline")
        with parallel_config(backend="threading") if threads else nullcontext():
            return search.fit(X, y)
    features = _stack([block for pair in blocks for block in pair])
    targets = np.concatenate(
        [_safe_indexing(y, part) for train, test in folds for part in (train, test)]
    )
    splits, offset = [], 0
    for train, test in folds:
        middle, end = offset + len(train), offset + len(train) + len(test)
        splits.append((np.arange(offset, middle), np.arange(middle, end)))
        offset = end
    logger.info(
        "Features of %d folds computed once in %.1f s",
        len(folds),
        time.perf_counter() - start,
    )
    prefix = f"{name}__"
    inner = GridSearchCV(
        pipe.steps[-1][1],
        {key.removeprefix(prefix): values for key, values in param_grid.items()},
        cv=splits,
        scoring=search.scoring,
        n_jobs=n_jobs,
        verbose=search.verbose,
        error_score="raise",
        refit=False,
        # every fit queued at once, so that each batch is a whole candidate
        pre_dispatch="all",
    )
    with (
        parallel_config(backend=_whole_candidates(len(folds), threads)),
        reusing_batches() if threads else nullcontext(),
    ):
        inner.fit(features, targets)
    del features

    results = {
        (f"param_{prefix}{key[6:]}" if key.startswith("param_") else key): value
        for key, value in inner.cv_results_.items()
    }
    results["params"] = [
        {prefix + key: value for key, value in params.items()}
        for params in results["params"]
    ]
    search.cv_results_ = results
    search.best_index_ = int(results["rank_test_score"].argmin())
    search.best_params_ = results["params"][search.best_index_]
    search.best_score_ = float(results["mean_test_score"][search.best_index_])
    search.scorer_ = check_scoring(pipe, scoring=search.scoring)
    search.n_splits_ = len(folds)
    search.multimetric_ = False
    start = time.perf_counter()
    best = clone(pipe).set_params(**search.best_params_)
    best.steps = [*head.steps, (name, best.steps[-1][1].fit(whole, y))]
    search.best_estimator_ = best
    search.refit_time_ = time.perf_counter() - start
    return search


def _whole_candidates(n_folds, threads):
    """Threads or the active backend, with one candidate's folds to a batch.

    ``Parallel`` asks its backend how many tasks make a batch; a fixed number
    of folds makes each batch one candidate, whose network one worker traces.
    """
    backend = ThreadingBackend() if threads else copy.copy(get_active_backend()[0])
    backend.compute_batch_size = lambda: n_folds
    return backend


def _head_features(head, X, y):
    head = clone(head)
    return head, head.fit_transform(X, y)


def _fold_features(head, X, y, train, test):
    head, fitted = _head_features(
        head, _safe_indexing(X, train), _safe_indexing(y, train)
    )
    return fitted, head.transform(_safe_indexing(X, test))


def _stack(blocks):
    if any(sp.issparse(block) for block in blocks):
        return sp.vstack(blocks, format="csr")
    return np.concatenate([np.asarray(block) for block in blocks])
