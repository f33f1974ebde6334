"""Learning the vectorizer's vocabulary from text, and counting text over it.

The n-gram keys come from ``_shared_ngrams`` (each review keyed once inside
``sharing_ngrams``), the choice of terms and the counts from ``_vocabulary``;
here the two meet, with the check that no two kept terms share a key.
"""

import scipy.sparse as sp

from ._ngrams import HASH_SEEDS
from ._shared_ngrams import ngrams_of
from ._vocabulary import chunks, count_checked, count_matrix, key_index, top_terms

__all__ = ["count_text", "fit_text"]


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

    def count_chunk(chunk):
        grams = ngrams_of(chunk, ngram_range, seed=seed, map_chunks=map_chunks)
        cols = table.get_indexer(grams.keys)
        return count_matrix(grams.docs, cols, len(chunk), len(table))

    return sp.vstack(map_chunks(count_chunk, chunks(docs)), format="csr")
