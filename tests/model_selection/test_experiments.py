import json
import os
import re
import time
from contextlib import nullcontext

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from sklearn_imdb.model_selection import GRIDS
from sklearn_imdb.model_selection._experiments import COMPARISON_COLUMNS, compare, tune

from ..conftest import calls_to


def test_compare_writes_table_markdown_and_plot(small_archive, tmp_path, caplog):
    out = tmp_path / "cmp"
    with caplog.at_level("INFO", logger="sklearn_imdb.model_selection"):
        table = compare(["logreg", "bernoulli-nb", "linear-svc"], cv=3, out=out)
    assert list(table.columns) == COMPARISON_COLUMNS
    assert table["model"].tolist() == ["logreg", "bernoulli-nb", "linear-svc"]
    assert (table["test_accuracy"] > 0.9).all() and (table["test_roc_auc"] > 0.9).all()
    assert (table["cv_accuracy_std"] >= 0).all() and (table["fit_seconds"] > 0).all()
    saved = pd.read_csv(out / "comparison.csv")
    assert list(saved.columns) == COMPARISON_COLUMNS and len(saved) == 3
    assert (out / "comparison.md").read_text().startswith("| model | cv_accuracy_mean")
    assert (out / "comparison.png").stat().st_size > 1000
    # the reliability diagram of the models with probabilities, and its summary
    assert (out / "calibration.png").stat().st_size > 1000
    assert table["test_ece"].between(0, 1).iloc[:2].all()
    assert np.isnan(table.loc[2, "test_ece"])  # LinearSVC: no probabilities
    # progress: a line a finished fit (3 models x (3 folds + the final fit)),
    # with the count, the accuracy in one format, the seconds and an ETA
    lines = [r.getMessage() for r in caplog.records if "ETA" in r.getMessage()]
    assert len(lines) == 12
    assert re.search(
        r"\] +5/12  bernoulli-nb fold \d/3: accuracy [01]\.\d{4} in ", lines[4]
    )
    assert lines[-1].startswith("  [####################] 12/12  linear-svc on all")
    assert re.search(r"\(\d+:\d\d elapsed, ETA 0:00\)$", lines[-1])
    # every file written is named, and nothing else is there
    names = "comparison.csv, comparison.md, comparison.png and calibration.png"
    assert f"wrote {names} to {out}" in caplog.text
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["comparison.csv", "comparison.md", "comparison.png", "calibration.png"]
    )


def test_compare_without_cv(small_archive):
    table = compare(["logreg"], cv=0)
    assert np.isnan(table.loc[0, "cv_accuracy_mean"])


@pytest.mark.parametrize("cv", [1, -2, 2.5])
def test_compare_bad_cv(small_archive, cv):
    with pytest.raises(ValueError, match="cv must be"):
        compare(["logreg"], cv=cv)


def test_compare_unknown_model_fails_before_work(small_archive):
    with pytest.raises(ValueError, match="Unknown pipeline 'nope'"):
        compare(["logreg", "nope"])


def test_seed_grid_is_the_notebooks_list():
    grid = GRIDS["seed"]
    assert np.prod([len(v) for v in grid.values()]) == 72
    assert grid["clf__loss"] == ["binary_crossentropy", "mse"]
    assert (
        len(GRIDS["small"]["clf__units"]) * len(GRIDS["small"]["clf__hidden_layers"])
        == 4
    )


def _tune(**kwargs):
    return tune(
        {"units": [4, 16], "epochs": [2, 12]},
        cv=2,
        limit=40,
        random_state=0,
        **kwargs,
    )


def test_tune_writes_results(small_archive, tmp_path, caplog, capfd):
    out = tmp_path / "tune"
    with caplog.at_level("INFO", logger="sklearn_imdb"):
        search = _tune(out=out, n_jobs=2, verbose=1)
    # a line a fit, from two threads, each whole; no epoch lines, no joblib's
    fits = [r.getMessage() for r in caplog.records if "ETA" in r.getMessage()]
    assert len(fits) == 8
    assert sorted(
        re.findall(
            r"candidate (\d)/4 \(units=\d+, epochs=\d+\) fold (\d)/2", "\n".join(fits)
        )
    ) == [(str(c), str(f)) for c in range(1, 5) for f in (1, 2)]
    assert not any(re.search(r"epoch \d+/\d+:", r.getMessage()) for r in caplog.records)
    assert "[Parallel" not in capfd.readouterr().err
    # what the search keeps is plain accuracy, not the reporting scorer
    assert search.scoring == "accuracy" and "Reporting" not in repr(search.scorer_)
    assert f"wrote results.csv, best_params.json and scores.png to {out}" in caplog.text
    assert sorted(p.name for p in out.iterdir()) == [
        "best_params.json",
        "results.csv",
        "scores.png",
    ]
    assert search.best_params_ == {"clf__epochs": 12, "clf__units": 16}
    results = pd.read_csv(out / "results.csv")
    assert results["rank_test_score"].tolist() == sorted(results["rank_test_score"])
    assert {"clf__units", "clf__epochs", "mean_test_score"} <= set(results.columns)
    best = json.loads((out / "best_params.json").read_text())
    assert best["best_params"] == search.best_params_
    assert (out / "scores.png").stat().st_size > 1000


def test_tune_threads_trace_each_candidate_once(small_archive, monkeypatch):
    # each thread takes all the folds of a candidate: two threads fitting one
    # candidate's folds at once would both trace its network
    from sklearn_imdb.network import _trainers

    _trainers.clear()
    copies = calls_to(monkeypatch, _trainers, "_compiled_copy")
    tune({"units": [4, 8, 12, 16]}, cv=3, limit=40, n_jobs=2, random_state=0)
    traced = [model.count_params() for (model,) in copies]
    # the folds and the refit take one trainer a network; the cache holds the four
    assert len(traced) == len(set(traced)) == 4


class _ScoredByWorker(ClassifierMixin, BaseEstimator):
    """Scores a fit with the id of the process that fitted it."""

    def __init__(self, c=0):
        self.c = c

    def fit(self, X, y):
        time.sleep(0.2)  # long enough for both workers to take fits
        self.classes_, self.pid_ = np.unique(y), os.getpid()
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.classes_[0])

    def score(self, X, y):
        return float(self.pid_)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["loky", "dask"])
def test_final_step_search_gives_a_candidates_folds_to_one_worker(backend):
    # processes trace a network each too: a candidate's folds go together
    from joblib import parallel_config
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from sklearn_imdb import MultiHotVectorizer
    from sklearn_imdb.model_selection._final_step_search import final_step_search
    from sklearn_imdb.utils.parallel import dask_client

    if backend == "dask":
        pytest.importorskip("dask.distributed")
    pipe = make_pipeline(MultiHotVectorizer(), _ScoredByWorker())
    search = GridSearchCV(pipe, {"_scoredbyworker__c": list(range(6))}, cv=3, n_jobs=2)
    reviews, labels = ["a good film", "a bad film"] * 6, [1, 0] * 6
    with dask_client(n_workers=2) if backend == "dask" else nullcontext():
        with parallel_config(backend=backend):
            final_step_search(search, reviews, labels)
    workers = np.column_stack(
        [search.cv_results_[f"split{k}_test_score"] for k in range(3)]
    )
    assert (workers == workers[:, :1]).all()  # the same worker for every fold
    assert len(np.unique(workers)) == 2 and os.getpid() not in workers


@pytest.mark.slow
def test_tune_on_a_local_dask_cluster_matches_loky(small_archive):
    pytest.importorskip("dask.distributed")
    loky = _tune(n_jobs=1)
    dask = _tune(n_jobs=2, backend="dask")
    assert dask.best_params_ == loky.best_params_
    np.testing.assert_allclose(
        dask.cv_results_["mean_test_score"], loky.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize(
    "grid",
    [
        {"clf__units": [4, 16], "clf__epochs": [2, 12]},  # each fold vectorized once
        {"clf__units": [4, 16], "vec__num_words": [30, 60]},  # every fit
    ],
)
def test_tune_gives_what_plain_grid_search_gives(small_archive, monkeypatch, grid):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from sklearn_imdb import MultiHotVectorizer, load_splits, named_pipeline

    X, y, X_test, y_test = load_splits(40, 0)
    plain = GridSearchCV(
        named_pipeline("seed-net"),
        grid,
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        scoring="accuracy",
    ).fit(X, y)
    fits = calls_to(monkeypatch, MultiHotVectorizer, "fit_transform")
    ours = tune(grid, cv=2, limit=40, random_state=0)
    once = "vec__num_words" not in grid
    assert len(fits) == (2 + 1 if once else 4 * 2 + 1)  # folds (+ the refit)
    assert list(ours.cv_results_) == list(plain.cv_results_)
    assert ours.cv_results_["params"] == plain.cv_results_["params"]
    for key in ("split0_test_score", "split1_test_score", "rank_test_score"):
        np.testing.assert_array_equal(ours.cv_results_[key], plain.cv_results_[key])
    for key in grid:
        assert list(ours.cv_results_[f"param_{key}"]) == list(
            plain.cv_results_[f"param_{key}"]
        )
    assert ours.best_params_ == plain.best_params_
    assert ours.best_score_ == plain.best_score_
    assert ours.n_splits_ == 2 and ours.refit_time_ > 0
    np.testing.assert_array_equal(
        ours.predict_proba(X_test), plain.predict_proba(X_test)
    )
    assert ours.score(X_test, y_test) == plain.score(X_test, y_test)


def test_tune_grid_files_and_errors(small_archive, tmp_path):
    grid_file = tmp_path / "grid.json"
    grid_file.write_text(json.dumps({"clf__units": [8], "epochs": [1]}))
    search = tune(grid_file, cv=2, limit=20)
    assert search.best_params_ == {"clf__units": 8, "clf__epochs": 1}
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        tune(tmp_path / "bad.json", cv=2, limit=20)
    with pytest.raises(ValueError, match="Unknown grid 'huge'"):
        tune("huge")
    with pytest.raises(ValueError, match="non-empty list"):
        tune({"units": 16})
    with pytest.raises(ValueError, match="backend"):
        tune("small", backend="spark")
    with pytest.raises(ValueError, match="cv must be"):
        tune("small", cv=0)


@pytest.mark.parametrize("name", ["logreg", "linear-svc", "multinomial-nb"])
def test_predict_with_scores_agrees_with_predict(name):
    from sklearn_imdb import named_pipeline, predict_with_scores

    from ..conftest import synthetic_reviews

    rows = synthetic_reviews(30, "train")
    docs = [r[4] for r in rows] + ["great dull", "the film"]
    y = np.array([r[1] for r in rows])  # string labels
    pipe = named_pipeline(name).fit(docs[:-2], y)
    predicted, scores, is_proba = predict_with_scores(pipe, docs)
    assert predicted.tolist() == pipe.predict(docs).tolist()
    assert is_proba == hasattr(pipe, "predict_proba") and scores.shape == (len(docs),)
