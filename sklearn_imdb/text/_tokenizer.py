"""The one definition of a word, shared by :func:`tokenize` and the vectorizer.

Text is standardised first: lower-cased, IMDB's ``<br />`` markup replaced by
a space, and apostrophes removed (``'`` and the typographic ``’ ‘ ´ ʼ``), so
that "don't" and "don’t" are both ``dont``. A word is then a maximal run of
word characters: letters, marks and digits of any script (Unicode categories
L*, M* and N*) and ``_``, as scikit-learn's ``\\w`` plus combining marks (so
that words of scripts such as Devanagari stay whole). Everything else —
spaces (including no-break spaces), punctuation such as ``— … « » “ ”``,
symbols and emoji — separates words.

The vectorizer applies the same definition to the UTF-8 bytes of a whole
corpus with NumPy (:func:`word_bytes`); :func:`tokenize` applies it with a
regular expression built from the same table.
"""

import functools
import re
import unicodedata

import numpy as np

__all__ = ["standardize", "tokenize", "word_bytes", "word_spans"]

APOSTROPHES = ("'", "\u2019", "\u2018", "\u00b4", "\u02bc")
_ASCII_WORD = b"0123456789abcdefghijklmnopqrstuvwxyz_"


def _word_char(code):
    """Whether the code point ``code`` is a word character."""
    return code == 0x5F or unicodedata.category(chr(code))[0] in "LMN"


_is_word_char = functools.lru_cache(maxsize=1 << 16)(_word_char)


@functools.cache
def _word_code_points():
    """Boolean table over all code points: True for word characters."""
    return np.fromiter(map(_word_char, range(0x110000)), dtype=bool, count=0x110000)


@functools.cache
def _word_pattern():
    """A regular expression of runs of word characters, from the same table."""
    table = _word_code_points()
    edges = np.flatnonzero(np.diff(np.r_[False, table, False].astype(np.int8)))
    ranges = "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b - 1)) if b - 1 > a else "")
        for a, b in zip(edges[0::2], edges[1::2])
    )
    return re.compile(f"[{ranges}]+")


def standardize(doc):
    """Lower-case ``doc``, remove ``<br />`` markup and apostrophes.

    Parameters
    ----------
    doc : str
        A document.

    Returns
    -------
    doc : str
        The standardised document.
    """
    doc = doc.lower().replace("<br />", " ").replace("'", "")
    if not doc.isascii():  # O(1) for str: typographic apostrophes are not
        for apostrophe in APOSTROPHES[1:]:
            doc = doc.replace(apostrophe, "")
    return doc


def tokenize(doc):
    """The words of ``doc``, in order, as the vectorizer sees them.

    Parameters
    ----------
    doc : str
        A document.

    Returns
    -------
    words : list of str
        Its words, after standardisation.

    Examples
    --------
    >>> tokenize("I didn't like it.<br /><br />Not at ALL!")
    ['i', 'didnt', 'like', 'it', 'not', 'at', 'all']
    >>> tokenize("The end\u2014really\u2026 don\u2019t \u00abgreat\u00bb")
    ['the', 'end', 'really', 'dont', 'great']
    """
    return _word_pattern().findall(standardize(doc))


def word_spans(doc):
    """Where each word of ``doc`` is in the original text.

    Parameters
    ----------
    doc : str
        A document.

    Returns
    -------
    spans : list of (int, int, str)
        ``(start, end, word)`` for each word: ``doc[start:end]`` is the word
        as written (apostrophes and capitals included), ``word`` as
        :func:`tokenize` gives it.

    Examples
    --------
    >>> word_spans("Don\u2019t go!")
    [(0, 5, 'dont'), (6, 8, 'go')]
    """
    spans = []
    for match in _span_pattern().finditer(doc):
        words = tokenize(match.group())
        if words:  # a run of apostrophes alone is no word
            spans.append((match.start(), match.end(), "".join(words)))
    return spans


@functools.cache
def _span_pattern():
    """Runs of word characters and apostrophes, in text not standardised."""
    apostrophes = "".join(map(re.escape, APOSTROPHES))
    return re.compile(f"(?:{_word_pattern().pattern}|[{apostrophes}])+")


_IS_WORD_BYTE = np.zeros(256, dtype=bool)
_IS_WORD_BYTE[np.frombuffer(_ASCII_WORD, np.uint8)] = True


def word_bytes(data):
    """Which bytes of UTF-8 text belong to words.

    Parameters
    ----------
    data : ndarray of uint8
        Standardised, UTF-8 encoded text (lone surrogates encoded with
        ``surrogatepass``).

    Returns
    -------
    is_word : ndarray of bool
        True for each byte of a word character.
    """
    is_word = _IS_WORD_BYTE[data]
    wide = np.flatnonzero(data >= 0x80)
    if not wide.size:
        return is_word
    # decode the code point of every multi-byte character at its lead byte,
    # look it up, and give its continuation bytes the lead's answer
    wide_bytes = data[wide]
    is_lead = wide_bytes >= 0xC0
    lead = wide[is_lead]
    b = [
        data[np.minimum(lead + k, data.size - 1)].astype(np.uint32) & 0x3F
        for k in range(4)
    ]
    first = data[lead].astype(np.uint32)
    code = np.where(
        first < 0xE0,
        ((first & 0x1F) << 6) | b[1],
        np.where(
            first < 0xF0,
            ((first & 0x0F) << 12) | (b[1] << 6) | b[2],
            ((first & 0x07) << 18) | (b[1] << 12) | (b[2] << 6) | b[3],
        ),
    )
    # a review holds few distinct non-ASCII characters: look each up once
    # rather than build the table of all 1.1 million code points
    distinct, inverse = np.unique(code, return_inverse=True)
    lead_is_word = np.array([_is_word_char(int(c)) for c in distinct])[inverse]
    owner = np.cumsum(is_lead) - 1
    is_word[wide] = lead_is_word[np.maximum(owner, 0)] & (owner >= 0)
    return is_word
