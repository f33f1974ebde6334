"""Train and test splits: IMDB's, or of the user's own labelled texts."""

import numpy as np
from sklearn.model_selection import train_test_split

from ._imdb import fetch_imdb
from ._user_data import load_reviews

__all__ = ["load_labelled", "load_splits"]


def load_splits(
    limit=None,
    random_state=0,
    *,
    data=None,
    test_data=None,
    test_size=0.2,
    text_column=None,
    label_column=None,
):
    """Train and test splits: IMDB's, or of the user's labelled texts.

    Parameters
    ----------
    limit : int or None, default=None
        Number of texts to keep from each split (stratified); None keeps all.
    random_state : int, default=0
        Seed of the sample and of the split of ``data``.
    data : str or path-like or None, default=None
        A file or folder for :func:`~sklearn_imdb.load_reviews`; None loads
        IMDB's train and test splits.
    test_data : str or path-like or None, default=None
        A second file to test on; None holds out ``test_size`` of ``data``
        (stratified).
    test_size : float or int, default=0.2
        The held-out fraction (or number) of ``data`` when there is no
        ``test_data``.
    text_column, label_column : str or None, default=None
        Passed to :func:`~sklearn_imdb.load_reviews`.

    Returns
    -------
    X_train, y_train, X_test, y_test : lists of str and ndarrays
        Texts and labels; a file's labels as they appear in it.
    """
    if data is None:
        if test_data is not None:
            raise ValueError("test_data needs data: the file to train on.")
        splits = [fetch_imdb(subset=s, return_X_y=True) for s in ("train", "test")]
    else:
        columns = {"text_column": text_column, "label_column": label_column}
        X, y = load_labelled(data, **columns)
        if test_data is None:
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=test_size, stratify=y, random_state=random_state
            )
            splits = [(X_train, y_train), (X_test, y_test)]
        else:
            X_test, y_test = load_labelled(test_data, **columns)
            unknown = np.setdiff1d(y_test, y)
            if unknown.size:
                raise ValueError(
                    f"{test_data} has labels that {data} has not: "
                    f"{unknown[:5].tolist()}."
                )
            splits = [(X, y), (X_test, y_test)]
    if limit is not None and limit < 4:
        raise ValueError(f"limit must be at least 4 texts, got {limit}.")
    result = []
    for X, y in splits:
        if limit is not None and limit < len(X):
            X, _, y, _ = train_test_split(
                X, y, train_size=limit, stratify=y, random_state=random_state
            )
        result += [X, y]
    return tuple(result)


def load_labelled(path, *, text_column=None, label_column=None):
    """A labelled file's texts and labels, the labels as the file has them.

    Parameters
    ----------
    path : str or path-like
        A file or folder for :func:`~sklearn_imdb.load_reviews`.
    text_column, label_column : str or None, default=None
        Passed to :func:`~sklearn_imdb.load_reviews`.

    Returns
    -------
    X : list of str
        The texts.
    y : ndarray of shape (n_samples,)
        Their labels, as written in the file (not indices).
    """
    bunch = load_reviews(path, text_column=text_column, label_column=label_column)
    return bunch.data, np.asarray(bunch.target_names)[bunch.target]
