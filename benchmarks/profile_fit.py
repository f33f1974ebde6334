"""Where one fit of a grid search goes: the seed pipeline on one 3-fold split.

The fold of a search: 16,667 training reviews, 8,333 validation reviews. The
vectorizer's fit and transforms; the network's fit and prediction the first
time this network is fitted in the process (Keras traces a trainer's
training step, an epoch's steps per call, see ``sklearn_imdb/_trainers.py``)
and again from a new estimator, as the next fold of a search does; the same
fit with a callback of the user's (the estimator's own model, traced anew,
one step per call from Python), epoch by epoch; and a fit whose batches
were kept from an earlier fit on the same fold (``reusing_batches``, as in
``tune``). Then, for the same rows, how long making and reading the batches
takes alone, made anew and kept, and the first layer's
forward and backward pass on one batch with Keras' ``Dense`` (0.1's layer,
which routes a ``SparseTensor`` through ``embedding_lookup_sparse``) and with
ours (``sparse_dense_matmul``); and, for 32 and 64 units, ours against one
product of the whole kernel (TensorFlow's slower path from 32 columns on).

``--before REF[,REF]`` fits the same fold with the package as it was at
each git revision REF (a child process with a temporary worktree first on
its ``PYTHONPATH``), estimator after estimator as a search does, side by side.

    python benchmarks/profile_fit.py [--repeat 3] [--before REF[,REF]]
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, package_at  # noqa: E402


def _fold():
    from sklearn.model_selection import StratifiedKFold

    from sklearn_imdb import fetch_imdb

    X, y = fetch_imdb(subset="train", return_X_y=True)
    train, val = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    return [X[i] for i in train], y[train], [X[i] for i in val], y[val]


def profile(repeat):
    import keras

    from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer
    from sklearn_imdb.network._batches import reusing_batches

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
        start = time.perf_counter()
        clf = DenseNetworkClassifier(random_state=seed).fit(A, y)
        key = "network fit, " + (
            "first of this network: builds and traces a trainer"
            if seed == 0
            else "again, a new estimator: the traced trainer reused"
        )
        row[key] = time.perf_counter() - start
        start = time.perf_counter()
        clf.predict(V)
        key = "network predict (8,333), " + ("first" if seed == 0 else "again")
        row[key] = time.perf_counter() - start
        row["accuracy"] = float((clf.predict(V) == y_val).mean())
        rows.append(row)

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.marks = [time.perf_counter()]

        def on_epoch_end(self, epoch, logs=None):
            self.marks.append(time.perf_counter())

    # as tune's search does: the batches of a fold made once (reusing_batches)
    with reusing_batches():
        DenseNetworkClassifier(random_state=0).fit(A, y)
        start = time.perf_counter()
        DenseNetworkClassifier(random_state=0).fit(A, y)
        kept = {
            "network fit, again, the fold's batches kept (tune's search)": (
                time.perf_counter() - start
            )
        }

    # a callback of the user's: the estimator's own model, one step per call
    clock = Clock()
    start = time.perf_counter()
    DenseNetworkClassifier(random_state=0, callbacks=[clock]).fit(A, y)
    epochs = np.diff(clock.marks)
    uncached = {
        "with a user's callback: build and compile": clock.marks[0] - start,
        "with a user's callback: first epoch (tracing included)": epochs[0],
        "with a user's callback: each later epoch": float(np.mean(epochs[1:])),
    }
    return rows, {**kept, **uncached, **_floors(A, y)}


def _floors(A, y):
    import keras
    import tensorflow as tf

    from sklearn_imdb.network._architecture import _sparse_dense_class
    from sklearn_imdb.network._batches import batches, epoch_orders, reusing_batches

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
    floors = {
        "making and reading the 4 epochs' 132 sparse batches alone": (
            time.perf_counter() - start
        )
    }
    with reusing_batches():
        consume(batches(A, target, batch_size=512, orders=orders))
        start = time.perf_counter()
        consume(batches(A, target, batch_size=512, orders=orders))
        floors["reading them again, kept (reusing_batches)"] = (
            time.perf_counter() - start
        )
    batch = next(iter(batches(A[:512], target[:512], batch_size=512)))[0]

    class OneProduct(_sparse_dense_class()):
        # the whole kernel in one sparse_dense_matmul, not in slices
        def call(self, inputs, training=None):
            product = tf.sparse.sparse_dense_matmul(inputs, self.kernel)
            return self.activation(product + self.bias)

    for units, name, layer_class in (
        (16, "keras.layers.Dense (0.1's first layer)", keras.layers.Dense),
        (16, "SparseInputDense (sparse_dense_matmul)", _sparse_dense_class()),
        (32, "one sparse_dense_matmul, 32 units", OneProduct),
        (32, "SparseInputDense, 32 units (slices of 16)", _sparse_dense_class()),
        (64, "one sparse_dense_matmul, 64 units", OneProduct),
        (64, "SparseInputDense, 64 units (slices of 16)", _sparse_dense_class()),
    ):
        layer = layer_class(units, activation="relu")
        layer.build((None, A.shape[1]))

        @tf.function
        def step(layer=layer):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(layer(batch))
            return tape.gradient(loss, layer.kernel)

        step()
        start = time.perf_counter()
        for _ in range(100):
            step()
        key = f"first layer forward + backward, one 512-review batch, ms: {name}"
        floors[key] = (time.perf_counter() - start) * 10
    return floors


def fits(repeat):
    """Seconds of ``repeat`` fits and predictions, a new estimator each.

    Each estimator predicts the 8,333 validation rows, then one row at a
    time (the median of 20 calls, as a service scoring single reviews does).
    """
    from sklearn_imdb import DenseNetworkClassifier, MultiHotVectorizer

    X, y, X_val, y_val = _fold()
    vec = MultiHotVectorizer(num_words=10000)
    A, V = vec.fit_transform(X), vec.transform(X_val)
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        clf = DenseNetworkClassifier(random_state=seed).fit(A, y)
        middle = time.perf_counter()
        accuracy = float((clf.predict(V) == y_val).mean())
        predict = time.perf_counter() - middle
        singles = []
        for i in range(20):
            begin = time.perf_counter()
            clf.predict(V[i : i + 1])
            singles.append(time.perf_counter() - begin)
        times.append((middle - start, predict, accuracy, float(np.median(singles))))
    return times


def _fits_in_child(tree, repeat):
    out = subprocess.run(
        [sys.executable, __file__, "--fits-json", str(repeat)],
        env={**os.environ, "PYTHONPATH": tree},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_by_side(refs, repeat):
    """The fits of this package and of those at ``refs``, each in a fresh process."""
    runs = {"now": _fits_in_child(os.path.dirname(os.path.dirname(__file__)), repeat)}
    for ref in refs:
        with package_at(ref) as tree:
            runs[f"at {ref}"] = _fits_in_child(tree, repeat)
    lines = [
        f"DenseNetworkClassifier on the fold's 16,667 rows, {repeat} new estimators "
        "in one fresh process (fit, predict 8,333 seconds; one row: milliseconds, "
        "median of 20 calls; validation accuracy)",
        "",
        "| package | first fit | later fits (median) | first predict "
        "| later predicts | one row | accuracies |",
        "|---|---|---|---|---|---|---|",
    ]
    medians = {}
    for name, times in runs.items():
        fit, predict, accuracy, single = zip(*times)
        medians[name] = (fit[0], np.median(fit[1:]), predict[0], np.median(single))
        accuracies = ", ".join(f"{a:.4f}" for a in accuracy)
        lines.append(
            f"| {name} | {fit[0]:.2f} | {np.median(fit[1:]):.2f} | {predict[0]:.2f} "
            f"| {np.median(predict[1:]):.2f} | {1000 * np.median(single):.1f} "
            f"| {accuracies} |"
        )
    now, *before = medians.values()
    lines.append("")
    for ref, old in zip(refs, before):
        first, later, first_predict, single = (o / n for o, n in zip(old, now))
        lines.append(
            f"speed-up against {ref}: fit first {first:.1f}x, later {later:.1f}x; "
            f"first predict {first_predict:.1f}x, one row {single:.1f}x"
        )
    return "\n".join(lines)


def report(rows, floors):
    lines = ["| step | seconds (median of runs) |", "|---|---|"]
    keys = dict.fromkeys(key for row in rows for key in row if key != "accuracy")
    for key in keys:
        values = [r[key] for r in rows if key in r]
        lines.append(f"| {key} | {np.median(values):.2f} |")
    lines += [f"| *{key}* | {value:.2f} |" for key, value in floors.items()]
    accuracy = ", ".join(f"{r['accuracy']:.4f}" for r in rows)
    lines += ["", f"validation accuracy of the runs: {accuracy}"]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before", metavar="REF[,REF]", help="also fit with these revisions' package"
    )
    parser.add_argument("--fits-json", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fits_json:
        print(json.dumps(fits(args.fits_json)))
        sys.exit()
    print(f"machine: {machine()}\n")
    print(report(*profile(args.repeat)))
    if args.before:
        print("\n" + side_by_side(args.before.split(","), max(args.repeat, 2)))
