"""Test accuracy of every named pipeline: mean ± std over seeds, short reviews too.

Each pipeline is fitted on the 25,000 training reviews only, with the settings
``benchmarks/select_settings.py`` chose on the training split, and scored once per seed
on the 25,000 test reviews: whole, cut to their first 30 words and to their
first 10 (words as separated by white space). A seed changes the network's
initialisation, its dropout and its batch order; a pipeline without a random
step is fitted once (its std is 0 by construction, marked "det."). Its peak
memory is measured apart, fitting seed 0 and predicting the test reviews in a
fresh process (``VmHWM``: the interpreter and the 50,000 reviews included).

    python benchmarks/bench_accuracy.py [--models nb-net,nb-logreg] [--seeds 3]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import api, machine, measure  # noqa: E402

# published IMDB test accuracies without pre-trained models or unlabelled data
ANCHORS = [
    ("NBSVM uni+bigrams (Wang & Manning 2012)", 0.9122),
    ("NBSVM uni+bi+trigrams (Mesnil et al. 2014)", 0.9187),
    ("seq2-bown-CNN (Johnson & Zhang 2015)", 0.9233),
    ("the notebook's network (Keras walk-through)", 0.88),
]
CUTS = (30, 10)
# earlier settings, measured in the same run for before/after comparisons;
# until 2026-11-29 the naive Bayes weighted rows were not scaled to unit length
# (networks at Adam's rate 0.001, logistic regression at C=0.3)
UNSCALED = {"nb__norm": None, "clf__optimizer__learning_rate": 0.001}
EARLIER = {
    "nb-net (0.1: 1-2-grams and 4 epochs)": (
        "nb-net",
        {**UNSCALED, "vec__ngram_range": (1, 2), "clf__epochs": 4},
    ),
    "nb-net (3 epochs: chosen on a random split)": (
        "nb-net",
        {**UNSCALED, "clf__epochs": 3},
    ),
    "nb-net (rows not scaled)": ("nb-net", UNSCALED),
    "nb-logreg (rows not scaled)": ("nb-logreg", {"nb__norm": None, "clf__C": 0.3}),
    "nb-vote (one network: as before)": ("nb-vote", {"clf__net2": "drop"}),
}


def first_words(texts, n):
    """Each text cut to its first ``n`` white-space separated words."""
    return [" ".join(text.split()[:n]) for text in texts]


def seeded(pipe, seed):
    """``pipe`` with its seeded steps' ``random_state`` set from ``seed``; None
    if no step is seeded (the named pipelines seed their random steps).

    With k seeded steps (nb-vote's two networks) the i-th gets
    ``seed * k + i``: seed 0 is the named pipeline itself, and no two seeds
    share a network's initialisation.
    """
    keys = [
        key
        for key, value in pipe.get_params().items()
        if key.endswith("random_state") and value is not None
    ]
    seeds = {key: seed * len(keys) + i for i, key in enumerate(keys)}
    return pipe.set_params(**seeds) if keys else None


def evaluate(name, seeds, X_train, y_train, test_sets):
    """One row per seed: fit and predict seconds and every score."""
    classification_scores, named_pipeline = map(
        api, ("classification_scores", "named_pipeline")
    )
    base, params = EARLIER.get(name, (name, {}))
    rows = []
    for seed in seeds:
        pipe = seeded(named_pipeline(base, **params), seed)
        deterministic = pipe is None
        pipe = pipe or named_pipeline(base, **params)
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        row = {"fit_seconds": time.perf_counter() - start}
        for cut, (X, y) in test_sets.items():
            start = time.perf_counter()
            scores = classification_scores(pipe, X, y)
            if cut == "full":
                row["predict_seconds"] = time.perf_counter() - start
                row.update(scores)
            else:
                row[f"accuracy_{cut}"] = scores["accuracy"]
        rows.append(row)
        print(f"  {name} seed {seed}: {row['accuracy']:.4f}", file=sys.stderr)
        if deterministic:
            break
    return rows, deterministic


def fit_and_predict(name, X_train, y_train, X_test):
    """Fit one pipeline (seed 0) and predict the test reviews: for its peak."""
    base, params = EARLIER.get(name, (name, {}))
    api("named_pipeline")(base, **params).fit(X_train, y_train).predict(X_test)


fit_and_predict.prepare = lambda name: (name, *api("load_splits")()[:3])


def run(models=None, seeds=(0, 1, 2)):
    available_pipelines, load_splits, named_pipeline = map(
        api, ("available_pipelines", "load_splits", "named_pipeline")
    )
    models = models or [*available_pipelines(), *EARLIER]
    for name in models:  # before any fit: --models splits names on commas
        if name not in EARLIER:
            named_pipeline(name)
    X_train, y_train, X_test, y_test = load_splits()
    test_sets = {"full": (X_test, y_test)}
    test_sets |= {n: (first_words(X_test, n), y_test) for n in CUTS}
    results = {}
    for name in models:
        rows, deterministic = evaluate(name, seeds, X_train, y_train, test_sets)
        rows[0]["peak_mb"] = measure(fit_and_predict, name)["peak_mb"]
        results[name] = rows, deterministic
    return results


def _mean_std(rows, key, deterministic):
    values = np.array([row[key] for row in rows])
    spread = "det." if deterministic else f"{100 * values.std():.2f}"
    return f"{100 * values.mean():.2f} ± {spread}"


def report(results, seeds):
    lines = [
        f"Test accuracy in % as mean ± std over seeds {list(seeds)}; ROC AUC, log "
        "loss, Brier score and expected calibration error (10 bins) are means; "
        "seconds are the mean fit time on 25,000 reviews and predict time for "
        "25,000; peak MB: fitting and predicting in a fresh process.",
        "",
        "| pipeline | test accuracy | each seed | first 30 words | first 10 words "
        "| ROC AUC | log loss | Brier | ECE | fit s | predict s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = sorted(
        results, key=lambda n: -np.mean([r["accuracy"] for r in results[n][0]])
    )
    for name in order:
        rows, det = results[name]
        mean = {k: np.mean([r[k] for r in rows]) for k in rows[0] if k != "peak_mb"}
        each = " / ".join(f"{100 * row['accuracy']:.3f}" for row in rows)
        lines.append(
            f"| {name} | {_mean_std(rows, 'accuracy', det)} | {each} "
            + " ".join(f"| {_mean_std(rows, f'accuracy_{n}', det)}" for n in CUTS)
            + f" | {mean['roc_auc']:.4f} | {mean['log_loss']:.4f} "
            f"| {mean['brier']:.4f} | {mean['ece']:.4f} "
            f"| {mean['fit_seconds']:.0f} | {mean['predict_seconds']:.1f} "
            f"| {rows[0]['peak_mb']:.0f} |"
        )
    lines += [
        f"| *{name}* | {100 * acc:.2f} | | | | | | | | | | |" for name, acc in ANCHORS
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=None)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    seeds = tuple(range(args.seeds))
    print(f"machine: {machine()}\n")
    models = args.models.split(",") if args.models else None
    print(report(run(models, seeds), seeds))
