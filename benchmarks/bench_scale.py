"""How the seed pipeline's cost grows with genuinely more reviews.

The corpus is IMDB's 50,000 distinct labelled reviews (train and test
together, shuffled with seed 0); the pipeline is fitted on the first 12,500,
25,000 and 50,000 of them, and a model fitted once predicts them in batches
of 10,000 (``sklearn_imdb.iter_predictions``). Each measurement runs in a fresh
process; its peak memory is that process's own (``VmHWM``). The fixed cost of
a fit (importing TensorFlow, building and tracing the network) is measured
apart, as a fit on 200 reviews, and the per-review cost is the slope between
the sizes.

    python benchmarks/bench_scale.py [--sizes 12500,25000,50000]
"""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, measure  # noqa: E402


def corpus():
    """IMDB's 50,000 labelled reviews, shuffled once (seed 0)."""
    from sklearn_imdb import fetch_imdb

    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    docs = np.asarray(train.data + test.data, dtype=object)
    y = np.r_[train.target, test.target]
    order = np.random.default_rng(0).permutation(len(docs))
    return docs[order].tolist(), y[order]


def _first(n):
    docs, y = corpus()
    return docs[:n], y[:n]


def fit(docs, y):
    from sklearn_imdb import named_pipeline

    named_pipeline("seed-net").fit(docs, y)
    return len(docs)


fit.prepare = _first


def _reviews(n, model_path):
    from sklearn_imdb import load_model

    return load_model(model_path), _first(n)[0]


def predict(pipe, reviews):
    from sklearn_imdb import iter_predictions

    return sum(len(p) for p in iter_predictions(pipe, iter(reviews), batch_size=10000))


predict.prepare = _reviews


def run(sizes):
    from sklearn_imdb import MultiHotVectorizer, named_pipeline, save_model

    docs, y = corpus()
    fixed = measure(fit, 200)
    print(f"  fixed: fit on 200 reviews {fixed['seconds']:.1f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        path = save_model(
            named_pipeline("seed-net").fit(docs[:25000], y[:25000]),
            os.path.join(tmp, "seed.skimdb"),
        )
        rows = []
        for n in sizes:
            words = len(MultiHotVectorizer(num_words=None).fit(docs[:n]).vocabulary_)
            f, p = measure(fit, n), measure(predict, n, str(path))
            print(
                f"  {n}: fit {f['seconds']:.1f} s, predict {p['seconds']:.1f} s",
                file=sys.stderr,
            )
            rows.append((n, words, f, p))
    return fixed, rows


def report(fixed, rows):
    lines = [
        f"fixed cost of a fit (200 reviews: TensorFlow's import, the network's "
        f"build and tracing): {fixed['seconds']:.1f} s, peak {fixed['peak_mb']:.0f} MB",
        "",
        "| reviews | distinct words | fit s | fit minus fixed, per 1,000 reviews "
        "| fit peak MB | predict s | predict per 1,000 | predict peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, words, f, p in rows:
        lines.append(
            f"| {n:,} | {words:,} | {f['seconds']:.1f} "
            f"| {1000 * (f['seconds'] - fixed['seconds']) / n:.3f} s "
            f"| {f['peak_mb']:.0f} | {p['seconds']:.1f} "
            f"| {1000 * p['seconds'] / n:.3f} s | {p['peak_mb']:.0f} |"
        )
    (n0, _, f0, p0), (n1, _, f1, p1) = rows[0], rows[-1]
    lines += [
        "",
        f"from {n0:,} to {n1:,} reviews ({n1 / n0:.0f}x): fit time x"
        f"{f1['seconds'] / f0['seconds']:.2f}, fit time without the fixed cost x"
        f"{(f1['seconds'] - fixed['seconds']) / (f0['seconds'] - fixed['seconds']):.2f}"
        f", predict time x{p1['seconds'] / p0['seconds']:.2f}, predict peak memory "
        f"x{p1['peak_mb'] / p0['peak_mb']:.2f}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12500,25000,50000")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(*run([int(n) for n in args.sizes.split(",")])))
