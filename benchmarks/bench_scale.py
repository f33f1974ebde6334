"""How the seed pipeline's cost grows with the data: 1x, 2x and 4x IMDB.

The reviews are repeated k times. For each k, in fresh processes: fitting on
k x 25,000 training reviews, and predicting k x 25,000 test reviews in batches
of 10,000 with a model fitted once (``sklearn_imdb.batching``): fit time
should grow linearly and prediction memory stay flat.

    python benchmarks/bench_scale.py [--factors 1,2,4]
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, measure  # noqa: E402


def _train(k):
    from sklearn_imdb import fetch_imdb

    train = fetch_imdb(subset="train")
    return train.data * k, list(train.target) * k


def fit(docs, y):
    from sklearn_imdb.pipelines import named_pipeline

    named_pipeline("seed-net").fit(docs, y)
    return len(docs)


fit.prepare = _train


def _test(k, model_path):
    from sklearn_imdb import fetch_imdb
    from sklearn_imdb.persistence import load_model

    reviews = fetch_imdb(subset="test").data
    return load_model(model_path), reviews, k


def predict(pipe, reviews, k):
    from sklearn_imdb.batching import iter_predictions

    stream = (reviews[i % len(reviews)] for i in range(k * len(reviews)))
    return sum(len(p) for p in iter_predictions(pipe, stream, batch_size=10000))


predict.prepare = _test


def run(factors=(1, 2, 4)):
    from sklearn_imdb import fetch_imdb
    from sklearn_imdb.persistence import save_model
    from sklearn_imdb.pipelines import named_pipeline

    train = fetch_imdb(subset="train")
    with tempfile.TemporaryDirectory() as tmp:
        path = save_model(
            named_pipeline("seed-net").fit(train.data, train.target),
            os.path.join(tmp, "seed.skimdb"),
        )
        rows = []
        for k in factors:
            f, p = measure(fit, k), measure(predict, k, str(path))
            print(
                f"  {k}x: fit {f['seconds']:.1f} s, predict {p['seconds']:.1f} s",
                file=sys.stderr,
            )
            rows.append((k, f, p))
    return rows


def report(rows):
    base_fit, base_pred = rows[0][1]["seconds"], rows[0][2]["seconds"]
    lines = [
        "| data | fit s | fit vs 1x | fit peak RSS MB | predict s | predict vs 1x "
        "| predict peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for k, f, p in rows:
        lines.append(
            f"| {k}x ({25 * k},000 reviews) | {f['seconds']:.1f} | "
            f"{f['seconds'] / base_fit:.2f}x | {f['peak_mb']:.0f} | "
            f"{p['seconds']:.1f} | {p['seconds'] / base_pred:.2f}x | "
            f"{p['peak_mb']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,2,4")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(run([int(k) for k in args.factors.split(",")])))
