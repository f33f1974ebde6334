"""The n-gram keys of a search's documents, computed once for all its folds.

A search fits the vectorizer on each fold's training documents and encodes
its validation documents, and fits it once more on all of them for the
refit: every review is tokenised and keyed four times with 3 folds, and that
is 60% of a fit's time (``cProfile``, ad hoc: 0.96 of 1.6 s). A document's
n-gram keys depend on that document alone, so inside :func:`sharing_ngrams`
the keys of all the documents are computed once (per n-gram range and seed)
and each fold's chunk of documents gets its share, exactly what
``hash_ngrams`` would give it (``tests/text/test_vectorizer.py``). The documents
are recognised by identity: a fold's list holds the same ``str`` objects as
the whole (any copy is keyed afresh).
"""

import contextlib
import threading

import numpy as np

from ._ngrams import NGrams, chunks, hash_ngrams

__all__ = ["ngrams_of", "sharing_ngrams"]

#: a larger corpus is not shared: its keys would take about 10 times its
#: text in memory (three n-gram lengths, two keys each)
MAX_TEXT_CHARS = 2**26

_lock = threading.Lock()
_corpora = []


@contextlib.contextmanager
def sharing_ngrams(documents):
    """Key the n-grams of ``documents`` once for every :func:`ngrams_of` within.

    Parameters
    ----------
    documents : iterable of str
        The search's documents; anything else (token ids, a corpus of more
        than ``MAX_TEXT_CHARS`` characters) is keyed as usual.
    """
    docs = list(documents)
    shared = all(isinstance(d, str) for d in docs)
    if not shared or sum(map(len, docs)) > MAX_TEXT_CHARS:
        yield
        return
    corpus = _Corpus(docs)
    with _lock:
        _corpora.append(corpus)
    try:
        yield
    finally:
        with _lock:
            _corpora.remove(corpus)


def ngrams_of(
    docs, ngram_range, *, seed, keep_text=False, check=False, map_chunks=None
):
    """``hash_ngrams(docs, ...)``, from the shared keys when they hold ``docs``.

    Parameters
    ----------
    docs : list of str
        The documents.
    ngram_range, seed, keep_text, check
        As for ``_ngrams.hash_ngrams``.
    map_chunks : callable, default=None
        ``map_chunks(func, chunks)`` is ``[func(c) for c in chunks]``, as the
        caller parallelises it (the vectorizer's ``_map``), to key a shared
        corpus the first time; None keys it in this thread.

    Returns
    -------
    ngrams : NGrams
        The keys of the n-grams and their documents (positions in ``docs``).
    """
    with _lock:
        corpora = list(_corpora)
    for corpus in corpora:
        rows = corpus.rows_of(docs)
        if rows is not None:
            whole, bounds = corpus.ngrams(tuple(ngram_range), seed, map_chunks)
            return _select(whole, bounds, rows, keep_text, check)
    return hash_ngrams(docs, ngram_range, keep_text=keep_text, seed=seed, check=check)


class _Corpus:
    def __init__(self, docs):
        self.docs = docs
        self._row = {id(doc): row for row, doc in enumerate(docs)}
        self._keyed = {}  # (ngram_range, seed) -> NGrams of all the docs
        self._lock = threading.Lock()

    def rows_of(self, docs):
        """The rows of ``docs`` in the corpus, or None if one is not in it."""
        rows = np.fromiter(
            (self._row.get(id(d), -1) for d in docs), np.int64, len(docs)
        )
        if (rows < 0).any():
            return None
        return rows

    def ngrams(self, ngram_range, seed, map_chunks=None):
        """The n-grams of all the documents; where each one's start in each block."""
        with self._lock:  # the first fold keys the corpus, the others wait
            key = (ngram_range, seed)
            if key not in self._keyed:
                parts = chunks(self.docs)
                keyed = (map_chunks or _in_turn)(
                    lambda part: hash_ngrams(
                        part, ngram_range, keep_text=True, seed=seed, check=True
                    ),
                    parts,
                )
                whole = _joined(keyed, [len(part) for part in parts])
                # each block (one n) is in document order: a document's
                # n-grams are one range of it
                every_doc = np.arange(len(self.docs) + 1)
                bounds = [
                    start + np.searchsorted(whole.docs[start:end], every_doc)
                    for start, end in _block_ranges(whole)
                ]
                self._keyed[key] = whole, bounds
            return self._keyed[key]


def _in_turn(func, items):
    return [func(item) for item in items]


def _block_ranges(grams):
    """Where each block of ``grams`` (one n) starts and ends in its keys."""
    starts = [start for _, start, _ in grams._blocks]
    return list(zip(starts, starts[1:] + [grams.keys.size], strict=True))


def _joined(parts, n_docs):
    """The n-grams of consecutive chunks of documents, as one chunk of them all."""
    text_at = np.cumsum([0] + [len(p._text) for p in parts[:-1]])
    word_at = np.cumsum([0] + [p._starts.size for p in parts[:-1]])
    doc_at = np.cumsum([0] + n_docs[:-1])
    pieces = {"keys": [], "docs": [], "check_keys": []}
    blocks, offset = [], 0
    for b, (n, _, _) in enumerate(parts[0]._blocks):
        firsts = []
        for part, words, docs in zip(parts, word_at, doc_at, strict=True):
            start, end = _block_ranges(part)[b]
            first = part._blocks[b][2]
            firsts.append(words + (np.arange(end - start) if first is None else first))
            pieces["keys"].append(part.keys[start:end])
            pieces["docs"].append(part.docs[start:end] + np.int32(docs))
            pieces["check_keys"].append(part.check_keys[start:end])
        blocks.append((n, offset, np.concatenate(firsts)))
        offset += blocks[-1][2].size
    return NGrams(
        *(np.concatenate(pieces[name]) for name in ("keys", "docs", "check_keys")),
        blocks,
        b"".join(p._text for p in parts),
        np.concatenate([p._starts + at for p, at in zip(parts, text_at, strict=True)]),
        np.concatenate([p._ends + at for p, at in zip(parts, text_at, strict=True)]),
    )


def _select(whole, bounds, rows, keep_text, check):
    """The n-grams of documents ``rows`` of ``whole``, in the order of ``rows``."""
    blocks, takes, docs, offset = [], [], [], 0
    for (n, start, first), bound in zip(whole._blocks, bounds, strict=True):
        firsts = bound[rows]
        lengths = bound[rows + 1] - firsts
        size = int(lengths.sum())
        take = np.arange(size) + np.repeat(
            firsts - (np.cumsum(lengths) - lengths), lengths
        )
        local = take - start
        blocks.append((n, offset, local if first is None else first[local]))
        takes.append(take)
        docs.append(np.repeat(np.arange(rows.size, dtype=np.int32), lengths))
        offset += size
    take, docs = np.concatenate(takes), np.concatenate(docs)
    check_keys = whole.check_keys[take] if check else None
    if not keep_text:
        return NGrams(whole.keys[take], docs, check_keys)
    return NGrams(
        whole.keys[take],
        docs,
        check_keys,
        blocks,
        whole._text,
        whole._starts,
        whole._ends,
    )
