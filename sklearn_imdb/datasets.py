"""Loader for the IMDB Large Movie Review Dataset (Maas et al., 2011).

The official archive holds 50,000 labelled reviews (25,000 for training and
25,000 for testing) as 100,000 small text files. :func:`fetch_imdb` reads
them straight from the ``tar.gz`` (nothing is extracted) and caches both
splits in one compact ``.npz`` file in ``data_home``, so later calls load in a
fraction of a second.
"""

import logging
import os
import re
import tarfile
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np
from sklearn.datasets import fetch_file, get_data_home
from sklearn.datasets._base import RemoteFileMetadata
from sklearn.utils import Bunch, check_random_state

__all__ = ["fetch_imdb", "describe", "ARCHIVE", "ARCHIVE_ENV"]

logger = logging.getLogger(__name__)

ARCHIVE = RemoteFileMetadata(
    filename="aclImdb_v1.tar.gz",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    checksum="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
)
ARCHIVE_SIZE = 84_125_825
#: Environment variable naming a local archive (or extracted ``aclImdb/``).
ARCHIVE_ENV = "SKLEARN_IMDB_ARCHIVE"

CACHE_NAME = "aclImdb_v1_labeled.npz"
_CACHE_FORMAT = 1
_SUBSETS = ("train", "test")
_TARGET_NAMES = ["neg", "pos"]
# Only regular files whose names match the dataset layout are ever read.
_REVIEW = re.compile(r"aclImdb/(train|test)/(neg|pos)/(\d{1,9})_(\d{1,2})\.txt")
_README = "aclImdb/README"
_MAX_MEMBER_BYTES = 16 * 2**20


def fetch_imdb(
    *,
    subset="train",
    data_home=None,
    download_if_missing=True,
    return_X_y=False,
    as_frame=False,
    shuffle=False,
    random_state=None,
    n_retries=3,
    delay=1.0,
):
    """Load the IMDB movie review sentiment dataset (binary classification).

    =================   ==========================
    Classes                                      2
    Samples per split                       25,000
    Samples total                           50,000
    Features                  text (raw reviews)
    =================   ==========================

    The data are looked for, in this order: the cache in ``data_home``; a local
    copy named by the ``SKLEARN_IMDB_ARCHIVE`` environment variable (the
    official ``aclImdb_v1.tar.gz``, a partial archive in the same layout, or
    an extracted ``aclImdb/`` directory); the official archive, downloaded
    when ``download_if_missing`` is True (84 MB, checksum verified).

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which split to load; ``"all"`` is the training split then the test
        split.
    data_home : str or path-like, default=None
        Where to keep the cache. By default all scikit-learn data is stored in
        ``~/scikit_learn_data`` (or ``$SCIKIT_LEARN_DATA``); the cache lives in
        its ``imdb`` subfolder.
    download_if_missing : bool, default=True
        If False, raise an ``OSError`` instead of downloading when neither the
        cache nor a local archive is available.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas Series of reviews, ``target`` a Series and
        ``frame`` a DataFrame with columns ``review``, ``rating``,
        ``review_id`` and ``target``.
    shuffle : bool, default=False
        Whether to shuffle the reviews. Unshuffled, each split lists all
        negative reviews, then all positive ones, by review id.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffling; ignored when ``shuffle`` is False.
    n_retries : int, default=3
        Number of retries of the download on HTTP errors.
    delay : float, default=1.0
        Seconds between retries.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str or pandas Series
            The raw reviews, as written (HTML line breaks included).
        target : ndarray of shape (n_samples,) or pandas Series
            1 for a positive review, 0 for a negative one.
        target_names : list of str
            ``["neg", "pos"]``.
        rating : ndarray of shape (n_samples,)
            The reviewer's rating, 1-4 for negative and 7-10 for positive.
        review_id : ndarray of shape (n_samples,)
            The review's number within its split and label folder.
        frame : pandas DataFrame or None
            Only with ``as_frame=True``.
        DESCR : str
            The dataset's README.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If no data source is available, or the download fails.
    ValueError
        For a bad argument, or an archive that is not a readable IMDB archive.

    Examples
    --------
    >>> from sklearn_imdb import fetch_imdb
    >>> reviews = fetch_imdb(subset="test")  # doctest: +SKIP
    >>> len(reviews.data), reviews.target.mean()  # doctest: +SKIP
    (25000, 0.5)
    """
    if subset not in ("train", "test", "all"):
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}.")
    home = Path(get_data_home(data_home=data_home)) / "imdb"
    if home.exists() and not home.is_dir():
        raise ValueError(f"data_home {home} exists but is not a directory.")
    home.mkdir(parents=True, exist_ok=True)
    cache = _load_cache(home / CACHE_NAME)
    if cache is None:
        source = _locate_source(home, download_if_missing, n_retries, delay)
        cache = _read_source(source)
        _write_cache(cache, home / CACHE_NAME)
        if source.parent == home and source.name == ARCHIVE.filename:
            source.unlink()  # the cache holds all we use of it
    return _make_bunch(cache, subset, return_X_y, as_frame, shuffle, random_state)


def describe(bunch, name="reviews"):
    """A short text summary of a :func:`fetch_imdb` result.

    Parameters
    ----------
    bunch : Bunch
        What :func:`fetch_imdb` returned.
    name : str, default="reviews"
        What to call the reviews in the summary.

    Returns
    -------
    summary : str
        Counts, label balance, review lengths and the rating histogram.
    """
    target = np.asarray(bunch.target)
    n, n_pos = target.size, int(target.sum())
    words = np.array([len(text.split()) for text in bunch.data])
    ratings = np.bincount(np.asarray(bunch.rating), minlength=11)
    histogram = "  ".join(f"{r}:{ratings[r]}" for r in range(1, 11) if ratings[r])
    return (
        f"{name}: {n:,} reviews, {n_pos:,} positive ({n_pos / max(n, 1):.1%}), "
        f"{n - n_pos:,} negative; {np.median(words):.0f} words per review "
        f"(median), {words.max():,} at most\n  ratings  {histogram}"
    )


def _make_bunch(cache, subset, return_X_y, as_frame, shuffle, random_state):
    names = _SUBSETS if subset == "all" else (subset,)
    texts = [text for name in names for text in _decode(cache, name)]
    columns = {
        key: np.concatenate([cache[f"{name}_{key}"] for name in names])
        for key in ("target", "rating", "review_id")
    }
    columns = {key: values.astype(np.int64) for key, values in columns.items()}
    if shuffle:
        order = check_random_state(random_state).permutation(len(texts))
        texts = [texts[i] for i in order]
        columns = {key: values[order] for key, values in columns.items()}
    bunch = Bunch(
        data=texts,
        target=columns["target"],
        target_names=list(_TARGET_NAMES),
        rating=columns["rating"],
        review_id=columns["review_id"],
        frame=None,
        DESCR=bytes(cache["descr"]).decode("utf-8"),
    )
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame({"review": texts, **columns})
        bunch.frame = frame
        bunch.data = frame["review"]
        bunch.target = frame["target"]
    if return_X_y:
        return bunch.data, bunch.target
    return bunch


def _decode(cache, name):
    blob = cache[f"{name}_text"].tobytes()
    offsets = cache[f"{name}_offsets"].tolist()
    return [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]


# -- where the data comes from ------------------------------------------------


def _locate_source(home, download_if_missing, n_retries, delay):
    local = os.environ.get(ARCHIVE_ENV)
    if local:
        path = Path(local).expanduser()
        if not path.exists():
            raise OSError(f"{ARCHIVE_ENV}={local} names no file or directory.")
        return path
    if not download_if_missing:
        raise OSError(
            f"The IMDB dataset is not cached in {home} and download_if_missing "
            f"is False. Download {ARCHIVE.url} and point the {ARCHIVE_ENV} "
            "environment variable at it (or at the extracted aclImdb/ folder)."
        )
    logger.info("Downloading %s (%.0f MB) to %s", ARCHIVE.url, ARCHIVE_SIZE / 1e6, home)
    with _DownloadProgress(home, ARCHIVE.filename, ARCHIVE_SIZE):
        try:
            return fetch_file(
                ARCHIVE.url,
                folder=home,
                local_filename=ARCHIVE.filename,
                sha256=ARCHIVE.checksum,
                n_retries=n_retries,
                delay=delay,
            )
        except OSError as exc:
            raise OSError(
                f"Could not download the IMDB dataset from {ARCHIVE.url}: {exc}. "
                f"Without internet access, set {ARCHIVE_ENV} to a local copy."
            ) from exc


class _DownloadProgress:
    """Log how far a download into ``folder`` has got, every few seconds.

    ``sklearn.datasets.fetch_file`` downloads into a temporary
    ``<filename>.part_*`` file before checking and renaming it; this watches
    that file grow from a background thread.
    """

    def __init__(self, folder, filename, total, interval=2.0):
        self.folder, self.pattern = Path(folder), f"{filename}.part_*"
        self.total, self.interval = total, interval
        self._done = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._done.set()
        self._thread.join()

    def _watch(self):
        while not self._done.wait(self.interval):
            sizes = [
                p.stat().st_size for p in self.folder.glob(self.pattern) if p.exists()
            ]
            if sizes:
                done = max(sizes)
                logger.info(
                    "Downloaded %5.1f%% (%.1f of %.1f MB)",
                    100 * done / self.total,
                    done / 1e6,
                    self.total / 1e6,
                )


def _read_source(path):
    """Read the labelled reviews of an archive or an extracted directory."""
    logger.info("Reading IMDB reviews from %s", path)
    reviews = {name: [] for name in _SUBSETS}
    readme = b""
    if path.is_dir():
        root = path if (path / "train").is_dir() else path / "aclImdb"
        for name, data in _iter_directory(root):
            readme = _collect(reviews, name, data, readme)
    else:
        try:
            with tarfile.open(path, mode="r|*") as archive:
                for member in archive:
                    if not member.isreg():
                        continue  # links, devices and folders are never read
                    if member.name != _README and not _REVIEW.fullmatch(member.name):
                        continue
                    if member.size > _MAX_MEMBER_BYTES:
                        raise ValueError(f"member {member.name} is too large")
                    data = archive.extractfile(member).read()
                    readme = _collect(reviews, member.name, data, readme)
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise ValueError(
                f"{path} is not a readable IMDB archive ({type(exc).__name__}: "
                f"{exc or 'truncated'})."
            ) from exc
    for name in _SUBSETS:
        if not reviews[name]:
            raise ValueError(
                f"{path} holds no {name} reviews: expected files named like "
                f"aclImdb/{name}/pos/123_8.txt."
            )
    return _pack(reviews, readme)


def _iter_directory(root):
    readme = root / "README"
    if readme.is_file():
        yield _README, readme.read_bytes()
    for split in _SUBSETS:
        for label in _TARGET_NAMES:
            folder = root / split / label
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                name = f"aclImdb/{split}/{label}/{entry.name}"
                if entry.is_file(follow_symlinks=False) and _REVIEW.fullmatch(name):
                    yield name, Path(entry.path).read_bytes()


def _collect(reviews, name, data, readme):
    if name == _README:
        return data
    split, label, review_id, rating = _REVIEW.fullmatch(name).groups()
    text = data.decode("utf-8", errors="replace")
    reviews[split].append((label == "pos", int(review_id), int(rating), text))
    return readme


def _pack(reviews, readme):
    """Arrays for the cache: one UTF-8 blob and offsets per split."""
    arrays = {"format": np.array(_CACHE_FORMAT), "descr": _bytes_array(readme)}
    for name, rows in reviews.items():
        rows.sort(key=lambda row: row[:2])  # negatives first, then by id
        encoded = [row[3].encode("utf-8") for row in rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(text) for text in encoded], out=offsets[1:])
        arrays[f"{name}_text"] = _bytes_array(b"".join(encoded))
        arrays[f"{name}_offsets"] = offsets
        arrays[f"{name}_target"] = np.array([row[0] for row in rows], dtype=np.int8)
        arrays[f"{name}_review_id"] = np.array([row[1] for row in rows], np.int32)
        arrays[f"{name}_rating"] = np.array([row[2] for row in rows], dtype=np.int8)
    return arrays


def _bytes_array(data):
    return np.frombuffer(data, dtype=np.uint8)


# -- the cache ----------------------------------------------------------------


def _write_cache(arrays, path):
    """Write atomically: a temporary file in the same folder, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.info("Cached the IMDB dataset in %s", path)


def _load_cache(path):
    """The cached arrays, or None when there is no valid cache."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        if int(arrays["format"]) != _CACHE_FORMAT:
            raise ValueError(f"cache format {int(arrays['format'])}")
        for name in _SUBSETS:
            offsets = arrays[f"{name}_offsets"]
            if offsets[-1] != arrays[f"{name}_text"].size:
                raise ValueError("offsets do not match the text")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        logger.warning(
            "Ignoring the unreadable cache %s (%s): rebuilding it.", path, exc
        )
        return None
    return arrays
