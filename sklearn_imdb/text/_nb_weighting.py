"""Naive Bayes log-count-ratio feature weighting (Wang & Manning, 2012)."""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.sparsefuncs_fast import (
    inplace_csr_row_normalize_l1,
    inplace_csr_row_normalize_l2,
)
from sklearn.utils.validation import (
    check_is_fitted,
    check_non_negative,
    validate_data,
)

from ..utils._validation import validated_rows

_CSR_NORMALIZE = {
    "l1": inplace_csr_row_normalize_l1,
    "l2": inplace_csr_row_normalize_l2,
}

__all__ = ["NBFeatureWeighter"]


class NBFeatureWeighter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each feature by its Naive Bayes log-count ratio.

    The feature weighting of NBSVM (Wang & Manning, "Baselines and Bigrams",
    ACL 2012): with ``p`` and ``q`` the smoothed feature totals over the
    positive and the negative samples, feature *j* is multiplied by
    ``r_j = log((p_j / |p|_1) / (q_j / |q|_1))``. A linear model on the
    weighted features is the strong bag-of-words baseline for sentiment.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive smoothing of the counts.
    norm : {"l1", "l2"} or None, default=None
        Scale each weighted row to unit norm, as ``TfidfTransformer``'s
        ``norm`` does: a review's features then have the same size whatever
        its length, so a model fitted on 230-word reviews does not see a
        one-line comment as a faint one.

    Attributes
    ----------
    ratio_ : ndarray of shape (n_features,)
        The log-count ratio of each feature (positive: evidence for the
        second class).
    classes_ : ndarray of shape (2,)
        The two classes.
    feature_count_ : ndarray of shape (2, n_features)
        Each class's feature totals (what :meth:`partial_fit` adds to).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_imdb import NBFeatureWeighter
    >>> X = np.array([[1, 0], [1, 1], [0, 1]])
    >>> NBFeatureWeighter().fit(X, [0, 0, 1]).ratio_.round(2)
    array([-0.59,  0.51])
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="neither")],
        "norm": [StrOptions({"l1", "l2"}), None],
    }

    def __init__(self, *, alpha=1.0, norm=None):
        self.alpha = alpha
        self.norm = norm

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the log-count ratios from ``X`` and binary labels ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative features (counts or multi-hot).
        y : array-like of shape (n_samples,)
            Two classes.

        Returns
        -------
        self : NBFeatureWeighter
            The fitted transformer.
        """
        for name in ("feature_count_", "n_features_in_", "classes_", "ratio_"):
            vars(self).pop(name, None)  # a new fit forgets what partial_fit held
        return self._count(X, y, None, whole=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None):
        """Add ``X``'s feature totals to each class's, and update the ratios.

        The counts of a stream of chunks give the ratios of the whole: after
        ``partial_fit`` on every chunk, ``ratio_`` is :meth:`fit`'s on all of
        them.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative features (counts or multi-hot).
        y : array-like of shape (n_samples,)
            Labels, each one of ``classes``.
        classes : array-like of shape (2,), default=None
            The two classes: required on the first call, as
            ``SGDClassifier.partial_fit`` asks, since a chunk may hold one.

        Returns
        -------
        self : NBFeatureWeighter
            The fitted transformer.
        """
        return self._count(X, y, classes, whole=False)

    def _count(self, X, y, classes, *, whole):
        first = not hasattr(self, "feature_count_")
        if first and hasattr(self, "ratio_"):
            raise ValueError(
                "this NBFeatureWeighter has ratios but not the counts behind them "
                "(it was loaded from a model file): fit it again to count anew."
            )
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            dtype=(np.float64, np.float32),
            reset=first,
        )
        check_non_negative(X, "NBFeatureWeighter (input X)")
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass") or (whole and kind != "binary"):
            raise ValueError(
                f"NBFeatureWeighter needs two classes (its weight is the log-ratio "
                f"of two classes' feature frequencies), got a {kind} target."
            )
        if first:
            classes = np.unique(y) if whole else classes
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "the two classes of the whole stream."
                )
            self.classes_ = np.unique(classes)
            if self.classes_.size != 2:
                raise ValueError(
                    "NBFeatureWeighter needs samples of both classes, but the data "
                    "contains only one class."
                    if whole
                    else f"NBFeatureWeighter needs two classes, got {len(classes)}."
                )
            self.feature_count_ = np.zeros((2, X.shape[1]))
        elif classes is not None and not np.array_equal(
            np.unique(classes), self.classes_
        ):
            raise ValueError(
                f"classes={list(classes)} is not the same as on the first call "
                f"to partial_fit: {self.classes_.tolist()}."
            )
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(
                f"y has labels {unknown.tolist()} that are not among the classes "
                f"{self.classes_.tolist()} given on the first call to partial_fit."
            )
        # as MultinomialNB counts: the one-hot labels' product with X
        one_hot = (np.asarray(y)[:, None] == self.classes_).astype(np.float64)
        self.feature_count_ += safe_sparse_dot(one_hot.T, X)
        return self._set_ratio()

    def _set_ratio(self):
        """``ratio_`` from ``feature_count_`` (also after adding counts up)."""
        # MultinomialNB's smoothed log feature probabilities are log(p/|p|_1)
        # and log(q/|q|_1): the ratio is their difference
        smoothed = self.feature_count_ + self.alpha
        log_prob = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
        self.ratio_ = log_prob[1] - log_prob[0]
        return self

    def transform(self, X):
        """Multiply each feature by its ratio, and normalise rows if ``norm``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Features.

        Returns
        -------
        X_weighted : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Sparse (CSR) when ``X`` is.
        """
        check_is_fitted(self)
        X = validated_rows(self, X, dtype=(np.float64, np.float32))
        if not sp.issparse(X):
            X = X * self.ratio_.astype(X.dtype)
            return X if self.norm is None else normalize(X, norm=self.norm, copy=False)
        X = X.copy()
        # the row's ratios, not all 500,000, cast (a third of one review's time)
        X.data *= self.ratio_[X.indices].astype(X.dtype)
        if self.norm in _CSR_NORMALIZE:
            # what ``normalize`` calls on CSR rows, without validating them
            # again (0.12 ms of one review's 0.9 ms)
            _CSR_NORMALIZE[self.norm](X)
        elif self.norm is not None:
            X = normalize(X, norm=self.norm, copy=False)
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        tags.target_tags.required = True
        return tags
