"""The batches a fit trains on: their rows and order, and batches kept for reuse."""

import os

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_imdb import MultiHotVectorizer
from sklearn_imdb.network import _batches
from sklearn_imdb.network._batches import batches, epoch_orders, reusing_batches

from ..conftest import calls_to, small_network


@pytest.fixture(scope="module")
def features(reviews):
    docs, y = reviews
    return MultiHotVectorizer().fit_transform(docs), y


def as_arrays(dataset):
    import tensorflow as tf

    parts = list(dataset)
    X = [tf.sparse.to_dense(p[0]) if hasattr(p[0], "indices") else p[0] for p in parts]
    return [np.asarray(x) for x in X], [[np.asarray(a) for a in p[1:]] for p in parts]


@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("orders", ["none", "shuffled", "in order", "many epochs"])
def test_batches_hold_each_epochs_rows_in_order(sparse, orders):
    rng = np.random.default_rng(0)
    X = sp.random(103, 17, density=0.2, format="csr", random_state=0)
    X.data[:] = rng.integers(1, 5, X.nnz)
    y, weights = rng.integers(0, 2, 103), rng.random(103)
    orders = {
        "none": None,
        "shuffled": epoch_orders(103, 3, True, 0),
        "in order": epoch_orders(103, 2, False, 0),
        # gathered in the graph rather than laid out in order beforehand
        "many epochs": epoch_orders(103, _batches.ORDERED_EPOCHS + 2, True, 1),
    }[orders]
    rows = np.arange(103) if orders is None else orders.ravel()
    data = X if sparse else X.toarray()
    parts, others = as_arrays(batches(data, y, weights, batch_size=20, orders=orders))

    n_epochs = 1 if orders is None else len(orders)
    # six batches an epoch, the last of 3 rows
    assert [p.shape[0] for p in parts] == [20, 20, 20, 20, 20, 3] * n_epochs
    stacked = np.vstack(parts)
    np.testing.assert_array_equal(stacked, X.toarray()[rows])
    np.testing.assert_array_equal(np.concatenate([o[0] for o in others]), y[rows])
    np.testing.assert_allclose(
        np.concatenate([o[1] for o in others]), weights[rows], rtol=1e-6
    )


@pytest.mark.parametrize("reused", [False, True])
def test_batches_start_no_autotuning_thread(features, reused):
    # tf.data's autotuning thread made the end of every fit wait for it
    X, y = features
    with reusing_batches(max_bytes=2**30 if reused else 0):
        data = batches(X, y, batch_size=64, orders=epoch_orders(len(y), 2, True, 0))
    assert data.options().autotune.enabled is False


def assert_same_weights(a, b):
    for left, right in zip(a.model_.get_weights(), b.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(left, right)


def test_reused_batches_train_bit_for_bit_as_new_ones(features, monkeypatch):
    X, y = features
    made = calls_to(monkeypatch, _batches, "_new_batches")
    fresh = small_network(validation_split=0.2).fit(X, y)
    assert len(made) == 2  # training and validation rows
    with reusing_batches():
        first = small_network(validation_split=0.2).fit(X, y)
        again = small_network(validation_split=0.2).fit(X.copy(), y.copy())
    assert len(made) == 4  # the copies were recognised: nothing new made
    assert_same_weights(first, fresh)
    assert_same_weights(again, fresh)
    assert again.history_ == fresh.history_
    assert not _batches._reused.datasets  # dropped on leaving


def test_changed_data_never_get_batches_made_before(features):
    X, y = features
    X = X.copy()
    with reusing_batches():
        before = small_network().fit(X, y)
        X.data[::2] = 2.0  # changed in place: same arrays, new contents
        after = small_network().fit(X, y)
        other_seed = small_network(random_state=1).fit(X, y)
    assert_same_weights(after, small_network().fit(X, y))
    assert_same_weights(other_seed, small_network(random_state=1).fit(X, y))
    kernels = [fit.model_.get_weights()[0] for fit in (before, after)]
    assert not np.array_equal(*kernels)


def test_kept_batches_stay_within_their_memory_limit(features):
    X, y = features
    one = X.nnz * 20 * 10  # ten epochs of rows (see batches)
    with reusing_batches(max_bytes=int(one * 1.5)):
        for seed in range(3):
            small_network(random_state=seed).fit(X, y)
            assert len(_batches._reused.datasets) == 1


@pytest.mark.skipif(
    not os.path.exists("/proc/self/statm"), reason="reads the resident size in /proc"
)
def test_new_datasets_of_the_same_rows_keep_memory_flat():
    # tf.data copies what a dataset's function captures and kept part of each
    # copy: a streamed fit (a new dataset per partial_fit call) grew 2 MB a
    # call; the rows' tensors now reach the function as dataset elements
    n_rows, per_row = 10_000, 400  # 4 M values: 48 MB of tensors
    X = sp.csr_matrix(
        (
            np.ones(n_rows * per_row, dtype=np.float32),
            np.tile(np.arange(per_row), n_rows),
            np.arange(0, n_rows * per_row + 1, per_row),
        ),
        shape=(n_rows, 1000),
    )
    y = np.arange(n_rows) % 2

    def resident():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    sizes = []
    for _ in range(24):
        for _ in batches(X, y, batch_size=2500):
            pass
        sizes.append(resident())
    grown = sizes[-1] - sizes[3]  # after a few, as the allocator settles
    assert grown < 64 * 2**20, f"{grown / 2**20:.0f} MB more after 20 datasets"
