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
        ``predict_proba``), ``terms``, a DataFrame of ``term`` and
        ``contribution`` sorted from the most positive (pushing towards
        ``label``) to the most negative, and ``kind``: ``"linear"`` (the
        contributions add up to the decision's score, bar the intercept) or
        ``"removal"`` (each word's effect alone: for a network the effects
        do not add up, and a word may count for more once another is gone).
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
        kind = "linear" if hasattr(clf, "coef_") else "removal"
        if kind == "linear":
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
                kind=kind,
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


#: what a contribution is, for each kind of explanation
MEANING = {
    "linear": "a term's weight in the linear model times its value: the "
    "contributions add up to the model's score (bar its intercept)",
    "removal": "how much the predicted label's probability drops when the term "
    "alone is removed: for a network these effects do not add up, and a term "
    "may count for more once another is gone",
}

_STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .4rem; }
.about, .legend { color: #555; font-size: .9rem; }
.text { white-space: pre-wrap; border-left: 3px solid #ddd; padding-left: .8rem; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; }
.swatch { display: inline-block; width: .9rem; height: .9rem;
          vertical-align: middle; border-radius: 2px; }
table { border-collapse: collapse; font-size: .9rem; margin-top: .5rem; }
th, td { padding: .15rem .8rem .15rem 0; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
"""


def explanation_html(explanations, *, title=None):
    """A styled, self-contained HTML page of texts with their words coloured.

    Parameters
    ----------
    explanations : list of :class:`~sklearn.utils.Bunch`
        As :func:`explain` returns them.
    title : str or None, default=None
        What the page is about, e.g. the model file's name.

    Returns
    -------
    html : str
        One document with its style inside and no external requests: each
        text with every explained word highlighted, green towards the
        predicted label and red against it, more opaque the larger the
        contribution (its value on hover), a legend saying what a
        contribution is, and the table of its terms (n-grams included).
    """
    from html import escape

    kinds = {getattr(e, "kind", "removal") for e in explanations}
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
            f'<tr><td>{escape(str(term))}</td><td class="number">{value:+.4f}</td></tr>'
            for term, value in zip(terms["term"], terms["contribution"])
        )
        parts.append(
            f"<section><h2>Predicted: {escape(str(explanation.label))}"
            f'{probability}</h2><p class="text">{"".join(pieces)}</p>'
            f"<table><tr><th>term</th><th>contribution</th></tr>{rows}</table>"
            "</section>"
        )
    about = f'<p class="about">{escape(title)}</p>' if title else ""
    legend = (
        '<p class="legend"><span class="swatch" style="background:rgba(0,160,0,.6)">'
        "</span> pushes towards the predicted label &nbsp; "
        '<span class="swatch" style="background:rgba(220,0,0,.6)"></span> '
        "pushes against it; the stronger the colour, the larger the word's "
        "contribution (hover over a word for its value). A contribution is "
        + "; ".join(escape(MEANING[k]) for k in sorted(kinds))
        + ".</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Which words decide</title><style>{_STYLE}</style></head><body>"
        f"<h1>Which words decide</h1>{about}{legend}"
        + "".join(parts)
        + "</body></html>\n"
    )
