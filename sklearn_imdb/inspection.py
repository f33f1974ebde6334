"""Which words decide: per-text contributions and each class's strongest words.

For a linear final step a word's contribution is exact: its coefficient times
its feature value. For any other classifier (the network) it is the change in
the predicted class's probability when that one feature is removed: one
batched prediction per text over its non-zero features, exact for multi-hot
input, where removing a word from the text zeroes exactly its column.
"""

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils import Bunch
from sklearn.utils.validation import check_is_fitted

from .text._tokenizer import word_spans

__all__ = ["explain", "explanation_html", "top_features"]


def explain(pipe, texts, *, top=10):
    """The words of each text with their contribution to its predicted class.

    Parameters
    ----------
    pipe : Pipeline
        A fitted pipeline whose steps before the last name their features
        (``get_feature_names_out``), e.g. any named pipeline.
    texts : list of str
        The texts to explain.
    top : int, default=10
        Keep the ``top`` words of largest absolute contribution.

    Returns
    -------
    explanations : list of :class:`~sklearn.utils.Bunch`
        One per text: ``text``, ``label`` (the predicted class),
        ``probability`` (its probability, or None for a model without
        ``predict_proba``) and ``terms``, a DataFrame of ``term`` and
        ``contribution`` sorted from the most positive (pushing towards
        ``label``) to the most negative.
    """
    check_is_fitted(pipe)
    if isinstance(texts, str):
        raise ValueError("explain expects a list of texts, got a single string.")
    features, clf = pipe[:-1], pipe[-1]
    names = np.asarray(features.get_feature_names_out(), dtype=object)
    X = sp.csr_matrix(features.transform(list(texts)))
    results = []
    for i, text in enumerate(texts):
        row = X[i]
        columns = row.indices
        if hasattr(clf, "coef_"):
            label, proba, contribution = _linear(clf, row)
        else:
            label, proba, contribution = _by_removal(clf, row)
        terms = pd.DataFrame({"term": names[columns], "contribution": contribution})
        keep = terms["contribution"].abs().nlargest(top).index
        terms = terms.loc[keep].sort_values("contribution", ascending=False)
        results.append(
            Bunch(
                text=text,
                label=label,
                probability=proba,
                terms=terms.reset_index(drop=True),
            )
        )
    return results


def _linear(clf, row):
    """Coefficient times value, for the predicted class."""
    coef = np.atleast_2d(clf.coef_)
    k = int(np.flatnonzero(clf.classes_ == clf.predict(row)[0])[0])
    probability = (
        float(clf.predict_proba(row)[0, k]) if hasattr(clf, "predict_proba") else None
    )
    if coef.shape[0] == 1:  # binary: one row of coefficients, for classes_[1]
        weights = coef[0] if k == 1 else -coef[0]
    else:
        weights = coef[k]
    return clf.classes_[k], probability, weights[row.indices] * row.data


def _by_removal(clf, row):
    """The drop in the predicted class's probability when a feature goes."""
    proba = clf.predict_proba(row)[0]
    k = int(np.argmax(proba))
    n = row.nnz
    if not n:
        return clf.classes_[k], float(proba[k]), np.zeros(0)
    # n copies of the row, the j-th without its j-th feature
    without = sp.csr_matrix(
        (
            np.tile(row.data, n),
            np.tile(row.indices, n),
            np.arange(n + 1) * n,
        ),
        shape=(n, row.shape[1]),
    )
    without.data[np.arange(n) * n + np.arange(n)] = 0
    without.eliminate_zeros()
    dropped = clf.predict_proba(without)[:, k]
    return clf.classes_[k], float(proba[k]), proba[k] - dropped


def top_features(pipe, *, n=20):
    """The words most associated with each class.

    Parameters
    ----------
    pipe : Pipeline
        A fitted pipeline whose steps before the last name their features.
    n : int, default=20
        Words per class.

    Returns
    -------
    words : dict of class label to DataFrame
        For each class, ``term`` and ``score``, strongest first: the linear
        coefficient for that class, or for any other classifier the
        probability of that class given that word alone minus given no word.
    """
    check_is_fitted(pipe)
    features, clf = pipe[:-1], pipe[-1]
    names = np.asarray(features.get_feature_names_out(), dtype=object)
    classes = clf.classes_
    if hasattr(clf, "coef_"):
        coef = np.atleast_2d(clf.coef_)
        scores = np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef
    else:
        # each term alone, as a text of its own, through the feature steps
        alone = features.transform(names.tolist())
        empty = features.transform([""])
        scores = (clf.predict_proba(alone) - clf.predict_proba(empty)).T
    return {
        label: pd.DataFrame(
            {"term": names[order], "score": scores[k][order]}
        ).reset_index(drop=True)
        for k, label in enumerate(classes)
        for order in [np.argsort(-scores[k], kind="stable")[:n]]
    }


def explanation_html(explanations):
    """An HTML page of texts with their words coloured by contribution.

    Parameters
    ----------
    explanations : list of :class:`~sklearn.utils.Bunch`
        As :func:`explain` returns them.

    Returns
    -------
    html : str
        A standalone page: each text with every explained word highlighted,
        green towards the predicted class and red against it, more opaque the
        larger the contribution (shown on hover), and below it the table of
        its terms (n-grams included).
    """
    from html import escape

    parts = []
    for explanation in explanations:
        terms = explanation.terms
        largest = max(terms["contribution"].abs().max(), 1e-12) if len(terms) else 1
        weight = dict(zip(terms["term"], terms["contribution"]))
        text, pieces, position = explanation.text, [], 0
        for start, end, word in word_spans(text):
            if word not in weight:
                continue
            value = weight[word]
            colour = "0,160,0" if value > 0 else "220,0,0"
            pieces += [
                escape(text[position:start]),
                f'<mark style="background:rgba({colour},'
                f'{0.15 + 0.75 * abs(value) / largest:.2f})" '
                f'title="{value:+.4f}">{escape(text[start:end])}</mark>',
            ]
            position = end
        pieces.append(escape(text[position:]))
        probability = (
            ""
            if explanation.probability is None
            else f" (probability {explanation.probability:.3f})"
        )
        rows = "".join(
            f"<tr><td>{escape(str(term))}</td><td>{value:+.4f}</td></tr>"
            for term, value in zip(terms["term"], terms["contribution"])
        )
        parts.append(
            f"<section><h2>Predicted: {escape(str(explanation.label))}"
            f"{probability}</h2><p>{''.join(pieces)}</p>"
            f"<table><tr><th>term</th><th>contribution</th></tr>{rows}</table>"
            "</section>"
        )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        "<title>Which words decide</title></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
