"""On a Dask LocalCluster: predicting collections and streams, fitting streams."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import make_pipeline

from sklearn_imdb import (
    MultiHotVectorizer,
    NBFeatureWeighter,
    dask_predictions,
    fit_stream,
    iter_predictions,
    load_model,
    named_pipeline,
    save_model,
)
from sklearn_imdb.cli import main

from ..conftest import make_reviews

dask = pytest.importorskip("dask", reason="the [dask] extra is not installed")
import dask.array as da  # noqa: E402
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from sklearn_imdb.utils import dask_client

    with dask_client(n_workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A loaded model file: a pipeline that predicts without TensorFlow."""
    docs, y = make_reviews(300, seed=5)
    labels = np.array(["neg", "pos"])[y]
    pipe = named_pipeline("nb-logreg").fit(docs, labels)
    path = save_model(pipe, tmp_path_factory.mktemp("model") / "m.skimdb")
    return load_model(path)


def _collections(texts):
    return {
        "bag": db.from_sequence(texts, npartitions=5),
        "column": dd.from_pandas(pd.Series(texts), npartitions=4),
        "array": da.from_array(np.asarray(texts, dtype=object), chunks=17),
    }


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["bag", "column", "array"])
@pytest.mark.parametrize("method", ["predict_proba", "predict", "decision_function"])
def test_each_partition_is_predicted_on_the_workers_in_order(
    client, model, kind, method
):
    texts, _ = make_reviews(90, seed=6)
    texts[3] = "Ça m’a plu — «excellent» film, 10/10 ☺"  # text no test saw
    out = dask_predictions(model, _collections(texts)[kind], method=method)
    computed = client.compute(out).result()
    expected = getattr(model, method)(texts)
    if method == "predict":
        np.testing.assert_array_equal(computed, expected)
    else:
        np.testing.assert_allclose(computed, expected, rtol=1e-6)
    # the work ran on the cluster's worker processes, each given the model
    assert len(client.scheduler_info()["workers"]) == 2


def test_local_workers_keep_glibcs_trim_threshold_and_no_profiler(client):
    # distributed starts workers with MALLOC_TRIM_THRESHOLD_=65536, a third
    # slower tokenizing, and samples their stacks every 10 ms for a dashboard
    # these clusters lack (utils.parallel._local_worker_config); the rest of
    # its environment for them stays
    import os

    def settings(dask_worker):
        return (
            os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            os.environ["MKL_NUM_THREADS"],
            "profile" not in dask_worker.periodic_callbacks,  # stack sampling
        )

    env = client.run(settings)
    assert len(env) == 2 and set(env.values()) == {(None, "1", True)}
    assert dask.config.get("distributed.nanny.pre-spawn-environ")[
        "MALLOC_TRIM_THRESHOLD_"
    ]  # distributed's settings, outside our clusters, unchanged
    assert dask.config.get("distributed.worker.profile.enabled")


def test_local_clusters_leave_the_dashboards_port_free(client):
    # a scheduler without a dashboard serves its health pages on 8787 unless
    # told, and a second cluster then warned "Port 8787 is already in use"
    address, port = client.run_on_scheduler(
        lambda dask_scheduler: (
            dask_scheduler.http_server.address,
            dask_scheduler.http_server.port,
        )
    )
    assert address == "127.0.0.1" and port != 8787


@pytest.mark.slow
def test_each_worker_holds_a_model_once_and_two_models_apart(client, model, tmp_path):
    def held(dask_worker):
        return sorted(n for n in dask_worker.plugins if "sklearn-imdb" in n)

    texts, _ = make_reviews(60, seed=8)
    bag = db.from_sequence(texts, npartitions=4)
    first = dask_predictions(model, bag)
    names = set(map(tuple, client.run(held).values()))
    assert len(names) == 1  # every worker holds the same
    # the same model, loaded anew: held once
    again = dask_predictions(load_model(save_model(model, tmp_path / "a.skimdb")), bag)
    assert set(map(tuple, client.run(held).values())) == names
    # another model beside it: each partition predicted by its own
    docs, y = make_reviews(200, seed=9)
    other = named_pipeline("logreg", vec__num_words=50).fit(docs, y)
    second = dask_predictions(other, bag)
    a, b, c = client.compute([first, again, second], sync=True)
    np.testing.assert_allclose(a, model.predict_proba(texts), rtol=1e-6)
    np.testing.assert_allclose(b, a)
    np.testing.assert_allclose(c, other.predict_proba(texts), rtol=1e-6)
    assert all(len(h) == len(next(iter(names))) + 1 for h in client.run(held).values())


@pytest.mark.slow
def test_an_empty_partition_and_bad_arguments(client, model):
    bag = db.from_sequence(["a fine film", "awful"], npartitions=2).filter(
        lambda t: t != "awful"
    )
    proba = client.compute(dask_predictions(model, bag)).result()
    assert proba.shape == (1, 2)
    with pytest.raises(TypeError, match="Dask bag"):
        dask_predictions(model, ["a list"])
    with pytest.raises(ValueError, match="method"):
        dask_predictions(model, bag, method="transform")


@pytest.mark.slow
def test_iter_predictions_on_the_cluster_yields_batches_in_order(client, model):
    texts, _ = make_reviews(250, seed=8)
    batches = list(iter_predictions(model, iter(texts), batch_size=40, client=client))
    assert [len(b) for b in batches] == [40] * 6 + [10]
    np.testing.assert_allclose(
        np.concatenate(batches), model.predict_proba(texts), rtol=1e-6
    )


@pytest.mark.slow
def test_the_predict_command_on_a_local_dask_cluster(model, tmp_path, capsys):
    path = save_model(model, tmp_path / "m.skimdb")
    texts, _ = make_reviews(30, seed=9)
    data = tmp_path / "texts.txt"
    data.write_text("\n".join(texts) + "\n")
    argv = ["--quiet", "predict", str(path), "--file", str(data), "--format", "csv"]
    assert main([*argv, "--batch-size", "7"]) == 0
    local = capsys.readouterr().out
    assert main([*argv, "--batch-size", "7", "--backend", "dask"]) == 0
    assert capsys.readouterr().out == local and local.count("\n") == 31
    assert main([*argv, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --backend dask" in capsys.readouterr().err


def _zipf_docs(n, seed):
    rng = np.random.default_rng(seed)
    words = np.minimum(rng.zipf(1.3, size=(n, 30)), 5000)
    labels = np.where(words[:, 0] % 2 == 0, "even", "odd")
    return [" ".join(f"w{w}" for w in row) for row in words], labels


def _chunked(docs, labels, size):
    return lambda: (
        (docs[i : i + size], labels[i : i + size]) for i in range(0, len(docs), size)
    )


@pytest.mark.slow
def test_fit_stream_on_the_cluster_learns_what_it_learns_here(client):
    docs, labels = _zipf_docs(600, seed=1)

    def pipeline():
        return make_pipeline(
            MultiHotVectorizer(num_words=300, ngram_range=(1, 2)),
            NBFeatureWeighter(),
            SGDClassifier(random_state=0),
        )

    here = fit_stream(pipeline(), _chunked(docs, labels, 70), epochs=2)
    there = fit_stream(pipeline(), _chunked(docs, labels, 70), epochs=2, client=client)
    # exact counts: the merged vocabulary and weights are the same, and so,
    # from the same chunks in the same order, is the classifier
    np.testing.assert_array_equal(
        there[0].get_feature_names_out(), here[0].get_feature_names_out()
    )
    np.testing.assert_array_equal(there[1].ratio_, here[1].ratio_)
    np.testing.assert_array_equal(there[-1].coef_, here[-1].coef_)
    assert there[0].term_count_error_ == 0


@pytest.mark.slow
def test_summaries_merged_on_the_cluster_keep_their_bound(client):
    from collections import Counter

    from sklearn_imdb import tokenize

    docs, labels = _zipf_docs(600, seed=2)
    true = Counter(w for d in docs for w in tokenize(d))
    pipe = make_pipeline(
        MultiHotVectorizer(num_words=50, max_candidates=200),
        SGDClassifier(random_state=0),
    )
    fit_stream(pipe, _chunked(docs, labels, 50), client=client)
    stream, error = pipe[0]._stream, pipe[0].term_count_error_
    assert stream.keys.size <= 200 and 0 < error <= sum(true.values()) / 201
    for term, count in zip(stream.names, stream.counts):
        assert count <= true[term] <= count + error, term
    assert {t for t, c in true.items() if c > error} <= set(stream.names)


@pytest.mark.slow
def test_the_train_command_on_a_local_dask_cluster(tmp_path, capsys):
    docs, labels = _zipf_docs(400, seed=3)
    data = tmp_path / "reviews.jsonl"
    pd.DataFrame({"text": docs, "label": labels}).to_json(
        data, orient="records", lines=True
    )
    out = tmp_path / "out"
    argv = ["--quiet", "train", "--model", "nb-net", "--data", str(data)]
    code = main([*argv, "--backend", "dask", "--epochs", "2", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "counted and vectorized on the Dask cluster's workers" in printed.out
    model, metadata = load_model(out / "model.skimdb", return_metadata=True)
    assert metadata["training_data"].endswith("texts, streamed")
    assert main([*argv, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --backend dask" in capsys.readouterr().err
