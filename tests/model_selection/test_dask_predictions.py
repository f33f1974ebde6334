"""dask_predictions: a fitted pipeline predicting Dask collections on a LocalCluster."""

import numpy as np
import pandas as pd
import pytest

from sklearn_imdb import dask_predictions, load_model, named_pipeline, save_model

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
