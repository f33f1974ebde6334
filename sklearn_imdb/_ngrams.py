"""Vectorised tokenisation and n-gram hashing of a corpus.

A word is a maximal run of ASCII letters, digits, underscores or non-ASCII
characters in the standardised text (lower-cased, ``<br />`` markup and
apostrophes removed). Words are found on the UTF-8 bytes of the whole corpus
at once with NumPy, and each word n-gram gets a 64-bit key: the word's
bytes themselves for words of up to 8 bytes (exact), a polynomial hash of
its 8-byte blocks for longer words, and a polynomial hash of the word keys
for n-grams. No Python code runs per token.

:func:`tokenize` is the same tokenisation in plain Python, for reference,
tests and decoding.
"""

import re

import numpy as np

__all__ = ["standardize", "tokenize", "hash_ngrams", "NGrams", "KeyTable"]

WORD = re.compile(r"[0-9a-z_\u0080-\U0010ffff]+")

_IS_WORD_BYTE = np.zeros(256, dtype=np.int8)
_IS_WORD_BYTE[np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz_", np.uint8)] = 1
_IS_WORD_BYTE[0x80:] = 1
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], "<u8")
_BLOCK_MULT = np.uint64(0x9E3779B97F4A7C15)
_NGRAM_MULT = np.uint64(0xC2B2AE3D27D4EB4F)
_PAD = b" " * 8


def standardize(doc):
    """Lower-case ``doc`` and remove IMDB's ``<br />`` markup and apostrophes."""
    return doc.lower().replace("<br />", " ").replace("'", "")


def tokenize(doc):
    """The words of ``doc``, in order, as :func:`hash_ngrams` sees them.

    Examples
    --------
    >>> tokenize("I didn't like it.<br /><br />Not at ALL!")
    ['i', 'didnt', 'like', 'it', 'not', 'at', 'all']
    """
    return WORD.findall(standardize(doc))


class NGrams:
    """The n-grams of a chunk of documents, in document order within each n.

    Attributes
    ----------
    keys : ndarray of uint64
        The key of each n-gram.
    docs : ndarray of int32
        The index of the document each n-gram belongs to.
    """

    def __init__(self, keys, docs, blocks=None, text=None, starts=None, ends=None):
        self.keys, self.docs = keys, docs
        # (n, first position in keys, first word of each n-gram or None for n=1)
        self._blocks, self._text, self._starts, self._ends = blocks, text, starts, ends

    def names(self, index, batch=1 << 16):
        """The text of the n-grams at positions ``index`` (needs ``keep_text``).

        The words of each n-gram are copied out of the chunk's text with NumPy
        gathers, joined by spaces and decoded in one go per batch.
        """
        index = np.asarray(index, dtype=np.int64)
        return [
            name
            for lo in range(0, index.size, batch)
            for name in self._names(index[lo : lo + batch])
        ]

    def _names(self, index):
        if not index.size:
            return []
        offsets = np.array([offset for _, offset, _ in self._blocks])
        block = np.searchsorted(offsets, index, side="right") - 1
        n = np.array([n for n, _, _ in self._blocks])[block]
        first = np.empty(index.size, dtype=np.int64)
        for b, (_, offset, first_word) in enumerate(self._blocks):
            mine = block == b
            local = index[mine] - offset
            first[mine] = local if first_word is None else first_word[local]
        # one segment per word of each n-gram, in output order
        gram = np.repeat(np.arange(index.size), n)
        k = np.arange(gram.size) - np.repeat(np.cumsum(n) - n, n)
        word = first[gram] + k
        start, length = self._starts[word], self._ends[word] - self._starts[word] + 1
        out_start = np.cumsum(length) - length
        # each segment copies its word and the byte after it, then that byte
        # becomes the separator: a space inside an n-gram, a newline after it
        source = np.arange(length.sum()) + np.repeat(start - out_start, length)
        out = np.frombuffer(self._text, dtype=np.uint8)[source]
        out[out_start + length - 1] = np.where(k == n[gram] - 1, ord("\n"), ord(" "))
        return out.tobytes().decode("utf-8", "surrogatepass").split("\n")[:-1]


def hash_ngrams(docs, ngram_range=(1, 1), keep_text=False):
    """Key every word n-gram of ``docs``.

    Parameters
    ----------
    docs : list of str
        The documents.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-gram lengths to key.
    keep_text : bool, default=False
        Keep what :meth:`NGrams.names` needs to decode the n-grams.

    Returns
    -------
    ngrams : NGrams
        The keys of the n-grams and their documents (positions in ``docs``).
    """
    encoded = [standardize(d).encode("utf-8", "surrogatepass") for d in docs]
    # one space between documents keeps their words apart; padding lets the
    # last word be read as whole 8-byte blocks
    text = b" ".join(encoded) + _PAD * 2
    position = np.int32 if len(text) < 2**31 else np.int64
    doc_start = np.zeros(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        np.cumsum([len(e) + 1 for e in encoded[:-1]], out=doc_start[1:])
    data = np.frombuffer(text, dtype=np.uint8)
    is_word = _IS_WORD_BYTE[data]
    edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
    del is_word
    if data.size and _IS_WORD_BYTE[data[0]]:
        edges = np.concatenate(([0], edges))
    starts, ends = edges[0::2].astype(position), edges[1::2].astype(position)
    del edges
    word_keys = _word_keys(text, data.size, starts, ends)
    word_docs = (np.searchsorted(doc_start, starts, side="right") - 1).astype(np.int32)

    keys, doc_index, blocks = [], [], []
    min_n, max_n = ngram_range
    gram, same_doc, n_keys = word_keys, np.ones(word_keys.size, dtype=bool), 0
    for n in range(1, max_n + 1):
        if n > 1:
            # n-grams starting at word i need words i..i+n-1 in one document
            same_doc = same_doc[:-1] & (word_docs[n - 1 :] == word_docs[: -(n - 1)])
            gram = gram[:-1] * _NGRAM_MULT + word_keys[n - 1 :]
        if n < min_n:
            continue
        if n == 1:
            keys.append(word_keys)
            doc_index.append(word_docs)
            blocks.append((1, n_keys, None))
        else:
            first = np.flatnonzero(same_doc).astype(position)
            keys.append(gram[first])
            doc_index.append(word_docs[first])
            blocks.append((n, n_keys, first))
        n_keys += keys[-1].size
    keys, doc_index = _concat(keys, np.uint64), _concat(doc_index, np.int32)
    if not keep_text:
        return NGrams(keys, doc_index)
    return NGrams(keys, doc_index, blocks, text, starts, ends)


def _concat(arrays, dtype):
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


def _word_keys(text, size, starts, ends):
    """64-bit keys of the words ``text[starts[i]:ends[i]]``."""
    # every byte offset read as a little-endian 8-byte block (unaligned view)
    blocks = np.lib.stride_tricks.as_strided(
        np.frombuffer(text, dtype="<u8", count=1),
        shape=(size - 8,),
        strides=(1,),
        writeable=False,
    )
    lengths = ends - starts
    keys = blocks[starts] & _LOW_BYTES[np.minimum(lengths, 8)]
    longer = np.flatnonzero(lengths > 8)
    offset = 8
    while longer.size:
        left = lengths[longer] - offset
        block = blocks[starts[longer] + offset] & _LOW_BYTES[np.minimum(left, 8)]
        keys[longer] = keys[longer] * _BLOCK_MULT + block
        longer = longer[left > 8]
        offset += 8
    return keys


class KeyTable:
    """Vectorised hash table from uint64 keys to their positions.

    Open addressing with linear probing at a load factor of at most 1/4; both
    building and looking up proceed in rounds over all pending keys at once,
    so a lookup costs a few NumPy passes instead of a binary search per key.

    Parameters
    ----------
    keys : ndarray of uint64
        Distinct keys; ``find`` returns positions in this array.
    """

    _MULT = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys):
        keys = np.asarray(keys, dtype=np.uint64)
        bits = max(4, int(np.ceil(np.log2(max(keys.size, 1) * 4))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)
        self._values = np.full(1 << bits, -1, dtype=np.int64)
        pending = np.arange(keys.size)
        slot = self._home(keys)
        while pending.size:
            free = self._values[slot] < 0
            # of several keys wanting one free slot, the first takes it
            cand = pending[free]
            won_slots, first = np.unique(slot[free], return_index=True)
            self._keys[won_slots] = keys[cand[first]]
            self._values[won_slots] = cand[first]
            placed = np.zeros(pending.size, dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending, slot = pending[~placed], (slot[~placed] + 1) & self._mask

    def _home(self, keys):
        home = keys * self._MULT
        np.right_shift(home, self._shift, out=home)
        return home.astype(np.int64)

    def find(self, keys):
        """Position of each key in the table's keys, -1 where absent."""
        slot = self._home(keys)
        values = self._values[slot]
        hit = self._keys[slot] == keys
        out = np.where(hit, values, -1)
        # only keys whose home slot holds another key probe further
        pending = np.flatnonzero(~hit & (values >= 0))
        slot = (slot[pending] + 1) & self._mask
        while pending.size:
            values = self._values[slot]
            hit = self._keys[slot] == keys[pending]
            out[pending[hit]] = values[hit]
            go_on = (values >= 0) & ~hit
            pending, slot = pending[go_on], (slot[go_on] + 1) & self._mask
        return out
