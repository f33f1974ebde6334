"""What the README's "Reliability" section promises, one test per promise."""

import json
import os
import pickle
import subprocess
import sys
import tracemalloc

import joblib
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_imdb import iter_predictions, named_pipeline, predict_in_batches
from sklearn_imdb.datasets._imdb import CACHE_NAME

from .conftest import synthetic_reviews

# new processes, worker pools and races: left out of make test-fast
pytestmark = pytest.mark.slow


ROWS = synthetic_reviews(40, "train")
DOCS = [r[4] for r in ROWS]
Y = np.array([r[1] == "pos" for r in ROWS], dtype=int)


@pytest.fixture(scope="module")
def net():
    return named_pipeline("seed-net", clf__epochs=15, clf__batch_size=16).fit(DOCS, Y)


# -- bad input: one row per case, through the whole pipeline ------------------

BAD_FITS = [
    ("bare string", "a review", Y, ValueError, "string object received"),
    ("None among texts", DOCS[:-1] + [None], Y, TypeError, "Document 79 is None"),
    ("NaN among texts", [np.nan] + DOCS[1:], Y, TypeError, "Document 0 is NaN"),
    ("int among texts", DOCS[:5] + [5] + DOCS[6:], Y, TypeError, "Document 5 is a int"),
    ("empty corpus", [], [], ValueError, "empty corpus"),
    (
        "only empty documents",
        ["", " ", "..."] * 2,
        [0, 1] * 3,
        ValueError,
        "Empty vocabulary",
    ),
    ("one class", DOCS, np.zeros(80), ValueError, "only one class"),
    ("NaN labels", DOCS, np.r_[np.nan, Y[1:]], ValueError, "NaN"),
    ("mismatched lengths", DOCS, Y[:-1], ValueError, "inconsistent numbers of samples"),
]


@pytest.mark.parametrize(
    "docs, y, error, match",
    [row[1:] for row in BAD_FITS],
    ids=[row[0] for row in BAD_FITS],
)
def test_bad_training_input_through_the_pipeline(docs, y, error, match):
    with pytest.raises(error, match=match):
        named_pipeline("seed-net", clf__epochs=1).fit(docs, y)


BAD_PARAMS = [
    ("vec__num_words", -1, "num_words"),
    ("vec__output", "onehot", "output"),
    ("clf__hidden_layers", -1, "hidden_layers"),
    ("clf__units", 0, "units"),
    ("clf__activation", "relu6", "activation"),
    ("clf__optimizer", "lbfgs", "optimizer"),
    ("clf__loss", "hinge", "loss"),
    ("clf__epochs", 0, "epochs"),
    ("clf__batch_size", -5, "batch_size"),
]


@pytest.mark.parametrize("param, value, match", BAD_PARAMS)
def test_every_invalid_hyperparameter(param, value, match):
    with pytest.raises(InvalidParameterError, match=match):
        named_pipeline("seed-net").set_params(**{param: value}).fit(DOCS, Y)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        named_pipeline("seed-net").predict(DOCS)


def test_odd_but_valid_reviews(net):
    odd = [
        "",  # empty review at predict time
        "🎬🍿 great 👍",  # emoji
        "فيلم رائع great",  # right-to-left text
        "nul\x00inside great",  # NUL characters
        "great " * 200_000,  # a 1.2 MB review
        "\u200f\u202e rtl marks \ufeff BOM",  # bidi controls
    ]
    proba = net.predict_proba(odd)
    assert proba.shape == (6, 2) and np.isfinite(proba).all()
    assert net.predict(odd)[1:5].tolist() == [1, 1, 1, 1]


# -- archives and caches ------------------------------------------------------


_SLOW_FETCH = """
import sys, time
from pathlib import Path
import numpy as np
home, gate, me = sys.argv[1:4]
real_savez = np.savez


class Slow:
    # writes the cache a few bytes at a time, so that two writers overlap
    def __init__(self, f):
        self.f = f

    def write(self, data):
        for i in range(0, len(data), 64):
            self.f.write(data[i : i + 64])
            self.f.flush()
            time.sleep(0.002)
        return len(data)

    def __getattr__(self, name):
        return getattr(self.f, name)


def savez(f, **arrays):
    start = time.time()
    real_savez(Slow(f), **arrays)
    Path(gate, me + ".times").write_text(f"{start} {time.time()}")


np.savez = savez
from sklearn_imdb import fetch_imdb

Path(gate, me).touch()  # a barrier: both start reading together
while not all(Path(gate, name).exists() for name in ("a", "b")):
    time.sleep(0.005)
print(len(fetch_imdb(data_home=home).data))
"""


def test_two_processes_writing_the_cache_at_once(tiny_archive, data_home, tmp_path):
    gate = tmp_path / "gate"
    gate.mkdir()
    cache = data_home / "imdb" / CACHE_NAME
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SLOW_FETCH, str(data_home), str(gate), me],
            stdout=subprocess.PIPE,
            text=True,
        )
        for me in ("a", "b")
    ]
    seen, broken = 0, []
    while any(p.poll() is None for p in procs):
        if cache.exists():  # whenever the cache is there, it is whole
            try:
                with np.load(cache) as npz:
                    [npz[k] for k in npz.files]
                seen += 1
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                broken.append(repr(exc))
    outputs = [p.communicate()[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0] and outputs == ["4", "4"]
    (a0, a1), (b0, b1) = (
        map(float, (gate / f"{me}.times").read_text().split()) for me in "ab"
    )
    assert max(a0, b0) < min(a1, b1), "the two writes did not overlap"
    assert not broken, broken[:3]
    assert seen > 0
    assert sorted(p.name for p in (data_home / "imdb").iterdir()) == [CACHE_NAME]


# -- determinism and resources ------------------------------------------------

_CHILD_FIT = """
import sys, numpy as np
sys.path.insert(0, {root!r})
from tests.conftest import synthetic_reviews
from sklearn_imdb import named_pipeline
rows = synthetic_reviews(40, "train")
docs, y = [r[4] for r in rows], np.array([r[1] == "pos" for r in rows], int)
pipe = named_pipeline("seed-net", clf__epochs=3, clf__dropout=0.2,
                     clf__validation_split=0.2).fit(docs, y)
np.save(sys.argv[1], pipe.predict_proba(docs))
"""


def test_same_seed_same_results_across_processes(tmp_path):
    import pathlib

    root = str(pathlib.Path(__file__).parents[1])
    outputs = []
    for i in range(2):
        out = tmp_path / f"{i}.npy"
        subprocess.run(
            [sys.executable, "-c", _CHILD_FIT.format(root=root), str(out)],
            check=True,
            timeout=300,
        )
        outputs.append(np.load(out))
    np.testing.assert_array_equal(outputs[0], outputs[1])


def test_workers_of_an_earlier_search_without_limits_are_replaced():
    # a user's own loky search first: its workers' TensorFlow runs unlimited,
    # and loky would reuse them for ours
    from sklearn_imdb.utils.parallel import available_threads, threads_per_worker

    joblib.Parallel(n_jobs=2)(joblib.delayed(_threads_in_worker)() for _ in range(2))
    with threads_per_worker(2):
        threads = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_threads_in_worker)() for _ in range(2)
        )
    share = max(1, available_threads() // 2)
    assert threads == [(share, share)] * 2


def _threads_in_worker():
    from sklearn_imdb import MultiHotVectorizer
    from sklearn_imdb.utils._keras import import_keras

    import_keras()
    import tensorflow as tf

    return (
        tf.config.threading.get_intra_op_parallelism_threads(),
        MultiHotVectorizer()._n_threads(),
    )


@pytest.mark.parametrize("n_cores", [None, 4])
def test_parallel_workers_share_the_cores(monkeypatch, n_cores):
    from sklearn_imdb.utils.parallel import available_threads, threads_per_worker

    if n_cores is not None:  # as on a 4-core machine
        monkeypatch.setattr(joblib, "cpu_count", lambda *a, **k: n_cores)
    cores = available_threads()
    with threads_per_worker(2):
        threads = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_threads_in_worker)() for _ in range(2)
        )
    # each worker's TensorFlow and tokenizer pool use its share of the cores:
    # the two workers together never keep more threads busy than there are
    share = max(1, cores // 2)
    assert threads == [(share, share)] * 2
    assert sum(tf_threads for tf_threads, _ in threads) <= max(cores, 2)


_SHARE_OPS = """
import joblib
joblib.cpu_count = lambda *args, **kwargs: 4  # as on a 4-core machine
from sklearn_imdb import share_tensorflow_ops
import tensorflow as tf
first = share_tensorflow_ops(2)
threads = tf.config.threading.get_intra_op_parallelism_threads()
tf.constant(1.0) + 1  # TensorFlow has run an op: its pools exist
print(first, threads, share_tensorflow_ops(4), share_tensorflow_ops(1))
print(tf.config.threading.get_intra_op_parallelism_threads())
"""


def test_worker_threads_share_the_cores_for_each_op():
    # tune's threads: each op of each thread on its share of the cores, set
    # before TensorFlow starts its pools, left alone after
    limits = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in limits}
    done = subprocess.run(
        [sys.executable, "-c", _SHARE_OPS],
        env={**env, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout.split() == ["2", "2", "None", "None", "2"]


def test_predicting_many_reviews_in_bounded_memory():
    # a linear pipeline: tracing TensorFlow's every allocation would be slow;
    # the batching is the same for any pipeline (the network's is below)
    pipe = named_pipeline("logreg").fit(DOCS, Y)
    reviews = (DOCS[i % len(DOCS)] for i in range(200_000))  # never a list
    tracemalloc.start()
    try:
        total = 0
        for proba in iter_predictions(pipe, reviews, batch_size=5000):
            total += len(proba)
            assert proba.shape == (len(proba), 2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 200_000
    # a batch of 5,000 short reviews needs a few MB; 200,000 at once, >60 MB
    assert peak < 40 * 2**20


def test_network_predicts_in_batches(net):
    one_go = predict_in_batches(net, DOCS * 10, batch_size=300)
    np.testing.assert_allclose(one_go, net.predict_proba(DOCS * 10), rtol=1e-6)


def test_batch_arguments(net):
    with pytest.raises(ValueError, match="string object"):
        list(iter_predictions(net, "text"))
    with pytest.raises(ValueError, match="batch_size"):
        list(iter_predictions(net, ["a"], batch_size=0))
    with pytest.raises(ValueError, match="empty"):
        predict_in_batches(net, [])


def test_pickle_and_joblib_keep_working(net, tmp_path):
    again = pickle.loads(pickle.dumps(net))
    np.testing.assert_allclose(again.predict_proba(DOCS), net.predict_proba(DOCS))
    joblib.dump(net, tmp_path / "net.joblib")
    loaded = joblib.load(tmp_path / "net.joblib")
    np.testing.assert_allclose(loaded.predict_proba(DOCS), net.predict_proba(DOCS))


def test_a_pickled_network_loads_in_a_process_that_never_built_one(net, tmp_path):
    # what joblib's and Dask's workers do with a fitted network (cross_validate
    # with return_estimator, BaggingClassifier, dask-ml's Incremental): its
    # Keras model names our registered layer, which must be known by then
    path = tmp_path / "net.pkl"
    path.write_bytes(pickle.dumps(net))
    code = (
        "import json, pickle, sys\n"
        "net = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "print(json.dumps(net.predict_proba(sys.argv[2:])[:, 1].tolist()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), *DOCS[:3]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-1500:]
    proba = json.loads(done.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(proba, net.predict_proba(DOCS[:3])[:, 1], rtol=1e-5)
