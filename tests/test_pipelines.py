import numpy as np
import pytest
from sklearn.base import is_classifier

from sklearn_imdb.pipelines import (
    available_pipelines,
    describe_pipeline,
    named_pipeline,
)

from .conftest import synthetic_reviews

EXPECTED = {
    "seed-net",
    "logreg",
    "bernoulli-nb",
    "multinomial-nb",
    "linear-svc",
    "tfidf-bigram-logreg",
    "nb-logreg",
    "nb-net",
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
    assert is_classifier(pipe)
    pipe.fit(docs, y)
    assert pipe.score(docs, y) > 0.9
    assert pipe.predict(
        ["a great wonderful film", "an awful boring waste"]
    ).tolist() == [1, 0]


def test_make_pipeline_sets_parameters_and_is_fresh():
    a = named_pipeline("logreg", clf__C=3.0, vec__num_words=500)
    assert a.named_steps["clf"].C == 3.0 and a.named_steps["vec"].num_words == 500
    assert named_pipeline("logreg").named_steps["clf"].C == 0.1


def test_unknown_names_and_parameters():
    with pytest.raises(ValueError, match="Did you mean 'logreg'"):
        named_pipeline("logreq")
    with pytest.raises(ValueError, match="Invalid parameter"):
        named_pipeline("logreg", clf__nope=1)
