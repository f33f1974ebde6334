"""Shared fixtures: tiny IMDB-layout archives, seeds and the real dataset."""

import io
import os
import random
import shutil
import tarfile

import numpy as np
import pytest

from sklearn_imdb.datasets import ARCHIVE_ENV

# (split, label, id, rating, text)
TINY_REVIEWS = [
    ("train", "pos", 0, 9, "A wonderful film.<br /><br />Great acting, great story!"),
    ("train", "pos", 1, 7, "I liked it; the cast is great."),
    ("train", "neg", 0, 2, "Dull and boring. I didn't like it."),
    ("train", "neg", 10, 1, "The worst film ever, a boring waste."),
    ("test", "pos", 3, 10, "Great, wonderful, moving."),
    ("test", "neg", 4, 3, "Boring plot and a dull cast."),
]
README = b"Large Movie Review Dataset v1.0 (tiny test copy)\n"
POSITIVE = "great wonderful superb moving brilliant fun loved best".split()
NEGATIVE = "dull boring awful waste worst poor hated bad".split()
NEUTRAL = "the film a movie plot actor scene story it was".split()


def write_archive(path, reviews=TINY_REVIEWS, extra=(), readme=README):
    """Write a tar.gz in the official layout; ``extra`` adds raw TarInfo."""
    with tarfile.open(path, "w:gz") as tar:
        members = [("aclImdb/README", readme)] + [
            (f"aclImdb/{s}/{lab}/{i}_{r}.txt", text.encode("utf-8"))
            for s, lab, i, r, text in reviews
        ]
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


@pytest.fixture
def tiny_archive(tmp_path, monkeypatch):
    """A tiny archive named by SKLEARN_IMDB_ARCHIVE, and a private data_home."""
    path = write_archive(tmp_path / "aclImdb_tiny.tar.gz")
    monkeypatch.setenv(ARCHIVE_ENV, str(path))
    return path


def synthetic_reviews(n_per_label, split, seed=0):
    """Reviews in the layout of TINY_REVIEWS whose words give their label."""
    rng = np.random.default_rng(seed)
    rows = []
    for label, words, ratings in (
        ("pos", POSITIVE, (7, 10)),
        ("neg", NEGATIVE, (1, 4)),
    ):
        for i in range(n_per_label):
            text = " ".join(
                rng.choice(NEUTRAL, 8).tolist() + rng.choice(words, 3).tolist()
            )
            rows.append(
                (split, label, i, int(rng.integers(*ratings, endpoint=True)), text)
            )
    return rows


@pytest.fixture
def small_archive(tmp_path, monkeypatch):
    """A 120 + 60 review archive named by SKLEARN_IMDB_ARCHIVE, private cache."""
    reviews = synthetic_reviews(60, "train") + synthetic_reviews(30, "test", seed=1)
    path = write_archive(tmp_path / "aclImdb_small.tar.gz", reviews)
    monkeypatch.setenv(ARCHIVE_ENV, str(path))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "scikit_learn_data"))
    return path


@pytest.fixture
def data_home(tmp_path):
    home = tmp_path / "scikit_learn_data"
    home.mkdir()
    return home


def make_reviews(n=240, seed=0, n_classes=2):
    """Short reviews whose words give their class; ordered by class, as
    fetch_imdb's are (so unstratified folds would see one class only)."""
    rng = np.random.default_rng(seed)
    vocab = [NEGATIVE, POSITIVE, NEUTRAL][:n_classes]
    y = np.repeat(np.arange(n_classes), n // n_classes)
    docs = [
        " ".join(rng.choice(NEUTRAL, 6).tolist() + rng.choice(vocab[k], 2).tolist())
        for k in y
    ]
    return docs, y


@pytest.fixture(scope="session")
def reviews():
    """240 two-class reviews and their 0/1 labels."""
    return make_reviews()


def vectorize_sequences(sequences, dimension):
    """The notebook's loop, verbatim but for the dense float64 array."""
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        for j in sequence:
            if j < dimension:
                results[i, j] = 1.0
    return results


def calls_to(monkeypatch, owner, name):
    """The list of the calls made to ``owner.name`` from now on (their arguments)."""
    calls, original = [], getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


#: float32's spacing at 1.0 (2**-23): one rounding step of a probability
EPS32 = float(np.finfo(np.float32).eps)
#: rounding steps two paths' predictions may differ by. Two TensorFlow graphs
#: (or NumPy and TensorFlow) sum the same products in other orders, as oneDNN
#: picks kernels by instruction set, thread count and release: seen up to 3
#: steps (8.9e-8 at 0.2, AVX-512 Xeon, TensorFlow 2.21). A weight moved by
#: 1e-3 or a batch dropped moves them by 1e-5 or more: still caught
#: (test_predictions.py shows both).
PREDICTION_STEPS = 16
#: the same after training: each of a test fit's ~100 optimizer steps may
#: round once more; a batch skipped moves the weights by ~1e-3 (the learning
#: rate), 500 times this bound at 1.0
TRAINING_STEPS = 16 * PREDICTION_STEPS


def assert_float32_close(got, want, *, steps=PREDICTION_STEPS):
    """Assert two numerical paths agree to float32 rounding, and decide alike.

    ``got`` and ``want`` may differ by ``steps`` float32 steps of their own
    size (``rtol``) plus ``steps`` steps at 1.0 (``atol``: a probability near
    0 comes from a logit rounded at the logit's size, not the probability's).
    Rows of class scores (two columns or more, or one sigmoid column) must
    also pick the same class wherever the two best are further apart than the
    tolerance: equal decisions, not only close numbers.
    """
    got, want = np.asarray(got), np.asarray(want)
    tolerance = steps * EPS32
    np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)
    if got.ndim == 2:
        if got.shape[1] == 1:
            got, want = np.hstack([1 - got, got]), np.hstack([1 - want, want])
        best_two = np.sort(want, axis=1)[:, -2:]
        clear = best_two[:, 1] - best_two[:, 0] > 4 * tolerance
        np.testing.assert_array_equal(
            got.argmax(axis=1)[clear], want.argmax(axis=1)[clear]
        )


def small_network(**params):
    """A DenseNetworkClassifier that learns the small corpora in seconds."""
    from sklearn_imdb import DenseNetworkClassifier

    defaults = dict(
        epochs=10, batch_size=32, random_state=0, optimizer__learning_rate=0.01
    )
    return DenseNetworkClassifier(**{**defaults, **params})


@pytest.fixture(autouse=True)
def _seed():
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope="session")
def real_archive():
    """The real archive, or a visible skip when SKLEARN_IMDB_ARCHIVE is unset."""
    path = os.environ.get(ARCHIVE_ENV)
    if not path or not os.path.exists(path):
        pytest.skip(
            f"{ARCHIVE_ENV} is not set to the IMDB archive: integration tests on "
            "the real data need it (.ci/run sets it)."
        )
    return path


@pytest.fixture(scope="session")
def imdb(real_archive):
    """Both real splits, loaded once per session."""
    from sklearn_imdb import fetch_imdb

    return fetch_imdb(subset="train"), fetch_imdb(subset="test")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def chromium():
    """A headless Chromium driven by Selenium (Debian's chromium and chromedriver).

    Skipped, with the reason, where they are not installed, unless
    ``SKLEARN_IMDB_BROWSER_TESTS=required`` (``.ci/run`` installs them and
    sets it), where their absence fails the test.
    """
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("SKLEARN_IMDB_BROWSER_TESTS") == "required":
            pytest.fail("Chromium and chromedriver are required but not installed")
        pytest.skip(
            "Chromium and chromedriver are not installed (Debian: apt-get install "
            "chromium chromium-driver; .ci/run installs them)"
        )
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1000,900",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
