"""How :class:`~sklearn_imdb.MultiHotVectorizer` learns from a stream: ``partial_fit``.

A learned vocabulary is counted a chunk at a time in bounded memory
(``_term_stream``); a hashed one learns nothing and only sets up its
columns. The vectorizer inherits these methods from :class:`StreamMixin`.
"""

import numpy as np

from ._documents import check_documents
from ._ngrams import HASH_SEEDS, chunks
from ._shared_ngrams import ngrams_of
from ._term_stream import TermCounts
from ._vocabulary import count_hashed

__all__ = ["StreamMixin"]


class StreamMixin:
    """``partial_fit`` and what it needs, for ``MultiHotVectorizer``."""

    def partial_fit(self, raw_documents, y=None):
        """Learn from one chunk of a stream of documents.

        scikit-learn's way of a stream (``SGDClassifier.partial_fit``): call
        it once per chunk; :meth:`transform` works after each call. With
        ``vocabulary="learned"`` the chunks' terms are counted in bounded
        memory (at most ``max_candidates`` of them) and the vocabulary is the
        ``num_words`` most counted so far: the columns change while chunks
        come, so make this pass over the stream before training what
        follows the vectorizer. Exact, and equal to :meth:`fit` on all the
        chunks at once, while the distinct terms fit in ``max_candidates``;
        past that, ``term_count_error_`` bounds how low a count may be (see
        ``max_candidates``). With ``vocabulary="hashing"`` (or token ids and
        ``num_words``) nothing is learned: this checks the chunk and sets up
        the columns on the first call, as scikit-learn's
        ``HashingVectorizer`` does.

        Parameters
        ----------
        raw_documents : iterable of str or of sequences of int
            A chunk of documents, of the kind of the first chunk.
        y : None
            Ignored.

        Returns
        -------
        self : MultiHotVectorizer
            The vectorizer.
        """
        self._validate_params()
        if self.output == "tfidf":
            raise ValueError(
                'partial_fit cannot learn output="tfidf"\'s document frequencies '
                'from a stream: use "multi_hot" or "count".'
            )
        self._check_ngram_range()
        first = not hasattr(self, "n_features_out_")
        docs, input_type = check_documents(
            raw_documents, expected=None if first else self.input_type_
        )
        if first:
            self.input_type_, self.idf_ = input_type, None
        if self.vocabulary == "hashing":
            if first:
                self._start_hashing(docs, input_type, count=False)
        elif input_type == "ids":
            if self.num_words is None:
                raise ValueError(
                    "partial_fit on token ids needs num_words: the ids kept "
                    "are 0 .. num_words - 1."
                )
            self._set_terms([f"token_{j}" for j in range(self.num_words)])
            self.n_features_out_ = self.num_words
        else:
            self._count_terms(docs)
        return self

    def _count_terms(self, docs):
        """Add ``docs``' terms to the stream's counts; the vocabulary their top."""
        if self.max_candidates is not None:
            capacity = self.max_candidates
        elif self.num_words is not None:
            capacity = max(4 * self.num_words, 100_000)
        else:
            capacity = np.inf  # every term kept: exact, memory as the corpus'
        if not hasattr(self, "_stream"):
            self._stream, self.hash_seed_ = TermCounts(capacity), HASH_SEEDS[0]
        elif self._stream is None:
            raise ValueError(
                "This vectorizer's vocabulary was learned by fit, which keeps "
                "no counts to continue: make the stream's vocabulary with "
                "partial_fit from the first chunk on (on a clone)."
            )
        for grams in self._map(
            lambda part: ngrams_of(
                part,
                self.ngram_range,
                keep_text=True,
                seed=self.hash_seed_,
                check=True,
            ),
            chunks(docs),
        ):
            self._stream.add(grams)
        self._set_vocabulary()

    def _set_vocabulary(self):
        """The vocabulary: the top of the stream's counts (also after merging)."""
        if not self._stream.keys.size:
            raise ValueError("Empty vocabulary: the documents contain no words.")
        names, self._table, _ = self._stream.top(self.num_words)
        self._set_terms(names)
        self.n_features_out_ = len(names)
        self.term_count_error_ = self._stream.error

    def _start_hashing(self, docs, input_type, count=True):
        """Set up the hashed columns (and count ``docs`` in them)."""
        if input_type != "text":
            raise ValueError(
                'vocabulary="hashing" takes text; token ids are their own columns.'
            )
        if self.num_words is None:
            raise ValueError(
                'vocabulary="hashing" needs num_words: the number of columns '
                "(e.g. 2**20)."
            )
        self.hash_seed_ = HASH_SEEDS[0]
        self.n_features_out_ = int(self.num_words)
        self._set_terms(None)
        return self._hashed(docs) if count else None

    def _hashed(self, docs):
        return count_hashed(
            docs, self.ngram_range, self.hash_seed_, self.n_features_out_, self._map
        )
