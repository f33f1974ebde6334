"""What scikeras 0.13 gets wrong for modern scikit-learn, fixed in one base class.

scikeras is no longer maintained; :class:`FixedKerasClassifier` is its
``KerasClassifier`` with these repairs, each tested in
``tests/test_sklearn_interop.py``:

- seeding local to the fit (scikeras sets ``np.random``, TensorFlow's global
  seed and ``TF_DETERMINISTIC_OPS`` process-wide, and maps every
  ``RandomState`` to seed 0);
- ``predict_proba`` of shape ``(n_samples, n_classes)`` also for one sample;
- class weights that never change the caller's ``sample_weight``;
- any scipy sparse input passed to Keras as canonical CSR, never a LIL copy;
- classifier tags for scikit-learn 1.6 to 1.9 (scikeras lists
  ``ClassifierMixin`` after ``BaseEstimator``).
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Tags, check_random_state
from sklearn.utils._tags import ClassifierTags, InputTags, TargetTags
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_array, check_consistent_length

from ..utils._keras import import_keras
from ._batches import canonical_csr

import_keras()

from scikeras.wrappers import BaseWrapper, KerasClassifier  # noqa: E402

__all__ = ["FixedKerasClassifier"]

# seeds stay int32 with the per-layer offsets added to them
_MAX_SEED = 2**31 - 1024


class _TagsRoot:
    """The end of the ``super().__sklearn_tags__()`` chain after ClassifierMixin.

    scikeras lists ClassifierMixin after BaseEstimator, so ClassifierMixin's
    ``super()`` would reach ``object``; scikit-learn 1.6 calls every
    ``__sklearn_tags__`` of the MRO (scikeras still defines ``_more_tags``)
    and failed there, so Pipelines and searches did not see a classifier.
    """

    def __sklearn_tags__(self):
        return Tags(estimator_type=None, target_tags=TargetTags(required=False))


class FixedKerasClassifier(KerasClassifier, _TagsRoot):
    """scikeras' ``KerasClassifier`` with the repairs listed in this module.

    Subclasses build their model in ``_keras_build_fn`` from ``self._seed``.
    """

    def fit(self, X, y, sample_weight=None, **kwargs):
        # KerasClassifier.fit multiplies the caller's sample_weight by the
        # class weights in place; BaseWrapper.fit is the rest of it. The
        # classes are learnt anew unless a warm start continues the model
        if not (self.warm_start and self.initialized_):
            self.classes_ = None
        sample_weight = self._weights(y, sample_weight)
        return BaseWrapper.fit(self, X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        # as fit: the class weights times a copy of sample_weight
        self.classes_ = (
            classes if classes is not None else getattr(self, "classes_", None)
        )
        sample_weight = self._weights(np.asarray(y), sample_weight)
        BaseWrapper.partial_fit(self, X, y, sample_weight=sample_weight, **kwargs)
        return self

    def predict_proba(self, X, **kwargs):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; also for one sample.
        """
        # scikeras squeezes the result: (2,) for a single review
        proba = super().predict_proba(X, **kwargs)
        return np.asarray(proba).reshape(-1, len(self.classes_))

    def predict(self, X, **kwargs):
        """The most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X, **kwargs)
        return self.classes_[np.argmax(proba, axis=1)]

    def _weights(self, y, sample_weight):
        """``sample_weight`` times the class weights, as a new array."""
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(self.class_weight, y)
        if sample_weight is None:
            return weights
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        check_consistent_length(sample_weight, y)
        return weights * sample_weight

    def __sklearn_tags__(self):
        # scikeras lists ClassifierMixin after BaseEstimator, so modern
        # scikit-learn would not see a classifier; declare it here.
        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(sparse=True),
            non_deterministic=self.random_state is None,
        )

    def _initialize(self, X, y=None):
        # scikeras seeds through process-wide state (np.random, the TF global
        # seed, TF_DETERMINISTIC_OPS) whenever _random_state is set, which is
        # neither thread-safe nor tidy; ours is local: the initializers, the
        # dropout layers and the batches' order all derive from self._seed
        self._seed = _draw_seed(self.random_state)
        self._random_state = None
        X, y = self._validate_data(X, y, reset=True)
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        if X is not None and not reset:
            shape = getattr(X, "shape", ())
            n_features = shape[1] if len(shape) == 2 else self.n_features_in_
            if n_features != self.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input."
                )
        if X is None or not sp.issparse(X):
            X, y = super()._validate_data(X, y, reset=reset, y_numeric=y_numeric)
            if reset and X is not None:
                self.X_sparse_ = False
            return X, y
        # scikeras converts sparse input to a LIL copy; CSR goes to Keras as
        # is, in the canonical form TensorFlow requires (sorted, unique
        # indices: CountVectorizer and column subsets give neither), made on
        # a copy so that the caller's matrix is never changed
        X = canonical_csr(
            check_array(X, accept_sparse="csr", dtype=(np.float32, np.float64))
        )
        if y is not None:
            check_consistent_length(X, y)
            _, y = super()._validate_data(None, y, reset=reset, y_numeric=y_numeric)
        if reset:
            self.X_dtype_, self.X_shape_ = X.dtype, X.shape
            self.n_features_in_, self.X_sparse_ = X.shape[1], True
        return X, y


def _draw_seed(random_state):
    """An int seed: the int given, or one drawn from a ``RandomState``.

    ``None`` draws from fresh entropy, not from ``np.random``'s global state.
    """
    if random_state is None:
        return int(np.random.default_rng().integers(_MAX_SEED))
    if isinstance(random_state, numbers.Integral):
        return int(random_state) % _MAX_SEED
    return int(check_random_state(random_state).randint(_MAX_SEED))
