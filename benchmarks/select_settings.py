"""Choose every named pipeline's settings on the IMDB training split only.

Each pipeline is searched with ``GridSearchCV`` over the grid below, on the
25,000 training reviews: 3-fold cross-validation for the quick pipelines, one
80/20 split of the training reviews for the networks (a network fit takes a
minute). The folds are made by movie (``StratifiedGroupKFold`` with
``fetch_imdb``'s ``movie`` as groups), as IMDB's own split is: a movie has up
to 30 reviews, and a model validated on other reviews of movies it was trained
on is rewarded for learning titles and names (``--splits``: a random split of
the training reviews scores nb-net 2.1 points higher than a split by movie, 2.6
on the reviews' first 30 words, where the split by movie comes within 0.6
points of the test split and the random one 3.1 above). Every
fold fits the whole pipeline — vocabulary, naive Bayes weights, scaling — on
its own training part, so no setting is chosen on reviews its features have
seen; the test split is never read. Each candidate's accuracy on the held-out
reviews cut to their first 30 words is printed beside, not used to choose.
The chosen settings are the named
pipelines' defaults in ``sklearn_imdb/pipelines.py``; this script says whether
they still agree.

    python benchmarks/select_settings.py [--models nb-logreg,nb-net]
    python benchmarks/select_settings.py --splits   # by movie against random
    python benchmarks/select_settings.py --short    # remedies for short texts

``seed-net`` is not searched: it is the notebook's recipe, reproduced as it
is (its 4 epochs were chosen by the notebook on a validation split of the
training reviews, which ``make demo`` shows again).
"""

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402

NETWORK = "one 80/20 split"
WEIGHTS = [[1, 0, 1], [1, 1, 1], [1, 1, 2]]
# chosen by the fewest passes within a standard deviation of the best
FEWEST_PASSES = {"nb-sgd"}
QUICK = "3-fold CV"
GRIDS = {
    "logreg": (QUICK, {"clf__C": [0.03, 0.1, 0.3, 1.0]}),
    "linear-svc": (QUICK, {"clf__C": [0.001, 0.003, 0.01, 0.03]}),
    "bernoulli-nb": (QUICK, {"clf__alpha": [0.1, 0.3, 1.0]}),
    "multinomial-nb": (QUICK, {"clf__alpha": [0.1, 0.3, 1.0]}),
    "tfidf-bigram-logreg": (QUICK, {"clf__C": [100.0, 300.0, 1000.0]}),
    # 1-3-grams were chosen over 1-2-grams by earlier grids (results/select.md);
    # rows scaled to unit length (nb__norm) take a larger C, a faster network
    "nb-logreg": (
        QUICK,
        {"nb__norm": [None, "l2"], "clf__C": [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]},
    ),
    # nb-logreg's streamed counterpart (fit_stream), on its features
    "nb-sgd": (
        QUICK,
        {
            "clf__alpha": [1e-6, 3e-6, 1e-5, 3e-5, 1e-4],
            "clf__max_iter": [1, 2, 3, 5],
            "clf__average": [False, True],
        },
    ),
    "nb-net": (
        NETWORK,
        {
            "nb__norm": [None, "l2"],
            "clf__optimizer__learning_rate": [0.001, 0.003],
            "clf__epochs": [2, 3],
        },
    ),
    # the members keep the settings chosen above for nb-net and nb-logreg, on
    # rows scaled to unit length or not; weights [1, 0, 1] leave the second
    # network out
    "nb-vote": (
        NETWORK,
        [
            {
                "nb__norm": [None],
                "clf__logreg__C": [0.3],
                "clf__net__optimizer__learning_rate": [0.001],
                "clf__net2__optimizer__learning_rate": [0.001],
                "clf__weights": WEIGHTS,
            },
            {"nb__norm": ["l2"], "clf__weights": WEIGHTS},
        ],
    ),
}


def folds(kind, X, y, movie):
    """The (train, validation) index pairs, made by movie."""
    from sklearn.model_selection import StratifiedGroupKFold

    if kind == QUICK:
        cv = StratifiedGroupKFold(3, shuffle=True, random_state=0)
        return list(cv.split(X, y, movie))
    # the first of five folds: 80/20
    cv = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    return [next(cv.split(X, y, movie))]


def compare_splits(X, y, movie, models=("nb-logreg", "nb-net")):
    """A table: the named pipelines validated on an 80/20 split by movie and on
    a random one, whole reviews and their first 30 words."""
    from bench_accuracy import first_words
    from sklearn.model_selection import StratifiedShuffleSplit

    from sklearn_imdb import named_pipeline

    random = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
    splits = {
        "by movie": folds(NETWORK, X, y, movie)[0],
        "random": next(random.split(X, y)),
    }
    lines = [
        "| pipeline | split | accuracy | first 30 words |",
        "|---|---|---|---|",
    ]
    for name in models:
        for kind, (train, held_out) in splits.items():
            pipe = named_pipeline(name).fit([X[i] for i in train], y[train])
            texts = [X[i] for i in held_out]
            scores = [
                pipe.score(texts, y[held_out]),
                pipe.score(first_words(texts, 30), y[held_out]),
            ]
            lines.append(f"| {name} | {kind} | {scores[0]:.4f} | {scores[1]:.4f} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def openings(texts, rng, low=5, high=50):
    """Each text cut to its first n words, n drawn uniformly in [low, high]."""
    return [" ".join(t.split()[: rng.integers(low, high + 1)]) for t in texts]


# other settings that might suit short texts better, each trained on the
# reviews alone and judged by the held-out openings; none is chosen
SHORT_SETTINGS = {
    "nb-logreg": [
        {"nb__alpha": 0.5},
        {"nb__alpha": 4.0},
        {"vec__ngram_range": (1, 4)},
        {"vec__num_words": None},
    ],
    "nb-net": [
        {"nb__alpha": 0.5},
        {"clf__epochs": 3, "clf__optimizer__learning_rate": 0.001},
        {"clf__batch_size": 64, "clf__optimizer__learning_rate": 0.001},
        {"clf__units": 128, "clf__dropout": 0.7},
    ],
}


def compare_short(X, y, movie, models=("nb-logreg", "nb-net")):
    """A table: training on the reviews, on the reviews and their openings
    (random lengths, same labels) or on their first 30 words only, other
    settings (``SHORT_SETTINGS``), and nb-logreg averaged with a model of
    character n-grams, validated by movie on whole reviews and on their first
    30 and 10 words."""
    import numpy as np
    from bench_accuracy import first_words
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from sklearn_imdb import named_pipeline

    train, held_out = folds(NETWORK, X, y, movie)[0]
    X_train, y_train = [X[i] for i in train], y[train]
    texts = [X[i] for i in held_out]
    tests = {"whole": texts} | {n: first_words(texts, n) for n in (30, 10)}
    rng = np.random.default_rng(0)
    data = {
        "reviews": (X_train, y_train),
        "reviews + openings of 5-50 words": (
            X_train + openings(X_train, rng),
            np.concatenate([y_train, y_train]),
        ),
        "first 30 words only": (first_words(X_train, 30), y_train),
    }
    rows = [
        (name, variant, named_pipeline(name), fit_on)
        for name in models
        for variant, fit_on in data.items()
    ]
    rows += [
        (
            name,
            ", ".join(f"{k}={v}" for k, v in params.items()),
            named_pipeline(name, **params),
            data["reviews"],
        )
        for name in models
        for params in SHORT_SETTINGS[name]
    ]
    characters = make_pipeline(
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        ),
        LogisticRegression(C=3, solver="liblinear"),
    )
    rows.append(
        (
            "nb-logreg",
            "averaged with a TF-IDF logistic regression on character 2-5-grams",
            VotingClassifier(
                [("nb", named_pipeline("nb-logreg")), ("chars", characters)],
                voting="soft",
            ),
            data["reviews"],
        )
    )
    lines = [
        "| pipeline | trained on, or setting | whole | first 30 words "
        "| first 10 words |",
        "|---|---|---|---|---|",
    ]
    for name, variant, pipe, (X_fit, y_fit) in rows:
        pipe.fit(X_fit, y_fit)
        scores = [pipe.score(t, y[held_out]) for t in tests.values()]
        lines.append(
            f"| {name} | {variant} | "
            + " | ".join(f"{score:.4f}" for score in scores)
            + " |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def select(name, X, y, movie):
    """The fitted search of one pipeline."""
    from sklearn.model_selection import GridSearchCV

    from sklearn_imdb import named_pipeline
    from sklearn_imdb.model_selection._final_step_search import (
        final_step_search,
        searches_final_step,
    )

    kind, grid = GRIDS[name]
    pipe = named_pipeline(name)
    cv = folds(kind, X, y, movie)
    # chosen by accuracy on whole reviews; the first 30 words are shown
    start = time.perf_counter()
    if kind == QUICK and searches_final_step(pipe, grid):
        # each fold vectorized once for all the candidates: accuracy alone
        search = GridSearchCV(pipe, grid, cv=cv, scoring="accuracy", n_jobs=1)
        final_step_search(search, X, y)
    else:
        scoring = {"score": "accuracy", "short": _accuracy_on_openings}
        search = GridSearchCV(
            pipe, grid, cv=cv, scoring=scoring, refit="score", n_jobs=1
        )
        search.fit(X, y)
    search.seconds_ = time.perf_counter() - start
    if name in FEWEST_PASSES:
        fewest_passes(search)
    return search


def fewest_passes(search):
    """Choose the fewest passes scoring within a standard deviation of the best.

    Breiman's one-standard-error rule, over ``clf__max_iter``: a pass over a
    streamed corpus costs a tokenization of all of it, and more passes
    scored no better than the folds' spread. Among the fewest passes, the
    best score.
    """
    results = search.cv_results_
    best = search.best_index_
    floor = results["mean_test_score"][best] - results["std_test_score"][best]
    within = np.flatnonzero(results["mean_test_score"] >= floor)
    passes = np.asarray([results["params"][i]["clf__max_iter"] for i in within])
    fewest = within[passes == passes.min()]
    search.best_index_ = fewest[np.argmax(results["mean_test_score"][fewest])]
    search.best_params_ = results["params"][search.best_index_]


def _accuracy_on_openings(estimator, X, y):
    from bench_accuracy import first_words

    return estimator.score(first_words(X, 30), y)


def report(name, search):
    from sklearn_imdb import named_pipeline

    kind, grid = GRIDS[name]
    # a list of grids: a column for each parameter, the default where a grid
    # leaves it out
    keys = list(dict.fromkeys(key for each in _grids(grid) for key in each))
    current = named_pipeline(name).get_params()
    defaults = {key: current[key] for key in keys}
    agree = all(
        _same(search.best_params_[key], defaults[key]) for key in search.best_params_
    )
    table = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
    lines = [
        f"### {name} ({kind}, {len(table)} candidates, {search.seconds_:.0f} s)",
        "",
        "| rank | "
        + " | ".join(k.split("__", 1)[1] for k in keys)
        + " | accuracy | first 30 words |",
        "|---|" + "---|" * len(keys) + "---|---|",
    ]
    for row in table.itertuples():
        params = " | ".join(str(row.params.get(k, defaults[k])) for k in keys)
        scores = [
            _score(
                kind,
                getattr(row, f"mean_test_{key}", None),
                getattr(row, f"std_test_{key}", None),
            )
            # "short" is missing where each fold was vectorized once
            for key in ("score", "short")
        ]
        lines.append(f"| {row.rank_test_score} | {params} | {' | '.join(scores)} |")
    chosen = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
    if name in FEWEST_PASSES:
        chosen += " (the fewest passes within a standard deviation of the best)"
    lines += [
        "",
        f"chosen: {chosen}; the named pipeline's defaults "
        + ("agree" if agree else f"DIFFER ({defaults})"),
        "",
    ]
    return "\n".join(lines)


def _score(kind, mean, std):
    if mean is None:
        return "—"
    return f"{mean:.4f}" + (f" ± {std:.4f}" if kind == QUICK else "")


def _grids(grid):
    return grid if isinstance(grid, list) else [grid]


def _same(a, b):
    return tuple(a) == tuple(b) if isinstance(a, (tuple, list)) else a == b


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(GRIDS))
    parser.add_argument(
        "--splits",
        action="store_true",
        help="compare validation by movie with a random split instead",
    )
    parser.add_argument(
        "--short",
        action="store_true",
        help="compare remedies for short texts instead",
    )
    args = parser.parse_args()
    from sklearn_imdb import fetch_imdb

    train = fetch_imdb(subset="train")
    X, y, movie = train.data, train.target, train.movie
    print(f"machine: {machine()}\n")
    if args.splits:
        print(
            f"{len(X):,} training reviews of {len(set(movie)):,} movies: each "
            "pipeline fitted on 80% and scored on the other 20%, chosen by movie "
            "(StratifiedGroupKFold, seed 0, first of 5 folds) or at random "
            "(StratifiedShuffleSplit, seed 0).\n"
        )
        print(compare_splits(X, y, movie))
        sys.exit()
    if args.short:
        print(
            f"{len(X):,} training reviews of {len(set(movie)):,} movies: each "
            "pipeline fitted on 80% (chosen by movie: StratifiedGroupKFold, seed "
            "0, first of 5 folds) and scored on the other 20%, whole and cut to "
            "their first 30 and 10 words.\n"
        )
        print(compare_short(X, y, movie))
        sys.exit()
    print(
        f"{len(X):,} training reviews of {len(set(movie)):,} movies; the folds "
        "are made by movie, stratified and shuffled (StratifiedGroupKFold, seed "
        "0): 3 folds, or the first of 5 (80/20) for the networks; mean accuracy "
        "on the held-out parts (± std over folds).\n"
    )
    for name in args.models.split(","):
        print(f"selecting {name} ...", file=sys.stderr, flush=True)
        print(report(name, select(name, X, y, movie)), flush=True)
