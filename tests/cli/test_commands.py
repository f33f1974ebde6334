import json
import subprocess
import sys

import pytest

from sklearn_imdb.cli import main


def run(capsys, *argv):
    code = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_data_summary(small_archive, capsys):
    code, out, _ = run(capsys, "data")
    assert code == 0
    assert "train: 120 reviews, 60 positive (50.0%)" in out
    assert "test review 0" in out


def test_train_evaluate_predict(small_archive, tmp_path, capsys):
    out_dir = tmp_path / "model"
    code, out, _ = run(
        capsys,
        "train",
        "--epochs",
        "20",
        "--set",
        "clf__batch_size=16",
        "--out",
        str(out_dir),
    )
    assert code == 0 and "accuracy" in out
    assert (out_dir / "model.skimdb").is_file()
    assert (out_dir / "training_curves.png").stat().st_size > 1000
    assert (out_dir / "confusion_matrix.png").stat().st_size > 1000
    code, out, _ = run(capsys, "evaluate", str(out_dir / "model.skimdb"))
    assert code == 0 and out.startswith("test: 60 reviews, accuracy")
    code, out, _ = run(
        capsys,
        "predict",
        str(out_dir / "model.skimdb"),
        "a great wonderful film",
        "an awful boring waste",
    )
    header, *lines = out.splitlines()
    assert code == 0 and header.split() == ["label", "P(neg)", "P(pos)", "text"]
    assert len(lines) == 2
    assert lines[0].startswith("pos ") and lines[0].endswith("  a great wonderful film")
    assert lines[1].startswith("neg ") and lines[1].endswith("  an awful boring waste")
    p_neg, p_pos = map(float, lines[0].split()[1:3])
    assert p_pos > 0.5 and p_neg + p_pos == pytest.approx(1, abs=2e-3)


def test_train_a_baseline(small_archive, tmp_path, capsys):
    code, out, _ = run(capsys, "train", "--model", "nb-logreg", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "model.skimdb").is_file()
    code, out, _ = run(capsys, "predict", str(tmp_path / "model.skimdb"), "great fun")
    assert "pos" in out


def test_compare_command(small_archive, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "compare",
        "--models",
        "logreg,multinomial-nb",
        "--cv",
        "2",
        "--limit",
        "60",
        "--out",
        str(tmp_path),
    )
    assert code == 0
    assert "| logreg |" in out and "| multinomial-nb |" in out
    for name in ("comparison.csv", "comparison.md", "comparison.png"):
        assert (tmp_path / name).is_file()


def test_tune_command(small_archive, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "tune",
        "--grid",
        "small",
        "--limit",
        "40",
        "--cv",
        "2",
        "--out",
        str(tmp_path),
    )
    assert code == 0 and "best parameters" in out
    best = json.loads((tmp_path / "best_params.json").read_text())["best_params"]
    assert set(best) == {"clf__hidden_layers", "clf__units"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", "--models", "logreg,nope"], "Unknown pipeline 'nope'"),
        (["compare", "--cv", "1"], "must be 0 (no CV) or at least 2"),
        (["compare", "--limit", "ten"], "not an integer"),
        (["compare", "--limit", "0"], "must be a positive integer"),
        (["tune", "--grid", "nope"], "Unknown grid 'nope'"),
        (["tune", "--backend", "spark"], "invalid choice"),
        (["tune", "--scheduler", "tcp://127.0.0.1:1"], "needs backend='dask'"),
        (["train", "--model", "logreq"], "Did you mean 'logreg'"),
        (["train", "--set", "nonsense"], "expected PARAM=VALUE"),
        (["train", "--set", "clf__units=-3"], "units"),
        (["predict", "missing.skimdb", "text"], "no model file at missing.skimdb"),
        (["evaluate", "missing.skimdb"], "no model file"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_a_one_line_error(small_archive, capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse's own errors
        code = exit.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_train_out_is_a_file(small_archive, tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    code, _, err = run(capsys, "train", "--model", "logreg", "--out", str(target))
    assert code == 2 and "is not a folder" in err


def test_console_script_help_is_quick_and_quiet():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_imdb.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "compare" in result.stdout and result.stderr == ""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sklearn_imdb; print('tensorflow' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_predict_streams_stdin(small_archive, tmp_path, capsys, monkeypatch):
    import io

    assert run(capsys, "train", "--model", "logreg", "--out", str(tmp_path))[0] == 0
    lines = ["a great wonderful film", "", "an awful boring waste"] * 5
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(
        capsys, "predict", str(tmp_path / "model.skimdb"), "-", "--batch-size", "4"
    )
    labels = [line.split()[0] for line in out.splitlines()[1:]]
    assert code == 0 and labels == ["pos", "neg"] * 5


def test_interrupted_search_keeps_the_previous_results(
    small_archive, tmp_path, capsys, monkeypatch
):
    import sklearn_imdb.model_selection._experiments as model_selection
    from sklearn_imdb.utils._files import atomic_write

    out = tmp_path / "tune"
    argv = ["tune", "--grid", "small", "--cv", "2", "--limit", "40", "--out", str(out)]
    assert run(capsys, *argv)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted_write(search, path, title):
        # Ctrl-C half-way through writing the new results
        with atomic_write(path / "results.csv", "w") as f:
            f.write("rank_test_score,mean_")
            raise KeyboardInterrupt

    monkeypatch.setattr(model_selection, "write_search", interrupted_write)
    code, _, err = run(capsys, *argv)
    assert code == 130
    assert err.strip().count("\n") == 0 and "interrupted" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
