"""Loader for the IMDB Large Movie Review Dataset (Maas et al., 2011).

The official archive holds 50,000 labelled reviews (25,000 for training and
25,000 for testing) as 100,000 small text files. :func:`fetch_imdb` reads
them straight from the ``tar.gz`` (nothing is extracted) and caches both
splits in one compact ``.npz`` file in ``data_home``, so later calls load in a
fraction of a second.
"""

import json
import logging
import os
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import fetch_file, get_data_home
from sklearn.datasets._base import RemoteFileMetadata
from sklearn.utils import Bunch, check_random_state

from ._imdb_archive import (
    SUBSETS,
    TARGET_NAMES,
    identify_source,
    load_cache,
    read_source,
    write_cache,
)

__all__ = ["fetch_imdb", "describe", "ARCHIVE", "ARCHIVE_ENV", "TARGET_NAMES"]

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
        ``frame`` a DataFrame with columns ``review``, ``target``, ``rating``,
        ``review_id`` and ``movie``.
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
        movie : ndarray of shape (n_samples,)
            The IMDB title number of the reviewed movie (``tt0453418`` is
            453418), from the archive's ``urls_*.txt``; -1 where the archive
            has none. The splits were made by movie (of the 7,036 movies, one
            is in both) and a movie has up to 30 reviews: pass ``groups=movie`` to
            :class:`~sklearn.model_selection.GroupKFold` to validate on
            movies the model has not seen, as the test split does.
        frame : pandas DataFrame or None
            Only with ``as_frame=True``.
        DESCR : str
            The dataset's README.

    (data, target) : tuple if ``return_X_y`` is True
        The reviews and their labels, as above.

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
    cache = load_cache(home / CACHE_NAME)
    configured = _configured_source()
    if cache is not None and configured is not None:
        built_from = json.loads(bytes(cache["source"]))
        if {k: built_from.get(k) for k in configured} != configured:
            logger.info(
                "The cache was built from %s; %s is now %s: rebuilding it.",
                built_from.get("path"),
                ARCHIVE_ENV,
                configured["path"],
            )
            cache = None
    if cache is None:
        path, downloaded = _locate_source(home, download_if_missing, n_retries, delay)
        cache = read_source(path, configured or identify_source(path, downloaded))
        write_cache(cache, home / CACHE_NAME)
        if downloaded:
            path.unlink()  # our own download: the cache holds all we use of it
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
    names = SUBSETS if subset == "all" else (subset,)
    texts = [text for name in names for text in _decode(cache, name)]
    columns = {
        key: np.concatenate([cache[f"{name}_{key}"] for name in names])
        for key in ("target", "rating", "review_id", "movie")
    }
    columns = {key: values.astype(np.int64) for key, values in columns.items()}
    if shuffle:
        order = check_random_state(random_state).permutation(len(texts))
        texts = [texts[i] for i in order]
        columns = {key: values[order] for key, values in columns.items()}
    bunch = Bunch(
        data=texts,
        target=columns["target"],
        target_names=list(TARGET_NAMES),
        rating=columns["rating"],
        review_id=columns["review_id"],
        movie=columns["movie"],
        frame=None,
        DESCR=bytes(cache["descr"]).decode("utf-8") + _source_note(cache),
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


def _source_note(cache):
    source = json.loads(bytes(cache["source"]))
    what = {
        "download": "the official archive, downloaded",
        "archive": "the archive",
        "folder": "the extracted folder",
    }[source["kind"]]
    sha = f", SHA-256 {source['sha256']}" if "sha256" in source else ""
    return f"\n\nSource of this copy: {what} {source['path']}{sha}.\n"


def _decode(cache, name):
    blob = cache[f"{name}_text"].tobytes()
    offsets = cache[f"{name}_offsets"].tolist()
    return [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]


# -- where the data comes from ------------------------------------------------


def _configured_source():
    """The identity of the source ``SKLEARN_IMDB_ARCHIVE`` names, or None."""
    local = os.environ.get(ARCHIVE_ENV)
    if not local:
        return None
    path = Path(local).expanduser()
    if not path.exists():
        raise OSError(f"{ARCHIVE_ENV}={local} names no file or directory.")
    return identify_source(path)


def _locate_source(home, download_if_missing, n_retries, delay):
    """The archive or folder to read, and whether we downloaded it."""
    local = os.environ.get(ARCHIVE_ENV)
    if local:
        return Path(local).expanduser(), False
    if not download_if_missing:
        raise OSError(
            f"The IMDB dataset is not cached in {home} and download_if_missing "
            f"is False. Download {ARCHIVE.url} and point the {ARCHIVE_ENV} "
            "environment variable at it (or at the extracted aclImdb/ folder)."
        )
    # sklearn's fetch_file reports no progress: say what is coming, and when
    # it is done
    logger.info(
        "Downloading %s (%.0f MB) to %s; this may take a minute",
        ARCHIVE.url,
        ARCHIVE_SIZE / 1e6,
        home,
    )
    # fetch_file warns before each retry: logged instead, so that an offline
    # first run shows our one message on what to do, not a warning before it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            path = fetch_file(
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
        finally:
            _log_retries(caught)
    logger.info("Downloaded and verified %s", path)
    return Path(path), True


def _log_retries(caught):
    """Log ``fetch_file``'s retry warnings; warn the others again as they were."""
    for warning in caught:
        if str(warning.message).startswith("Retry downloading"):
            logger.info("%s", warning.message)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
