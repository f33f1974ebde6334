"""The IMDB archive's layout, read without extracting, and the cache made from it.

Only regular files whose names match the dataset's layout are read (links,
devices, ``..`` and absolute paths never are), each at most 16 MB; the
reviews of both splits are packed into one ``.npz`` (a UTF-8 blob and offsets
per split) written atomically.
"""

import hashlib
import json
import logging
import os
import re
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from ..utils._files import atomic_write

__all__ = ["SUBSETS", "identify_source", "load_cache", "read_source", "write_cache"]

logger = logging.getLogger(__name__)

SUBSETS = ("train", "test")
TARGET_NAMES = ["neg", "pos"]
_CACHE_FORMAT = 3  # 2: the cache records its source; 3: and each review's movie
_REVIEW = re.compile(r"aclImdb/(train|test)/(neg|pos)/(\d{1,9})_(\d{1,2})\.txt")
# line k of urls_pos.txt is the IMDB page of the movie of review pos/k_*.txt
_URLS = re.compile(r"aclImdb/(train|test)/urls_(neg|pos)\.txt")
_TITLE = re.compile(rb"/title/tt(\d{1,9})/")
_README = "aclImdb/README"
_MAX_MEMBER_BYTES = 16 * 2**20


def identify_source(path, downloaded=False):
    """What a cache built from ``path`` depends on, cheap to compare.

    An archive by its resolved path, size and modification time; a folder by
    its path and the number of files and modification time of each split
    folder (adding or removing a review changes them). A cache whose
    recorded source differs from the configured one is rebuilt.

    Parameters
    ----------
    path : path-like
        The archive or folder.
    downloaded : bool, default=False
        Whether this package downloaded the archive.

    Returns
    -------
    source : dict
        JSON-serialisable.
    """
    path = Path(path).resolve()
    if path.is_dir():
        root = path if (path / "train").is_dir() else path / "aclImdb"
        folders = [root / s / label for s in SUBSETS for label in TARGET_NAMES]
        return {
            "kind": "folder",
            "path": str(path),
            "stamps": [
                [len(os.listdir(f)), f.stat().st_mtime_ns] if f.is_dir() else None
                for f in folders
            ],
        }
    stat = path.stat()
    return {
        "kind": "download" if downloaded else "archive",
        "path": str(path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def read_source(path, source):
    """Read the labelled reviews of an archive or an extracted directory.

    ``source`` (from :func:`identify_source`) is recorded in the cache, with
    the archive's SHA-256.
    """
    logger.info("Reading IMDB reviews from %s", path)
    found = {"reviews": {name: [] for name in SUBSETS}, "readme": b"", "movies": {}}
    if path.is_dir():
        root = path if (path / "train").is_dir() else path / "aclImdb"
        for name, data in _iter_directory(root):
            _collect(found, name, data)
    else:
        try:
            with tarfile.open(path, mode="r|*") as archive:
                for member in archive:
                    if not member.isreg():
                        continue  # links, devices and folders are never read
                    if not _wanted(member.name):
                        continue
                    if member.size > _MAX_MEMBER_BYTES:
                        raise ValueError(f"member {member.name} is too large")
                    data = archive.extractfile(member).read()
                    _collect(found, member.name, data)
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise ValueError(
                f"{path} is not a readable IMDB archive ({type(exc).__name__}: "
                f"{exc or 'truncated'})."
            ) from exc
    for name in SUBSETS:
        if not found["reviews"][name]:
            raise ValueError(
                f"{path} holds no {name} reviews: expected files named like "
                f"aclImdb/{name}/pos/123_8.txt."
            )
    if source["kind"] != "folder":
        with open(path, "rb") as f:
            source = {**source, "sha256": hashlib.file_digest(f, "sha256").hexdigest()}
    return _pack(found, source)


def _wanted(name):
    return name == _README or _REVIEW.fullmatch(name) or _URLS.fullmatch(name)


def _iter_directory(root):
    readme = root / "README"
    if readme.is_file():
        yield _README, readme.read_bytes()
    for split in SUBSETS:
        for label in TARGET_NAMES:
            urls = root / split / f"urls_{label}.txt"
            if urls.is_file() and not urls.is_symlink():
                yield f"aclImdb/{split}/urls_{label}.txt", urls.read_bytes()
            folder = root / split / label
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                name = f"aclImdb/{split}/{label}/{entry.name}"
                if entry.is_file(follow_symlinks=False) and _REVIEW.fullmatch(name):
                    yield name, Path(entry.path).read_bytes()


def _collect(found, name, data):
    if name == _README:
        found["readme"] = data
    elif urls := _URLS.fullmatch(name):
        found["movies"][urls.groups()] = [
            int(title[1]) if (title := _TITLE.search(line)) else -1
            for line in data.splitlines()
        ]
    else:
        split, label, review_id, rating = _REVIEW.fullmatch(name).groups()
        text = data.decode("utf-8", errors="replace")
        found["reviews"][split].append(
            (label == "pos", int(review_id), int(rating), text)
        )


def _pack(found, source):
    """Arrays for the cache: one UTF-8 blob and offsets per split."""
    arrays = {
        "format": np.array(_CACHE_FORMAT),
        "descr": _bytes_array(found["readme"]),
        "source": _bytes_array(json.dumps(source).encode()),
    }
    for name, rows in found["reviews"].items():
        rows.sort(key=lambda row: row[:2])  # negatives first, then by id
        encoded = [row[3].encode("utf-8") for row in rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(text) for text in encoded], out=offsets[1:])
        arrays[f"{name}_text"] = _bytes_array(b"".join(encoded))
        arrays[f"{name}_offsets"] = offsets
        arrays[f"{name}_target"] = np.array([row[0] for row in rows], dtype=np.int8)
        arrays[f"{name}_review_id"] = np.array([row[1] for row in rows], np.int32)
        arrays[f"{name}_rating"] = np.array([row[2] for row in rows], dtype=np.int8)
        # the IMDB title number of each review's movie; -1 where the archive lacks it
        movies = {
            pos: found["movies"].get((name, TARGET_NAMES[pos]), []) for pos in (0, 1)
        }
        arrays[f"{name}_movie"] = np.array(
            [movies[pos][i] if i < len(movies[pos]) else -1 for pos, i, *_ in rows],
            dtype=np.int32,
        )
    return arrays


def _bytes_array(data):
    return np.frombuffer(data, dtype=np.uint8)


# -- the cache ----------------------------------------------------------------


def write_cache(arrays, path):
    """Write atomically: a temporary file in the same folder, then a rename."""
    with atomic_write(path) as f:
        np.savez(f, **arrays)
    logger.info("Cached the IMDB dataset in %s", path)


def load_cache(path):
    """The cached arrays, or None when there is no valid cache."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        if int(arrays["format"]) != _CACHE_FORMAT:
            raise ValueError(f"cache format {int(arrays['format'])}")
        for name in SUBSETS:
            offsets = arrays[f"{name}_offsets"]
            if offsets[-1] != arrays[f"{name}_text"].size:
                raise ValueError("offsets do not match the text")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        logger.warning(
            "Ignoring the unreadable cache %s (%s): rebuilding it.", path, exc
        )
        return None
    return arrays
