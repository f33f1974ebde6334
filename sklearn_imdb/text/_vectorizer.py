"""Sparse multi-hot encoding of reviews over their most frequent words."""

import numbers
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..utils.parallel import available_threads
from ._documents import check_documents, flatten_ids
from ._terms import TermsMixin
from ._vectorizer_stream import StreamMixin
from ._vocabulary import count_matrix, count_text, fit_text

__all__ = ["MultiHotVectorizer"]


class MultiHotVectorizer(StreamMixin, TermsMixin, TransformerMixin, BaseEstimator):
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
        Number of threads that tokenise text. None means one per core this
        process may use (at most 4; inside a joblib or Dask worker, its share
        of the cores: see :func:`sklearn_imdb.available_threads`);
        -1 means all of them.
    vocabulary : {"learned", "hashing"}, default="learned"
        ``"learned"``: the ``num_words`` most frequent terms of the training
        data, each its own column. ``"hashing"`` (text input): no vocabulary,
        a term's column is its 64-bit key modulo ``num_words``, as in
        scikit-learn's ``HashingVectorizer``; terms may then share a column,
        but nothing is learned from the data, so that a stream of any size
        is encoded in constant memory (:meth:`partial_fit`). Columns are
        named ``hash_<j>``.
    max_candidates : int or None, default=None
        :meth:`partial_fit` with a learned vocabulary: the most terms whose
        counts it keeps (about 100 bytes each), so that a stream of any size
        is counted in bounded memory. The counts are exact while the distinct
        terms fit; past that, the Misra-Gries summary keeps every term seen
        more than ``term_count_error_`` times, its count at most that low.
        None: ``max(4 * num_words, 100_000)``, or every term if ``num_words``
        is None. :meth:`fit` counts exactly and ignores it.

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
    term_count_error_ : int
        After :meth:`partial_fit` with a learned vocabulary: the most any
        term's count may be below its true count (0: the counts are exact).

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
        "vocabulary": [StrOptions({"learned", "hashing"})],
        "max_candidates": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        num_words=10000,
        ngram_range=(1, 1),
        output="multi_hot",
        dtype=np.float32,
        n_jobs=None,
        vocabulary="learned",
        max_candidates=None,
    ):
        self.num_words = num_words
        self.ngram_range = ngram_range
        self.output = output
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.vocabulary = vocabulary
        self.max_candidates = max_candidates

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
        X : sparse matrix of shape (n_samples, n_features_out)
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
        docs, input_type = check_documents(raw_documents)
        if not docs:
            raise ValueError("Cannot fit on an empty corpus: no documents given.")
        if input_type == "ids" and tuple(self.ngram_range) != (1, 1):
            raise ValueError(
                "ngram_range applies to text input only; token-id input uses "
                f"ngram_range=(1, 1), got {self.ngram_range}."
            )
        self.input_type_ = input_type
        self._stream = None  # partial_fit's counts, if it made this vocabulary
        if self.vocabulary == "hashing":
            counts = self._start_hashing(docs, input_type)
        elif input_type == "ids":
            ids, rows = flatten_ids(docs)
            n = ids.max() + 1 if ids.size else 0
            n = n if self.num_words is None else self.num_words
            if n == 0:
                raise ValueError("Empty vocabulary: every token-id sequence is empty.")
            self._set_terms([f"token_{j}" for j in range(n)])
            self.n_features_out_ = n
            counts = count_matrix(rows, ids, len(docs), n)
        else:
            seed, self._table, names, counts = fit_text(
                docs, self.ngram_range, self.num_words, self._map
            )
            self.hash_seed_ = seed
            self._set_terms(list(names))
            self.n_features_out_ = len(names)
        self.idf_ = None
        if self.output == "tfidf":
            df = np.bincount(counts.indices, minlength=self.n_features_out_)
            # TfidfTransformer(smooth_idf=True)'s formula; the weights are
            # kept as idf_ itself, which is what a model file stores
            self.idf_ = np.log((1 + len(docs)) / (1 + df)) + 1.0
        return self._finish(counts)

    def transform(self, raw_documents):
        """Encode documents with the fitted vocabulary.

        Parameters
        ----------
        raw_documents : iterable of str or of sequences of int
            Documents of the kind seen in :meth:`fit`. Unknown words are
            ignored; an empty document gives a row of zeros.

        Returns
        -------
        X : sparse matrix of shape (n_samples, n_features_out)
            The encoded documents (CSR).
        """
        check_is_fitted(self)
        docs, input_type = check_documents(raw_documents, expected=self.input_type_)
        if input_type == "ids":
            ids, rows = flatten_ids(docs)
            counts = count_matrix(rows, ids, len(docs), self.n_features_out_)
        elif self.vocabulary == "hashing":
            counts = self._hashed(docs)
        else:
            counts = count_text(
                docs, self.ngram_range, self.hash_seed_, self._table, self._map
            )
        return self._finish(counts)

    def inverse_transform(self, X):
        """The terms present in each row of ``X``.

        The notebook's "decode a review back to English", as a bag of words.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features_out)
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
        # one item first: counting the threads reads the cgroup's files
        if len(items) == 1 or (n_threads := self._n_threads()) == 1:
            return [func(item) for item in items]
        with ThreadPoolExecutor(min(n_threads, len(items))) as pool:
            return list(pool.map(func, items))

    def _n_threads(self):
        # parallel.available_threads honours a joblib or Dask worker's share
        available = available_threads()
        if self.n_jobs is None:
            return min(available, 4)
        if self.n_jobs < 0:
            return max(1, available + 1 + self.n_jobs)
        return max(1, self.n_jobs)

    def _finish(self, counts):
        if self.output == "multi_hot":
            counts.data[:] = 1
        elif self.output == "tfidf":
            counts = normalize(
                counts.multiply(self.idf_).tocsr(), norm="l2", copy=False
            )
        return counts.astype(self.dtype, copy=False)
