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
        }
        members[f"{prefix}.json"] = json.dumps(state).encode()
        if step.input_type_ == "text" and step.vocabulary == "learned":
            # a term a line, and the terms' keys: loading splits and hashes
            # no more than a sample (see _stored_keys)
            members[f"{prefix}.terms.txt"] = "\n".join(step._terms()).encode()
            members[f"{prefix}.keys.npy"] = npy(np.asarray(step._table, np.uint64))
        if step.idf_ is not None:
            members[f"{prefix}.idf.npy"] = npy(step.idf_)
        return {"kind": kind}
    if kind in ("DenseNetworkClassifier", "DenseNetworkPredictor"):
        kind = "DenseNetworkClassifier"  # the same arrays and parameters
        weights = (
            step.model_.get_weights() if hasattr(step, "model_") else step.get_weights()
        )
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
        vec._set_terms([f"token_{j}" for j in range(vec.n_features_out_)])
        return vec
    vec.hash_seed_ = state["hash_seed"]
    if vec.hash_seed_ not in HASH_SEEDS:
        raise ValueError(f"unknown hash seed {vec.hash_seed_!r}")
    if vec.vocabulary == "hashing":  # no terms: a column is a key's remainder
        if vec.n_features_out_ != vec.num_words:
            raise ValueError("the hashed columns do not match num_words")
        vec._set_terms(None)
        return vec
    if f"{prefix}.terms.txt" in members:
        # bytes, not a view of the file's buffer: the vectorizer pickles
        terms = bytes(members[f"{prefix}.terms.txt"])
        str(terms, "utf-8")  # refused now if damaged, not on first use
        lines = _Lines(terms)
    else:  # written before the terms were stored a line each
        terms = lines = state["vocabulary"]
        if not isinstance(lines, list):
            raise ValueError("the vocabulary is not a list of terms")
    if len(lines) != vec.n_features_out_:
        raise ValueError("the vocabulary does not match the number of features")
    vec._table = key_index(_stored_keys(lines, vec.hash_seed_, prefix, members))
    vec._set_terms(terms)
    return vec


class _Lines:
    """The lines of UTF-8 bytes by index, found by their newlines.

    Splitting nb-net's terms into 500,000 bytes objects took 27 ms of a
    0.2 s load; predicting needs only a sample of them (``_stored_keys``).
    """

    def __init__(self, blob):
        ends = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == ord("\n"))
        self.blob, self.starts, self.ends = (
            blob,
            np.r_[0, ends + 1],
            np.r_[ends, len(blob)],
        )

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, i):
        return str(self.blob[self.starts[i] : self.ends[i]], "utf-8")


#: terms whose stored key is checked against their hash on loading
CHECKED_KEYS = 1000


def _stored_keys(terms, seed, prefix, members):
    """The terms' keys as stored (checked on a sample), or hashed anew.

    Hashing 500,000 n-grams took 1.1 s of a 1.8 s load (nb-net's vocabulary);
    the stored keys take none. A sample spread over the vocabulary is hashed
    again to catch another hashing or a mismatch; a crafted file could pair
    other terms and keys, as it could store other terms or weights: only its
    predictions are its crafter's (see ``_save_load`` on signatures).
    ``terms``: a list of strings or ``_Lines``.
    """
    name = f"{prefix}.keys.npy"
    if name not in members:  # written before the keys were stored
        return _term_keys([_text(terms[i]) for i in range(len(terms))], seed)
    keys = load_npy(members[name])
    if keys.dtype != np.uint64 or keys.shape != (len(terms),):
        raise ValueError("the vocabulary's keys do not match its terms")
    sample = np.unique(np.linspace(0, len(terms) - 1, CHECKED_KEYS).astype(int))
    hashed = _term_keys([_text(terms[i]) for i in sample], seed)
    if not np.array_equal(hashed, keys[sample]):
        raise ValueError("the vocabulary's keys do not match its terms")
    return keys


def _text(term):
    if not isinstance(term, str):
        raise ValueError("the vocabulary holds a term that is not a string")
    return term


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
    """The saved network as a NumPy predictor: loading it starts no TensorFlow."""
    from ..network import DenseNetworkPredictor

    params = decode(spec["params"])
    allowed = set(DenseNetworkPredictor._parameter_constraints)
    for name, value in params.items():
        routed = name.startswith("optimizer__") and type(value) in (int, float)
        if name not in allowed and not routed:
            raise ValueError(f"unknown network parameter {name}={value!r:.40}")
    # InvalidParameterError (a ValueError) names a wrong value
    DenseNetworkPredictor(**params)._validate_params()
    n_features, sparse = spec["n_features"], spec["sparse"]
    if type(n_features) is not int or n_features < 1 or type(sparse) is not bool:
        raise ValueError("the network's input size or kind is invalid")
    classes = load_npy(members[f"{prefix}.classes.npy"])
    if classes.ndim != 1 or classes.size < 2 or np.unique(classes).size < classes.size:
        raise ValueError("the network's classes are invalid")
    names = sorted(m for m in members if m.startswith(f"{prefix}.weight"))
    weights = [load_npy(members[f"{prefix}.weight{k}.npy"]) for k in range(len(names))]
    net = DenseNetworkPredictor.from_arrays(
        weights[::2], weights[1::2], classes, sparse=sparse, **params
    )  # checks the weights' shapes against the parameters
    if net.n_features_in_ != n_features:
        raise ValueError("the network's weights do not match its input size")
    return net


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
