"""Test accuracy and fit time of every named pipeline on the full IMDB splits.

Each pipeline is fitted on the 25,000 training reviews only and scored once
on the 25,000 test reviews (its settings were chosen on a validation split of
the training data, never on the test split).

    python benchmarks/bench_accuracy.py [--models nb-net,nb-logreg]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402

# published or previously measured anchors, IMDB test accuracy
ANCHORS = [
    ("NBSVM uni+bigrams (Wang & Manning 2012)", 0.912),
    ("the notebook's network (Keras walk-through)", 0.88),
]


def run(models=None):
    from sklearn_imdb.model_selection import compare

    return compare(models, cv=0)


def report(table):
    lines = [
        "| pipeline | test accuracy | test ROC AUC | fit seconds | predict seconds |",
        "|---|---|---|---|---|",
    ]
    for row in table.sort_values("test_accuracy", ascending=False).itertuples():
        lines.append(
            f"| {row.model} | {row.test_accuracy:.4f} | {row.test_roc_auc:.4f} "
            f"| {row.fit_seconds:.1f} | {row.predict_seconds:.1f} |"
        )
    lines += [f"| *{name}* | {score:.3f} | | | |" for name, score in ANCHORS]
    best = table.loc[table["test_accuracy"].idxmax()]
    others = table[table["model"] != best["model"]]
    runner = others.loc[others["test_accuracy"].idxmax()]
    margin = best["test_accuracy"] - runner["test_accuracy"]
    lines += [
        "",
        f"best: {best['model']} {best['test_accuracy']:.4f}, ahead of "
        f"{runner['model']} by {100 * margin:+.2f} points; fitted in "
        f"{best['fit_seconds']:.0f} s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(run(args.models.split(",") if args.models else None)))
