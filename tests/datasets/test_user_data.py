"""load_reviews on small files the tests write: every format, every bad file."""

import json

import numpy as np
import pandas as pd
import pytest

from sklearn_imdb import iter_reviews, load_reviews, named_pipeline, read_texts
from sklearn_imdb.datasets._user_data import _check_encoding

from ..conftest import make_reviews

DOCS, Y = make_reviews(60, seed=7)
NAMES = np.array(["neg", "pos"])


def _frame(**columns):
    return pd.DataFrame(columns or {"review": DOCS, "sentiment": NAMES[Y]})


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_every_format_gives_the_same_bunch(tmp_path, suffix):
    path = tmp_path / f"reviews{suffix}"
    frame = _frame()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        pytest.importorskip("pyarrow")
        frame.to_parquet(path)
    bunch = load_reviews(path)
    assert bunch.data == DOCS
    assert bunch.target_names == ["neg", "pos"]
    np.testing.assert_array_equal(bunch.target, Y)
    assert list(bunch.frame.columns) == ["text", "label"] and len(bunch.frame) == 60
    # and a pipeline learns from it as from fetch_imdb's bunch
    pipe = named_pipeline("logreg").fit(bunch.data, bunch.target)
    assert pipe.score(bunch.data, bunch.target) > 0.9


def test_folder_per_class_and_three_classes(tmp_path):
    docs, y = make_reviews(90, seed=8, n_classes=3)
    for i, (doc, label) in enumerate(zip(docs, np.array(["bad", "good", "meh"])[y])):
        folder = tmp_path / "data" / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.txt").write_text(doc)
    bunch = load_reviews(tmp_path / "data")
    assert bunch.target_names == ["bad", "good", "meh"]
    assert sorted(bunch.data) == sorted(docs)
    assert np.bincount(bunch.target).tolist() == [30, 30, 30]


def test_numeric_labels_and_named_columns(tmp_path):
    path = tmp_path / "stars.csv"
    pd.DataFrame({"body": DOCS, "stars": np.where(Y == 1, 9, 2)}).to_csv(
        path, index=False
    )
    bunch = load_reviews(path, text_column="body", label_column="stars")
    assert bunch.target_names == [2, 9]
    np.testing.assert_array_equal(bunch.target, Y)


def _write(path, text, mode="w"):
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize(
    "name, content, match",
    [
        ("empty.csv", "", "is empty"),
        ("reviews.xlsx", "a,b\n", "unknown format '.xlsx'"),
        (
            "cols.csv",
            "body,stars\nfine,1\nbad,0\n",
            r"which column holds the text\?.*"
            r"\['body', 'stars'\]",
        ),
        ("notext.csv", "text,label\nfine,pos\n,neg\n", "row 2 has no text"),
        ("blank.csv", "text,label\nfine,pos\n   ,neg\n", "row 2 has no text"),
        ("nolabel.csv", "text,label\nfine,pos\nbad,\n", "row 2 has no label"),
        ("one.csv", "text,label\nfine,pos\ngood,pos\n", "at least two classes"),
        ("mixed.csv", "text,label\nfine,pos\nbad,1\n", "mix types"),
        (
            "mixed.jsonl",
            '{"text": "a", "label": 1}\n{"text": "b", "label": "x"}\n',
            "mix types",
        ),
        (
            "bytes.csv",
            b"text,label\nfine,pos\nbad \xff\xfe,neg\n",
            "line 3 is not valid",
        ),
        ("header.csv", "text,label\n", "holds no rows"),
    ],
)
def test_each_bad_file_gets_one_clear_error(tmp_path, name, content, match):
    path = _write(tmp_path / name, content, "wb" if isinstance(content, bytes) else "w")
    with pytest.raises(ValueError, match=match):
        load_reviews(path)


def test_missing_file_and_unknown_column(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_reviews(tmp_path / "nope.csv")
    path = tmp_path / "r.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": d, "label": int(y)}) for d, y in zip(DOCS, Y))
    )
    with pytest.raises(ValueError, match="no column 'stars'.*'text', 'label'"):
        load_reviews(path, label_column="stars")


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_iter_reviews_gives_load_reviews_a_chunk_at_a_time(tmp_path, suffix):
    path = tmp_path / f"reviews{suffix}"
    frame = _frame()
    if suffix == ".parquet":
        frame.to_parquet(path)
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_csv(path, index=False, sep="\t" if suffix == ".tsv" else ",")
    chunks = list(iter_reviews(path, chunksize=25))
    assert [len(texts) for texts, _ in chunks] == [25, 25, 10]
    whole = load_reviews(path)
    assert [t for texts, _ in chunks for t in texts] == whole.data
    labels = np.concatenate([labels for _, labels in chunks])
    np.testing.assert_array_equal(labels, np.asarray(whole.target_names)[whole.target])


@pytest.mark.parametrize(
    "content, match",
    [
        # each error names the row from the file's start, not the chunk's
        ("text,label\n" + "fine,pos\n" * 5 + ",neg\n", "row 6 has no text"),
        ("text,label\n" + "fine,pos\n" * 5 + "bad,\n", "row 6 has no label"),
        (
            "text,label\n" + "fine,pos\n" * 4 + "bad,1\n",
            r"labels mix types from row 5 on \(text before, numbers there\)",
        ),
        ("text,label\n", "holds no rows"),
        ("words,label\nfine,pos\n", r"which column holds the text\?"),
    ],
)
def test_iter_reviews_names_the_row_of_a_bad_chunk(tmp_path, content, match):
    path = tmp_path / "stream.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=match):
        for _ in iter_reviews(path, chunksize=2):
            pass


def test_the_encoding_check_names_the_line_across_blocks(tmp_path):
    path = tmp_path / "long.csv"
    lines = [b"text,label\n"] + [b"caf\xc3\xa9 fine,pos\n"] * 300
    lines[250] = b"bad \xff,neg\n"
    path.write_bytes(b"".join(lines))
    with pytest.raises(ValueError, match=r"line 251 is not valid utf-8 \(byte 0xff\)"):
        _check_encoding(path, "utf-8", block=64)  # blocks that split an é too
    # and before a single chunk is given
    with pytest.raises(ValueError, match="line 251 is not valid"):
        next(iter_reviews(path, chunksize=10))
    path.write_bytes(b"".join(lines[:250]))
    _check_encoding(path, "utf-8", block=7)


def test_read_texts_of_json_lines_as_pandas_reads_them(tmp_path):
    # read a line at a time: the texts pandas' read_json gives, in file
    # order, whatever the values (numbers, null, lists, a missing key)
    path = tmp_path / "mixed.jsonl"
    values = ["Loved it", 5, 2.5, None, [1, "x"], True, "l'été — ok", "日本語"]
    rows = [{"Review": v, "label": 1} for v in values] + [{"label": 0}]
    path.write_text(
        "\n\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n",
        encoding="utf-8",
    )
    expected = pd.read_json(path, lines=True, dtype=False)["Review"]
    assert list(read_texts(path)) == expected.fillna("").astype(str).tolist()
    assert list(read_texts(path, text_column="label")) == ["1"] * 8 + ["0"]


@pytest.mark.parametrize(
    "content, match",
    [
        (b'{"text": "a"}\n{"text": \n', r"line 2 is not JSON \(Expecting value\)"),
        (b'{"text": "a"}\n\n[1, 2]\n', "line 3 is not a JSON object"),
        (b'{"text": "a"}\nnull\n', "line 2 is not a JSON object"),
        (b'{"text": "a"}\n{"text": "caf\xe9"}\n', "line 2 is not valid utf-8"),
        (b'{"words": "a"}\n', r"which column holds the text\?"),
    ],
)
def test_read_texts_names_the_bad_line_of_json_lines(tmp_path, content, match):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match):
        list(read_texts(path))
    with pytest.raises(ValueError, match="no column 'body'"):
        list(read_texts(tmp_path / "bad.jsonl", text_column="body"))
