"""The vectorizer's vocabulary: the most frequent n-gram keys, and counts over it.

:func:`fit_text` learns it from text and :func:`count_text` counts text over
it: the n-gram keys come from ``_shared_ngrams`` (each review keyed once
inside ``sharing_ngrams``), and each kept term is checked against a second
key, so that no two terms share a column.

Keys are looked up with a ``pandas.Index`` (a hash table: faster than our own
vectorised one, measured 0.34 s against 0.56 s for 6 million lookups in
500,000 keys).
"""

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._ngrams import HASH_SEEDS, chunks
from ._shared_ngrams import ngrams_of

__all__ = [
    "count_checked",
    "count_hashed",
    "count_matrix",
    "count_text",
    "fit_text",
    "key_index",
    "top_terms",
]


def key_index(keys):
    """A ``pandas.Index`` of distinct keys, ready to be shared by threads.

    pandas builds an index's hash table lazily, and two threads that first
    look up at once can see it half-built and report the index as
    non-unique (pandas#21150, seen here with pandas 2.0): build it now.
    """
    index = pd.Index(keys)
    if not index.is_unique:
        raise ValueError("vocabulary keys must be distinct")
    return index


def count_checked(table, check_keys, grams, n_rows):
    """Count matrix of one chunk, and the first clash of two terms' keys.

    A clash is an occurrence whose key is a kept term's but whose check key
    is not: returned as (its text, its column), else None.
    """
    cols = table.get_indexer(grams.keys)
    hit = np.flatnonzero(cols >= 0)
    clash = np.flatnonzero(grams.check_keys[hit] != check_keys[cols[hit]])
    found = None
    if clash.size:
        position = hit[clash[0]]
        found = (grams.names([position])[0], int(cols[position]))
    return count_matrix(grams.docs, cols, n_rows, check_keys.size), found


def top_terms(grams, num_words):
    """Names, keys and check keys of the ``num_words`` most frequent keys.

    Ties are broken by key, so that two fits on the same data give the same
    columns.
    """
    unique, counts = _merge_counts(
        [np.unique(g.keys, return_counts=True) for g in grams]
    )
    order = np.lexsort((unique, -counts))[:num_words]
    keys = unique[order]
    names, check_keys = _names_of(keys, grams)
    return names, keys, check_keys


def _merge_counts(parts):
    """Sum per-chunk (unique keys, counts) into one sorted pair."""
    if len(parts) == 1:
        return parts[0]
    keys, inverse = np.unique(
        np.concatenate([k for k, _ in parts]), return_inverse=True
    )
    counts = np.bincount(inverse, weights=np.concatenate([c for _, c in parts]))
    return keys, counts.astype(np.int64)


def _names_of(keys, grams):
    """The text and check key of each key, from its first chunk that holds it."""
    table = key_index(keys)
    names = np.empty(keys.size, dtype=object)
    check_keys = np.zeros(keys.size, dtype=np.uint64)
    missing = np.arange(keys.size)
    for chunk in grams:
        pos = table.get_indexer(chunk.keys)
        hit = np.flatnonzero(pos >= 0)
        where = np.full(keys.size, -1, dtype=np.int64)
        where[pos[hit]] = hit
        found = missing[where[missing] >= 0]
        names[found] = chunk.names(where[found])
        check_keys[found] = chunk.check_keys[where[found]]
        missing = missing[where[missing] < 0]
        if not missing.size:
            break
    return names.tolist(), check_keys


def count_matrix(rows, cols, n_rows, n_cols):
    """CSR matrix of how often each (row, col) pair occurs (cols < 0 dropped)."""
    # scipy's own COO -> CSR conversion (duplicates summed) gives the same
    # matrix 1.35x slower (0.046 s against 0.034 s per 4,096-review chunk,
    # measured): one np.unique over a single key replaces its sort of two
    # arrays; the key is 32 bits wide where it fits, as it does for any chunk
    # of ``CHUNK_DOCS`` documents up to a million columns (np.unique of a
    # million keys: 37 ms against 65 ms for int64, measured)
    keep = (cols >= 0) & (cols < n_cols)
    key = np.uint32 if n_rows * n_cols <= np.iinfo(np.uint32).max else np.int64
    flat = rows[keep].astype(key) * key(n_cols) + cols[keep].astype(key)
    flat, counts = np.unique(flat, return_counts=True)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat // n_cols, minlength=n_rows), out=indptr[1:])
    indices = (flat % n_cols).astype(np.int32)
    return sp.csr_matrix(
        (counts.astype(np.float64), indices, indptr), shape=(n_rows, n_cols)
    )


def fit_text(docs, ngram_range, num_words, map_chunks):
    """The vocabulary of text documents, and their count matrix.

    Each kept term's occurrences are checked against a second, independent
    key: if two distinct terms shared a key, the fit is done again with the
    next seed rather than merge them into one column.

    Parameters
    ----------
    docs : list of str
        The documents.
    ngram_range : tuple of int
        ``(min_n, max_n)``.
    num_words : int or None
        Terms kept, the most frequent first; None keeps all.
    map_chunks : callable
        ``map_chunks(func, items)``: ``[func(item) for item in items]``, on
        the vectorizer's threads.

    Returns
    -------
    seed : int
        The hash seed of the keys.
    table : pandas.Index
        The kept terms' keys, in column order.
    names : list of str
        The kept terms, in column order.
    counts : scipy.sparse.csr_matrix
        Term counts of each document.
    """
    parts = chunks(docs)
    for seed in HASH_SEEDS:
        grams = map_chunks(
            lambda chunk: ngrams_of(
                chunk,
                ngram_range,
                keep_text=True,
                seed=seed,
                check=True,
                map_chunks=map_chunks,
            ),
            parts,
        )
        if not any(g.keys.size for g in grams):
            raise ValueError("Empty vocabulary: the documents contain no words.")
        names, keys, check_keys = top_terms(grams, num_words)
        table = key_index(keys)
        counted = map_chunks(
            lambda part: count_checked(table, check_keys, *part),
            list(zip(grams, map(len, parts))),
        )
        clash = next((c for _, c in counted if c is not None), None)
        if clash is None:
            return seed, table, names, sp.vstack([p for p, _ in counted], format="csr")
    raise ValueError(
        f"Hash collision: the distinct terms {clash[0]!r} and "
        f"{names[clash[1]]!r} get one key under every seed; please "
        "report this corpus."
    )


def count_text(docs, ngram_range, seed, table, map_chunks):
    """Term counts of text documents over a fitted vocabulary (see :func:`fit_text`).

    Unknown terms are dropped; the matrix has ``len(table)`` columns.
    """
    return _count(docs, ngram_range, seed, table.get_indexer, len(table), map_chunks)


def count_hashed(docs, ngram_range, seed, n_columns, map_chunks):
    """Term counts of text documents in ``n_columns`` columns by their keys.

    No vocabulary: a term's column is its 64-bit key modulo ``n_columns``, so
    that terms may share a column (as in scikit-learn's ``HashingVectorizer``).
    """

    def columns(keys):
        return (keys % np.uint64(n_columns)).astype(np.int64)

    return _count(docs, ngram_range, seed, columns, n_columns, map_chunks)


def _count(docs, ngram_range, seed, columns, n_columns, map_chunks):
    def count_chunk(chunk):
        grams = ngrams_of(chunk, ngram_range, seed=seed, map_chunks=map_chunks)
        return count_matrix(grams.docs, columns(grams.keys), len(chunk), n_columns)

    parts = chunks(docs)
    if len(parts) == 1:  # one review: no stacking (a tenth of its time)
        return count_chunk(parts[0])
    return sp.vstack(map_chunks(count_chunk, parts), format="csr")
