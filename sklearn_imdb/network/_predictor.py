"""A fitted network as an estimator predicting in NumPy: what ``load_model`` returns.

:class:`DenseNetworkPredictor` holds a network's parameters, classes and
weights and predicts through ``_forward``, so that a loaded pipeline
predicts, explains and scores without importing TensorFlow. Training it
again (``fit``, ``partial_fit``) starts Keras then, through a
:class:`~sklearn_imdb.DenseNetworkClassifier` holding its weights.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._tags import InputTags
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import validated_rows
from ._forward import forward
from ._parameters import PARAMETERS_DOC, ROUTING_PREFIXES, NetworkParameters

__all__ = ["DenseNetworkPredictor"]


class DenseNetworkPredictor(NetworkParameters, ClassifierMixin, BaseEstimator):
    """A fitted :class:`~sklearn_imdb.DenseNetworkClassifier` predicting with NumPy.

    What :func:`~sklearn_imdb.load_model` makes of a saved network: its
    parameters, classes and weights, and predictions computed from them
    without TensorFlow (the Keras model's to float32 rounding, dropout off).
    ``fit``, ``partial_fit`` and ``to_classifier`` start TensorFlow and train
    or return a :class:`~sklearn_imdb.DenseNetworkClassifier` holding these
    weights (``warm_start=True`` continues from them); predictions stay in
    NumPy.

    Its parameters are :class:`~sklearn_imdb.DenseNetworkClassifier`'s, which
    it trains with; they do not change its predictions, which come from the
    weights.

    %(parameters)s
    Attributes
    ----------
    coefs_ : list of ndarray
        Each layer's kernel, of shape (fan-in, fan-out), as in scikit-learn's
        ``MLPClassifier``.
    intercepts_ : list of ndarray
        Each layer's bias.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of input features.
    X_sparse_ : bool
        Whether the network was trained on sparse input.
    history_ : dict of lists
        After ``fit`` or ``partial_fit`` here, the training history.

    See Also
    --------
    sklearn_imdb.DenseNetworkClassifier : The estimator it stands for.
    sklearn_imdb.load_model : Returns pipelines ending in one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_imdb.network import DenseNetworkPredictor
    >>> net = DenseNetworkPredictor.from_arrays(
    ...     [np.eye(2, dtype=np.float32), np.ones((2, 1), dtype=np.float32)],
    ...     [np.zeros(2, dtype=np.float32), np.full(1, -1, dtype=np.float32)],
    ...     classes=["neg", "pos"], hidden_layers=1, units=2)
    >>> net.predict(np.array([[0.0, 0.0], [2.0, 1.0]])).tolist()
    ['neg', 'pos']
    """

    @classmethod
    def from_arrays(cls, coefs, intercepts, classes, *, sparse=True, **params):
        """A predictor of these weights and classes.

        Parameters
        ----------
        coefs, intercepts : list of ndarray
            Each Dense layer's kernel and bias, in float32.
        classes : array-like of shape (n_classes,)
            The class labels (two give one sigmoid output).
        sparse : bool, default=True
            Whether the network reads sparse input.
        **params : dict
            Parameters of :class:`~sklearn_imdb.DenseNetworkClassifier`.

        Returns
        -------
        predictor : DenseNetworkPredictor
            The fitted predictor.
        """
        from ._architecture import weight_shapes

        net = cls(**params)
        net._validate_params()
        net.classes_ = np.asarray(classes)
        net.coefs_ = [np.asarray(c) for c in coefs]
        net.intercepts_ = [np.asarray(b) for b in intercepts]
        net.n_features_in_ = net.coefs_[0].shape[0] if net.coefs_ else 0
        net.X_sparse_ = bool(sparse)
        shapes = weight_shapes(
            net.n_features_in_,
            net.classes_.size,
            hidden_layers=net.hidden_layers,
            units=net.units,
        )
        arrays = net.get_weights()
        if [a.shape for a in arrays] != shapes or any(
            a.dtype != np.float32 for a in arrays
        ):
            raise ValueError(
                "the network's weights do not match its architecture: expected float32 "
                f"arrays of shapes {shapes}"
            )
        return net

    @classmethod
    def from_classifier(cls, classifier):
        """The predictor of a fitted :class:`~sklearn_imdb.DenseNetworkClassifier`.

        Parameters
        ----------
        classifier : DenseNetworkClassifier
            A fitted classifier.

        Returns
        -------
        predictor : DenseNetworkPredictor
            Its parameters and a copy of its weights.
        """
        weights = classifier.model_.get_weights()
        return cls.from_arrays(
            weights[::2],
            weights[1::2],
            classifier.classes_,
            sparse=classifier.X_sparse_,
            **classifier.get_params(deep=False),
        )

    def get_weights(self):
        """The weights in ``keras.Model.get_weights()`` order.

        Returns
        -------
        weights : list of ndarray
            Kernel and bias, layer by layer.
        """
        check_is_fitted(self, "coefs_")
        return [a for pair in zip(self.coefs_, self.intercepts_) for a in pair]

    def set_params(self, **params):
        """Set parameters, routed ones (``optimizer__learning_rate``) included.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : DenseNetworkPredictor
            The estimator.
        """
        routed = {
            k: v for k, v in params.items() if k.split("__")[0] in ROUTING_PREFIXES
        }
        vars(self).update(routed)
        return super().set_params(
            **{k: v for k, v in params.items() if k not in routed}
        )

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self, "coefs_")
        X = validated_rows(self, X, dtype=(np.float32, np.float64))
        outputs = forward(X, self.coefs_, self.intercepts_, self.activation)
        if outputs.shape[1] == 1:  # one sigmoid unit: scikeras' two columns
            outputs = np.column_stack([1 - outputs, outputs])
        return outputs

    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy of :meth:`predict` on ``X`` against ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        score : float
            The fraction of samples predicted right.
        """
        return super().score(X, y, sample_weight=sample_weight)

    def to_classifier(self):
        """A :class:`~sklearn_imdb.DenseNetworkClassifier` with these weights.

        Starts TensorFlow and builds the Keras model.

        Returns
        -------
        classifier : DenseNetworkClassifier
            Fitted, predicting as this predictor to float32 rounding.
        """
        from ._classifier import DenseNetworkClassifier

        check_is_fitted(self, "coefs_")
        clf = DenseNetworkClassifier(**self.get_params(deep=False))
        shape = (self.classes_.size, self.n_features_in_)
        empty = (
            sp.csr_matrix(shape, dtype=np.float32)
            if self.X_sparse_
            else np.zeros(shape, dtype=np.float32)
        )
        clf.initialize(empty, self.classes_)
        clf.model_.set_weights(self.get_weights())
        return clf

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train with Keras, as :meth:`DenseNetworkClassifier.fit` does.

        From these weights when ``warm_start`` is true, from new ones otherwise.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : DenseNetworkPredictor
            With the trained weights.
        """
        return self._train("fit", X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train one epoch with Keras, as :meth:`DenseNetworkClassifier.partial_fit`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            All classes, on the first call of an unfitted predictor.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : DenseNetworkPredictor
            With the trained weights.
        """
        return self._train(
            "partial_fit", X, y, classes=classes, sample_weight=sample_weight, **kwargs
        )

    def _train(self, method, X, y, **kwargs):
        # the Keras classifier is kept between calls, so that partial_fit
        # keeps its optimizer's state as DenseNetworkClassifier's does
        clf = getattr(self, "_classifier", None)
        if clf is None or clf.get_params(deep=False) != self.get_params(deep=False):
            from ._classifier import DenseNetworkClassifier

            fitted = hasattr(self, "coefs_")
            keep = fitted and (method == "partial_fit" or self.warm_start)
            clf = (
                self.to_classifier()
                if keep
                else DenseNetworkClassifier(**self.get_params(deep=False))
            )
        getattr(clf, method)(X, y, **kwargs)
        fitted = type(self).from_classifier(clf)
        vars(self).update(
            {k: v for k, v in vars(fitted).items() if k.endswith("_")},
            history_=clf.history_,
            _classifier=clf,
        )
        return self

    def __getstate__(self):
        state = dict(vars(self))
        state.pop("_classifier", None)  # the Keras model: rebuilt when trained
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = InputTags(sparse=True)
        tags.non_deterministic = self.random_state is None
        return tags


DenseNetworkPredictor.__doc__ %= {"parameters": PARAMETERS_DOC}
