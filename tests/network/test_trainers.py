"""The traced trainers kept between fits: Keras' numbers, nothing shared with the user.

A trainer runs Keras' own training step in a loop of ours: another graph
than Keras' ``fit``, so its weights and history agree with Keras' to float32
rounding (``assert_float32_close``), not bit for bit on every machine.
"""

import threading

import keras
import numpy as np
import pytest
import scipy.sparse as sp
import tensorflow as tf

from sklearn_imdb import MultiHotVectorizer, build_network
from sklearn_imdb.network import _trainers

from ..conftest import TRAINING_STEPS, assert_float32_close, calls_to, small_network


@pytest.fixture(scope="module")
def features(reviews):
    docs, y = reviews
    return MultiHotVectorizer().fit_transform(docs), y


@pytest.fixture(autouse=True)
def empty_cache():
    _trainers.clear()
    yield
    _trainers.clear()


def uncached(**params):
    # the user's callbacks keep the fit on the estimator's own model
    return small_network(callbacks=[keras.callbacks.Callback()], **params)


def assert_same_fit(a, b, X):
    for left, right in zip(a.model_.get_weights(), b.model_.get_weights(), strict=True):
        assert_float32_close(left, right, steps=TRAINING_STEPS)
    assert_float32_close(a.predict_proba(X), b.predict_proba(X), steps=TRAINING_STEPS)
    assert a.history_.keys() == b.history_.keys()
    for key, values in a.history_.items():
        assert_float32_close(values, b.history_[key], steps=TRAINING_STEPS)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"dropout": 0.3, "optimizer": "adam"},
        {"optimizer": "adagrad", "validation_split": 0.2, "class_weight": "balanced"},
    ],
)
def test_a_cached_trainer_fits_as_the_model_itself(features, params):
    X, y = features
    first = small_network(**params).fit(X, y)  # traces a trainer
    again = small_network(**params).fit(X, y)  # reuses it
    plain = uncached(**params).fit(X, y)
    assert_same_fit(first, plain, X)
    assert_same_fit(again, plain, X)


def test_warm_start_carries_the_optimizer_state_through_the_trainer(features):
    X, y = features
    cached = small_network(optimizer="adam", warm_start=True, epochs=2)
    plain = uncached(optimizer="adam", warm_start=True, epochs=2)
    for clf in (cached, plain):
        clf.fit(X, y)
        small_network(optimizer="adam", random_state=7).fit(X, y)  # same trainer
        clf.fit(X, y)
    assert cached.model_.optimizer.iterations.numpy() == 2 * 2 * 8
    assert_same_fit(cached, plain, X)


def test_second_fit_of_a_network_traces_nothing_new(features, monkeypatch):
    X, y = features
    built = calls_to(monkeypatch, _trainers, "_compiled_copy")
    small_network(random_state=0).fit(X, y).predict(X)
    assert len(built) == 1  # to train, an epoch a call; predictions trace nothing
    small_network(random_state=1).fit(X, y).predict(X)
    assert len(built) == 1
    small_network(units=8).fit(X, y)  # another network: its own trainer
    assert len(built) == 2


@pytest.mark.slow
def test_fits_of_other_sizes_share_the_trace_and_the_numbers(features, monkeypatch):
    # a search's folds and its refit on all the rows: other steps per epoch
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    X, y = features
    traced = calls_to(monkeypatch, TensorFlowTrainer, "train_step")
    built = calls_to(monkeypatch, _trainers, "_compiled_copy")
    order = np.random.default_rng(0).permutation(X.shape[0])
    cases = [  # 5, 8 and 4 batches an epoch
        (rows, params)
        for rows in (order[:160], order, order[:100])
        for params in ({}, {"validation_split": 0.2})
    ]
    fits = [small_network(**params).fit(X[rows], y[rows]) for rows, params in cases]
    assert len(built) == 1 and len(traced) == 1
    assert [f.model_.optimizer.iterations.numpy() for f in fits[::2]] == [50, 80, 40]
    for cached, (rows, params) in zip(fits, cases, strict=True):
        assert_same_fit(cached, uncached(**params).fit(X[rows], y[rows]), X)


def test_the_users_steps_per_execution_keep_keras_own_loop(features, monkeypatch):
    X, y = features
    built = calls_to(monkeypatch, _trainers, "_compiled_copy")
    user = small_network(compile__steps_per_execution=3).fit(X, y)
    assert not built and user.model_.steps_per_execution == 3
    assert_same_fit(user, uncached(compile__steps_per_execution=3).fit(X, y), X)
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        small_network().fit(X, y)
    assert not built


def test_a_new_trainer_traces_its_training_step_once(features, monkeypatch):
    # Keras builds the metrics while tracing, then traces again: not here
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    X, y = features
    traced = calls_to(monkeypatch, TensorFlowTrainer, "train_step")
    small_network(random_state=0).fit(X, y)
    assert len(traced) == 1


def test_the_users_model_never_enters_the_cache(features):
    X, y = features
    model = small_network(random_state=0).fit(X, y).model_  # estimator dropped
    weights = model.get_weights()
    for seed in (1, 2):
        small_network(random_state=seed).fit(X, y).predict(X)
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    cached = [t for trainers in _trainers._free.values() for t in trainers]
    assert cached and all(t is not model for t in cached)


def test_concurrent_fits_take_different_trainers(features, monkeypatch):
    X, y = features
    expected = [small_network(random_state=s).fit(X, y) for s in (0, 1)]
    _trainers.clear()
    small_network(random_state=5).fit(X, y)  # one free trainer: only one may take it
    both_inside = threading.Barrier(2, timeout=60)
    taken = []
    original = _trainers._copy_state

    def copy_state(source, target):
        if not source.optimizer.iterations.numpy() and len(taken) < 2:
            taken.append(target)
            both_inside.wait()  # both threads hold a trainer now
        original(source, target)

    monkeypatch.setattr(_trainers, "_copy_state", copy_state)
    results = [None, None]

    def fit(i):
        results[i] = small_network(random_state=i).fit(X, y)

    threads = [threading.Thread(target=fit, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 2 and taken[0] is not taken[1]
    for got, want in zip(results, expected, strict=True):
        assert_same_fit(got, want, X)


def test_the_cache_is_bounded_and_skips_large_networks(features, monkeypatch):
    X, y = features
    for units in (2, 3, 4, 5, 6, 7):
        small_network(units=units, epochs=1).fit(X, y)
    assert sum(map(len, _trainers._free.values())) == _trainers.MAX_TRAINERS
    monkeypatch.setattr(_trainers, "MAX_PARAMS", 10)
    clf = small_network(epochs=1).fit(X, y)
    assert _trainers.network_key(clf.model_) is None


def test_the_cache_evicts_while_a_trainer_of_the_oldest_network_is_in_use(features):
    # a thread fitting network A holds A's only trainer while other threads'
    # fits fill the cache: the eviction must not pick A's empty slot
    X, y = features
    held = small_network(units=2, epochs=1).fit(X, y)
    key = _trainers.network_key(held.model_)
    with _trainers.trainer(held.model_, key):
        pass  # A's trainer in the cache, alone under its key
    with _trainers.trainer(held.model_, key):
        for units in range(3, 4 + _trainers.MAX_TRAINERS):
            small_network(units=units, epochs=1).fit(X, y)
    assert sum(map(len, _trainers._free.values())) == _trainers.MAX_TRAINERS
    assert all(_trainers._free.values())


@pytest.mark.parametrize("units", [8, 40])
def test_sparse_input_layer_matches_keras_dense(units):
    # 40 units: multiplied in slices (network._sparse_matmul), one of them short
    X = sp.random(64, 300, density=0.05, format="csr", random_state=0, dtype="float32")
    model = build_network(
        300,
        2,
        hidden_layers=1,
        units=units,
        activation="tanh",
        dropout=0.0,
        loss="binary_crossentropy",
        sparse=True,
        seed=0,
    )
    dense = keras.Sequential(
        [keras.Input((300,)), keras.layers.Dense(units, activation="tanh")]
    )
    dense.set_weights(model.layers[1].get_weights())
    coo = X.tocoo()
    sparse = tf.SparseTensor(np.c_[coo.row, coo.col], coo.data, X.shape)
    outputs, gradients = [], []
    for layer, inputs in ((model.layers[1], sparse), (dense.layers[0], X.toarray())):
        with tf.GradientTape() as tape:
            out = layer(inputs)
            loss = tf.reduce_sum(out * tf.range(units, dtype="float32"))
        outputs.append(out.numpy())
        gradients.append([g.numpy() for g in tape.gradient(loss, layer.weights)])
    np.testing.assert_allclose(outputs[0], outputs[1], atol=1e-6)
    for got, want in zip(*gradients, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-5)


@pytest.mark.slow
def test_pipeline_search_results_do_not_depend_on_the_cache(reviews):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline

    docs, y = reviews

    def search(cache):
        clf = small_network(epochs=3) if cache else uncached(epochs=3)
        pipe = Pipeline([("vec", MultiHotVectorizer()), ("clf", clf)])
        grid = {"clf__units": [4, 8], "clf__activation": ["relu", "tanh"]}
        folds = StratifiedKFold(3, shuffle=True, random_state=0)
        return GridSearchCV(pipe, grid, cv=folds).fit(docs, y).cv_results_

    cached, plain = search(True), search(False)
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(cached[key], plain[key])


def test_the_tolerance_catches_one_optimizer_step_more(features):
    X, y = features
    cached = small_network().fit(X, y)
    plain = uncached().fit(X, y)
    assert_same_fit(cached, plain, X)
    coo = X[:32].tocoo()
    batch = tf.SparseTensor(np.c_[coo.row, coo.col], coo.data, coo.shape)
    plain.model_.train_on_batch(tf.sparse.reorder(batch), y[:32, None] * 1.0)
    with pytest.raises(AssertionError):
        assert_same_fit(cached, plain, X)
