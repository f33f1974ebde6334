"""NBFeatureWeighter; scikit-learn's estimator checks on it are in test_common.py."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from sklearn_imdb import NBFeatureWeighter

X = np.array([[2, 0, 1], [1, 0, 1], [0, 3, 1], [0, 1, 1]], dtype=float)
y = np.array(["neg", "neg", "pos", "pos"])


def test_ratios_follow_wang_and_manning():
    w = NBFeatureWeighter(alpha=1).fit(X, y)
    p = 1 + X[2:].sum(axis=0)
    q = 1 + X[:2].sum(axis=0)
    np.testing.assert_allclose(w.ratio_, np.log(p / p.sum()) - np.log(q / q.sum()))
    assert w.ratio_[0] < 0 < w.ratio_[1]
    np.testing.assert_allclose(w.transform(X), X * w.ratio_)


def test_sparse_in_sparse_out():
    Xs = sp.csr_matrix(X, dtype=np.float32)
    w = NBFeatureWeighter().fit(Xs, y)
    out = w.transform(Xs)
    assert sp.isspmatrix_csr(out) and out.dtype == np.float32
    np.testing.assert_allclose(out.toarray(), X * w.ratio_, rtol=1e-6)
    assert Xs.toarray()[0, 0] == 2  # the input is not modified


@pytest.mark.parametrize(
    "target, match",
    [(np.array([0, 1, 2, 1]), "two classes"), (np.zeros(4), "one class")],
)
def test_needs_two_classes(target, match):
    with pytest.raises(ValueError, match=match):
        NBFeatureWeighter().fit(X, target)


def test_bad_alpha_and_unfitted():
    with pytest.raises(ValueError, match="alpha"):
        NBFeatureWeighter(alpha=0).fit(X, y)
    with pytest.raises(NotFittedError):
        NBFeatureWeighter().transform(X)


def test_wrong_number_of_features():
    w = NBFeatureWeighter().fit(X, y)
    with pytest.raises(ValueError, match="3 features"):
        w.transform(X[:, :2])


@pytest.mark.parametrize("sparse", [False, True])
def test_norm_scales_each_row_to_unit_norm(sparse):
    data = sp.csr_matrix(X) if sparse else X
    plain = NBFeatureWeighter().fit(data, y).transform(data)
    plain = plain.toarray() if sparse else plain
    for norm, order in [("l2", 2), ("l1", 1)]:
        out = NBFeatureWeighter(norm=norm).fit(data, y).transform(data)
        out = out.toarray() if sparse else out
        scale = np.linalg.norm(plain, ord=order, axis=1, keepdims=True)
        np.testing.assert_allclose(out, plain / scale)
    # a review with no known feature stays all zeros
    empty = np.zeros((1, 3))
    w = NBFeatureWeighter(norm="l2").fit(X, y)
    assert not w.transform(sp.csr_matrix(empty) if sparse else empty).sum()


def test_norm_makes_a_short_review_as_strong_as_a_long_one():
    # the same evidence, once and with more words of the same sign: scores
    # of different sizes without norm, one size with it
    w = NBFeatureWeighter(norm="l2").fit(X, y)
    short, longer = np.array([[0, 1, 0]]), np.array([[0, 3, 0]])
    np.testing.assert_allclose(w.transform(short), w.transform(longer))
    plain = NBFeatureWeighter().fit(X, y)
    assert abs(plain.transform(longer).sum()) > abs(plain.transform(short).sum())


def test_bad_norm():
    with pytest.raises(ValueError, match="norm"):
        NBFeatureWeighter(norm="max").fit(X, y)


def test_partial_fit_over_chunks_gives_fits_ratios():
    rng = np.random.default_rng(0)
    Xs = sp.csr_matrix(rng.poisson(0.3, size=(200, 40)).astype(np.float32))
    labels = np.where(rng.random(200) < 0.4, "neg", "pos")
    whole = NBFeatureWeighter(norm="l2").fit(Xs, labels)
    streamed = NBFeatureWeighter(norm="l2")
    for start in range(0, 200, 30):  # chunks of one class happen too
        part = slice(start, start + 30)
        streamed.partial_fit(Xs[part], labels[part], classes=["neg", "pos"])
    np.testing.assert_array_equal(streamed.ratio_, whole.ratio_)
    np.testing.assert_array_equal(streamed.feature_count_, whole.feature_count_)
    one_class = NBFeatureWeighter().partial_fit(X[:2], y[:2], classes=["neg", "pos"])
    assert one_class.ratio_.shape == (3,)


def test_partial_fit_says_what_a_stream_lacks():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        NBFeatureWeighter().partial_fit(X, y)
    w = NBFeatureWeighter().partial_fit(X, y, classes=["neg", "pos"])
    with pytest.raises(ValueError, match=r"labels \['meh'\] that are not among"):
        w.partial_fit(X[:1], ["meh"])
    with pytest.raises(ValueError, match="not the same as on the first call"):
        w.partial_fit(X, y, classes=["neg", "meh"])
    loaded = NBFeatureWeighter()
    loaded.ratio_, loaded.classes_, loaded.n_features_in_ = w.ratio_, w.classes_, 3
    with pytest.raises(ValueError, match="loaded from a model file"):
        loaded.partial_fit(X, y)
    # fit starts the counts anew
    np.testing.assert_array_equal(
        w.fit(X, y).ratio_, NBFeatureWeighter().fit(X, y).ratio_
    )
