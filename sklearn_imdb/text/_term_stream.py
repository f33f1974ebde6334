"""The most frequent terms of a stream of documents, counted in bounded memory.

:class:`TermCounts` is what ``MultiHotVectorizer.partial_fit`` learns a
vocabulary with: each chunk's n-gram keys are counted and merged into at most
``capacity`` candidate terms (key, check key, text, count). While the
distinct terms fit, the counts are exact and the vocabulary is the one
``fit`` finds on all the documents at once. Past that, the Misra-Gries
summary (its batch form, as in Agarwal et al., "Mergeable summaries", 2012):
the count of the (capacity + 1)-th candidate is subtracted from every count
and the candidates left at zero are dropped. A term's count is then low by
at most ``error`` (the sum of what was subtracted, at most the number of
occurrences seen over ``capacity + 1``); every term seen more than ``error``
times is among the candidates. The vocabulary is the top of the candidates
by their counts: exact but for terms whose counts lie within ``error`` of
the last one kept.
"""

import numpy as np

from ._vocabulary import key_index

__all__ = ["TermCounts"]


class TermCounts:
    """Candidate terms and their counts, at most ``capacity`` of them.

    Parameters
    ----------
    capacity : int
        Candidates kept (memory: about 100 bytes each, the text included).
    """

    def __init__(self, capacity):
        self.capacity = capacity
        self.keys = np.zeros(0, dtype=np.uint64)  # sorted
        self.check_keys = np.zeros(0, dtype=np.uint64)
        self.names = np.zeros(0, dtype=object)
        self.counts = np.zeros(0, dtype=np.int64)
        self.error = 0
        self.occurrences = 0

    def add(self, grams):
        """Count the n-grams of one chunk (``NGrams`` with text and check keys)."""
        keys, first, inverse, counts = np.unique(
            grams.keys, return_index=True, return_inverse=True, return_counts=True
        )
        check_keys = grams.check_keys[first]
        clash = np.flatnonzero(check_keys[inverse] != grams.check_keys)[:1]
        if clash.size:
            _collision(grams.names(clash), grams.names(first[inverse[clash]]))
        self.occurrences += int(grams.keys.size)
        return self._merge(
            keys, check_keys, counts, lambda index: grams.names(first[index])
        )

    def merge(self, other):
        """Add another summary's counts (of other documents) to these.

        Misra-Gries summaries merge (Agarwal et al., 2012): the counts are
        added, cut back to ``capacity`` as in :meth:`add`, and the errors
        add up.
        """
        self.occurrences += other.occurrences
        self.error += other.error
        return self._merge(
            other.keys, other.check_keys, other.counts, lambda i: other.names[i]
        )

    def _merge(self, keys, check_keys, counts, names_of):
        """Merge sorted distinct ``keys`` and their counts into the candidates."""
        merged = _union(self.keys, keys)
        old, new = np.searchsorted(merged, self.keys), np.searchsorted(merged, keys)
        merged_check = np.zeros(merged.size, dtype=np.uint64)
        merged_check[new] = check_keys
        merged_check[old] = self.check_keys
        clash = np.flatnonzero(merged_check[new] != check_keys)[:1]
        if clash.size:  # a term seen before had this key, with another check key
            before = np.searchsorted(self.keys, keys[clash])
            _collision(names_of(clash), self.names[before])
        total = np.zeros(merged.size, dtype=np.int64)
        total[old] += self.counts
        total[new] += counts
        keep, cut = self._kept(total)
        names = np.empty(merged.size, dtype=object)
        names[old] = self.names
        # the text of the new candidates that stay (the costly part of a term)
        fresh = keep[names[keep] == None]  # noqa: E711 (elementwise)
        names[fresh] = names_of(np.searchsorted(keys, merged[fresh]))
        self.keys, self.check_keys = merged[keep], merged_check[keep]
        self.names, self.counts = names[keep], total[keep] - cut
        return self

    def _kept(self, total):
        """Positions of ``total`` that stay candidates, and Misra-Gries' cut."""
        if total.size <= self.capacity:
            return np.arange(total.size), 0
        rank = total.size - self.capacity - 1  # the (capacity + 1)-th largest
        cut = int(np.partition(total, rank)[rank])
        self.error += cut
        return np.flatnonzero(total > cut), cut

    def top(self, num_words):
        """Names, keys (a ``pandas.Index``) and check keys of the most counted.

        Ties are broken by key, as ``_vocabulary.top_terms`` does, so that an
        exact count gives ``fit``'s columns.
        """
        order = np.lexsort((self.keys, -self.counts))[:num_words]
        return (
            self.names[order].tolist(),
            key_index(self.keys[order]),
            self.check_keys[order],
        )


def _union(a, b):
    """The sorted union of two sorted arrays of distinct keys.

    ``np.union1d`` took 1 s for 2 million keys and a chunk's 600,000 (its
    hash-based unique, numpy 2.4); sorting the two together, 0.1 s.
    """
    merged = np.concatenate([a, b])
    merged.sort(kind="stable")
    return merged[np.r_[True, merged[1:] != merged[:-1]]]


def _collision(term, other):
    raise ValueError(
        f"Hash collision: the distinct terms {term[0]!r} and {other[0]!r} get one "
        "key; please report this corpus (fit, which can try another seed, may "
        "take it)."
    )
