"""Where the command line's texts and labels come from, and how scores print.

Without ``--data`` the commands use IMDB, its labels as names (``neg``,
``pos``) so that a trained model prints them; with it, the user's file, its
labels as written there.
"""

from pathlib import Path

import numpy as np

from ..datasets import TARGET_NAMES, load_labelled, load_splits
from ..model_selection import predict_with_scores, scores_of_predictions

__all__ = [
    "data_name",
    "evaluation",
    "evaluation_text",
    "texts_to_score",
    "train_test_texts",
]


def data_name(args):
    """What the data is called in titles: IMDB, or the file's name."""
    return "IMDB" if args.data is None else Path(args.data).name


def texts_to_score(args):
    """The texts, labels and name of what ``evaluate`` scores."""
    if args.data is None:
        _no_columns(args)
        X_train, y_train, X_test, y_test = _imdb_labels(load_splits(args.limit))
        if args.subset == "test":
            return X_test, y_test, "test"
        return X_train, y_train, "train"
    X, y = load_labelled(
        args.data, text_column=args.text_column, label_column=args.label_column
    )
    return X, y, str(args.data)


def train_test_texts(args):
    """Train and test texts and labels: IMDB's, or of --data."""
    if args.data is None:
        if args.test_data is not None:
            raise ValueError("--test-data needs --data: the file to train on")
        _no_columns(args)
        return _imdb_labels(load_splits(args.limit))
    return load_splits(
        args.limit,
        data=args.data,
        test_data=args.test_data,
        test_size=args.test_size,
        text_column=args.text_column,
        label_column=args.label_column,
    )


def _imdb_labels(splits):
    """IMDB's splits with the labels as names, so that models print them."""
    names = np.asarray(TARGET_NAMES)
    X_train, y_train, X_test, y_test = splits
    return X_train, names[y_train], X_test, names[y_test]


def _no_columns(args):
    for option in ("text_column", "label_column"):
        if getattr(args, option, None) is not None:
            flag = "--" + option.replace("_", "-")
            raise ValueError(f"{flag} needs --data: IMDB's columns are known")


def evaluation(pipe, X, y):
    """Scores of ``pipe`` on ``(X, y)`` as text, and its predictions."""
    predicted, scores, is_proba = predict_with_scores(pipe, X)
    return evaluation_text(pipe, y, predicted, scores, is_proba), predicted


def evaluation_text(pipe, y, predicted, scores, is_proba):
    """Scores of ``pipe``'s predictions as text."""
    result = scores_of_predictions(y, predicted, scores, is_proba, pipe.classes_)
    text = f"{len(y):,} reviews, accuracy {result['accuracy']:.4f}"
    if len(pipe.classes_) > 2:
        text += f", macro-F1 {result['macro_f1']:.4f}"
    for key, name in (("roc_auc", "ROC AUC"), ("log_loss", "log loss")):
        if not np.isnan(result[key]):
            text += f", {name} {result[key]:.4f}"
    return text
