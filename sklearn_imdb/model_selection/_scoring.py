"""Scores of a fitted classifier on labelled texts, for two classes or more."""

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    roc_auc_score,
)

__all__ = [
    "classification_scores",
    "expected_calibration_error",
    "predict_with_scores",
    "scores_of_predictions",
]


def predict_with_scores(pipe, X):
    """Predict the labels and scores of a classifier in one pass over ``X``.

    Parameters
    ----------
    pipe : fitted classifier or pipeline
        With ``predict_proba`` or ``decision_function``.
    X : list of str
        The texts.

    Returns
    -------
    predicted : ndarray of shape (n_samples,)
        The predicted labels, as ``pipe.predict(X)`` gives them.
    scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        For two classes, P(second class) or the decision function; for more,
        one column per class.
    is_proba : bool
        Whether ``scores`` are probabilities.
    """
    if hasattr(pipe, "predict_proba"):
        scores = pipe.predict_proba(X)
        predicted = pipe.classes_[scores.argmax(axis=1)]
        return predicted, (scores[:, 1] if scores.shape[1] == 2 else scores), True
    scores = pipe.decision_function(X)
    if scores.ndim == 1:
        return pipe.classes_[(scores > 0).astype(int)], scores, False
    return pipe.classes_[scores.argmax(axis=1)], scores, False


def classification_scores(pipe, X, y):
    """Accuracy, macro-F1, ROC AUC, log loss and Brier score of ``pipe``.

    Parameters
    ----------
    pipe : fitted classifier or pipeline
        With ``predict_proba`` or ``decision_function``.
    X : list of str
        The texts.
    y : array-like of shape (n_samples,)
        Their true labels.

    Returns
    -------
    scores : dict of str to float
        ``accuracy``, ``macro_f1``, ``roc_auc`` (one-vs-rest averaged for
        several classes), ``log_loss``, and for two classes ``brier`` and
        ``ece`` (:func:`expected_calibration_error`). A score
        the model cannot give is NaN: log loss without probabilities, ROC AUC
        from several classes' decision functions (they are not
        probabilities), the Brier score for more than two classes, or ROC AUC
        when ``y`` lacks a class.
    """
    predicted, scores, is_proba = predict_with_scores(pipe, X)
    return scores_of_predictions(y, predicted, scores, is_proba, pipe.classes_)


def scores_of_predictions(y, predicted, scores, is_proba, classes):
    """:func:`classification_scores` from :func:`predict_with_scores`' output.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The true labels.
    predicted : ndarray of shape (n_samples,)
        The predicted labels.
    scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        The scores, as :func:`predict_with_scores` returns them.
    is_proba : bool
        Whether ``scores`` are probabilities.
    classes : ndarray of shape (n_classes,)
        The model's ``classes_``.

    Returns
    -------
    scores : dict of str to float
        As :func:`classification_scores`.
    """
    binary = len(classes) == 2
    result = {
        "accuracy": accuracy_score(y, predicted),
        "macro_f1": f1_score(y, predicted, average="macro", labels=classes),
        "roc_auc": np.nan,
        "log_loss": np.nan,
        "brier": np.nan,
        "ece": np.nan,
    }
    if len(np.unique(y)) == len(classes) and (binary or is_proba):
        result["roc_auc"] = roc_auc_score(
            y, scores, multi_class="ovr", labels=None if binary else classes
        )
    if is_proba:
        proba = np.column_stack([1 - scores, scores]) if binary else scores
        result["log_loss"] = log_loss(y, proba, labels=classes)
        if binary:
            result["brier"] = brier_score_loss(y, scores, pos_label=classes[1])
            result["ece"] = expected_calibration_error(
                np.asarray(y) == classes[1], scores
            )
    return result


def expected_calibration_error(y_true, proba, *, n_bins=10):
    """How far predicted probabilities are from observed frequencies.

    The gaps of the reliability diagram (:func:`sklearn.calibration.calibration_curve`
    with uniform bins), weighted by the share of samples in each bin.
    scikit-learn has the curve but not this summary of it.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary outcomes (bool or 0/1).
    proba : array-like of shape (n_samples,)
        Predicted probabilities of the positive outcome.
    n_bins : int, default=10
        Equal-width bins of ``[0, 1]``.

    Returns
    -------
    ece : float
        The sum over bins of (share of samples) x |mean outcome - mean
        probability|: 0 for perfect calibration.

    Examples
    --------
    >>> round(expected_calibration_error([0, 1, 1, 1], [0.1, 0.9, 0.9, 0.9]), 6)
    0.1
    """
    y_true = np.asarray(y_true, dtype=float)
    proba = np.asarray(proba, dtype=float)
    bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    gap = np.bincount(bins, y_true - proba, minlength=n_bins)
    return float(np.abs(gap).sum() / max(count.sum(), 1))
