"""classification_scores and predict_with_scores for two classes and more."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score

from sklearn_imdb import classification_scores, named_pipeline, predict_with_scores

from ..conftest import make_reviews


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", ["logreg", "linear-svc", "multinomial-nb"])
def test_scores_match_sklearns_metrics(name, n_classes):
    docs, y = make_reviews(150, seed=4, n_classes=n_classes)
    labels = np.array(["neg", "pos", "meh"])[y]
    train = np.arange(len(docs)) % 3 != 0
    pipe = named_pipeline(name).fit(
        [d for d, t in zip(docs, train) if t], labels[train]
    )
    X = [d for d, t in zip(docs, train) if not t] + ["great dull", "the film"]
    y_test = np.r_[labels[~train], ["pos", "neg"]]
    predicted, scores, is_proba = predict_with_scores(pipe, X)
    assert predicted.tolist() == pipe.predict(X).tolist()
    assert scores.shape == ((len(X),) if n_classes == 2 else (len(X), n_classes))
    result = classification_scores(pipe, X, y_test)
    assert result["accuracy"] == accuracy_score(y_test, pipe.predict(X))
    assert result["macro_f1"] == f1_score(y_test, pipe.predict(X), average="macro")
    if is_proba:
        proba = pipe.predict_proba(X)
        assert result["log_loss"] == pytest.approx(log_loss(y_test, proba))
        assert result["roc_auc"] == pytest.approx(
            roc_auc_score(
                y_test, proba if n_classes > 2 else proba[:, 1], multi_class="ovr"
            )
        )
        assert np.isnan(result["brier"]) == (n_classes > 2)
    else:  # no probabilities: no log loss, and no ROC AUC from several margins
        assert np.isnan(result["log_loss"]) and np.isnan(result["brier"])
        assert np.isnan(result["roc_auc"]) == (n_classes > 2)
