"""Named, ready-to-fit pipelines: the notebook's network and its baselines.

Each pipeline maps raw review text to labels. Parameters use the steps'
names, as in any scikit-learn pipeline: ``vec__num_words``, ``clf__units``.
Their settings were chosen on the IMDB training split only, by
``benchmarks/select_settings.py`` (its output: ``benchmarks/results/select.md``);
``seed-net`` is the notebook's recipe as it is.

Examples
--------
>>> from sklearn_imdb import available_pipelines, named_pipeline
>>> "seed-net" in available_pipelines()
True
>>> named_pipeline("logreg", clf__C=1.0).named_steps["clf"].C
1.0
"""

import difflib

from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import BernoulliNB, MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from ..text import MultiHotVectorizer, NBFeatureWeighter

__all__ = [
    "GRIDS",
    "available_pipelines",
    "check_classes",
    "describe_pipeline",
    "named_pipeline",
]

#: Named grids for :func:`tune`, over the ``seed-net`` pipeline.
GRIDS = {
    # the closing list of the notebook: 3 x 3 x 2 x 2 x 2 = 72 candidates
    "seed": {
        "clf__hidden_layers": [1, 2, 3],
        "clf__units": [16, 32, 64],
        "clf__loss": ["binary_crossentropy", "mse"],
        "clf__activation": ["relu", "tanh"],
        "clf__optimizer": ["rmsprop", "adam"],
    },
    "small": {"clf__hidden_layers": [1, 2], "clf__units": [16, 32]},
}


def _network(**params):
    from ..network import DenseNetworkClassifier

    return DenseNetworkClassifier(**params)


def _seed_net():
    return Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000)),
            ("clf", _network(random_state=0)),
        ]
    )


def _logreg():
    return Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000)),
            ("clf", LogisticRegression(C=0.03, max_iter=1000)),
        ]
    )


def _bernoulli_nb():
    return Pipeline(
        [("vec", MultiHotVectorizer(num_words=10000)), ("clf", BernoulliNB())]
    )


def _multinomial_nb():
    return Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000, output="count")),
            ("clf", MultinomialNB(alpha=0.1)),
        ]
    )


def _linear_svc():
    return Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000)),
            ("clf", LinearSVC(C=0.003)),
        ]
    )


def _tfidf_bigram_logreg():
    return Pipeline(
        [
            (
                "vec",
                MultiHotVectorizer(ngram_range=(1, 2), num_words=None, output="tfidf"),
            ),
            ("clf", LogisticRegression(C=300, max_iter=1000)),
        ]
    )


def _nb_features(norm="l2"):
    # the naive Bayes weighted pipelines' first steps; rows scaled to unit
    # length were chosen for nb-logreg and nb-net, not for nb-vote
    return [
        ("vec", MultiHotVectorizer(ngram_range=(1, 3), num_words=500_000)),
        ("nb", NBFeatureWeighter(norm=norm)),
    ]


def _nb_logistic(C=30):
    # C=30 on rows of unit length, 0.3 on unscaled ones
    return LogisticRegression(C=C, solver="liblinear", max_iter=1000)


def _nb_network(learning_rate=0.003, random_state=0):
    # Adam at 0.003 on rows of unit length, at 0.001 on unscaled ones
    return _network(
        hidden_layers=1,
        units=32,
        dropout=0.5,
        optimizer="adam",
        optimizer__learning_rate=learning_rate,
        batch_size=256,
        epochs=2,
        random_state=random_state,
    )


def _nb_logreg():
    return Pipeline([*_nb_features(), ("clf", _nb_logistic())])


def _nb_sgd():
    # nb-logreg's model learned a chunk at a time: logistic loss by stochastic
    # gradient descent. alpha=1e-5 and one pass: the fewest passes within a
    # standard deviation of the best on the training split (3 to 5 passes
    # scored 0.05 points more; benchmarks/select_settings.py). tol=None: fit
    # makes max_iter passes, as fit_stream does.
    clf = SGDClassifier(
        loss="log_loss", alpha=1e-5, max_iter=1, tol=None, random_state=0
    )
    return Pipeline([*_nb_features(), ("clf", clf)])


def _nb_net():
    # 1-3-grams, 2 epochs at Adam's rate 0.003: the best on a validation split
    # of the training data whose vocabulary and naive Bayes weights were fitted
    # without it (benchmarks/select_settings.py). Early stopping inside this
    # pipeline would validate on reviews the weights have seen, and overfit.
    return Pipeline([*_nb_features(), ("clf", _nb_network())])


def _nb_vote():
    # nb-net's network twice (two seeds) and nb-logreg's model, their
    # probabilities averaged with the weights chosen on the training split
    # (benchmarks/select_settings.py): they err on different reviews. The
    # same split chose unscaled rows for the vote (with the members' settings
    # for them), by one review in 5,000
    members = [
        ("net", _nb_network(0.001)),
        ("net2", _nb_network(0.001, random_state=1)),
        ("logreg", _nb_logistic(0.3)),
    ]
    from sklearn.ensemble import VotingClassifier  # 0.03 s to import, once

    vote = VotingClassifier(members, voting="soft", weights=[1, 1, 1])
    return Pipeline([*_nb_features(norm=None), ("clf", vote)])


_PIPELINES = {
    "seed-net": (
        _seed_net,
        "the notebook's network: multi-hot top 10,000 words, Dense 16-16-1, "
        "rmsprop, 4 epochs at batch 512",
    ),
    "logreg": (_logreg, "LogisticRegression(C=0.03) on the same multi-hot features"),
    "bernoulli-nb": (_bernoulli_nb, "Bernoulli naive Bayes on multi-hot features"),
    "multinomial-nb": (_multinomial_nb, "multinomial naive Bayes on word counts"),
    "linear-svc": (_linear_svc, "LinearSVC(C=0.003) on multi-hot features"),
    "tfidf-bigram-logreg": (
        _tfidf_bigram_logreg,
        "LogisticRegression(C=300) on TF-IDF of all words and word pairs",
    ),
    "nb-logreg": (
        _nb_logreg,
        "NBSVM-style: naive Bayes log-count-ratio weighted 1-3-grams (top 500,000), "
        "each review's row scaled to unit length, LogisticRegression(C=30) "
        "(Wang & Manning 2012)",
    ),
    "nb-sgd": (
        _nb_sgd,
        "nb-logreg learned a chunk at a time: the same features, logistic loss "
        "by SGDClassifier (alpha=1e-5, one pass); what train streams for "
        "nb-logreg on a file past its memory budget",
    ),
    "nb-net": (
        _nb_net,
        "the network on richer features: naive Bayes weighted 1-3-grams "
        "(top 500,000), rows of unit length, Dense 32 relu, dropout 0.5, "
        "adam at 0.003, 2 epochs",
    ),
    "nb-vote": (
        _nb_vote,
        "nb-net's network twice (seeds 0 and 1) and nb-logreg's LogisticRegression "
        "on naive Bayes weighted 1-3-grams whose rows are not scaled (so Adam at "
        "0.001, C=0.3: their choices for such rows), probabilities averaged "
        "(soft vote, equal weights, chosen on the training split: "
        "benchmarks/results/select.md)",
    ),
}


# naive Bayes weighting is the log-ratio of two classes' word frequencies
_TWO_CLASSES_ONLY = {"nb-logreg", "nb-sgd", "nb-net", "nb-vote"}


def available_pipelines(n_classes=2):
    """List the names of the ready-made pipelines.

    Parameters
    ----------
    n_classes : int, default=2
        List only the pipelines that train on this many classes (the
        naive Bayes weighted ones take two).

    Returns
    -------
    names : list of str
        Names accepted by :func:`named_pipeline`.
    """
    return [
        name for name in _PIPELINES if n_classes <= 2 or name not in _TWO_CLASSES_ONLY
    ]


def check_classes(name, n_classes):
    """Fail early, with the reason, if pipeline ``name`` cannot take ``n_classes``.

    Parameters
    ----------
    name : str
        A name from :func:`available_pipelines`.
    n_classes : int
        The number of classes of the data.

    Raises
    ------
    ValueError
        If the pipeline takes two classes only and the data has more.
    """
    if _check_name(name) not in available_pipelines(n_classes):
        raise ValueError(
            f"{name!r} takes two classes only (its naive Bayes weighting is the "
            f"log-ratio of two classes' word frequencies), but the data has "
            f"{n_classes}; use one of {', '.join(available_pipelines(n_classes))}."
        )


def describe_pipeline(name):
    """One line saying what the named pipeline is.

    Parameters
    ----------
    name : str
        A name from :func:`available_pipelines`.

    Returns
    -------
    description : str
        Its description.
    """
    return _PIPELINES[_check_name(name)][1]


def named_pipeline(name, **params):
    """A fresh, unfitted pipeline by name.

    Parameters
    ----------
    name : str
        A name from :func:`available_pipelines`.
    **params : dict
        Parameters to set, with the steps' prefixes (``clf__C=1.0``).

    Returns
    -------
    pipeline : Pipeline
        Steps ``vec`` (a :class:`MultiHotVectorizer`), possibly ``nb``, and
        ``clf``.
    """
    return _PIPELINES[_check_name(name)][0]().set_params(**params)


def _check_name(name):
    if name not in _PIPELINES:
        close = difflib.get_close_matches(str(name), _PIPELINES, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"Unknown pipeline {name!r}.{hint} Available: {', '.join(_PIPELINES)}."
        )
    return name
