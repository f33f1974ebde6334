"""How each kind of fitted step is written into a model file and rebuilt from it.

:func:`dump_step` turns a step into JSON-able parameters plus ``.npy``
members; :func:`load_step` rebuilds it from an allow-list of kinds, each
checked (parameters by the estimator's own constraints, arrays by shape and
dtype) before anything is built.
"""

import json

import numpy as np

from ..text import MultiHotVectorizer
from ..text._ngrams import HASH_SEEDS, hash_ngrams
from ..text._vocabulary import key_index
from ._format import decode, encode, load_npy, loads, npy, plain

__all__ = ["dump_step", "load_step"]

# linear models and naive Bayes: the fitted arrays they predict with, the
# first one of shape (..., n_features). skops.io was weighed for these steps:
# it would bring a dependency and its own lists of trusted types, where this
# allow-list of seven kinds, each rebuilt from its arrays and parameters
# validated by the estimator's own constraints, is smaller and stricter.
_ARRAYS = {
    "LogisticRegression": ("coef_", "intercept_", "classes_"),
    "LinearSVC": ("coef_", "intercept_", "classes_"),
    "SGDClassifier": ("coef_", "intercept_", "classes_"),
    "MultinomialNB": ("feature_log_prob_", "class_log_prior_", "classes_"),
    "BernoulliNB": ("feature_log_prob_", "class_log_prior_", "classes_"),
    "ComplementNB": ("feature_log_prob_", "class_log_prior_", "classes_"),
    "NBFeatureWeighter": ("ratio_", "classes_"),
}
# a VotingClassifier is stored as its members (networks or the kinds above,
# not other votes) and these parameters; weights are checked by its constraints
_VOTING_PARAMS = ("voting", "weights", "flatten_transform")


def dump_step(step, prefix, members, *, member=False):
    """Add ``step``'s arrays to ``members`` under ``prefix``; return its manifest
    entry. ``member``: a vote's member (which cannot itself be a vote)."""
    kind = type(step).__name__
    if kind == "VotingClassifier" and not member:
        names = [name for name, est in step.estimators if est != "drop"]
        if len(names) != len(step.estimators):
            raise TypeError("save_model cannot store a vote with dropped members.")
        members[f"{prefix}.classes.npy"] = npy(plain(step.classes_))
        return {
            "kind": kind,
            "params": _params(step, only=_VOTING_PARAMS),
            "estimators": [
                {"name": name, **dump_step(est, f"{prefix}.{i}", members, member=True)}
                for i, (name, est) in enumerate(zip(names, step.estimators_))
            ],
        }
    if isinstance(step, MultiHotVectorizer):
        state = {
            "params": _params(step, dtype=np.dtype(step.dtype).name),
            "input_type": step.input_type_,
            "n_features_out": step.n_features_out_,
            "hash_seed": getattr(step, "hash_seed_", None),
            "vocabulary": list(step.vocabulary_)
            if step.input_type_ == "text"
            else None,
        }
        members[f"{prefix}.json"] = json.dumps(state).encode()
        if step.idf_ is not None:
            members[f"{prefix}.idf.npy"] = npy(step.idf_)
        return {"kind": kind}
    if kind == "DenseNetworkClassifier":
        weights = step.model_.get_weights()
        for k, array in enumerate(weights):
            members[f"{prefix}.weight{k}.npy"] = npy(array)
        members[f"{prefix}.classes.npy"] = npy(plain(step.classes_))
        return {
            "kind": kind,
            "params": _params(step),
            "n_features": int(step.n_features_in_),
            "sparse": bool(step.X_sparse_),
        }
    if kind in _ARRAYS:
        for attr in _ARRAYS[kind]:
            members[f"{prefix}.{attr}.npy"] = npy(plain(getattr(step, attr)))
        return {"kind": kind, "params": _params(step)}
    raise TypeError(f"save_model cannot store a {kind} step.")


def load_step(spec, prefix, members, *, member=False):
    """The fitted step a manifest entry and its members describe."""
    kind = spec["kind"]
    if kind == "VotingClassifier" and not member:
        return _load_voting(spec, prefix, members)
    if kind == "MultiHotVectorizer":
        return _load_vectorizer(prefix, members)
    if kind == "DenseNetworkClassifier":
        return _load_network(spec, prefix, members)
    if kind in _ARRAYS:
        step = _estimator_class(kind)(**decode(spec["params"]))
        step._validate_params()
        for attr in _ARRAYS[kind]:
            setattr(step, attr, load_npy(members[f"{prefix}.{attr}.npy"]))
        first = getattr(step, _ARRAYS[kind][0])
        step.n_features_in_ = np.shape(first)[-1]
        return step
    raise ValueError(f"unknown step kind {kind!r}")


def _load_voting(spec, prefix, members):
    """A fitted soft or hard vote of stored members (themselves not votes)."""
    from sklearn.ensemble import VotingClassifier
    from sklearn.preprocessing import LabelEncoder
    from sklearn.utils import Bunch

    params = decode(spec["params"])
    if set(params) != set(_VOTING_PARAMS):
        raise ValueError(f"a vote's parameters are {sorted(_VOTING_PARAMS)}")
    fitted = [
        (member["name"], load_step(member, f"{prefix}.{i}", members, member=True))
        for i, member in enumerate(spec["estimators"])
    ]
    vote = VotingClassifier(fitted, **params)
    vote._validate_params()
    vote._validate_names([name for name, _ in fitted])
    if not fitted or (vote.weights is not None and len(vote.weights) != len(fitted)):
        raise ValueError("a vote needs members, and a weight for each if weighted")
    classes = load_npy(members[f"{prefix}.classes.npy"])
    if classes.ndim != 1 or np.unique(classes).size != classes.size:
        raise ValueError("the vote's classes are invalid")
    if any(est.classes_.size != classes.size for _, est in fitted):
        raise ValueError("the vote's members do not have its number of classes")
    vote.estimators_ = [est for _, est in fitted]
    vote.named_estimators_ = Bunch(**dict(fitted))
    vote.le_ = LabelEncoder().fit(classes)
    vote.classes_ = vote.le_.classes_
    return vote


def _estimator_class(kind):
    import sklearn.linear_model
    import sklearn.naive_bayes
    import sklearn.svm

    from ..text import _nb_weighting as nb_weighting

    for module in (
        sklearn.linear_model,
        sklearn.naive_bayes,
        sklearn.svm,
        nb_weighting,
    ):
        if hasattr(module, kind):
            return getattr(module, kind)
    raise ValueError(f"unknown estimator {kind!r}")


def _load_vectorizer(prefix, members):
    state = loads(members[f"{prefix}.json"])
    params = decode(state["params"])
    dtype = np.dtype(params["dtype"])
    if dtype.kind not in "fiu":
        raise ValueError(f"dtype {dtype} is not a number type")
    params["dtype"] = dtype.type
    vec = MultiHotVectorizer(**params)
    vec._validate_params()
    vec.input_type_ = state["input_type"]
    vec.n_features_out_ = int(state["n_features_out"])
    vec.idf_ = (
        load_npy(members[f"{prefix}.idf.npy"])
        if f"{prefix}.idf.npy" in members
        else None
    )
    if vec.input_type_ == "ids":
        vec.vocabulary_ = {f"token_{j}": j for j in range(vec.n_features_out_)}
        return vec
    terms = state["vocabulary"]
    if not isinstance(terms, list) or len(terms) != vec.n_features_out_:
        raise ValueError("the vocabulary does not match the number of features")
    vec.vocabulary_ = {term: j for j, term in enumerate(terms)}
    vec.hash_seed_ = state["hash_seed"]
    if vec.hash_seed_ not in HASH_SEEDS:
        raise ValueError(f"unknown hash seed {vec.hash_seed_!r}")
    vec._table = key_index(_term_keys(terms, vec.hash_seed_))
    return vec


def _term_keys(terms, seed):
    """The key of each vocabulary term, as the vectorizer computes it."""
    keys = np.zeros(len(terms), dtype=np.uint64)
    lengths = np.array([term.count(" ") + 1 for term in terms])
    for n in np.unique(lengths):
        index = np.flatnonzero(lengths == n)
        grams = hash_ngrams([terms[i] for i in index], (int(n), int(n)), seed=seed)
        if not np.array_equal(grams.docs, np.arange(index.size)):
            raise ValueError("the vocabulary holds terms that are not word n-grams")
        keys[index] = grams.keys
    return keys  # key_index refuses duplicates


def _load_network(spec, prefix, members):
    import scipy.sparse as sp

    from ..network import DenseNetworkClassifier, weight_shapes

    params = decode(spec["params"])
    allowed = set(DenseNetworkClassifier._parameter_constraints)
    for name, value in params.items():
        routed = name.startswith("optimizer__") and type(value) in (int, float)
        if name not in allowed and not routed:
            raise ValueError(f"unknown network parameter {name}={value!r:.40}")
    clf = DenseNetworkClassifier(**params)
    clf._validate_params()  # InvalidParameterError (a ValueError) names the value
    n_features, sparse = spec["n_features"], spec["sparse"]
    if type(n_features) is not int or n_features < 1 or type(sparse) is not bool:
        raise ValueError("the network's input size or kind is invalid")
    classes = load_npy(members[f"{prefix}.classes.npy"])
    if classes.ndim != 1 or classes.size < 2 or np.unique(classes).size < classes.size:
        raise ValueError("the network's classes are invalid")
    shapes = weight_shapes(
        n_features, classes.size, hidden_layers=clf.hidden_layers, units=clf.units
    )
    names = sorted(m for m in members if m.startswith(f"{prefix}.weight"))
    weights = [load_npy(members[f"{prefix}.weight{k}.npy"]) for k in range(len(names))]
    # checked before anything is built: the shapes follow from the parameters,
    # so a claimed size beyond the arrays actually stored is refused here
    if [w.shape for w in weights] != shapes or any(
        w.dtype != np.float32 for w in weights
    ):
        raise ValueError("the network's weights do not match its architecture")
    empty = (
        sp.csr_matrix((classes.size, n_features), dtype=np.float32)
        if sparse
        else np.zeros((classes.size, n_features), dtype=np.float32)
    )
    clf.initialize(empty, classes)  # builds the network through _architecture
    clf.model_.set_weights(weights)
    return clf


def _params(step, only=None, **override):
    """The step's parameters (those named in ``only``) as JSON values, or an
    error naming one that is not."""
    params = {**step.get_params(deep=False), **override}
    if only is not None:
        params = {name: params[name] for name in only}
    try:
        return {name: encode(value) for name, value in params.items()}
    except TypeError:
        pass
    for name, value in params.items():
        try:
            encode(value)
        except TypeError:
            raise TypeError(
                f"save_model cannot store {type(step).__name__}'s parameter "
                f"{name}={value!r:.60}: only JSON values (numbers, strings, "
                "lists, tuples, dicts) can be saved; set it to a plain value first."
            ) from None
