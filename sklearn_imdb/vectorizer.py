"""Sparse multi-hot encoding of reviews over their most frequent words."""

import numbers
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._ngrams import HASH_SEEDS, KeyTable, hash_ngrams

__all__ = ["MultiHotVectorizer"]

# documents tokenised at once by one thread: bounds the memory of a transform
_CHUNK_DOCS = 4096


class MultiHotVectorizer(TransformerMixin, BaseEstimator):
    """Encode documents as sparse multi-hot vectors over their top-N words.

    The notebook's ``vectorize_sequences`` as a scikit-learn transformer:
    each row has a 1 in column *j* when the document contains the *j*-th most
    frequent word (or word n-gram) of the training data. Input is either raw
    text or, as ``keras.datasets.imdb.load_data()`` returns it, sequences of
    integer token ids; the output is always a CSR matrix.

    Text is lower-cased, IMDB's ``<br />`` markup and apostrophes (also
    typographic ones) are removed, and a word is a run of letters, marks,
    digits (of any script) or underscores; punctuation, symbols and spaces
    of every kind separate words (see :func:`sklearn_imdb.tokenize`).
    Tokenisation and n-gram lookup are vectorised with NumPy over the whole
    corpus, several times faster than
    :class:`~sklearn.feature_extraction.text.CountVectorizer`.

    Parameters
    ----------
    num_words : int or None, default=10000
        Keep the ``num_words`` most frequent words or n-grams of the training
        data (ties broken by a fixed hash of the term). For token-id input,
        column *j* is token id *j* and ids ``>= num_words`` are dropped. None
        keeps all.
    ngram_range : tuple or list (min_n, max_n), default=(1, 1)
        The lengths of the word n-grams to use (text input only).
    output : {"multi_hot", "count", "tfidf"}, default="multi_hot"
        ``"multi_hot"``: 1 where the term occurs; ``"count"``: how often it
        occurs; ``"tfidf"``: counts times smoothed inverse document frequency,
        rows scaled to unit Euclidean norm (as
        :class:`~sklearn.feature_extraction.text.TfidfVectorizer`).
    dtype : dtype, default=np.float32
        Type of the matrix returned by :meth:`transform`.
    n_jobs : int or None, default=None
        Number of threads that tokenise text. None means one per CPU core (at
        most 4); -1 means all cores.

    Attributes
    ----------
    vocabulary_ : dict
        Maps each term (for token ids: ``"token_<id>"``) to its column.
    idf_ : ndarray of shape (n_features,) or None
        Inverse document frequencies, with ``output="tfidf"``.
    hash_seed_ : int
        The seed of the terms' 64-bit keys (text input): the first of
        three fixed seeds under which no two kept terms share a key.
    input_type_ : {"text", "ids"}
        The kind of input seen in :meth:`fit`.
    n_features_out_ : int
        Number of columns of the output.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Python-level tokenising
        counterpart, with ``binary=True, max_features=10000``.

    Examples
    --------
    >>> from sklearn_imdb import MultiHotVectorizer
    >>> docs = ["A great, great film.", "A dull film.", "Great cast!"]
    >>> vec = MultiHotVectorizer(num_words=3).fit(docs)
    >>> vec.get_feature_names_out()
    array(['great', 'a', 'film'], dtype=object)
    >>> vec.transform(["great film, great fun"]).toarray()
    array([[1., 0., 1.]], dtype=float32)
    """

    _parameter_constraints = {
        "num_words": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "ngram_range": [tuple, list],
        "output": [StrOptions({"multi_hot", "count", "tfidf"})],
        "dtype": "no_validation",
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(
        self,
        *,
        num_words=10000,
        ngram_range=(1, 1),
        output="multi_hot",
        dtype=np.float32,
        n_jobs=None,
    ):
        self.num_words = num_words
        self.ngram_range = ngram_range
        self.output = output
        self.dtype = dtype
        self.n_jobs = n_jobs

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary (and idf) from the training documents.

        Parameters
        ----------
        raw_documents : iterable of str or of sequences of int
            Reviews as text, or as Keras token-id sequences.
        y : None
            Ignored.

        Returns
        -------
        self : MultiHotVectorizer
            The fitted vectorizer.
        """
        self.fit_transform(raw_documents)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and return the document-term matrix.

        Parameters
        ----------
        raw_documents : iterable of str or of sequences of int
            Reviews as text, or as Keras token-id sequences.
        y : None
            Ignored.

        Returns
        -------
        X : sparse matrix of shape (n_samples, n_features_out_)
            The encoded documents (CSR).
        """
        self._check_ngram_range()
        if self.output == "tfidf" and not np.issubdtype(
            np.dtype(self.dtype), np.floating
        ):
            raise ValueError(
                'output="tfidf" needs a floating-point dtype, got '
                f"dtype={np.dtype(self.dtype).name}: the weights would be "
                "truncated to zero."
            )
        docs, input_type = _check_documents(raw_documents)
        if not docs:
            raise ValueError("Cannot fit on an empty corpus: no documents given.")
        if input_type == "ids" and tuple(self.ngram_range) != (1, 1):
            raise ValueError(
                "ngram_range applies to text input only; token-id input uses "
                f"ngram_range=(1, 1), got {self.ngram_range}."
            )
        self.input_type_ = input_type
        if input_type == "ids":
            ids, rows = _flatten_ids(docs)
            n = ids.max() + 1 if ids.size else 0
            n = n if self.num_words is None else self.num_words
            if n == 0:
                raise ValueError("Empty vocabulary: every token-id sequence is empty.")
            self.vocabulary_ = {f"token_{j}": j for j in range(n)}
            self.n_features_out_ = n
            counts = _count_matrix(rows, ids, len(docs), n)
        else:
            counts = self._fit_text(docs)
        self.idf_ = None
        if self.output == "tfidf":
            df = np.bincount(counts.indices, minlength=self.n_features_out_)
            self.idf_ = np.log((1 + len(docs)) / (1 + df)) + 1.0
        return self._finish(counts)

    def _fit_text(self, docs):
        """Learn the vocabulary of text documents; their count matrix.

        Each kept term's occurrences are checked against a second,
        independent key: if two distinct terms shared a key, the fit is done
        again with the next seed rather than merge them into one column.
        """
        chunks = _chunks(docs)
        for seed in HASH_SEEDS:
            grams = self._map(
                lambda chunk: hash_ngrams(
                    chunk, self.ngram_range, keep_text=True, seed=seed, check=True
                ),
                chunks,
            )
            if not any(g.keys.size for g in grams):
                raise ValueError("Empty vocabulary: the documents contain no words.")
            names, keys, check_keys = _top_terms(grams, self.num_words)
            table = KeyTable(keys)
            counted = self._map(
                lambda part: _count_checked(table, check_keys, *part),
                list(zip(grams, map(len, chunks))),
            )
            clash = next((c for _, c in counted if c is not None), None)
            if clash is None:
                break
        else:
            raise ValueError(
                f"Hash collision: the distinct terms {clash[0]!r} and "
                f"{names[clash[1]]!r} get one key under every seed; please "
                "report this corpus."
            )
        self.hash_seed_ = seed
        self._table = table
        self.vocabulary_ = dict(zip(names, range(len(names))))
        self.n_features_out_ = len(names)
        return sp.vstack([part for part, _ in counted], format="csr")

    def transform(self, raw_documents):
        """Encode documents with the fitted vocabulary.

        Parameters
        ----------
        raw_documents : iterable of str or of sequences of int
            Documents of the kind seen in :meth:`fit`. Unknown words are
            ignored; an empty document gives a row of zeros.

        Returns
        -------
        X : sparse matrix of shape (n_samples, n_features_out_)
            The encoded documents (CSR).
        """
        check_is_fitted(self)
        docs, input_type = _check_documents(raw_documents, expected=self.input_type_)
        if input_type == "ids":
            ids, rows = _flatten_ids(docs)
            counts = _count_matrix(rows, ids, len(docs), self.n_features_out_)
        else:
            counts = sp.vstack(
                self._map(self._count_chunk, _chunks(docs)), format="csr"
            )
        return self._finish(counts)

    def inverse_transform(self, X):
        """The terms present in each row of ``X``.

        The notebook's "decode a review back to English", as a bag of words.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features_out_)
            Encoded documents.

        Returns
        -------
        terms : list of ndarray
            For each row, its terms ordered by column (for token-id input,
            the token ids).
        """
        check_is_fitted(self)
        X = sp.csr_matrix(X)
        if X.shape[1] != self.n_features_out_:
            raise ValueError(
                f"X has {X.shape[1]} columns, but this vectorizer produces "
                f"{self.n_features_out_}."
            )
        X.sort_indices()
        names = np.arange(self.n_features_out_)
        if self.input_type_ == "text":
            names = self.get_feature_names_out()
        return [
            names[X.indices[a:b][X.data[a:b] != 0]]
            for a, b in zip(X.indptr[:-1], X.indptr[1:])
        ]

    def get_feature_names_out(self, input_features=None):
        """The term of each output column.

        Parameters
        ----------
        input_features : None
            Ignored (the input has no columns).

        Returns
        -------
        feature_names_out : ndarray of str objects
            The terms, in column order.
        """
        check_is_fitted(self)
        return np.asarray(list(self.vocabulary_), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    # -- helpers ----------------------------------------------------------------

    def _check_ngram_range(self):
        r = self.ngram_range
        if not (
            isinstance(r, (tuple, list))
            and len(r) == 2
            and all(isinstance(n, numbers.Integral) for n in r)
            and 1 <= r[0] <= r[1]
        ):
            raise ValueError(
                "ngram_range must be a tuple (min_n, max_n) of integers with "
                f"1 <= min_n <= max_n, got {r!r}."
            )

    def _map(self, func, items):
        """``[func(item) for item in items]``, on a pool of threads."""
        n_threads = self._n_threads()
        if n_threads == 1 or len(items) == 1:
            return [func(item) for item in items]
        with ThreadPoolExecutor(min(n_threads, len(items))) as pool:
            return list(pool.map(func, items))

    def _count_chunk(self, docs):
        """Count matrix of one chunk of documents over the vocabulary."""
        grams = hash_ngrams(docs, self.ngram_range, seed=self.hash_seed_)
        cols = self._table.find(grams.keys)
        return _count_matrix(grams.docs, cols, len(docs), self.n_features_out_)

    def _n_threads(self):
        if self.n_jobs is None:
            return min(os.cpu_count() or 1, 4)
        if self.n_jobs < 0:
            return max(1, (os.cpu_count() or 1) + 1 + self.n_jobs)
        return max(1, self.n_jobs)

    def _finish(self, counts):
        if self.output == "multi_hot":
            counts.data[:] = 1
        elif self.output == "tfidf":
            counts = normalize(
                counts.multiply(self.idf_).tocsr(), norm="l2", copy=False
            )
        return counts.astype(self.dtype, copy=False)


def _check_documents(raw_documents, expected=None):
    """The documents as a list, and whether they are text or token ids."""
    if isinstance(raw_documents, (str, bytes)):
        raise ValueError(
            "Iterable over raw text documents expected, string object received."
        )
    if (
        not isinstance(raw_documents, Iterable)
        or hasattr(raw_documents, "shape")
        and (getattr(raw_documents, "ndim", 1) != 1)
    ):
        raise ValueError(
            "Expected a 1-D iterable of documents (a list of str or of token-id "
            f"sequences), got {type(raw_documents).__name__}"
            + (
                f" of shape {raw_documents.shape}."
                if hasattr(raw_documents, "shape")
                else "."
            )
        )
    docs = list(raw_documents)
    if not docs:
        return docs, expected or "text"
    input_type = expected
    if input_type is None:
        # text as soon as one document is text; a token-id sequence among
        # text documents is an error of its own (the rest say what they are)
        is_text = [isinstance(doc, str) for doc in docs]
        input_type = "text" if any(is_text) else "ids"
        if input_type == "text" and not all(is_text):
            seq = next(
                (i for i, doc in enumerate(docs)
                 if not is_text[i] and isinstance(doc, Iterable)),
                None,
            )
            if seq is not None:
                text = is_text.index(True)
                raise TypeError(
                    f"Document {text} is {_describe(docs[text])} but document "
                    f"{seq} is {_describe(docs[seq])}: give either text for "
                    "every document or token-id sequences for every document."
                )
    if input_type == "text":
        for i, doc in enumerate(docs):
            if type(doc) is not str and not isinstance(doc, str):
                raise TypeError(
                    f"Document {i} is {_describe(doc)}, not a string: every "
                    "document must be text (or, for all of them, a sequence of "
                    "token ids)."
                )
    else:
        for i, doc in enumerate(docs):
            if isinstance(doc, (str, bytes)) or not isinstance(doc, Iterable):
                raise TypeError(
                    f"Document {i} is {_describe(doc)}, not a sequence of token "
                    "ids"
                    + (
                        " (this vectorizer was fitted on token ids)."
                        if expected
                        else "."
                    )
                )
    return docs, input_type


def _describe(value):
    if value is None:
        return "None"
    if isinstance(value, float) and np.isnan(value):
        return "NaN"
    return f"a {type(value).__name__} ({value!r:.40})"


def _flatten_ids(docs):
    """Token ids of all documents, concatenated, and each id's document."""
    arrays = [np.asarray(doc) for doc in docs]
    for i, a in enumerate(arrays):
        if a.ndim != 1 or (a.size and a.dtype.kind not in "iu"):
            if a.ndim == 1 and a.dtype.kind == "f" and np.all(a == np.round(a)):
                continue
            raise TypeError(
                f"Document {i} is not a sequence of integer token ids "
                f"(dtype {a.dtype}, {a.ndim} dimensions)."
            )
    lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    ids = np.concatenate(arrays).astype(np.int64) if arrays else np.empty(0, np.int64)
    if ids.size and ids.min() < 0:
        bad = int(np.searchsorted(np.cumsum(lengths), np.argmax(ids < 0), side="right"))
        raise ValueError(f"Document {bad} has a negative token id: ids must be >= 0.")
    rows = np.repeat(np.arange(len(arrays)), lengths)
    return ids, rows


def _chunks(docs):
    """Split ``docs`` into pieces small enough to bound memory, at least two."""
    n_chunks = max(2, -(-len(docs) // _CHUNK_DOCS))
    bounds = np.linspace(0, len(docs), n_chunks + 1).astype(int)
    return [docs[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b > a] or [docs]


def _count_checked(table, check_keys, grams, n_rows):
    """Count matrix of one chunk, and the first clash of two terms' keys.

    A clash is an occurrence whose key is a kept term's but whose check key
    is not: returned as (its text, its column), else None.
    """
    cols = table.find(grams.keys)
    hit = np.flatnonzero(cols >= 0)
    clash = np.flatnonzero(grams.check_keys[hit] != check_keys[cols[hit]])
    found = None
    if clash.size:
        position = hit[clash[0]]
        found = (grams.names([position])[0], int(cols[position]))
    return _count_matrix(grams.docs, cols, n_rows, check_keys.size), found


def _top_terms(grams, num_words):
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
    keys = np.concatenate([k for k, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.add.reduceat(counts, starts)


def _names_of(keys, grams):
    """The text and check key of each key, from its first chunk that holds it."""
    table = KeyTable(keys)
    names = np.empty(keys.size, dtype=object)
    check_keys = np.zeros(keys.size, dtype=np.uint64)
    missing = np.arange(keys.size)
    for chunk in grams:
        pos = table.find(chunk.keys)
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


def _count_matrix(rows, cols, n_rows, n_cols):
    """CSR matrix of how often each (row, col) pair occurs (cols < 0 dropped)."""
    keep = (cols >= 0) & (cols < n_cols)
    flat = rows[keep] * np.int64(n_cols) + cols[keep]
    flat, counts = np.unique(flat, return_counts=True)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat // n_cols, minlength=n_rows), out=indptr[1:])
    indices = (flat % n_cols).astype(np.int32)
    return sp.csr_matrix(
        (counts.astype(np.float64), indices, indptr), shape=(n_rows, n_cols)
    )
