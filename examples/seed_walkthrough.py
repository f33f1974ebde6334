"""The Keras IMDB walk-through, step by step, with scikit-learn's API.

This is ``make demo``: load IMDB, look at the data, decode a review, hold out
10,000 training reviews to watch the network overfit over 20 epochs (saving
the two curve plots), retrain the final 4-epoch model on all 25,000 reviews,
evaluate it on the test split and classify a few new reviews.

Run it with ``python examples/seed_walkthrough.py [--out DIR]``.
"""

import argparse
import logging
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.pipeline import Pipeline

from sklearn_imdb import (
    DenseNetworkClassifier,
    MultiHotVectorizer,
    fetch_imdb,
    plot_history,
)
from sklearn_imdb.datasets import describe

NEW_REVIEWS = [
    "An absolute masterpiece: moving, funny and beautifully acted.",
    "Two hours of my life I will never get back. Dull and badly written.",
    "Not bad, but the ending was a letdown.",
]


def main(out, epochs):
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    print("== 1. The data")
    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    print(describe(train, "train"))
    print(describe(test, "test"))

    print("\n== 2. A review, and what the multi-hot encoding keeps of it")
    vectorizer = MultiHotVectorizer(num_words=10000).fit(train.data)
    review = train.data[-1]
    print(f"rating {train.rating[-1]}/10: {review[:400]}...")
    kept = vectorizer.inverse_transform(vectorizer.transform([review]))[0]
    print(
        f"{len(kept)} distinct words of the top 10,000, by frequency rank: "
        f"{' '.join(kept[:40])} ..."
    )

    print("\n== 3. 20 epochs on 15,000 reviews, validated on 10,000 held out")
    # validation_split holds out a shuffled, stratified 40%: 10,000 reviews
    probe = DenseNetworkClassifier(epochs=20, validation_split=0.4, random_state=0)
    probe.fit(vectorizer.transform(train.data), train.target)
    history = probe.history_
    best = int(np.argmin(history["val_loss"])) + 1
    for epoch in (1, 2, 3, 4, 5, 10, 20):
        if epoch <= len(history["loss"]):
            print(
                f"  epoch {epoch:2d}: loss {history['loss'][epoch - 1]:.3f}, "
                f"accuracy {history['accuracy'][epoch - 1]:.3f} | validation "
                f"loss {history['val_loss'][epoch - 1]:.3f}, accuracy "
                f"{history['val_accuracy'][epoch - 1]:.3f}"
            )
    print(f"validation loss is lowest after epoch {best}: later epochs overfit")
    plot_history(
        history,
        path=out / "training_curves.png",
        title="15,000 reviews, 10,000 held out",
    )
    print(f"saved the loss and accuracy curves to {out / 'training_curves.png'}")

    print(f"\n== 4. The final model: {epochs} epochs on all 25,000 reviews")
    pipe = Pipeline(
        [
            ("vec", MultiHotVectorizer(num_words=10000)),
            ("clf", DenseNetworkClassifier(epochs=epochs, random_state=0)),
        ]
    )
    pipe.fit(train.data, train.target)
    proba = pipe.predict_proba(test.data)[:, 1]
    print(
        f"test loss {log_loss(test.target, proba):.4f}, test accuracy "
        f"{accuracy_score(test.target, proba > 0.5):.4f}, ROC AUC "
        f"{roc_auc_score(test.target, proba):.4f} (25,000 test reviews)"
    )

    print("\n== 5. New reviews")
    for text, p in zip(NEW_REVIEWS, pipe.predict_proba(NEW_REVIEWS)[:, 1]):
        print(f"  P(positive) = {p:.3f}  {text}")
    print(f"\ndone in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/demo"),
        help="folder for the plots (default: out/demo)",
    )
    parser.add_argument(
        "--epochs", type=int, default=4, help="epochs of the final model (default: 4)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("sklearn_imdb.classifier").setLevel(logging.WARNING)
    main(args.out, args.epochs)
