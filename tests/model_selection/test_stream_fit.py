"""fit_stream: a pipeline learned from a stream a chunk at a time; train streaming."""

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from sklearn_imdb import (
    DenseNetworkClassifier,
    MultiHotVectorizer,
    NBFeatureWeighter,
    fit_stream,
    iter_reviews,
    load_model,
)
from sklearn_imdb.cli import main
from sklearn_imdb.model_selection._stream_fit import _shuffled

from ..conftest import make_reviews


@pytest.fixture
def stream_file(tmp_path):
    """600 reviews in class order (a stream that must be shuffled), as CSV."""
    docs, y = make_reviews(600, seed=4)
    path = tmp_path / "reviews.csv"
    labels = np.array(["neg", "pos"])[y]
    pd.DataFrame({"text": docs, "label": labels}).to_csv(path, index=False)
    return path, docs, labels


def test_a_pipeline_learns_from_a_stream_as_fit_learns_its_steps(stream_file, caplog):
    path, docs, labels = stream_file
    pipe = make_pipeline(
        MultiHotVectorizer(num_words=200, ngram_range=(1, 2)),
        NBFeatureWeighter(norm="l2"),
        DenseNetworkClassifier(batch_size=32, random_state=0, verbose=0),
    )
    with caplog.at_level(logging.INFO, logger="sklearn_imdb"):
        fit_stream(pipe, lambda: iter_reviews(path, chunksize=64), epochs=3)
    # each learned step equals what fit finds on the whole file
    vec = MultiHotVectorizer(num_words=200, ngram_range=(1, 2)).fit(docs)
    np.testing.assert_array_equal(
        pipe[0].get_feature_names_out(), vec.get_feature_names_out()
    )
    weights = NBFeatureWeighter(norm="l2").fit(vec.transform(docs), labels)
    np.testing.assert_allclose(pipe[1].ratio_, weights.ratio_, rtol=1e-12)
    assert list(pipe.classes_) == ["neg", "pos"]
    assert pipe.score(docs, labels) > 0.95
    # progress: the first pass, then each chunk of the next with an ETA
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        "pass 1 (MultiHotVectorizer): 10 chunks, 600 rows" in m for m in messages
    )
    assert sum("ETA" in m for m in messages) == 10 * (1 + 3)
    assert "epoch 3/3" in messages[-1] and "40/40" in messages[-1]


def test_a_stream_in_class_order_is_shuffled_through_the_buffer(stream_file):
    # without shuffling, an SGD classifier fed one class then the other
    # ends up answering the last one
    path, docs, labels = stream_file

    def sgd():
        return make_pipeline(
            MultiHotVectorizer(num_words=200), SGDClassifier(random_state=0)
        )

    chunks = lambda: iter_reviews(path, chunksize=50)  # noqa: E731
    ordered = fit_stream(sgd(), chunks, buffer_size=0)
    shuffled = fit_stream(sgd(), chunks, buffer_size=300)
    assert ordered.score(docs, labels) < 0.8 < 0.95 < shuffled.score(docs, labels)


def test_the_shuffle_buffer_keeps_every_row_and_the_number_of_chunks():
    chunks = [
        (list(map(str, range(a, a + 10))), np.arange(a, a + 10))
        for a in range(0, 100, 10)
    ]
    out = list(_shuffled(iter(chunks), 25, np.random.default_rng(0)))
    assert len(out) == len(chunks)
    texts = [t for chunk, _ in out for t in chunk]
    labels = np.concatenate([y for _, y in out])
    assert sorted(map(int, texts)) == list(range(100))
    assert [int(t) for t in texts] == labels.tolist()  # texts keep their labels
    assert [int(t) for t in texts] != list(range(100))
    # a row comes out at most the buffer and a chunk earlier than it came in
    assert all(position >= int(t) - 25 - 10 for position, t in enumerate(texts))
    assert any(position < int(t) - 10 for position, t in enumerate(texts))


def test_steps_that_cannot_stream_are_named_and_stateless_ones_are_taken(stream_file):
    path, docs, labels = stream_file
    chunks = lambda: iter_reviews(path, chunksize=100)  # noqa: E731
    with pytest.raises(TypeError, match="'logisticregression'.*no partial_fit"):
        fit_stream(make_pipeline(MultiHotVectorizer(), LogisticRegression()), chunks)
    pipe = make_pipeline(
        MultiHotVectorizer(num_words=100), Normalizer(), SGDClassifier(random_state=0)
    )
    assert fit_stream(pipe, chunks, buffer_size=200).score(docs, labels) > 0.9


def test_bad_rows_and_unknown_classes_stop_the_stream(stream_file, tmp_path):
    path, _, _ = stream_file
    lines = path.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:400] + ['"a text without a label",'] + lines[400:]))
    pipe = make_pipeline(MultiHotVectorizer(), SGDClassifier())
    with pytest.raises(ValueError, match="row 400"):
        fit_stream(pipe, lambda: iter_reviews(bad, chunksize=64))
    with pytest.raises(
        ValueError, match=r"rows 257-320 hold the label 'pos'.*\['neg'\]"
    ):
        fit_stream(pipe, lambda: iter_reviews(path, chunksize=64), classes=["neg"])
    with pytest.raises(ValueError, match="no rows"):
        fit_stream(pipe, lambda: iter([]))


def test_train_streams_a_file_past_the_memory_budget(
    stream_file, tmp_path, capsys, monkeypatch, caplog
):
    from sklearn_imdb.cli import _streaming

    monkeypatch.setattr(_streaming, "CHUNK_ROWS", 100)
    # a 36 kB file: as if fitting it in memory took 36 GB
    monkeypatch.setattr(_streaming, "PEAK_PER_BYTE", 10**6)
    path, docs, labels = stream_file
    out = tmp_path / "out"
    argv = ["train", "--model", "seed-net", "--data", str(path), "--out", str(out)]
    argv += ["--set", "clf__batch_size=32"]  # enough steps on 480 reviews
    with caplog.at_level(logging.INFO, logger="sklearn_imdb"):
        code = main([*argv, "--memory-budget", "1", "--epochs", "10"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "learned 100 rows at a time" in printed.out
    assert "ETA" in caplog.records[-1].getMessage()  # the progress
    test_line = next(line for line in printed.out.splitlines() if "test:" in line)
    accuracy = float(test_line.split("accuracy ")[1].split(",")[0])
    n_test = int(test_line.split("test: ")[1].split(" reviews")[0])
    assert 60 < n_test < 180 and accuracy > 0.9  # ~20% of 600 held out
    model, metadata = load_model(out / "model.skimdb", return_metadata=True)
    assert metadata["training_data"].endswith("texts, streamed")
    assert model.score(docs, labels) > 0.9
    # with --test-data, every row of --data is trained on
    code = main(
        [*argv, "--memory-budget", "1", "--epochs", "1", "--test-data", str(path)]
    )
    assert code == 0
    metadata = load_model(out / "model.skimdb", return_metadata=True)[1]
    assert metadata["training_data"].endswith(", 600 texts, streamed")
    capsys.readouterr()
    # a file within the budget is fitted in memory, as before
    code = main([*argv, "--memory-budget", "100000", "--epochs", "1"])
    assert code == 0 and "at a time" not in capsys.readouterr().out


def test_train_stops_on_a_bad_row_in_a_streamed_file(
    stream_file, tmp_path, capsys, monkeypatch
):
    from sklearn_imdb.cli import _streaming

    monkeypatch.setattr(_streaming, "PEAK_PER_BYTE", 10**6)
    path, _, _ = stream_file
    lines = path.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:400] + ['"a text without a label",'] + lines[400:]))
    out = tmp_path / "out"
    code = main(
        ["--quiet", "train", "--data", str(bad), "--memory-budget", "1"]
        + ["--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "row 400" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()  # nothing written from half a file
    code = main(
        ["--quiet", "train", "--model", "logreg", "--data", str(path)]
        + ["--memory-budget", "1", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "logreg cannot learn a chunk at a time" in err
    assert not out.exists()


def test_train_streams_nb_sgd_in_place_of_nb_logreg(
    stream_file, tmp_path, capsys, monkeypatch
):
    from sklearn_imdb.cli import _streaming

    monkeypatch.setattr(_streaming, "PEAK_PER_BYTE", 10**6)
    path, docs, labels = stream_file
    out = tmp_path / "out"
    code = main(
        ["--quiet", "train", "--model", "nb-logreg", "--data", str(path)]
        + ["--memory-budget", "1", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "training nb-sgd in its place" in printed
    model, metadata = load_model(out / "model.skimdb", return_metadata=True)
    assert metadata["pipeline"] == "nb-sgd"
    assert isinstance(model[-1], SGDClassifier) and model[-1].loss == "log_loss"
    assert model.score(docs, labels) > 0.9
    assert model.predict_proba(docs[:3]).shape == (3, 2)


def test_streamed_nb_sgd_makes_fits_updates_in_the_streams_order(stream_file):
    # one pass of SGDClassifier.partial_fit chunk by chunk is fit's one epoch
    # over the same rows in the same order: nb-sgd streamed learns as in memory
    from sklearn_imdb import named_pipeline

    path, docs, labels = stream_file
    # (shuffle=False: partial_fit would shuffle each chunk's rows)
    streamed = named_pipeline("nb-sgd", vec__num_words=300, clf__shuffle=False)
    fit_stream(streamed, lambda: iter_reviews(path, chunksize=64), buffer_size=0)
    whole = named_pipeline("nb-sgd", vec__num_words=300, clf__shuffle=False)
    whole.fit(docs, labels)
    # float32 features: the same updates agree to float32's precision
    np.testing.assert_allclose(streamed[-1].coef_, whole[-1].coef_, atol=1e-5)
    np.testing.assert_allclose(streamed[-1].intercept_, whole[-1].intercept_, atol=1e-5)
    assert np.abs(whole[-1].coef_).max() > 0.1
