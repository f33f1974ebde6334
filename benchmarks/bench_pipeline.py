"""The seed pipeline against the notebook's recipe, end to end, on real IMDB.

Two scenarios, each run in a fresh process:

* ``final``: vectorise train and test, train the 4-epoch model on all 25,000
  training reviews, evaluate on the 25,000 test reviews;
* ``notebook``: the whole walk-through: also the 20-epoch run on 15,000
  reviews validated on 10,000 held out, before the final model.

The notebook recipe starts from Keras-style token ids (``imdb.load_data``
ships them pre-tokenised; building them is not timed) and builds dense float64
matrices with its Python loop; the pipeline starts from raw text (its
tokenisation is timed) and stays sparse.

    python benchmarks/bench_pipeline.py [--scenarios final,notebook]
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, measure  # noqa: E402
from bench_vectorizer import _token_ids  # noqa: E402


def _raw(scenario):
    from sklearn_imdb import fetch_imdb

    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    return train.data, train.target, test.data, test.target, scenario


def _ids(scenario):
    """What imdb.load_data(num_words=10000) returns: ids, 2 for rarer words."""
    from sklearn_imdb import fetch_imdb

    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    train_ids, test_ids = (
        [[j if j < 10000 else 2 for j in s] for s in split]
        for split in _token_ids(train.data, test.data)
    )
    # load_data shuffles; the notebook's hold-out is the first 10,000
    order = np.random.default_rng(0).permutation(len(train_ids))
    train_ids = [train_ids[i] for i in order]
    return train_ids, train.target[order], test_ids, test.target, scenario


def seed_pipeline(train, y_train, test, y_test, scenario):
    from sklearn.pipeline import Pipeline

    from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer

    if scenario == "notebook":
        vec = MultiHotVectorizer(num_words=10000)
        X = vec.fit_transform(train)
        DenseNetworkClassifier(epochs=20, validation_split=0.4, random_state=0).fit(
            X, y_train
        )
    pipe = Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000)),
            ("clf", DenseNetworkClassifier(random_state=0)),
        ]
    )
    pipe.fit(train, y_train)
    return float(pipe.score(test, y_test))


def notebook_recipe(train_data, train_labels, test_data, test_labels, scenario):
    from sklearn_imdb.utils._keras import import_keras

    keras = import_keras()
    from keras import layers

    def vectorize_sequences(sequences, dimension=10000):
        results = np.zeros((len(sequences), dimension))
        for i, sequence in enumerate(sequences):
            for j in sequence:
                results[i, j] = 1.0
        return results

    def build():
        model = keras.Sequential(
            [
                layers.Dense(16, activation="relu"),
                layers.Dense(16, activation="relu"),
                layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"]
        )
        return model

    x_train = vectorize_sequences(train_data)
    x_test = vectorize_sequences(test_data)
    y_train = np.asarray(train_labels).astype("float32")
    y_test = np.asarray(test_labels).astype("float32")
    if scenario == "notebook":
        x_val, partial_x_train = x_train[:10000], x_train[10000:]
        y_val, partial_y_train = y_train[:10000], y_train[10000:]
        build().fit(
            partial_x_train,
            partial_y_train,
            epochs=20,
            batch_size=512,
            validation_data=(x_val, y_val),
            verbose=0,
        )
    model = build()
    model.fit(x_train, y_train, epochs=4, batch_size=512, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


seed_pipeline.prepare = _raw
notebook_recipe.prepare = _ids


def run(scenarios=("final", "notebook")):
    rows = []
    for scenario in scenarios:
        ours = measure(seed_pipeline, scenario)
        print(f"  {scenario}: pipeline {ours['seconds']:.1f} s", file=sys.stderr)
        theirs = measure(notebook_recipe, scenario)
        print(f"  {scenario}: notebook {theirs['seconds']:.1f} s", file=sys.stderr)
        rows.append((scenario, ours, theirs))
    return rows


def report(rows):
    lines = [
        "| scenario | recipe | test accuracy | seconds | peak RSS (MB) |",
        "|---|---|---|---|---|",
    ]
    ratios = []
    for scenario, ours, theirs in rows:
        for name, r in (("sklearn-imdb seed pipeline", ours), ("notebook", theirs)):
            lines.append(
                f"| {scenario} | {name} | {r['result']:.4f} | "
                f"{r['seconds']:.1f} | {r['peak_mb']:.0f} |"
            )
        ratios.append(
            f"{scenario}: {theirs['seconds'] / ours['seconds']:.1f}x faster, "
            f"peak memory {ours['peak_mb'] / theirs['peak_mb']:.2f} of the notebook's "
            f"({theirs['peak_mb'] / ours['peak_mb']:.1f}x less)"
        )
    return "\n".join(lines + [""] + ratios)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="final,notebook")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(run(args.scenarios.split(","))))
