"""The command line on the user's own files: two classes in a CSV, three in
JSON Lines, predictions in every format, explanations, and bad files."""

import csv
import io
import json
import re
import shlex
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklearn_imdb.cli import main

from ..conftest import NEUTRAL

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "own_data.rst"
TOPICS = {
    "sport": "goal match team referee league striker".split(),
    "food": "recipe soup oven spicy dessert flavour".split(),
    "travel": "flight hotel beach passport train luggage".split(),
}


def run(capsys, *argv):
    code = main(["--quiet", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def write_topics(path, n_per_class=40, seed=0):
    """A JSON Lines file of three topics, the topic named by its words."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "content": " ".join(
                rng.choice(NEUTRAL, 4).tolist() + rng.choice(words, 3).tolist()
            ),
            "topic": topic,
        }
        for topic, words in TOPICS.items()
        for _ in range(n_per_class)
    ]
    rng.shuffle(rows)
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    return path


def guide_example():
    """The user guide's worked example: its Python code and commands."""
    text = GUIDE.read_text()
    section = text.split("A worked example\n", 1)[1].split("\n---", 1)[0]
    section = textwrap.dedent(section.replace("\n   ", "\n"))
    python = re.findall(r"code-block:: python\n\n(.*?)\n\.\. ", section, re.S)
    commands = re.findall(r"^\$ (sklearn-imdb .*)$", section, re.M)
    return section, "\n".join(python), commands


def test_the_guides_example_runs_as_written(tmp_path, capsys, monkeypatch):
    """The CSV of the user guide's example is written by its own code, and
    every command of it runs on it with the output the guide shows."""
    section, code, commands = guide_example()
    assert code and len(commands) >= 4
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "own_data.rst", "exec"), {})
    frame = pd.read_csv("short_reviews.csv")
    assert len(frame) >= 200 and set(frame["label"]) == {"pos", "neg"}
    for command in commands:
        argv = shlex.split(command)[1:]
        code, out, err = run(capsys, *argv)
        assert code == 0, (command, err)
        # the guide shows the output's first line after the command
        shown = section.split(f"$ {command}\n", 1)[1].splitlines()[0]
        if not shown.startswith(("```", "$")):
            assert out.splitlines()[0].split()[:2] == shown.split()[:2], command


def test_csv_of_two_classes_train_evaluate_predict_explain(tmp_path, capsys):
    from ..conftest import make_reviews

    docs, y = make_reviews(200, seed=3)
    data = tmp_path / "tweets.csv"
    pd.DataFrame({"tweet": docs, "mood": np.array(["sad", "happy"])[y]}).to_csv(
        data, index=False
    )
    out_dir = tmp_path / "model"
    columns = ["--text-column", "tweet", "--label-column", "mood"]
    code, out, err = run(
        capsys, "train", "--data", data, *columns, "--model", "logreg", "--out", out_dir
    )
    assert code == 0, err
    assert "training logreg on 160 reviews (2 classes)" in out
    assert re.search(r"test: 40 reviews, accuracy 1\.0000, ROC AUC", out)
    assert (out_dir / "confusion_matrix.png").stat().st_size > 1000
    model = out_dir / "model.skimdb"

    code, out, _ = run(capsys, "evaluate", model, "--data", data, *columns)
    assert code == 0 and out.startswith(f"{data}: 200 reviews, accuracy 1.0000")

    # predict --file: the CSV's own texts, in every format
    code, out, _ = run(
        capsys,
        "predict",
        model,
        "--file",
        data,
        "--text-column",
        "tweet",
        "--format",
        "csv",
        "--batch-size",
        "7",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["text"] for r in rows] == docs
    assert [r["label"] for r in rows] == np.array(["sad", "happy"])[y].tolist()
    proba = np.array([[float(r["proba_happy"]), float(r["proba_sad"])] for r in rows])
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
    code, out, _ = run(capsys, "predict", model, "so much fun", "--format", "jsonl")
    row = json.loads(out)
    assert row["label"] == "happy" and set(row["proba"]) == {"happy", "sad"}

    code, out, _ = run(capsys, "explain", model, "great fun but a dull plot")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("  predicted: ")
    towards = [line for line in lines if line.startswith("  towards")][0]
    against = [line for line in lines if line.startswith("  against")][0]
    label = lines[1].split()[1]
    happy, sad = (towards, against) if label == "happy" else (against, towards)
    assert "great (" in happy and "fun (" in happy and "dull (" in sad


def test_jsonl_of_three_classes(tmp_path, capsys):
    data = write_topics(tmp_path / "topics.jsonl")
    test = write_topics(tmp_path / "topics_test.jsonl", n_per_class=10, seed=1)
    out_dir = tmp_path / "model"
    code, out, err = run(
        capsys,
        "train",
        "--data",
        data,
        "--test-data",
        test,
        "--label-column",
        "topic",
        "--epochs",
        "30",
        "--set",
        "clf__batch_size=16",
        "--out",
        out_dir,
    )
    assert code == 0, err
    assert "(3 classes)" in out
    accuracy, macro_f1 = map(
        float, re.search(r"accuracy ([\d.]+), macro-F1 ([\d.]+)", out).groups()
    )
    assert accuracy > 0.9 and macro_f1 > 0.9
    model = out_dir / "model.skimdb"
    assert (out_dir / "confusion_matrix.png").is_file()

    code, out, _ = run(
        capsys, "evaluate", model, "--data", test, "--label-column", "topic"
    )
    assert code == 0 and "30 reviews, accuracy" in out and "macro-F1" in out

    texts = tmp_path / "new.txt"
    texts.write_text("the spicy soup recipe\n\nour flight to the beach hotel\n")
    code, out, _ = run(capsys, "predict", model, "--file", texts)
    header, *lines = out.splitlines()
    assert header.split() == ["label", "P(food)", "P(sport)", "P(travel)", "text"]
    assert [line.split()[0] for line in lines] == ["food", "travel"]

    code, out, _ = run(capsys, "explain", model, "--global", "--top", "3")
    assert code == 0 and [line.split(":")[0] for line in out.splitlines()] == [
        "food",
        "sport",
        "travel",
    ]
    food = out.splitlines()[0]
    assert sum(word in food for word in TOPICS["food"]) >= 2

    html = tmp_path / "why.html"
    code, out, _ = run(
        capsys, "explain", model, "spicy soup in the hotel", "--html", html
    )
    page = html.read_text()
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    assert re.search(
        r'<mark style="background:rgba\(0,160,0,[\d.]+\)" '
        r'title="\+[\d.]+">spicy</mark>',
        page,
    )


def test_compare_and_tune_take_own_data(tmp_path, capsys):
    data = [
        "--data",
        write_topics(tmp_path / "topics.jsonl"),
        "--label-column",
        "topic",
    ]
    models = ["--models", "logreg,multinomial-nb"]
    out_dir = tmp_path / "cmp"
    code, _, err = run(capsys, "compare", *data, "--cv", 2, *models, "--out", out_dir)
    assert code == 0, err
    table = pd.read_csv(out_dir / "comparison.csv")
    assert table["model"].tolist() == ["logreg", "multinomial-nb"]
    assert (table["test_macro_f1"] > 0.8).all() and table["test_brier"].isna().all()
    code, _, err = run(capsys, "compare", *data, "--models", "nb-logreg")
    assert code == 2 and "'nb-logreg' takes two classes only" in err
    code, out, err = run(capsys, "tune", *data, "--cv", 2, "--grid", "small")
    assert code == 0 and "best parameters" in out, err


@pytest.mark.parametrize(
    "content, argv, message",
    [
        (None, [], "no such file or folder"),
        (b"", [], "is empty"),
        (b"text,label\nfine,pos\n", ["--test-size", "2"], "between 0 and 1"),
        (
            b"words,stars\nfine,1\nbad,2\n",
            [],
            "which column holds the text? Its columns are ['words', 'stars']; name "
            "it with --text-column.",
        ),
        (b"text,label\nfine,pos\nbad,\n", [], "row 2 has no label"),
        (b"text,label\nfine,pos\nbad,pos\n", [], "a classifier needs at least two"),
        (b"text,label\nfine,pos\n\xff\xfe,neg\n", [], "line 3 is not valid utf-8"),
        (b'{"text": "a", "label": 1}\n{"text": "b", "label": "x"}\n', [], "mix"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, capsys, content, argv, message):
    suffix = ".jsonl" if content and content.startswith(b"{") else ".csv"
    path = tmp_path / f"data{suffix}"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out" / "train"
    try:
        code = main(["train", "--data", str(path), "--out", str(out), *argv])
    except SystemExit as exit:  # argparse's own errors
        code = exit.code
    err = capsys.readouterr().err
    assert code == 2 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "text_column=" not in err  # the command line's words only
    assert not (tmp_path / "out").exists()  # no empty folder left behind


@pytest.mark.parametrize(
    "argv, hint",
    [
        (["train", "--modle", "nb-net"], "did you mean --model?"),
        (["predict", "m.skimdb", "--fromat=csv"], "did you mean --format?"),
        (["compare", "--modles", "all"], "did you mean --models?"),
    ],
)
def test_a_mistyped_option_gets_the_close_one_and_its_commands_help(capsys, argv, hint):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    err = capsys.readouterr().err
    assert exit.value.code == 2 and err.count("\n") == 1
    assert hint in err
    assert err.rstrip().endswith(f"(see sklearn-imdb {argv[0]} --help)")


def test_options_that_need_data_say_so(tmp_path, capsys, small_archive):
    code, _, err = run(capsys, "train", "--test-data", tmp_path / "x.csv")
    assert code == 2 and "--test-data needs --data" in err
    code, _, err = run(capsys, "compare", "--text-column", "body")
    assert code == 2 and "--text-column needs --data" in err
    code, _, err = run(capsys, "predict", tmp_path / "nope.skimdb")
    assert code == 2


def test_imdb_star_ratings_as_eight_classes(imdb, tmp_path, capsys):
    """IMDB's ratings (1-4, 7-10) as eight classes, from a CSV, end to end."""
    train, test = imdb
    rng = np.random.default_rng(0)
    for bunch, name, n in ((train, "train.csv", 6000), (test, "test.csv", 2000)):
        keep = rng.choice(len(bunch.data), n, replace=False)
        pd.DataFrame(
            {
                "review": np.asarray(bunch.data, dtype=object)[keep],
                "rating": bunch.rating[keep],
            }
        ).to_csv(tmp_path / name, index=False)
    code, out, err = run(
        capsys,
        "train",
        "--data",
        tmp_path / "train.csv",
        "--test-data",
        tmp_path / "test.csv",
        "--out",
        tmp_path / "model",
    )
    assert code == 0, err
    assert "(8 classes)" in out
    accuracy = float(re.search(r"accuracy ([\d.]+)", out).group(1))
    majority = (
        pd.read_csv(tmp_path / "test.csv")["rating"].value_counts(normalize=True).max()
    )
    assert accuracy > majority + 0.1  # well above always saying the commonest
    code, out, _ = run(
        capsys,
        "predict",
        tmp_path / "model" / "model.skimdb",
        "A masterpiece, the best film I have ever seen.",
        "The worst, most boring film ever made.",
    )
    header, best, worst = out.splitlines()
    assert header.split()[1:9] == [f"P({r})" for r in (1, 2, 3, 4, 7, 8, 9, 10)]
    assert int(best.split()[0]) >= 7 and int(worst.split()[0]) <= 4
