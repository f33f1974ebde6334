"""scikit-learn's estimator checks on the classifier.

The vectorizer takes text, for which scikit-learn's common checks skip every
data check (as for CountVectorizer); its API checks are in
test_vectorizer.py.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_imdb import DenseNetworkClassifier

EXPECTED_FAILURES = {
    "check_estimator_tags_renamed": (
        "scikeras 0.13's BaseWrapper defines the pre-1.6 `_more_tags`, which "
        "scikit-learn ignores; DenseNetworkClassifier declares its tags with "
        "`__sklearn_tags__`."
    ),
    "check_mixin_order": (
        "scikeras' KerasClassifier lists ClassifierMixin after BaseEstimator and "
        "reordering in a subclass is an MRO error; `__sklearn_tags__` declares a "
        "classifier instead (tested in test_classifier.py)."
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "stochastic mini-batch training: weighting a sample is not the same "
        "gradient path as repeating it."
    ),
    "check_sample_weight_equivalence_on_sparse_data": (
        "stochastic mini-batch training: weighting a sample is not the same "
        "gradient path as repeating it."
    ),
}


@parametrize_with_checks(
    [
        DenseNetworkClassifier(
            epochs=30, batch_size=32, units=32, optimizer="adam", random_state=0
        )
    ],
    expected_failed_checks=lambda est: EXPECTED_FAILURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
