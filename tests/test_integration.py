"""On the real IMDB data (skipped, with the reason shown, without it)."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from sklearn_imdb import MultiHotVectorizer, explain, named_pipeline, tokenize

from .conftest import vectorize_sequences


def test_vectorizer_on_real_reviews(imdb):
    train, test = imdb
    vec = MultiHotVectorizer(num_words=10000)
    X_train, X_test = vec.fit_transform(train.data), vec.transform(test.data)
    assert X_train.shape == X_test.shape == (25000, 10000)
    assert vec.get_feature_names_out()[:5].tolist() == ["the", "and", "a", "of", "to"]
    # every review keeps some words; none has more ones than distinct tokens
    sample = range(0, 25000, 997)
    for i in sample:
        assert 0 < X_test[i].nnz <= len(set(tokenize(test.data[i])))
    model = LogisticRegression(C=0.1, max_iter=1000).fit(X_train, train.target)
    assert model.score(X_test, test.target) > 0.875


def test_token_id_path_equals_the_notebook_on_real_sequences(imdb):
    train, _ = imdb
    vec = MultiHotVectorizer(num_words=10000).fit(train.data)
    ids = [
        [vec.vocabulary_.get(w, 10000 + len(w)) for w in tokenize(doc)]
        for doc in train.data[:300]
    ]
    X = MultiHotVectorizer(num_words=10000).fit_transform(ids)
    np.testing.assert_array_equal(X.toarray(), vectorize_sequences(ids, 10000))


def test_seed_pipeline_reproduces_the_notebook_and_explains_itself(imdb):
    train, test = imdb
    pipe = named_pipeline("seed-net").fit(train.data, train.target)
    assert pipe.score(test.data, test.target) >= 0.875
    assert len(pipe[-1].history_["loss"]) == 4
    (result,) = explain(pipe, ["A wonderful, moving film with a dreadful ending."])
    terms = dict(zip(result.terms["term"], result.terms["contribution"]))
    assert terms["wonderful"] > 0 and terms["moving"] > 0 and terms["dreadful"] < 0
