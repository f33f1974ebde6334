"""NBFeatureWeighter; scikit-learn's estimator checks on it are in test_common.py."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from sklearn_imdb.nb_weighting import NBFeatureWeighter

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
