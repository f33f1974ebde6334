"""The user's own labelled texts: CSV, TSV, JSON Lines, Parquet or a folder per class.

:func:`load_reviews` returns a ``Bunch`` shaped like :func:`fetch_imdb`'s, so
that every pipeline, comparison and search runs on it unchanged. A file that
cannot be used gets one ``ValueError`` naming the problem (and the line or
row where there is one).
"""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["LABEL_COLUMNS", "TEXT_COLUMNS", "load_reviews"]

TEXT_COLUMNS = ("text", "review", "sentence", "content")
LABEL_COLUMNS = ("label", "sentiment", "target", "class", "rating")
_NEEDS_PYARROW = "Reading {path} needs pyarrow: pip install 'sklearn-imdb[parquet]'."
_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def load_reviews(path, *, text_column=None, label_column=None, encoding="utf-8"):
    """Load labelled texts from a file or a folder with one sub-folder per class.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.jsonl`` (or ``.ndjson``) or ``.parquet``
        file, or a folder holding one sub-folder of text files per class (as
        ``aclImdb/train/{neg,pos}``).
    text_column : str or None, default=None
        The column of the texts; None finds one named ``text``, ``review``,
        ``sentence`` or ``content``.
    label_column : str or None, default=None
        The column of the labels; None finds one named ``label``,
        ``sentiment``, ``target``, ``class`` or ``rating``.
    encoding : str, default="utf-8"
        The text encoding of a CSV, TSV or JSON Lines file, or of the files of
        a folder.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of str), ``target`` (ndarray of int, indices into
        ``target_names``), ``target_names`` (list of the labels as they
        appear in the file, sorted), ``frame`` (pandas DataFrame with the
        columns ``text`` and ``label``) and ``DESCR``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        For an empty file, an unknown format, columns that cannot be found,
        a missing or empty text, a missing label, a single class, labels of
        mixed types or bytes that are not ``encoding``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "tweets.csv").write_text(
    ...     "text,label\\nLoved it,pos\\nAwful,neg\\nGreat fun,pos\\n")
    >>> reviews = load_reviews(folder / "tweets.csv")
    >>> reviews.data, reviews.target.tolist(), reviews.target_names
    (['Loved it', 'Awful', 'Great fun'], [1, 0, 1], ['neg', 'pos'])
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder.")
    if path.is_dir():
        texts, labels = _read_folder(path, encoding)
    else:
        texts, labels = _read_table(path, text_column, label_column, encoding)
    return _bunch(path, texts, labels)


def _table_kind(path):
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"{path}: unknown format {path.suffix or '(no suffix)'!r}; use one of "
            f"{', '.join(sorted(_FORMATS))} or a folder with one sub-folder per class."
        )
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty.")
    return kind


def _table_chunks(path, kind, encoding, chunksize=None):
    """The table's rows as DataFrames: one, or chunks of ``chunksize`` rows."""
    import pandas as pd

    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            if chunksize is None:
                yield pd.read_parquet(path)
                return
            for batch in pq.ParquetFile(path).iter_batches(chunksize):
                yield batch.to_pandas()
            return
        if kind == "jsonl":
            frames = pd.read_json(
                path, lines=True, encoding=encoding, dtype=False, chunksize=chunksize
            )
        else:
            frames = pd.read_csv(
                path,
                sep="\t" if kind == "tsv" else ",",
                encoding=encoding,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                chunksize=chunksize,
            )
        if chunksize is None:
            yield frames
            return
        with frames:
            yield from frames
    except ImportError as exc:
        raise ImportError(_NEEDS_PYARROW.format(path=path)) from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path} is not a readable {kind} file: {exc}") from exc


def _checked_rows(path, frame, text_column, label_column, kind, first_row=0):
    """The texts and labels of a table's rows, or an error naming the row."""
    texts = frame[text_column]
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"{path}: row {first_row + i + 1} has no text in column "
                f"{text_column!r}."
            )
    labels = frame[label_column]
    missing = np.flatnonzero(labels.isna().to_numpy())
    if missing.size:
        raise ValueError(
            f"{path}: row {first_row + missing[0] + 1} has no label in column "
            f"{label_column!r}."
        )
    return texts.tolist(), _labels(labels.tolist(), path, kind)


def _read_table(path, text_column, label_column, encoding):
    kind = _table_kind(path)
    if kind != "parquet":
        _check_encoding(path, encoding)
    (frame,) = _table_chunks(path, kind, encoding)
    if frame.empty:
        raise ValueError(f"{path} holds no rows.")
    text_column = _column(frame.columns, text_column, TEXT_COLUMNS, "text", path)
    label_column = _column(frame.columns, label_column, LABEL_COLUMNS, "label", path)
    return _checked_rows(path, frame, text_column, label_column, kind)


def _labels(values, path, kind):
    """Labels of one type: numbers in a CSV come as text, so convert them."""
    if kind in ("csv", "tsv"):
        numbers = [_number(v) for v in values]
        if all(n is None for n in numbers):
            return np.asarray(values, dtype=str)
        if all(n is not None for n in numbers):
            integral = all(n.is_integer() for n in numbers)
            return np.asarray(numbers, dtype=np.int64 if integral else float)
        values = [v if n is None else n for v, n in zip(values, numbers)]
    types = {type(v) for v in values}
    if types <= {int, float} or types <= {bool} or types == {str}:
        return np.asarray(values)
    raise ValueError(
        f"{path}: the labels mix types "
        f"({', '.join(sorted(t.__name__ for t in types))}); use one type for "
        "every label."
    )


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _column(names, given, candidates, what, path):
    """Which of the column ``names`` holds ``what``: ``given``, or a candidate."""
    columns = [str(c) for c in names]
    if given is not None:
        if given not in columns:
            raise ValueError(
                f"{path} has no column {given!r}; its columns are {columns}."
            )
        return given
    lower = {c.lower(): c for c in columns}
    for name in candidates:
        if name in lower:
            return lower[name]
    raise ValueError(
        f"{path}: which column holds the {what}? Its columns are {columns}; name "
        f"it with {what}_column=."
    )


def _check_encoding(path, encoding, block=1 << 20):
    """Refuse bytes that are not ``encoding``, naming their line; a block at a time."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as f:
        while True:
            data = f.read(block)
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                # the decoder may hold back a partial character from before
                start = max(exc.start - len(exc.object) + len(data), 0)
                line = lines + data[:start].count(b"\n")
                raise ValueError(
                    f"{path}: line {line} is not valid {encoding} (byte "
                    f"{exc.object[exc.start]:#04x}); give the file's encoding."
                ) from None
            if not data:
                return
            lines += data.count(b"\n")


def _read_folder(path, encoding):
    from sklearn.datasets import load_files

    try:
        files = load_files(path, encoding=encoding, decode_error="strict")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: a file is not valid {encoding}: {exc}.") from None
    if not len(files.data):
        raise ValueError(f"{path} holds no sub-folders of text files (one per class).")
    names = np.asarray(files.target_names)
    return list(files.data), names[files.target]


def _bunch(path, texts, labels):
    import pandas as pd

    target_names, target = np.unique(labels, return_inverse=True)
    if target_names.size < 2:
        raise ValueError(
            f"{path}: every text has the label {target_names[0]!r}; a classifier "
            "needs at least two classes."
        )
    frame = pd.DataFrame({"text": texts, "label": labels})
    return Bunch(
        data=list(texts),
        target=target,
        target_names=target_names.tolist(),
        frame=frame,
        DESCR=f"{len(texts)} labelled texts from {path}, {target_names.size} classes.",
    )
