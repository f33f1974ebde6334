"""A corpus a chunk at a time, the scikit-learn way: iter_reviews, a hashing
vectorizer, naive Bayes weights from per-class counts and partial_fit."""

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline

from sklearn_imdb import (
    DenseNetworkClassifier,
    MultiHotVectorizer,
    NBFeatureWeighter,
    iter_reviews,
    load_model,
    save_model,
)

from .conftest import make_reviews


def test_a_file_streamed_through_hashing_weights_and_partial_fit(tmp_path):
    docs, y = make_reviews(400, seed=3)
    labels = np.array(["neg", "pos"])[y]
    path = tmp_path / "stream.csv"
    pd.DataFrame({"text": docs, "label": labels}).to_csv(path, index=False)

    vec = MultiHotVectorizer(vocabulary="hashing", num_words=2**14)
    weights = NBFeatureWeighter(norm="l2")
    clf = DenseNetworkClassifier(batch_size=32, random_state=0)
    clf.set_params(optimizer__learning_rate=0.01)
    # one pass for the weights, then epochs of chunks: memory a chunk's
    for texts, chunk_labels in iter_reviews(path, chunksize=64):
        weights.partial_fit(
            vec.partial_fit(texts).transform(texts),
            chunk_labels,
            classes=["neg", "pos"],
        )
    for epoch in range(5):
        for texts, chunk_labels in iter_reviews(path, chunksize=64):
            X = weights.transform(vec.transform(texts))
            clf.partial_fit(X, chunk_labels, classes=["neg", "pos"])
    pipe = make_pipeline(vec, weights, clf)
    assert pipe.score(docs, labels) > 0.95
    # the weights are those of one fit on the whole file
    whole = NBFeatureWeighter(norm="l2").fit(vec.transform(docs), labels)
    np.testing.assert_array_equal(weights.ratio_, whole.ratio_)
    # and the streamed pipeline saves and loads like any other
    path = save_model(pipe, tmp_path / "streamed.skimdb")
    loaded = load_model(path)
    assert loaded[0].vocabulary == "hashing"
    np.testing.assert_array_equal(loaded.predict(docs), pipe.predict(docs))
