"""load_splits: IMDB's splits sampled, or a file's split or paired with another."""

import numpy as np
import pandas as pd
import pytest

from sklearn_imdb import load_splits

from ..conftest import make_reviews


def test_load_splits_limit_is_stratified(small_archive):
    X_train, y_train, X_test, y_test = load_splits(limit=20)
    assert len(X_train) == len(X_test) == 20
    assert y_train.mean() == y_test.mean() == 0.5
    assert len(load_splits()[0]) == 120


def test_load_splits_of_a_file(tmp_path):
    docs, y = make_reviews(100, seed=2, n_classes=2)
    labels = np.array(["bad", "good"])[y]
    pd.DataFrame({"text": docs, "label": labels}).to_csv(tmp_path / "a.csv")
    X_train, y_train, X_test, y_test = load_splits(
        data=tmp_path / "a.csv", test_size=0.25
    )
    assert len(X_train) == 75 and len(X_test) == 25
    assert sorted(X_train + X_test) == sorted(docs)
    assert (y_test == "good").sum() in (12, 13)  # stratified
    pd.DataFrame({"text": docs[:4], "label": ["bad", "ugly"] * 2}).to_csv(
        tmp_path / "b.csv"
    )
    with pytest.raises(ValueError, match="labels that .* has not: \\['ugly'\\]"):
        load_splits(data=tmp_path / "a.csv", test_data=tmp_path / "b.csv")
    with pytest.raises(ValueError, match="test_data needs data"):
        load_splits(test_data=tmp_path / "b.csv")
