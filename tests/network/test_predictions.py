"""Predictions: Keras' numbers, one traced function per network, none for one batch.

Our traced function and Keras' ``predict`` are two TensorFlow graphs: they
agree to float32 rounding (``assert_float32_close``), not bit for bit, since
the kernels oneDNN picks differ by CPU, thread count and release. Exact
equality is kept where one function computes both sides.
"""

from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest

from sklearn_imdb import MultiHotVectorizer
from sklearn_imdb.network import _predictions

from ..conftest import assert_float32_close, calls_to, make_reviews, small_network


@pytest.fixture(scope="module")
def three_classes():
    docs, y = make_reviews(n=150, n_classes=3)
    return MultiHotVectorizer().fit_transform(docs), y


@pytest.mark.parametrize("dense", [False, True])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("batch_size", [32, 7, -1])
@pytest.mark.parametrize("traced", [False, True])
def test_predictions_are_keras_predict_to_float32_rounding(
    reviews, three_classes, dense, n_classes, batch_size, traced, monkeypatch
):
    _predictions.clear()
    if not traced:  # the model called on each batch, as for one review
        monkeypatch.setattr(_predictions, "_function", lambda *a, **k: None)
    if n_classes == 2:
        docs, y = reviews
        X = MultiHotVectorizer().fit_transform(docs)
    else:
        X, y = three_classes
    X = X.toarray() if dense else X
    clf = small_network(epochs=2, predict__batch_size=batch_size).fit(X, y)
    size = X.shape[0] if batch_size == -1 else batch_size
    if traced:  # traced by a call of many batches, reused by one of one
        _predictions.network_outputs(clf.model_, X, 1)
        assert len(_predictions._functions) == 1
        monkeypatch.setattr(_predictions, "CALL_BATCHES", 2)  # calls of 2 batches
    want = clf.model_.predict(X, batch_size=size, verbose=0)
    got = clf.predict_proba(X)
    if n_classes == 2:
        got = got[:, 1:]
    assert_float32_close(got, want)


def test_the_tolerance_catches_a_wrong_weight_and_a_dropped_batch(reviews, monkeypatch):
    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)
    clf = small_network(epochs=2).fit(X, y)
    want = clf.model_.predict(X, batch_size=32, verbose=0)
    assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    # one weight, the output's bias, moved by 1e-3
    bias = clf.model_.get_layer("output").bias
    right = bias.numpy()
    bias.assign(right + 1e-3)
    with pytest.raises(AssertionError):
        assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    bias.assign(right)
    assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    # the second batch never computed: the first one's outputs in its place
    original = _predictions._call

    def dropping_a_batch(function, weights, rows, batch_size):
        outputs = original(function, weights, rows, batch_size)
        outputs[batch_size : 2 * batch_size] = outputs[:batch_size]
        return outputs

    monkeypatch.setattr(_predictions, "_call", dropping_a_batch)
    with pytest.raises(AssertionError):
        assert_float32_close(clf.predict_proba(X)[:, 1:], want)


def test_one_function_is_traced_per_network(reviews, monkeypatch):
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)
    _predictions.clear()
    keras_traced = calls_to(monkeypatch, TensorFlowTrainer, "make_predict_function")
    ours = calls_to(monkeypatch, _predictions, "_traced")
    first = small_network(epochs=1, batch_size=16).fit(X, y)
    first.predict_proba(X[:1])  # one batch: eagerly, nothing traced
    assert ours == []
    first.predict_proba(X)
    # other seeds, other rows: the same network's function, traced once
    for seed in (1, 2):
        clf = small_network(epochs=1, batch_size=16, random_state=seed).fit(X, y)
        assert not np.array_equal(clf.predict_proba(X[3:]), first.predict_proba(X[3:]))
        clf.predict_proba(X[:1])
    # another loss and optimizer: the same layers, the same function
    other = small_network(epochs=1, batch_size=16, loss="mse", optimizer="adam")
    got = other.fit(X, y).predict_proba(X)[:, 1:]
    (function,) = _predictions._functions.values()
    assert len(ours) == 1 and function.experimental_get_tracing_count() == 1
    small_network(epochs=1, batch_size=16, units=5).fit(X, y).predict(X)
    assert len(ours) == 2  # another network, another function
    assert keras_traced == []
    want = other.model_.predict(X, batch_size=16, verbose=0)
    assert_float32_close(got, want)


def test_a_models_layers_are_keyed_once_until_its_trainable_weights_change(
    reviews, monkeypatch
):
    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)
    _predictions.clear()
    keyed = calls_to(monkeypatch, _predictions, "network_key")
    clf = small_network(epochs=1, batch_size=16, hidden_layers=2).fit(X, y)
    for rows in (X[:1], X, X[:1], X):
        clf.predict_proba(rows)
    assert len(keyed) == 1
    # a frozen layer's weights move out of the trainable ones the function takes
    clf.model_.get_layer("hidden_2").trainable = False
    got = clf.predict_proba(X)[:, 1:]
    assert len(keyed) == 2 and len(_predictions._functions) == 2
    assert_float32_close(got, clf.model_.predict(X, batch_size=16, verbose=0))


def test_prediction_callbacks_keep_keras_predict(reviews):
    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)

    class Batches(keras.callbacks.Callback):
        seen = 0

        def on_predict_batch_end(self, batch, logs=None):
            Batches.seen += 1

    clf = small_network(epochs=1, predict__callbacks=[Batches()]).fit(X, y)
    plain = small_network(epochs=1).fit(X, y)
    # Keras' predict against our traced function: two graphs
    assert_float32_close(clf.predict_proba(X), plain.predict_proba(X))
    assert Batches.seen == -(-X.shape[0] // 32)


def test_threads_predicting_at_once_get_what_one_thread_gets(reviews):
    # scikit-learn's threading backend (e.g. a BaggingClassifier's predict)
    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)
    clf = small_network(epochs=1).fit(X, y)
    parts = [X[i::4] for i in range(4)]
    alone = [clf.predict_proba(part) for part in parts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(clf.predict_proba, parts * 3))
    for got, want in zip(together, alone * 3, strict=True):
        np.testing.assert_array_equal(got, want)
