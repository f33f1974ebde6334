import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone, is_classifier
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer, plot_history
from sklearn_imdb.network._targets import hold_out

from ..conftest import NEGATIVE, NEUTRAL, POSITIVE, small_network


@pytest.fixture(scope="module")
def features(reviews):
    docs, y = reviews
    return MultiHotVectorizer().fit_transform(docs), y


small = small_network


def pipeline(**params):
    return Pipeline([("vec", MultiHotVectorizer()), ("clf", small(**params))])


def test_learns_from_sparse_features(features):
    X, y = features
    clf = small().fit(X, y)
    assert clf.score(X, y) > 0.95
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert [layer.name for layer in clf.model_.layers][1:] == [
        "hidden_1",
        "hidden_2",
        "output",
    ]
    assert clf.model_.layers[1].units == 16


def test_csr_goes_to_keras_without_a_lil_copy(features, monkeypatch):
    import scikeras.wrappers

    def refuse(*args, **kwargs):
        raise AssertionError("scikeras converted the input to LIL")

    monkeypatch.setattr(scikeras.wrappers, "lil_matrix", refuse)
    X, y = features
    clf = small(epochs=1).fit(X, y)
    clf.predict(X)
    assert sp.issparse(X) and clf.X_sparse_


def test_architecture_follows_the_parameters(features):
    X, y = features
    clf = small(hidden_layers=3, units=8, activation="tanh", dropout=0.2, epochs=1)
    clf.fit(X, y)
    dense = [layer for layer in clf.model_.layers if layer.name.startswith("hidden")]
    assert [layer.units for layer in dense] == [8, 8, 8]
    assert all(layer.activation.__name__ == "tanh" for layer in dense)
    none = small(hidden_layers=0, epochs=1).fit(X, y)
    assert [layer.name for layer in none.model_.layers] == ["features", "output"]


def test_is_a_classifier_for_scikit_learn(reviews):
    docs, y = reviews
    pipe = pipeline()
    assert is_classifier(DenseNetworkClassifier()) and is_classifier(pipe)
    assert isinstance(check_cv(5, y, classifier=is_classifier(pipe)), StratifiedKFold)
    # negatives come first: unstratified folds would hold one class only
    scores = cross_val_score(pipe, docs, y, cv=3)
    assert scores.min() > 0.9
    auc = cross_val_score(pipe, docs, y, cv=3, scoring="roc_auc")
    assert auc.min() > 0.9


def test_voting_and_calibration_accept_it(features):
    X, y = features
    vote = VotingClassifier(
        [("net", small()), ("lr", LogisticRegression())], voting="soft"
    ).fit(X, y)
    assert vote.score(X, y) > 0.95
    calibrated = CalibratedClassifierCV(small(), cv=3).fit(X, y)
    assert calibrated.predict_proba(X).shape == (len(y), 2)


@pytest.mark.parametrize(
    "labels", [np.array(["neg", "pos"]), np.array([False, True]), np.array([3, 7])]
)
def test_predict_returns_the_callers_labels(features, labels):
    X, y = features
    clf = small().fit(X, labels[y])
    pred = clf.predict(X)
    assert pred.dtype == labels.dtype and set(pred) <= set(labels)
    assert clf.classes_.tolist() == labels.tolist()
    assert (pred == labels[y]).mean() > 0.95


@pytest.mark.parametrize("loss", ["binary_crossentropy", "mse"])
def test_several_classes_get_a_softmax(loss):
    rng = np.random.default_rng(1)
    words = [POSITIVE, NEGATIVE, NEUTRAL]
    y = rng.integers(0, 3, 300)
    docs = [" ".join(rng.choice(words[k], 4)) for k in y]
    pipe = Pipeline(
        [("vec", MultiHotVectorizer()), ("clf", small(loss=loss, epochs=30))]
    ).fit(docs, np.array(["a", "b", "c"])[y])
    model = pipe[-1].model_
    assert model.layers[-1].units == 3
    assert model.layers[-1].activation.__name__ == "softmax"
    assert pipe.predict_proba(docs).shape == (300, 3)
    assert pipe.score(docs, np.array(["a", "b", "c"])[y]) > 0.9


def test_history_validation_and_plot(features, tmp_path):
    X, y = features
    clf = small(validation_split=0.25).fit(X, y)
    assert set(clf.history_) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(clf.history_["val_loss"]) == 10
    # the hold-out is stratified although the data is sorted by label
    assert clf.history_["val_accuracy"][-1] > 0.9
    fig = plot_history(clf, path=tmp_path / "curves.png")
    assert (tmp_path / "curves.png").stat().st_size > 1000
    assert [ax.get_title() for ax in fig.axes] == [
        "Training and validation loss",
        "Training and validation accuracy",
    ]
    with pytest.raises(ValueError, match="no history_"):
        plot_history(DenseNetworkClassifier())


def test_hold_out_is_shuffled_and_stratified():
    X = sp.csr_matrix(np.arange(100, dtype=np.float32).reshape(100, 1))
    y = np.repeat([0.0, 1.0], 50).reshape(-1, 1)
    X_fit, y_fit, _, (X_val, y_val) = hold_out(X, y, None, 0.2, seed=0)
    assert X_fit.shape[0] == 80 and X_val.shape[0] == 20
    assert y_val.mean() == 0.5  # both classes, in proportion
    assert not np.array_equal(X_val.toarray().ravel(), np.arange(80, 100))


def test_early_stopping_restores_the_best_epoch():
    import keras

    class Weights(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.epochs = []

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append([w.copy() for w in self.model.get_weights()])

    rng = np.random.default_rng(0)
    X = sp.csr_matrix(rng.random((300, 50), dtype=np.float32))
    y = rng.integers(0, 2, 300)  # noise: validation loss soon rises
    recorder = Weights()
    clf = small(
        epochs=60,
        early_stopping=True,
        patience=2,
        units=64,
        optimizer="adam",
        optimizer__learning_rate=0.01,
        callbacks=[recorder],
    ).fit(X, y)
    history = clf.history_
    assert "val_loss" in history and len(history["loss"]) < 60
    best = int(np.argmin(history["val_loss"]))
    assert len(history["loss"]) == best + 1 + 2  # patience epochs after the best
    # the weights in use are the best epoch's, not the last one's
    for got, want, last in zip(
        clf.model_.get_weights(), recorder.epochs[best], recorder.epochs[-1]
    ):
        np.testing.assert_array_equal(got, want)
    assert any(
        not np.array_equal(w, v)
        for w, v in zip(recorder.epochs[best], recorder.epochs[-1])
    )


def test_same_seed_same_predictions(features):
    X, y = features
    a = small(dropout=0.1, validation_split=0.2).fit(X, y).predict_proba(X)
    b = small(dropout=0.1, validation_split=0.2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    c = small(random_state=1).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, c)


def test_clone_pickle_and_routed_parameters(features):
    X, y = features
    clf = small(optimizer="adam", optimizer__learning_rate=0.005)
    assert clone(clf).get_params()["optimizer__learning_rate"] == 0.005
    clf.fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.005)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X))


def test_grid_search_over_the_architecture(reviews):
    docs, y = reviews
    labels = np.array(["neg", "pos"])[y]
    grid = GridSearchCV(
        pipeline(epochs=5),
        {"clf__hidden_layers": [1, 2], "clf__activation": ["relu", "tanh"]},
        cv=2,
    ).fit(docs, labels)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_score_ > 0.9
    assert grid.predict(["a great wonderful film"]).tolist() == ["pos"]


def test_silent_at_verbose_zero(features, capfd):
    X, y = features
    small(epochs=2).fit(X, y).predict(X)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize(
    "params, match",
    [
        ({"hidden_layers": -1}, "hidden_layers"),
        ({"units": 0}, "units"),
        ({"activation": "relux"}, "activation"),
        ({"optimizer": "adamm"}, "optimizer"),
        ({"loss": "hinge"}, "loss"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"dropout": 1.0}, "dropout"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"patience": 0}, "patience"),
    ],
)
def test_bad_hyperparameters_fail_before_training(features, params, match):
    X, y = features
    clf = small(**params)
    with pytest.raises(InvalidParameterError, match=match):
        clf.fit(X, y)
    assert not hasattr(clf, "model_")


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(240), "only one class"),
        (np.r_[np.full(239, 1.0), np.nan], "NaN"),
        (np.r_[np.zeros(120), np.full(119, 1.0), np.inf], "infinity"),
        (np.r_[np.zeros(120), np.ones(119)], "inconsistent numbers of samples"),
        (np.linspace(0, 1, 240), "Unknown label type"),
        (None, "requires y"),
    ],
)
def test_bad_targets(features, y, match):
    X, _ = features
    with pytest.raises(ValueError, match=match):
        small().fit(X, y)


def test_wrong_number_of_features(features):
    X, y = features
    clf = small(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :5])


def test_partial_fit_streams_chunks_as_sgd_classifier_does(features):
    X, y = features
    labels = np.where(np.asarray(y) == 1, "pos", "neg")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        small().partial_fit(X, labels)
    clf = small(random_state=0)
    # one class a chunk: the classes given first say what the stream holds
    order = np.argsort(labels, kind="stable")
    chunks = np.array_split(order, 4)
    for epoch in range(10):
        for k, rows in enumerate(chunks):
            first = epoch == 0 and k == 0
            classes = ["neg", "pos"] if first else None
            clf.partial_fit(X[rows], labels[rows], classes=classes)
    assert clf.classes_.tolist() == ["neg", "pos"]
    assert len(clf.history_["loss"]) == 40  # an epoch a call
    shuffled = small(random_state=0)
    for epoch in range(10):
        for rows in np.array_split(np.random.default_rng(epoch).permutation(len(y)), 4):
            shuffled.partial_fit(X[rows], labels[rows], classes=["neg", "pos"])
    assert shuffled.score(X, labels) > 0.95
    with pytest.raises(ValueError, match=r"labels \['meh'\] that are not among"):
        shuffled.partial_fit(X[:2], ["pos", "meh"])
    with pytest.raises(ValueError, match="not the same as on the first call"):
        shuffled.partial_fit(X[:2], ["pos", "neg"], classes=["neg", "pos", "meh"])


def test_the_epoch_log_says_an_epoch_of_fit_and_a_call_of_partial_fit(features, caplog):
    X, y = features
    with caplog.at_level("INFO", logger="sklearn_imdb.network._classifier"):
        small(epochs=2).fit(X, y)
        clf = small()
        clf.partial_fit(X, y, classes=[0, 1])
        clf.partial_fit(X, y)
    said = [r.getMessage().split(":")[0] for r in caplog.records]
    # scikeras counts the calls as epochs ("epoch 2/2" for the second call)
    assert said == [
        "epoch 1/2",
        "epoch 2/2",
        "partial_fit call 1",
        "partial_fit call 2",
    ]
