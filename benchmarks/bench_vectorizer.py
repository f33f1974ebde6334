"""MultiHotVectorizer against CountVectorizer, Keras TextVectorization and the
notebook's loop: fit on the IMDB train split + transform the test split.

Each method runs in a fresh process (best of ``--repeat`` runs); the script
prints seconds, peak memory and ratios side by side, then the test accuracy of
LogisticRegression(C=0.1) on our features and on CountVectorizer's.

    python benchmarks/bench_vectorizer.py [--repeat 3]
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, measure  # noqa: E402

NUM_WORDS = 10000


def _splits():
    from sklearn_imdb import fetch_imdb

    return fetch_imdb(subset="train").data, fetch_imdb(subset="test").data


def ours(train, test):
    from sklearn_imdb import MultiHotVectorizer

    vec = MultiHotVectorizer(num_words=NUM_WORDS)
    a, b = vec.fit_transform(train), vec.transform(test)
    return a.nnz + b.nnz


def count_vectorizer(train, test):
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(binary=True, max_features=NUM_WORDS, dtype=np.float32)
    a, b = vec.fit_transform(train), vec.transform(test)
    return a.nnz + b.nnz


def text_vectorization(train, test):
    from sklearn_imdb.utils._keras import import_keras

    keras = import_keras()
    layer = keras.layers.TextVectorization(
        max_tokens=NUM_WORDS, output_mode="multi_hot"
    )
    layer.adapt(train, batch_size=1024)
    total = 0
    for docs in (train, test):
        for i in range(0, len(docs), 2048):
            total += int(np.count_nonzero(np.asarray(layer(docs[i : i + 2048]))))
    return total


def _token_ids(train, test):
    """Keras-style sequences: word ids by training frequency, as load_data gives."""
    from collections import Counter

    from sklearn_imdb import tokenize

    tokens = [tokenize(d) for d in train], [tokenize(d) for d in test]
    counts = Counter(w for doc in tokens[0] for w in doc)
    index = {w: i + 3 for i, (w, _) in enumerate(counts.most_common())}
    return [[[1] + [index.get(w, 2) for w in doc] for doc in split] for split in tokens]


def notebook_loop(train_ids, test_ids):
    """The notebook's vectorize_sequences, on pre-tokenised ids."""

    def vectorize_sequences(sequences, dimension=NUM_WORDS):
        results = np.zeros((len(sequences), dimension))
        for i, sequence in enumerate(sequences):
            for j in sequence:
                if j < dimension:
                    results[i, j] = 1.0
        return results

    a, b = vectorize_sequences(train_ids), vectorize_sequences(test_ids)
    return int(a.sum() + b.sum())


for _func in (ours, count_vectorizer, text_vectorization):
    _func.prepare = _splits
notebook_loop.prepare = lambda: _token_ids(*_splits())


def quality():
    """LogisticRegression(C=0.1) test accuracy on both vectorizers' features."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from sklearn_imdb import MultiHotVectorizer, fetch_imdb

    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    scores = {}
    for name, vec in [
        ("MultiHotVectorizer", MultiHotVectorizer(num_words=NUM_WORDS)),
        ("CountVectorizer", CountVectorizer(binary=True, max_features=NUM_WORDS)),
    ]:
        X_train, X_test = vec.fit_transform(train.data), vec.transform(test.data)
        model = LogisticRegression(C=0.1, max_iter=1000).fit(X_train, train.target)
        scores[name] = model.score(X_test, test.target)
    return scores


def run(repeat=3):
    """Measure everything; returns the rows and the accuracy comparison."""
    methods = [
        ("MultiHotVectorizer", ours, repeat),
        ("CountVectorizer(binary=True, max_features=10000)", count_vectorizer, repeat),
        ("Keras TextVectorization(multi_hot)", text_vectorization, 1),
        ("notebook loop (ids given; dense float64)", notebook_loop, 1),
    ]
    rows = []
    for name, func, n in methods:
        r = measure(func, repeat=n)
        rows.append((name, r))
        print(f"  measured {name}: {r['seconds']:.2f} s", file=sys.stderr)
    return rows, quality()


def report(rows, scores):
    reference = rows[1][1]["seconds"]
    lines = [
        "| method | seconds | speed vs CountVectorizer | peak RSS (MB) "
        "| of which before |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {reference / r['seconds']:.2f}x |"
            f" {r['peak_mb']:.0f} | {r['baseline_mb']:.0f} |"
        )
    a, b = scores["MultiHotVectorizer"], scores["CountVectorizer"]
    lines.append("")
    lines.append(
        f"LogisticRegression(C=0.1) test accuracy: MultiHotVectorizer {a:.4f}, "
        f"CountVectorizer {b:.4f} (difference {100 * (a - b):+.2f} points)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(
        "fit on 25,000 train reviews + transform 25,000 test reviews "
        f"(best of {args.repeat} for the first two)\n"
    )
    print(report(*run(args.repeat)))
