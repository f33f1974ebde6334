"""The documents given to the vectorizer: text or token ids, checked.

Every document is text, or every document is a sequence of integer token ids
(as ``keras.datasets.imdb.load_data`` gives them); anything else gets an error
naming the first document at fault.
"""

from collections.abc import Iterable

import numpy as np

__all__ = ["check_documents", "flatten_ids"]


def check_documents(raw_documents, expected=None):
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
                (
                    i
                    for i, doc in enumerate(docs)
                    if not is_text[i] and isinstance(doc, Iterable)
                ),
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


def flatten_ids(docs):
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
