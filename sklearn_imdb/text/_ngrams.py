"""64-bit keys for the word n-grams of a corpus, computed with NumPy.

Words are found on the UTF-8 bytes of the whole corpus at once (the token
definition is ``_tokenizer``'s). A word's key chains its
8-byte blocks through the splitmix64 finaliser, starting from a seed: for
words of up to 8 bytes this is a bijection of the bytes, so their keys never
collide; an n-gram's key mixes the key of its first n-1 words with that of its
last. No Python code runs per token.

Keys are hashes, so two long terms could in principle share one: a second,
independent key (another seed) computed at ``fit`` detects that, and the
vectorizer then fits again with other seeds rather than merge the two terms.
"""

import numpy as np

from ._tokenizer import standardize, word_bytes

__all__ = ["HASH_SEEDS", "NGrams", "chunks", "hash_ngrams"]

# documents tokenised at once by one thread: bounds the memory of a transform
CHUNK_DOCS = 4096

# the seeds tried in turn at fit until no two kept terms share a key; the
# check key of seed s uses seed s ^ _CHECK
HASH_SEEDS = (0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0)
_CHECK = np.uint64(0x082EFA98EC4E6C89)
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], "<u8")
_NGRAM_MULT = np.uint64(0x9E3779B97F4A7C15)
_CHECK_MULT = np.uint64(0xD6E8FEB86659FD93)
_PAD = b" " * 16
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(h):
    """splitmix64's finaliser, a bijection of uint64 arrays (in place)."""
    h ^= h >> _S30
    h *= _M1
    h ^= h >> _S27
    h *= _M2
    h ^= h >> _S31
    return h


class NGrams:
    """The n-grams of a chunk of documents, in document order within each n.

    Attributes
    ----------
    keys : ndarray of uint64
        The key of each n-gram.
    docs : ndarray of int32
        The index of the document each n-gram belongs to.
    check_keys : ndarray of uint64 or None
        Independent keys of the same n-grams, to detect collisions of ``keys``.
    """

    def __init__(
        self,
        keys,
        docs,
        check_keys=None,
        blocks=None,
        text=None,
        starts=None,
        ends=None,
    ):
        self.keys, self.docs, self.check_keys = keys, docs, check_keys
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


def chunks(docs):
    """Split ``docs`` into pieces small enough to bound memory, at least two."""
    n_chunks = max(2, -(-len(docs) // CHUNK_DOCS))
    bounds = np.linspace(0, len(docs), n_chunks + 1).astype(int)
    return [docs[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b > a] or [docs]


def hash_ngrams(
    docs, ngram_range=(1, 1), keep_text=False, seed=HASH_SEEDS[0], check=False
):
    """Key every word n-gram of ``docs``.

    Parameters
    ----------
    docs : list of str
        The documents.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-gram lengths to key.
    keep_text : bool, default=False
        Keep what :meth:`NGrams.names` needs to decode the n-grams.
    seed : int, default=HASH_SEEDS[0]
        The seed of the keys.
    check : bool, default=False
        Also compute the independent check keys (``NGrams.check_keys``).

    Returns
    -------
    ngrams : NGrams
        The keys of the n-grams and their documents (positions in ``docs``).
    """
    text, doc_start = _standardized_text(docs)
    position = np.int32 if len(text) < 2**31 else np.int64
    data = np.frombuffer(text, dtype=np.uint8)
    is_word = word_bytes(data).view(np.int8)
    edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
    if data.size and is_word[0]:
        edges = np.concatenate(([0], edges))
    del is_word
    starts, ends = edges[0::2].astype(position), edges[1::2].astype(position)
    del edges
    # words are in text order: count each document's words, then repeat
    per_doc = np.diff(np.searchsorted(starts, np.r_[doc_start, len(text)]))
    word_docs = np.repeat(np.arange(len(doc_start), dtype=np.int32), per_doc)
    seed = np.uint64(seed)
    word_keys = _word_keys(text, data.size, starts, ends, seed)
    blocks, keys, docs_of = _ngram_keys(word_keys, word_docs, ngram_range)
    check_keys = None
    if check:
        # words of up to 8 bytes have exact keys: only longer ones need an
        # independent check key
        check_words = word_keys.copy()
        longer = (ends - starts) > 8
        check_words[longer] = _word_keys(
            text, data.size, starts[longer], ends[longer], seed ^ _CHECK
        )
        _, check_keys, _ = _ngram_keys(check_words, word_docs, ngram_range, _CHECK_MULT)
    if not keep_text:
        return NGrams(keys, docs_of, check_keys)
    return NGrams(keys, docs_of, check_keys, blocks, text, starts, ends)


def _standardized_text(docs):
    """The standardised documents as UTF-8, NUL between them; their offsets."""
    # one document at a time: most reviews are ASCII, which str.lower and
    # str.replace handle much faster than a joined non-ASCII chunk
    encoded = [standardize(d).encode("utf-8", "surrogatepass") for d in docs]
    doc_start = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum([len(e) + 1 for e in encoded[:-1]], out=doc_start[1:])
    # padding lets the last word be read as whole 8-byte blocks
    return b"\x00".join(encoded) + _PAD, doc_start


def _ngram_keys(word_keys, word_docs, ngram_range, mult=_NGRAM_MULT):
    """Keys of the n-grams within documents, for n in ``ngram_range``."""
    keys, doc_index, blocks = [], [], []
    min_n, max_n = ngram_range
    gram, same_doc, n_keys = word_keys, np.ones(word_keys.size, dtype=bool), 0
    for n in range(1, max_n + 1):
        if n > 1:
            # n-grams starting at word i need words i..i+n-1 in one document
            same_doc = same_doc[:-1] & (word_docs[n - 1 :] == word_docs[: -(n - 1)])
            gram = _mix(gram[:-1] * mult + word_keys[n - 1 :])
        if n < min_n:
            continue
        if n == 1:
            keys.append(word_keys)
            doc_index.append(word_docs)
            blocks.append((1, n_keys, None))
        else:
            first = np.flatnonzero(same_doc).astype(word_docs.dtype)
            keys.append(gram[first])
            doc_index.append(word_docs[first])
            blocks.append((n, n_keys, first))
        n_keys += keys[-1].size
    return blocks, _concat(keys, np.uint64), _concat(doc_index, np.int32)


def _concat(arrays, dtype):
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


def _word_keys(text, size, starts, ends, seed):
    """64-bit keys of the words ``text[starts[i]:ends[i]]``."""
    # every byte offset read as a little-endian 8-byte block (unaligned view)
    blocks = np.lib.stride_tricks.as_strided(
        np.frombuffer(text, dtype="<u8", count=1),
        shape=(size - 8,),
        strides=(1,),
        writeable=False,
    )
    lengths = ends - starts
    keys = _mix((blocks[starts] & _LOW_BYTES[np.minimum(lengths, 8)]) ^ seed)
    longer = np.flatnonzero(lengths > 8)
    offset = 8
    while longer.size:
        left = lengths[longer] - offset
        block = blocks[starts[longer] + offset] & _LOW_BYTES[np.minimum(left, 8)]
        keys[longer] = _mix(keys[longer] ^ block)
        longer = longer[left > 8]
        offset += 8
    return keys
