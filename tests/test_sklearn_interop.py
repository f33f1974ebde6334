"""Our estimators composed the way scikit-learn users compose them.

Each case asserts a result that breaks when the composition breaks: other
vectorizers' (unsorted) matrices, one review at a time through meta-
estimators, searches, threads, metadata routing, multiclass labels.
"""

import os

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from joblib import parallel_config
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import (
    BaggingClassifier,
    StackingClassifier,
    VotingClassifier,
)
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    cross_validate,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_imdb import (
    MultiHotVectorizer,
    NBFeatureWeighter,
    load_model,
    save_model,
)

from .conftest import make_reviews, small_network

ONE = ["a wonderful film, great and moving"]


@pytest.fixture(scope="module")
def labelled():
    docs, y = make_reviews(200, seed=3)
    return docs, np.array(["neg", "pos"])[y]


@pytest.fixture(scope="module")
def fitted_pipe(labelled):
    docs, y = labelled
    return make_pipeline(MultiHotVectorizer(), small_network()).fit(docs, y)


def _unsorted(X):
    """X with each row's indices reversed: valid CSR, not canonical."""
    X = sp.csr_matrix(X, copy=True)
    for a, b in zip(X.indptr[:-1], X.indptr[1:]):
        X.indices[a:b] = X.indices[a:b][::-1].copy()
        X.data[a:b] = X.data[a:b][::-1].copy()
    X.has_sorted_indices = False
    return X


# -- scikit-learn's vectorizers and other sparse matrices ------------------------


@pytest.mark.parametrize("vectorizer", [TfidfVectorizer, CountVectorizer])
def test_sklearn_vectorizers_feed_the_network(labelled, vectorizer):
    docs, y = labelled
    pipe = make_pipeline(vectorizer(), small_network()).fit(docs, y)
    assert pipe.score(docs, y) > 0.95
    assert pipe.predict(ONE).tolist() == ["pos"]


def test_unsorted_and_duplicate_indices_fit_and_leave_the_input_alone(labelled):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    messy = _unsorted(X)
    # every stored value split in two entries of one column: duplicates
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    order = np.argsort(np.r_[rows, rows], kind="stable")
    dup = sp.csr_matrix(
        (
            np.r_[X.data, X.data][order] / 2,
            np.r_[X.indices, X.indices][order],
            X.indptr * 2,
        ),
        shape=X.shape,
    )
    assert not messy.has_sorted_indices and not dup.has_canonical_format
    before = messy.indices.copy(), messy.data.copy(), dup.data.copy()
    ref = small_network().fit(X, y).predict_proba(X)
    for odd in (messy, dup):
        got = small_network().fit(odd, y).predict_proba(odd)
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(messy.indices, before[0])
    np.testing.assert_array_equal(messy.data, before[1])
    np.testing.assert_array_equal(dup.data, before[2])


@pytest.mark.parametrize(
    "convert",
    [sp.csc_matrix, sp.coo_matrix, sp.csr_array, lambda X: X.astype(np.float64)],
    ids=["csc", "coo", "csr_array", "float64"],
)
def test_every_sparse_format_gives_the_same_network(labelled, convert):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    ref = small_network().fit(X, y).predict_proba(X)
    got = small_network().fit(convert(X), y).predict_proba(convert(X))
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_column_permutation(labelled):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    perm = np.random.default_rng(0).permutation(X.shape[1])
    clf = small_network().fit(X[:, perm], y)
    assert clf.score(X[:, perm], y) > 0.95


def test_bagging_with_feature_subsampling(labelled):
    docs, y = labelled
    pipe = make_pipeline(
        MultiHotVectorizer(),
        BaggingClassifier(
            small_network(epochs=15), n_estimators=3, max_features=0.7, random_state=0
        ),
    ).fit(docs, y)
    assert pipe.score(docs, y) > 0.9
    assert pipe.predict_proba(ONE).shape == (1, 2)


def test_feature_union_and_feature_selection(labelled):
    docs, y = labelled
    pipe = make_pipeline(
        FeatureUnion(
            [
                ("words", MultiHotVectorizer()),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3))),
            ]
        ),
        SelectKBest(chi2, k=50),
        small_network(),
    ).fit(docs, y)
    assert pipe.score(docs, y) > 0.95


def test_dense_input_from_truncated_svd(labelled):
    docs, y = labelled
    pipe = make_pipeline(
        MultiHotVectorizer(),
        TruncatedSVD(10, random_state=0),
        StandardScaler(),
        small_network(),
    ).fit(docs, y)
    assert pipe.score(docs, y) > 0.9


def test_column_transformer_on_a_dataframe(labelled):
    docs, y = labelled
    frame = pd.DataFrame({"review": docs, "stars": np.where(y == "pos", 8, 2)})
    pipe = make_pipeline(
        ColumnTransformer(
            [
                ("text", MultiHotVectorizer(), "review"),
                ("num", StandardScaler(), ["stars"]),
            ]
        ),
        small_network(),
    ).fit(frame, y)
    assert pipe.score(frame, y) > 0.95
    assert pipe.predict(frame.iloc[:1]).shape == (1,)


# -- one review at a time ----------------------------------------------------------


def test_one_review_through_a_pipeline(fitted_pipe):
    proba = fitted_pipe.predict_proba(ONE)
    assert proba.shape == (1, 2)
    assert fitted_pipe.predict(ONE).shape == (1,)
    assert fitted_pipe.predict(ONE).tolist() == ["pos"]
    np.testing.assert_allclose(
        proba[0], fitted_pipe.predict_proba(ONE + ONE)[0], rtol=1e-5
    )


def test_one_review_through_calibration(labelled):
    docs, y = labelled
    calibrated = CalibratedClassifierCV(
        make_pipeline(MultiHotVectorizer(), small_network()), cv=3
    ).fit(docs, y)
    proba = calibrated.predict_proba(ONE)
    assert proba.shape == (1, 2) and proba[0, 1] > 0.5


def test_one_review_through_soft_voting(labelled):
    docs, y = labelled
    vote = make_pipeline(
        MultiHotVectorizer(),
        VotingClassifier(
            [("net", small_network()), ("lr", LogisticRegression())], voting="soft"
        ),
    ).fit(docs, y)
    assert vote.predict_proba(ONE).shape == (1, 2)
    assert vote.predict(ONE).tolist() == ["pos"]


def test_one_review_through_stacking(labelled):
    docs, y = labelled
    stack = make_pipeline(
        MultiHotVectorizer(),
        StackingClassifier(
            [("net", small_network()), ("lr", LogisticRegression())], cv=3
        ),
    ).fit(docs, y)
    assert stack.predict_proba(ONE).shape == (1, 2)
    assert stack.predict(ONE).tolist() == ["pos"]


def test_one_review_from_a_loaded_model(fitted_pipe, tmp_path):
    path = save_model(fitted_pipe, tmp_path / "model.skimdb")
    loaded = load_model(path)
    assert loaded.predict_proba(ONE).shape == (1, 2)
    np.testing.assert_allclose(
        loaded.predict_proba(ONE), fitted_pipe.predict_proba(ONE), rtol=1e-6
    )
    assert loaded.predict(ONE).tolist() == ["pos"]


def test_one_review_of_several_classes():
    docs, y = make_reviews(300, seed=4, n_classes=3)
    labels = np.array(["bad", "good", "meh"])[y]
    pipe = make_pipeline(MultiHotVectorizer(), small_network(epochs=20)).fit(
        docs, labels
    )
    assert pipe.predict_proba(ONE).shape == (1, 3)
    assert pipe.predict(ONE).tolist() == ["good"]
    assert pipe.score(docs, labels) > 0.9


# -- searches and cross-validation ---------------------------------------------------


def test_grid_search_with_json_style_lists(labelled):
    docs, y = labelled
    grid = GridSearchCV(
        make_pipeline(MultiHotVectorizer(), small_network(epochs=5)),
        {
            "multihotvectorizer__ngram_range": [[1, 1], [1, 2]],
            "densenetworkclassifier__units": [8],
        },
        cv=2,
    ).fit(docs, y)
    assert len(grid.cv_results_["params"]) == 2 and grid.best_score_ > 0.9
    # a list-valued ngram_range fits (it used to be refused: NaN scores)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


def test_randomized_search(labelled):
    docs, y = labelled
    search = RandomizedSearchCV(
        make_pipeline(MultiHotVectorizer(), small_network(epochs=5)),
        {
            "densenetworkclassifier__units": [4, 8, 16, 32],
            "multihotvectorizer__output": ["multi_hot", "tfidf"],
        },
        n_iter=2,
        cv=2,
        random_state=0,
    ).fit(docs, y)
    assert len(search.cv_results_["params"]) == 2 and search.best_score_ > 0.9


def test_halving_grid_search(labelled):
    docs, y = labelled
    search = HalvingGridSearchCV(
        make_pipeline(MultiHotVectorizer(), small_network(epochs=5)),
        {"densenetworkclassifier__units": [4, 16]},
        cv=2,
        factor=2,
        min_resources=100,
        random_state=0,
    ).fit(docs, y)
    assert search.n_iterations_ >= 2 and search.best_score_ > 0.85


def test_cross_validate_with_several_scorers(labelled):
    docs, y = labelled
    result = cross_validate(
        make_pipeline(MultiHotVectorizer(), small_network()),
        docs,
        y,
        cv=3,
        scoring=["accuracy", "roc_auc", "neg_log_loss", "f1_macro"],
        return_estimator=True,
    )
    assert result["test_accuracy"].min() > 0.9
    assert result["test_roc_auc"].min() > 0.95
    assert np.isfinite(result["test_neg_log_loss"]).all()
    assert len(result["estimator"]) == 3


def test_one_vs_rest_on_several_classes():
    docs, y = make_reviews(300, seed=5, n_classes=3)
    pipe = make_pipeline(
        MultiHotVectorizer(), OneVsRestClassifier(small_network(epochs=15))
    ).fit(docs, y)
    assert pipe.score(docs, y) > 0.9
    assert pipe.predict_proba(ONE).shape == (1, 3)


def test_multiclass_string_labels_with_stratified_cv():
    docs, y = make_reviews(300, seed=6, n_classes=3)
    labels = np.array(["bad", "good", "meh"])[y]
    scores = cross_val_score(
        make_pipeline(MultiHotVectorizer(), small_network(epochs=20)),
        docs,
        labels,
        cv=3,
    )
    # classes come in blocks: without stratification a fold would miss one
    assert scores.min() > 0.85


# -- threads, seeds, arguments ------------------------------------------------------


def test_threading_backend_leaves_same_seed_fits_identical(labelled):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    before = small_network(dropout=0.2).fit(X, y).predict_proba(X)
    with parallel_config(backend="threading", n_jobs=2):
        cross_val_score(small_network(dropout=0.2, random_state=7), X, y, cv=4)
    after = small_network(dropout=0.2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(before, after)


def test_same_seed_fits_in_overlapping_threads_are_identical(labelled):
    from concurrent.futures import ThreadPoolExecutor

    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)

    def fit(seed):
        return small_network(dropout=0.2, random_state=seed).fit(X, y).predict_proba(X)

    ref = fit(0)
    seeds = [0, 1, 0, 0]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fit, seeds))
    for seed, got in zip(seeds, results):
        if seed == 0:
            np.testing.assert_array_equal(got, ref)
        else:
            assert not np.array_equal(got, ref)


def test_random_state_instances_give_different_networks(labelled):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    a = small_network(random_state=np.random.RandomState(1)).fit(X, y)
    b = small_network(random_state=np.random.RandomState(2)).fit(X, y)
    assert not np.array_equal(a.predict_proba(X), b.predict_proba(X))
    # the same instance state gives the same network
    c = small_network(random_state=np.random.RandomState(1)).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), c.predict_proba(X))


def test_fit_leaves_global_random_state_and_environment_alone(labelled):
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    np_state = np.random.get_state()[1].copy()
    environ = dict(os.environ)
    tf_seed = context.global_seed()
    determinism = config.is_op_determinism_enabled()
    small_network(dropout=0.2, validation_split=0.2).fit(X, y)
    small_network(random_state=None).fit(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    assert dict(os.environ) == environ
    assert context.global_seed() == tf_seed
    assert config.is_op_determinism_enabled() == determinism


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
def test_class_weight_never_changes_the_callers_sample_weight(labelled, dtype):
    docs, y = labelled
    X = MultiHotVectorizer().fit_transform(docs)
    weights = np.ones(len(y), dtype=dtype) * 2
    clf = small_network(class_weight={"neg": 1, "pos": 3})
    clf.fit(X, y, sample_weight=weights)
    first = clf.predict_proba(X)
    np.testing.assert_array_equal(weights, np.full(len(y), 2, dtype=dtype))
    # a second fit sees the same weights: the same network
    np.testing.assert_array_equal(
        clf.fit(X, y, sample_weight=weights).predict_proba(X), first
    )
    balanced = small_network(class_weight="balanced").fit(X, y, sample_weight=weights)
    assert balanced.score(X, y) > 0.9


def test_metadata_routing_of_sample_weight(labelled):
    docs, y = labelled
    weights = np.where(y == "pos", 1.0, 1e-3)  # negatives barely count
    with sklearn.config_context(enable_metadata_routing=True):
        net = small_network(epochs=3).set_fit_request(sample_weight=True)
        pipe = make_pipeline(MultiHotVectorizer(), net)
        weighted = pipe.fit(docs, y, sample_weight=weights).predict_proba(docs)[:, 1]
        plain = (
            make_pipeline(MultiHotVectorizer(), small_network(epochs=3))
            .fit(docs, y)
            .predict_proba(docs)[:, 1]
        )
        scores = cross_validate(
            make_pipeline(MultiHotVectorizer(), clone(net)),
            docs,
            y,
            cv=2,
            scoring=make_scorer(accuracy_score).set_score_request(sample_weight=True),
            params={"sample_weight": weights},
        )
    # the weights reached the network: everything leans positive
    assert weighted.mean() > plain.mean() + 0.05
    assert np.isfinite(scores["test_score"]).all()


def test_nb_weighting_names_its_features(labelled):
    docs, y = labelled
    pipe = Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=50)),
            ("nb", NBFeatureWeighter()),
            ("clf", LogisticRegression()),
        ]
    ).fit(docs, y)
    names = pipe[:-1].get_feature_names_out()
    np.testing.assert_array_equal(names, pipe[0].get_feature_names_out())
