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
from sklearn.metrics import check_scoring
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from ..datasets import load_splits
from ..utils.parallel import dask_backend, share_tensorflow_ops, threads_per_worker
from ._final_step_search import final_step_search, searches_final_step
from ._pipelines import GRIDS, available_pipelines, check_classes, named_pipeline
from ._progress import (
    Progress,
    ReportingAccuracy,
    clock,
    cross_val_accuracy,
    quiet_epochs,
)
from ._reports import files_written, write_comparison, write_search
from ._scoring import predict_with_scores, scores_of_predictions

__all__ = ["compare", "tune"]

logger = logging.getLogger(__name__)

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
    data_name=None,
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
    data_name : str or None, default=None
        What the figures' titles call the data; None: "IMDB", or "your data"
        with ``splits``.

    Returns
    -------
    table : pandas DataFrame
        One row per model with the columns of :data:`COMPARISON_COLUMNS`:
        test accuracy, macro-F1, ROC AUC, log loss, Brier score and
        expected calibration error as
        :func:`~sklearn_imdb.classification_scores` gives them.
    """
    _check_cv(cv)
    dataset = data_name or ("IMDB" if splits is None else "your data")
    X_train, y_train, X_test, y_test = splits or load_splits(limit, random_state)
    n_classes = len(np.unique(y_train))
    models = available_pipelines(n_classes) if models is None else list(models)
    for name in models:  # before any work: unknown names, too many classes
        check_classes(name, n_classes)
    rows, probabilities = [], {}
    progress = Progress(len(models) * ((cv or 0) + 1), logger)
    for name in models:
        pipe = named_pipeline(name)
        cv_scores = [np.nan]
        with quiet_epochs():
            if cv:
                folds = StratifiedKFold(cv, shuffle=True, random_state=random_state)
                cv_scores = cross_val_accuracy(
                    pipe, X_train, y_train, folds, n_jobs, name, progress
                )
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
        progress.report(
            f"{name} on all training reviews: test accuracy {test['accuracy']:.4f}"
            f", fitted in {fit_seconds:.1f} s"
        )
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
    data_name=None,
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
        Above 0, log a line for every fit as it ends (its candidate, fold,
        accuracy and seconds) with the search's progress and an ETA, at INFO
        level to the ``sklearn_imdb.model_selection`` logger, where the fits
        run in this process (threads, or ``n_jobs=1``); searches in worker
        processes log their start and end.
    data_name : str or None, default=None
        What the figure's title calls the data; None: "IMDB", or "your data"
        with ``splits``.

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
    final_step = searches_final_step(pipe, param_grid)
    in_process = backend == "loky" and (final_step or n_jobs in (None, 1))
    search = GridSearchCV(
        pipe,
        param_grid,
        cv=folds,
        # a scorer that reports each fit where the fits run here; joblib's
        # and GridSearchCV's own lines are left off (they interleave)
        scoring=(
            ReportingAccuracy(param_grid, cv, Progress(n_candidates * cv, logger))
            if verbose and in_process
            else "accuracy"
        ),
        n_jobs=n_jobs,
        error_score="raise",
    )
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
    start = time.perf_counter()
    with workers, quiet_epochs():
        if final_step:
            # each fold vectorized once for every candidate (_final_step_search)
            search = final_step_search(search, X, y, threads=backend == "loky")
        else:
            search.fit(X, y)
    # the search keeps plain accuracy as its scorer, not the reporting one
    search.scoring = "accuracy"
    search.scorer_ = check_scoring(search.best_estimator_, scoring="accuracy")
    logger.info(
        "Searched in %s; the best candidate refitted on all %s reviews in %.1f s",
        clock(time.perf_counter() - start),
        f"{len(X):,}",
        search.refit_time_,
    )
    if out is not None:
        name = grid if isinstance(grid, str) else getattr(grid, "name", "custom")
        data = data_name or ("IMDB" if splits is None else "your data")
        title = f"{model} on {data}, {len(X):,} training reviews, {name} grid, "
        title += f"{cv}-fold CV"
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
