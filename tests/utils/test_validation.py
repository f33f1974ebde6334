"""validated_rows answers as scikit-learn's validate_data does, only sooner."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import BaseEstimator
from sklearn.utils.validation import validate_data

from sklearn_imdb.utils._validation import validated_rows

DTYPE = (np.float32, np.float64)


def _fitted(X):
    est = BaseEstimator()
    validate_data(est, X, accept_sparse="csr", reset=True)
    return est


def _outcome(check, est, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = check(est, X)
        except Exception as exc:  # the same type and message are expected
            return type(exc), str(exc), [str(w.message) for w in caught]
    return out, [str(w.message) for w in caught]


def _validate(est, X):
    return validate_data(est, X, accept_sparse="csr", dtype=DTYPE, reset=False)


def _ours(est, X):
    return validated_rows(est, X, dtype=DTYPE)


rows = sp.csr_matrix(np.array([[0, 1.5, 0], [2, 0, 0]], dtype=np.float32))
nan_rows = rows.copy()
nan_rows.data[0] = np.nan


@pytest.mark.parametrize(
    "X",
    [
        rows,
        sp.csr_array(rows),
        rows.astype(np.int64),  # converted to float32
        rows.tocsc(),  # converted to CSR
        rows.tocoo(),
        rows.toarray(),
        rows[:0],  # no rows
        sp.csr_matrix(np.ones((1, 4), dtype=np.float32)),  # one column too many
        nan_rows,
        sp.csr_matrix(np.array([[np.inf, 0, 0]])),
    ],
    ids=[
        "csr",
        "csr_array",
        "int64",
        "csc",
        "coo",
        "dense",
        "empty",
        "wide",
        "nan",
        "inf",
    ],
)
def test_validated_rows_answers_as_validate_data(X):
    est = _fitted(rows)
    expected, ours = _outcome(_validate, est, X), _outcome(_ours, est, X)
    if isinstance(expected[0], type):  # an error: the same one
        assert ours == expected
        return
    assert ours[1] == expected[1]  # the same warnings
    got, want = ours[0], expected[0]
    assert type(got) is type(want) and got.dtype == want.dtype
    assert got.shape == want.shape
    np.testing.assert_array_equal(
        got.toarray() if sp.issparse(got) else got,
        want.toarray() if sp.issparse(want) else want,
    )


def test_the_short_cut_returns_the_rows_themselves():
    # the point of it: nothing converted, nothing copied
    assert validated_rows(_fitted(rows), rows, dtype=DTYPE) is rows


def test_fitted_with_feature_names_still_warns_on_rows_without_them():
    frame = pd.DataFrame(rows.toarray(), columns=["a", "b", "c"])
    est = _fitted(frame)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        validated_rows(est, rows, dtype=DTYPE)


def test_assume_finite_is_honoured_as_scikit_learn_does():
    est = _fitted(rows)
    with pytest.raises(ValueError, match="NaN"):
        validated_rows(est, nan_rows, dtype=DTYPE)
    with config_context(assume_finite=True):
        assert validated_rows(est, nan_rows, dtype=DTYPE) is nan_rows
