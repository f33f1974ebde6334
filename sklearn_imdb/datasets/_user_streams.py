"""The user's files a chunk at a time: labelled ones to train on, texts to predict.

:func:`iter_reviews` is :func:`~sklearn_imdb.load_reviews` for files larger
than memory, each chunk checked as a whole file is (``_user_data``);
:func:`read_texts` yields the texts of a file, labelled or not.
"""

from pathlib import Path

from ._user_data import (
    _FORMATS,
    _NEEDS_PYARROW,
    LABEL_COLUMNS,
    TEXT_COLUMNS,
    _check_encoding,
    _checked_rows,
    _column,
    _table_chunks,
    _table_kind,
)

__all__ = ["iter_reviews", "read_texts"]


def iter_reviews(
    path, *, chunksize=10000, text_column=None, label_column=None, encoding="utf-8"
):
    """Yield a labelled file's texts and labels a chunk at a time.

    :func:`load_reviews`' streaming sibling, for files larger than memory:
    each chunk is checked as :func:`load_reviews` checks a whole file, its
    errors naming the row from the file's start, so that nothing is trained
    on half a file without a word.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.jsonl`` (or ``.ndjson``) or ``.parquet`` file.
    chunksize : int, default=10000
        Rows a chunk: memory is bounded by a chunk, not by the file.
    text_column, label_column : str or None, default=None
        The columns, found by name when None (as in :func:`load_reviews`).
    encoding : str, default="utf-8"
        The text encoding of a CSV, TSV or JSON Lines file.

    Yields
    ------
    texts : list of str
        A chunk's texts, in file order.
    labels : ndarray of shape (len(texts),)
        Their labels as written in the file (numbers in a CSV as numbers), of
        one type throughout the file.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        For an empty file, an unknown format, columns that cannot be found, a
        row without a text or a label (named by its number), labels of mixed
        types (from the row where the type changes), or bytes that are not
        ``encoding`` (the line named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tweets.csv"
    >>> _ = path.write_text("text,label\\nLoved it,pos\\nAwful,neg\\nGreat,pos\\n")
    >>> [(texts, labels.tolist()) for texts, labels in iter_reviews(path, chunksize=2)]
    [(['Loved it', 'Awful'], ['pos', 'neg']), (['Great'], ['pos'])]
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    kind = _table_kind(path)
    if kind != "parquet":
        _check_encoding(path, encoding)
    first_row, label_kind = 0, None
    for frame in _table_chunks(path, kind, encoding, chunksize):
        if frame.empty:  # a header alone
            continue
        text_column = _column(frame.columns, text_column, TEXT_COLUMNS, "text", path)
        label_column = _column(
            frame.columns, label_column, LABEL_COLUMNS, "label", path
        )
        texts, labels = _checked_rows(
            path, frame, text_column, label_column, kind, first_row
        )
        kind_here = "text" if labels.dtype.kind in "US" else "numbers"
        if label_kind is None:
            label_kind = kind_here
        elif kind_here != label_kind:
            raise ValueError(
                f"{path}: the labels mix types from row {first_row + 1} on "
                f"({label_kind} before, {kind_here} there); use one type for "
                "every label."
            )
        first_row += len(frame)
        yield texts, labels
    if label_kind is None:
        raise ValueError(f"{path} holds no rows.")


def read_texts(path, *, text_column=None, encoding="utf-8", chunksize=10000):
    """Yield the texts of a file, a chunk at a time, labels or not.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.jsonl`` or ``.parquet`` file (the text
        column found as in :func:`load_reviews`), or any other file as one
        text per line (blank lines skipped).
    text_column : str or None, default=None
        The column of the texts.
    encoding : str, default="utf-8"
        The encoding of a text file.
    chunksize : int, default=10000
        Rows of a CSV, TSV or Parquet file read at once: memory is bounded by
        a chunk, not by the file (JSON Lines and text files are read a line
        at a time).

    Yields
    ------
    text : str
        Each text, in file order (a missing text in a table is ``""``).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        with path.open(encoding=encoding) as lines:
            yield from (line.rstrip("\n") for line in lines if line.strip())
        return
    if kind == "jsonl":
        yield from _jsonl_texts(path, text_column, encoding)
        return
    if kind == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise ImportError(_NEEDS_PYARROW.format(path=path)) from exc
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
        column = _column(names, text_column, TEXT_COLUMNS, "text", path)
        chunks = (
            batch.to_pandas()
            for batch in parquet.iter_batches(chunksize, columns=[column])
        )
    else:
        chunks = _table_chunks(path, kind, encoding, chunksize)
    column = text_column
    for chunk in chunks:
        column = _column(chunk.columns, column, TEXT_COLUMNS, "text", path)
        yield from chunk[column].fillna("").astype(str)


def _jsonl_texts(path, text_column, encoding):
    """The texts of a JSON Lines file, read a line at a time.

    ``json.loads`` of each line reads 2.6x as fast as pandas' chunked
    ``read_json`` (400,000 reviews: 1.4 s against 3.7 s, measured), a third
    of the time ``predict --file`` took; and an error names its line. The
    column is found on the first object; a line without it, or with null,
    gives ``""``, other values their ``str`` (as pandas' ``astype(str)``).
    """
    import json

    column = None
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line.decode(encoding))
            except UnicodeDecodeError:
                raise ValueError(
                    f"{path}: line {number} is not valid {encoding}; give the "
                    "file's encoding."
                ) from None
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"{path}: line {number} is not JSON ({exc.msg})."
                ) from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}: line {number} is not a JSON object.")
            if column is None:  # the first object
                column = _column(row, text_column, TEXT_COLUMNS, "text", path)
            text = row.get(column)
            yield text if isinstance(text, str) else "" if text is None else str(text)
