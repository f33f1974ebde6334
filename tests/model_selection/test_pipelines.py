import numpy as np
import pytest
from sklearn.base import is_classifier

from sklearn_imdb.model_selection._pipelines import (
    available_pipelines,
    check_classes,
    describe_pipeline,
    named_pipeline,
)

from ..conftest import make_reviews, synthetic_reviews

EXPECTED = {
    "seed-net",
    "logreg",
    "bernoulli-nb",
    "multinomial-nb",
    "linear-svc",
    "tfidf-bigram-logreg",
    "nb-logreg",
    "nb-sgd",
    "nb-net",
    "nb-vote",
}


def test_named_pipelines_are_available():
    assert EXPECTED <= set(available_pipelines())
    assert all(describe_pipeline(name) for name in available_pipelines())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_pipeline_learns_from_text(name):
    rows = synthetic_reviews(40, "train")
    docs, y = [r[4] for r in rows], np.array([r[1] == "pos" for r in rows], int)
    pipe = named_pipeline(name)
    if name in ("seed-net", "nb-net"):  # tiny data: more, smaller steps
        pipe.set_params(clf__epochs=15, clf__batch_size=16)
    if name == "nb-vote":
        pipe.set_params(clf__net__epochs=15, clf__net__batch_size=16)
        pipe.set_params(clf__net2__epochs=15, clf__net2__batch_size=16)
    assert is_classifier(pipe)
    pipe.fit(docs, y)
    assert pipe.score(docs, y) > 0.9
    assert pipe.predict(
        ["a great wonderful film", "an awful boring waste"]
    ).tolist() == [1, 0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_pipeline_learns_three_classes_or_says_why_not(name):
    docs, y = make_reviews(150, seed=5, n_classes=3)
    labels = np.array(["neg", "pos", "meh"])[y]
    pipe = named_pipeline(name)
    if name not in available_pipelines(n_classes=3):
        with pytest.raises(ValueError, match="takes two classes only"):
            check_classes(name, 3)
        with pytest.raises(ValueError, match="needs two classes .*log-ratio"):
            pipe.fit(docs, labels)
        return
    check_classes(name, 3)
    if name == "seed-net":
        pipe.set_params(clf__epochs=30, clf__batch_size=16)
    pipe.fit(docs, labels)
    assert sorted(pipe.classes_) == ["meh", "neg", "pos"]
    assert pipe.score(docs, labels) > 0.9


def test_make_pipeline_sets_parameters_and_is_fresh():
    a = named_pipeline("logreg", clf__C=3.0, vec__num_words=500)
    assert a.named_steps["clf"].C == 3.0 and a.named_steps["vec"].num_words == 500
    assert named_pipeline("logreg").named_steps["clf"].C == 0.03


def test_unknown_names_and_parameters():
    with pytest.raises(ValueError, match="Did you mean 'logreg'"):
        named_pipeline("logreq")
    with pytest.raises(ValueError, match="Invalid parameter"):
        named_pipeline("logreg", clf__nope=1)
