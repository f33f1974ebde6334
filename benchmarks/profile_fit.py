"""Where one fit of a grid search goes: the seed pipeline on one 3-fold split.

The fold of a search: 16,667 training reviews, 8,333 validation reviews. The
vectorizer's fit and transforms, the network's fit split into its build and
first epoch (Keras builds and traces the training step then) and the later
epochs, and the prediction on the validation reviews; then, for the same
rows, how long TensorFlow takes to gather the batches alone and a plain Keras
model of the same size on dense input (the floor a Keras fit has here).

    python benchmarks/profile_fit.py [--repeat 3]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402


def _fold():
    from sklearn.model_selection import StratifiedKFold

    from sklearn_imdb import fetch_imdb

    X, y = fetch_imdb(subset="train", return_X_y=True)
    train, val = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    return [X[i] for i in train], y[train], [X[i] for i in val], y[val]


def profile(repeat):
    import keras

    from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer

    X, y, X_val, y_val = _fold()
    rows = []
    for seed in range(repeat):
        row = {}
        start = time.perf_counter()
        vec = MultiHotVectorizer(num_words=10000)
        A = vec.fit_transform(X)
        row["vectorizer fit + transform (16,667)"] = time.perf_counter() - start
        start = time.perf_counter()
        V = vec.transform(X_val)
        row["vectorizer transform (8,333)"] = time.perf_counter() - start

        class Clock(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.marks = [time.perf_counter()]

            def on_epoch_end(self, epoch, logs=None):
                self.marks.append(time.perf_counter())

        clock = Clock()
        start = time.perf_counter()
        clf = DenseNetworkClassifier(random_state=seed, callbacks=[clock]).fit(A, y)
        end = time.perf_counter()
        epochs = np.diff(clock.marks)
        row["network: build, compile, data to TensorFlow"] = clock.marks[0] - start
        row["network: first epoch (tracing included)"] = epochs[0]
        row["network: each later epoch"] = float(np.mean(epochs[1:]))
        row["network: after the last epoch"] = end - clock.marks[-1]
        start = time.perf_counter()
        clf.predict(V)
        row["network: predict (8,333)"] = time.perf_counter() - start
        row["accuracy"] = float((clf.predict(V) == y_val).mean())
        rows.append(row)
    return rows, _floors(A, y)


def _floors(A, y):
    import keras
    import tensorflow as tf

    from sklearn_imdb._training_data import batches, epoch_orders

    orders = epoch_orders(A.shape[0], 4, True, 0)
    target = y.astype(np.float32)[:, None]

    @tf.function
    def consume(dataset):
        total = tf.constant(0.0)
        for features, labels in dataset:
            total += tf.reduce_sum(features.values) + tf.reduce_sum(labels)
        return total

    consume(batches(A, target, batch_size=512, orders=orders))
    start = time.perf_counter()
    consume(batches(A, target, batch_size=512, orders=orders))
    gather = time.perf_counter() - start
    dense = np.random.default_rng(0).random((A.shape[0], 100), dtype=np.float32)
    model = keras.Sequential(
        [
            keras.Input((100,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("rmsprop", "binary_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(dense, y, epochs=4, batch_size=512, verbose=0)
    return {
        "gathering the 4 epochs' 132 sparse batches alone": gather,
        "plain Keras, same layers on 100 dense features, 4 epochs": (
            time.perf_counter() - start
        ),
    }


def report(rows, floors):
    lines = ["| step | seconds (median of runs) |", "|---|---|"]
    for key in rows[0]:
        if key != "accuracy":
            lines.append(f"| {key} | {np.median([r[key] for r in rows]):.2f} |")
    lines += [f"| *{key}* | {value:.2f} |" for key, value in floors.items()]
    accuracy = ", ".join(f"{r['accuracy']:.4f}" for r in rows)
    lines += ["", f"validation accuracy of the runs: {accuracy}"]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(*profile(args.repeat)))
