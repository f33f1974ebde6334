"""The notebook's "further experiments": compare named pipelines, tune one.

:func:`compare` cross-validates named pipelines on the training split and
scores them on the test split; :func:`tune` runs ``GridSearchCV`` over the
network's architecture, on this machine (joblib's loky processes) or on a
Dask cluster.
"""

import json
import logging
import os
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_val_score,
)

from ..datasets import load_splits
from ..utils.parallel import dask_backend, share_tensorflow_ops, threads_per_worker
from ._final_step_search import final_step_search, searches_final_step
from ._pipelines import available_pipelines, check_classes, named_pipeline
from ._reports import files_written, write_comparison, write_search
from ._scoring import predict_with_scores, scores_of_predictions

__all__ = ["GRIDS", "compare", "tune"]

logger = logging.getLogger(__name__)

#: Named grids for :func:`tune`, over the ``seed-net`` pipeline.
GRIDS = {
    # the closing list of the notebook: 3 x 3 x 2 x 2 x 2 = 72 candidates
    "seed": {
        "clf__hidden_layers": [1, 2, 3],
        "clf__units": [16, 32, 64],
        "clf__loss": ["binary_crossentropy", "mse"],
        "clf__activation": ["relu", "tanh"],
        "clf__optimizer": ["rmsprop", "adam"],
    },
    "small": {"clf__hidden_layers": [1, 2], "clf__units": [16, 32]},
}

COMPARISON_COLUMNS = [
    "model",
    "cv_accuracy_mean",
    "cv_accuracy_std",
    "test_accuracy",
    "test_macro_f1",
    "test_roc_auc",
    "test_log_loss",
    "test_brier",
    "test_ece",
    "fit_seconds",
    "predict_seconds",
]


def compare(
    models=None,
    *,
    cv=5,
    limit=None,
    splits=None,
    n_jobs=None,
    out=None,
    random_state=0,
):
    """Cross-validate named pipelines, then fit on train and score on test.

    Parameters
    ----------
    models : list of str or None, default=None
        Names from :func:`~sklearn_imdb.available_pipelines`; None
        compares all of them that take the data's number of classes.
    cv : int, default=5
        Stratified folds on the training split; 0 skips cross-validation.
    limit : int or None, default=None
        Use a stratified sample of ``limit`` IMDB reviews from each split.
    splits : tuple or None, default=None
        ``(X_train, y_train, X_test, y_test)``, e.g. from
        :func:`~sklearn_imdb.load_splits` on your own file; None uses
        IMDB's splits.
    n_jobs : int or None, default=None
        Folds run in parallel (joblib processes).
    out : str or path-like or None, default=None
        If given, write ``comparison.csv``, ``comparison.md``,
        ``comparison.png`` and, for two classes, ``calibration.png`` (the
        reliability diagram of every model with probabilities) there.
    random_state : int, default=0
        Seed of the sample and the folds.

    Returns
    -------
    table : pandas DataFrame
        One row per model with the columns of :data:`COMPARISON_COLUMNS`:
        test accuracy, macro-F1, ROC AUC, log loss, Brier score and
        expected calibration error as
        :func:`~sklearn_imdb.classification_scores` gives them.
    """
    _check_cv(cv)
    dataset = "IMDB" if splits is None else "your data"
    X_train, y_train, X_test, y_test = splits or load_splits(limit, random_state)
    n_classes = len(np.unique(y_train))
    models = available_pipelines(n_classes) if models is None else list(models)
    for name in models:  # before any work: unknown names, too many classes
        check_classes(name, n_classes)
    rows, probabilities = [], {}
    for i, name in enumerate(models, 1):
        logger.info("[%d/%d] %s", i, len(models), name)
        pipe = named_pipeline(name)
        cv_scores = [np.nan]
        if cv:
            folds = StratifiedKFold(cv, shuffle=True, random_state=random_state)
            cv_scores = _cross_val_accuracy(pipe, X_train, y_train, folds, n_jobs, name)
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        predicted, scores, is_proba = predict_with_scores(pipe, X_test)
        predict_seconds = time.perf_counter() - start
        test = scores_of_predictions(y_test, predicted, scores, is_proba, pipe.classes_)
        if is_proba and scores.ndim == 1:
            probabilities[name] = scores
        rows.append(
            {
                "model": name,
                "cv_accuracy_mean": np.mean(cv_scores),
                "cv_accuracy_std": np.std(cv_scores),
                **{f"test_{metric}": value for metric, value in test.items()},
                "fit_seconds": fit_seconds,
                "predict_seconds": predict_seconds,
            }
        )
        logger.info("    %s: test accuracy %.4f", name, test["accuracy"])
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    if out is not None:
        title = f"{dataset}, {len(X_train):,} training reviews"
        positive = y_test == np.unique(y_train)[-1]
        written = write_comparison(
            table, Path(out), cv, title, (positive, probabilities)
        )
        logger.info("%s", files_written(written, out))
    return table


def tune(
    grid="small",
    *,
    model="seed-net",
    cv=3,
    limit=None,
    splits=None,
    n_jobs=None,
    backend="loky",
    scheduler=None,
    out=None,
    random_state=0,
    verbose=0,
):
    """Grid-search a pipeline's parameters with cross-validation.

    Parameters
    ----------
    grid : str, dict or path-like, default="small"
        ``"seed"`` (the notebook's 72 candidates), ``"small"`` (4), a dict of
        parameter lists, or a JSON file holding one. Keys without a step
        prefix are taken as the classifier's (``units`` is ``clf__units``).
    model : str, default="seed-net"
        The pipeline to tune.
    cv : int, default=3
        Stratified folds.
    limit : int or None, default=None
        Use a stratified sample of ``limit`` IMDB training reviews.
    splits : tuple or None, default=None
        ``(X_train, y_train, X_test, y_test)``, e.g. from
        :func:`~sklearn_imdb.load_splits` on your own file (the search
        uses the first two); None uses IMDB's.
    n_jobs : int or None, default=None
        Parallel fits. TensorFlow in each worker gets an equal share of the
        cores, so that workers do not oversubscribe them.
    backend : {"loky", "dask"}, default="loky"
        ``"dask"`` runs the fits on a Dask cluster. Otherwise, when the grid
        only changes the classifier, the fits run in ``n_jobs`` threads of
        this process, each fold vectorized once; other grids run in loky
        worker processes.
    scheduler : str or None, default=None
        Address of a Dask scheduler (``tcp://host:8786``); None starts a
        local cluster of ``n_jobs`` workers (one per GPU when there are GPUs).
    out : str or path-like or None, default=None
        If given, write ``results.csv``, ``best_params.json`` and
        ``scores.png`` there.
    random_state : int, default=0
        Seed of the sample and the folds.
    verbose : int, default=0
        Passed to ``GridSearchCV`` (2 reports every fit as it ends).

    Returns
    -------
    search : GridSearchCV
        The fitted search (``best_params_``, ``cv_results_``, ...).
    """
    if backend not in ("loky", "dask"):
        raise ValueError(f"backend must be 'loky' or 'dask', got {backend!r}.")
    if scheduler is not None and backend != "dask":
        raise ValueError("a scheduler address needs backend='dask'.")
    pipe = named_pipeline(model)
    param_grid = _resolve_grid(grid, pipe)
    _check_cv(cv, allow_zero=False)
    X, y, _, _ = splits or load_splits(limit, random_state)
    check_classes(model, len(np.unique(y)))
    folds = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    n_candidates = _n_candidates(param_grid)
    logger.info(
        "Searching %d candidates x %d folds = %d fits (%s backend)",
        n_candidates,
        cv,
        n_candidates * cv,
        backend,
    )
    search = GridSearchCV(
        pipe,
        param_grid,
        cv=folds,
        scoring="accuracy",
        n_jobs=n_jobs,
        verbose=verbose,
        error_score="raise",
    )
    final_step = searches_final_step(pipe, param_grid)
    if backend == "dask":
        workers = dask_backend(scheduler, n_jobs, scatter=[X, y])
    elif final_step:
        # threads of one process (final_step_search): each network is traced
        # once for all its folds (see _trainers); loky restarts a worker whose
        # memory grew by 300 MB, traced networks and all: the seed grid had
        # not ended after 14 minutes with loky workers (2 new ones a minute)
        share_tensorflow_ops(n_jobs)
        workers = nullcontext()
    else:
        workers = threads_per_worker(n_jobs)
    with workers:
        if final_step:
            # each fold vectorized once for every candidate (_final_step_search)
            search = final_step_search(search, X, y, threads=backend == "loky")
        else:
            search.fit(X, y)
    if out is not None:
        name = grid if isinstance(grid, str) else getattr(grid, "name", "custom")
        title = f"{model} on {len(X):,} training reviews, {name} grid, {cv}-fold CV"
        logger.info("%s", files_written(write_search(search, Path(out), title), out))
    return search


# -- helpers ------------------------------------------------------------------


def _check_cv(cv, allow_zero=True):
    if (
        not isinstance(cv, (int, np.integer))
        or cv < 0
        or cv == 1
        or (cv == 0 and not allow_zero)
    ):
        allowed = "0 (no cross-validation) or " if allow_zero else ""
        raise ValueError(f"cv must be {allowed}an integer >= 2, got {cv!r}.")


def _cross_val_accuracy(pipe, X, y, folds, n_jobs, name):
    with threads_per_worker(n_jobs):
        scores = cross_val_score(
            pipe,
            X,
            y,
            cv=folds,
            scoring="accuracy",
            n_jobs=n_jobs,
            verbose=1 if logger.isEnabledFor(logging.INFO) else 0,
        )
    logger.info("    %s: fold accuracies %s", name, np.round(scores, 4).tolist())
    return scores


def _n_candidates(param_grid):
    return int(np.prod([len(v) for v in param_grid.values()]))


def _resolve_grid(grid, pipe):
    if isinstance(grid, str) and grid in GRIDS:
        grid = GRIDS[grid]
    elif isinstance(grid, (str, os.PathLike)):
        path = Path(grid)
        if not path.is_file():
            raise ValueError(
                f"Unknown grid {str(grid)!r}: use {', '.join(GRIDS)} or a JSON file."
            )
        try:
            grid = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(grid, dict) or not grid:
        raise ValueError("A grid must be a non-empty mapping of parameter to values.")
    params = pipe.get_params()
    resolved = {}
    for key, values in grid.items():
        name = key if key in params or "__" in key else f"clf__{key}"
        if name not in params and not name.startswith("clf__"):
            raise ValueError(f"Unknown parameter {key!r} for this pipeline.")
        if not isinstance(values, list) or not values:
            raise ValueError(f"Grid values of {key!r} must be a non-empty list.")
        resolved[name] = values
    return resolved
