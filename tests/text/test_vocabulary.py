import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_imdb.text._vocabulary import count_matrix


@pytest.mark.parametrize(
    "n_rows, n_cols",
    [
        (50, 40),  # a 32-bit key
        (5, 2**31),  # 5 * 2**31 > 2**32 - 1: a 64-bit key
    ],
)
def test_count_matrix_sums_each_pair_as_scipy_does(n_rows, n_cols):
    rng = np.random.default_rng(0)
    rows = np.sort(rng.integers(0, n_rows, 2000))
    cols = rng.integers(-3, 40, 2000) * (n_cols // 40)  # some out of range
    cols[:5] = n_cols  # past the last column: dropped as cols < 0 are
    counts = count_matrix(rows, cols, n_rows, n_cols)
    keep = (cols >= 0) & (cols < n_cols)
    expected = sp.coo_matrix(
        (np.ones(keep.sum()), (rows[keep], cols[keep])), shape=(n_rows, n_cols)
    ).tocsr()
    expected.sum_duplicates()
    assert counts.shape == (n_rows, n_cols)
    assert counts.has_canonical_format
    np.testing.assert_array_equal(counts.indptr, expected.indptr)
    np.testing.assert_array_equal(counts.indices, expected.indices)
    np.testing.assert_array_equal(counts.data, expected.data)
