"""Predictions by calling the network eagerly: Keras' numbers, nothing traced."""

from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest

from sklearn_imdb import MultiHotVectorizer

from .conftest import calls_to, make_reviews, small_network


@pytest.fixture(scope="module")
def three_classes():
    docs, y = make_reviews(n=150, n_classes=3)
    return MultiHotVectorizer().fit_transform(docs), y


@pytest.mark.parametrize("dense", [False, True])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("batch_size", [32, 7, -1])
def test_predictions_are_keras_predict_bit_for_bit(
    reviews, three_classes, dense, n_classes, batch_size
):
    if n_classes == 2:
        docs, y = reviews
        X = MultiHotVectorizer().fit_transform(docs)
    else:
        X, y = three_classes
    X = X.toarray() if dense else X
    clf = small_network(epochs=2, predict__batch_size=batch_size).fit(X, y)
    size = X.shape[0] if batch_size == -1 else batch_size
    want = clf.model_.predict(X, batch_size=size, verbose=0)
    got = clf.predict_proba(X)
    if n_classes == 2:
        got = got[:, 1:]
    np.testing.assert_array_equal(got, want)


def test_predicting_traces_nothing(reviews, monkeypatch):
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)
    traced = calls_to(monkeypatch, TensorFlowTrainer, "make_predict_function")
    clf = small_network(epochs=1).fit(X, y)
    clf.predict(X)
    clf.predict_proba(X[:1])
    assert traced == []


def test_prediction_callbacks_keep_keras_predict(reviews):
    docs, y = reviews
    X = MultiHotVectorizer().fit_transform(docs)

    class Batches(keras.callbacks.Callback):
        seen = 0

        def on_predict_batch_end(self, batch, logs=None):
            Batches.seen += 1

    clf = small_network(epochs=1, predict__callbacks=[Batches()]).fit(X, y)
    plain = small_network(epochs=1).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), plain.predict_proba(X))
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
