"""DenseNetworkPredictor and the forward pass: Keras' numbers in NumPy, every head.

The NumPy forward pass and Keras' ``predict`` are two numerical paths: they
agree to float32 rounding (``assert_float32_close``), not bit for bit, since
the products sum in another order and Keras' kernels differ by CPU, thread
count and release.
"""

import pickle
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sklearn_imdb import MultiHotVectorizer
from sklearn_imdb.network import DenseNetworkPredictor, forward
from sklearn_imdb.network._architecture import ACTIVATIONS
from sklearn_imdb.network._forward import ACTIVATION_FUNCTIONS

from ..conftest import assert_float32_close, make_reviews, small_network


@pytest.fixture(scope="module")
def features():
    """Multi-hot rows of two- and three-class corpora."""
    out = {}
    for n_classes in (2, 3):
        docs, y = make_reviews(n=150, n_classes=n_classes)
        out[n_classes] = MultiHotVectorizer().fit_transform(docs), y
    return out


def test_every_keras_activation_has_its_numpy_twin():
    assert set(ACTIVATION_FUNCTIONS) == set(ACTIVATIONS)
    x = np.linspace(-6, 6, 1001, dtype=np.float32).reshape(-1, 1)
    for name, function in ACTIVATION_FUNCTIONS.items():
        want = keras.activations.get(name)(keras.ops.convert_to_tensor(x)).numpy()
        got = function(x.copy())
        assert got.dtype == np.float32, name
        # the stated float32 tolerance: TensorFlow 2.18's gelu (the oldest we
        # support) is up to 9.5e-7 from scipy's erf-based one, 8 float32 steps
        assert_float32_close(got, want)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dense", [False, True])
def test_predictions_are_keras_predict_to_float32_rounding(
    features, activation, n_classes, dense
):
    X, y = features[n_classes]
    X = X.toarray() if dense else X
    # dropout trains, and is off at inference in both paths
    clf = small_network(epochs=2, activation=activation, dropout=0.3).fit(X, y)
    want = clf.model_.predict(X, batch_size=32, verbose=0)
    if n_classes == 2:
        want = np.hstack([1 - want, want])
    assert_float32_close(clf.predict_proba(X), want)
    loaded = DenseNetworkPredictor.from_classifier(clf)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    assert loaded.score(X, y) == clf.score(X, y)


def test_the_tolerance_catches_a_wrong_weight(features):
    X, y = features[2]
    clf = small_network(epochs=2).fit(X, y)
    want = clf.model_.predict(X, batch_size=32, verbose=0)
    assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    # one weight, the output's bias, moved by 1e-3: the model's own weights
    # are read on every call
    bias = clf.model_.get_layer("output").bias
    right = bias.numpy()
    bias.assign(right + 1e-3)
    with pytest.raises(AssertionError):
        assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    bias.assign(right)
    assert_float32_close(clf.predict_proba(X)[:, 1:], want)
    # a hidden activation left out
    weights = clf.model_.get_weights()
    linear = forward(X, weights[::2], weights[1::2], "linear")
    with pytest.raises(AssertionError):
        assert_float32_close(linear, want)


def test_prediction_callbacks_keep_keras_predict(features):
    X, y = features[2]

    class Batches(keras.callbacks.Callback):
        seen = 0

        def on_predict_batch_end(self, batch, logs=None):
            Batches.seen += 1

    clf = small_network(epochs=1, predict__callbacks=[Batches()]).fit(X, y)
    plain = small_network(epochs=1).fit(X, y)
    assert_float32_close(clf.predict_proba(X), plain.predict_proba(X))
    assert Batches.seen == -(-X.shape[0] // 32)


def test_threads_predicting_at_once_get_what_one_thread_gets(features):
    # scikit-learn's threading backend (e.g. a BaggingClassifier's predict)
    X, y = features[2]
    clf = small_network(epochs=1).fit(X, y)
    parts = [X[i::4] for i in range(4)]
    for model in (clf, DenseNetworkPredictor.from_classifier(clf)):
        alone = [model.predict_proba(part) for part in parts]
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(model.predict_proba, parts * 3))
        for got, want in zip(together, alone * 3, strict=True):
            np.testing.assert_array_equal(got, want)


def test_one_review_gets_the_rows_answer(features):
    X, y = features[3]
    net = DenseNetworkPredictor.from_classifier(small_network(epochs=1).fit(X, y))
    one = net.predict_proba(X[5])
    assert one.shape == (1, 3)
    np.testing.assert_allclose(one[0], net.predict_proba(X)[5], rtol=1e-6)


def test_bad_input_and_weights_are_refused_by_name(features):
    X, y = features[2]
    net = DenseNetworkPredictor.from_classifier(small_network(epochs=1).fit(X, y))
    with pytest.raises(ValueError, match="X has 3 features.*expecting"):
        net.predict(np.ones((2, 3)))
    with pytest.raises(NotFittedError):
        DenseNetworkPredictor().predict(X)
    coefs, intercepts = net.coefs_, net.intercepts_
    with pytest.raises(ValueError, match="do not match its architecture"):
        DenseNetworkPredictor.from_arrays(coefs, intercepts, net.classes_, units=7)
    with pytest.raises(ValueError, match="do not match its architecture"):
        DenseNetworkPredictor.from_arrays(
            [c.astype(np.float64) for c in coefs], intercepts, net.classes_
        )


def test_training_a_predictor_starts_keras_and_keeps_predicting_in_numpy(features):
    X, y = features[2]
    clf = small_network(epochs=2).fit(X, y)
    net = DenseNetworkPredictor.from_classifier(clf)
    assert net.get_params() == clf.get_params()
    start = net.predict_proba(X)
    # warm start: training continues from the weights the predictor holds
    # (a file holds no optimizer state: the reference starts a new one too)
    ref = net.to_classifier().set_params(warm_start=True, epochs=1)
    net.set_params(warm_start=True, epochs=1)
    net.fit(X, y)
    ref.fit(X, y)
    assert_float32_close(net.predict_proba(X), ref.predict_proba(X), steps=256)
    assert np.abs(net.predict_proba(X) - start).max() > 1e-3  # it trained
    assert list(net.history_) == list(ref.history_)
    # partial_fit keeps one Keras classifier, and its optimizer state
    first = net._classifier
    net.partial_fit(X, y)
    ref.partial_fit(X, y)
    assert net._classifier is first
    assert_float32_close(net.predict_proba(X), ref.predict_proba(X), steps=256)
    # without warm start, a new network
    fresh = clone(net).set_params(warm_start=False, epochs=2).fit(X, y)
    again = small_network(epochs=2, warm_start=False).fit(X, y)
    assert_float32_close(fresh.predict_proba(X), again.predict_proba(X), steps=256)
    # what it pickles is its arrays, not the Keras model
    restored = pickle.loads(pickle.dumps(net))
    assert not hasattr(restored, "_classifier")
    np.testing.assert_array_equal(restored.predict_proba(X), net.predict_proba(X))


def test_routed_parameters_are_parameters(features):
    net = DenseNetworkPredictor(optimizer__learning_rate=0.1)
    assert net.get_params()["optimizer__learning_rate"] == 0.1
    net.set_params(optimizer__learning_rate=0.2, units=3)
    assert (net.optimizer__learning_rate, net.units) == (0.2, 3)
    assert clone(net).get_params() == net.get_params()
    with pytest.raises(ValueError, match="Invalid parameter"):
        net.set_params(unit=3)
