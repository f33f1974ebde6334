"""Fitting a pipeline from a stream of chunks, in memory bounded by a chunk.

scikit-learn's out-of-core recipe (``partial_fit`` chunk after chunk) for a
whole :class:`~sklearn.pipeline.Pipeline`: a pass over the stream for each
step that learns (the vectorizer's vocabulary, then the naive Bayes
weights, each needing the steps before it finished), then ``epochs`` passes
for the final step, its chunks shuffled through a bounded buffer.
"""

import inspect
import logging
import time

import numpy as np
from sklearn.utils import get_tags

from ._progress import Progress, clock
from ._stream_cluster import (
    learn_on_cluster,
    reduces_on_cluster,
    transformed_on_cluster,
)

__all__ = ["fit_stream"]

logger = logging.getLogger(__name__)


def fit_stream(
    pipeline,
    chunks,
    *,
    epochs=1,
    classes=None,
    buffer_size=20000,
    random_state=0,
    client=None,
):
    """Fit ``pipeline`` on a stream of labelled chunks, a chunk in memory at a time.

    Every step learns from ``partial_fit`` (or learns nothing: scikit-learn's
    ``requires_fit=False`` tag): the steps before the last one each in a pass
    of their own over the stream, the last one in ``epochs`` passes. Each
    pass calls ``chunks()`` for the stream anew. Progress, with an estimate
    of the time left, is logged at INFO level after each chunk.

    Parameters
    ----------
    pipeline : Pipeline
        E.g. ``MultiHotVectorizer`` (learned or hashing vocabulary),
        ``NBFeatureWeighter``, then ``DenseNetworkClassifier`` or
        ``SGDClassifier``. Fitted in place.
    chunks : callable
        ``chunks()`` returns an iterable of ``(texts, labels)`` pairs, the same
        stream each time (e.g. ``lambda: iter_reviews(path)``).
    epochs : int, default=1
        Passes of the last step over the stream.
    classes : array-like or None, default=None
        Every class of the stream; None gathers them in the first pass.
    buffer_size : int, default=20000
        Rows held back to shuffle the last step's chunks with those that
        follow (a row comes out at most this many rows and a chunk early);
        0 keeps the stream's order.
    random_state : int, default=0
        Seed of the shuffling.
    client : dask.distributed.Client or None, default=None
        A Dask cluster to share the work: a learned vocabulary and naive
        Bayes counts are counted on its workers a chunk a task and merged
        pairwise there, and the chunks are vectorized there ahead of the last
        step, which trains in this process (as dask-ml's ``Incremental``).
        None does everything here.

    Returns
    -------
    pipeline : Pipeline
        The pipeline, fitted.

    Raises
    ------
    TypeError
        If a step can learn neither a chunk at a time nor without data.
    ValueError
        If the stream is empty, or a chunk's labels are outside ``classes``.
    """
    steps = [step for _, step in pipeline.steps if step not in (None, "passthrough")]
    for name, step in pipeline.steps:
        if step in (None, "passthrough") or hasattr(step, "partial_fit"):
            continue
        if get_tags(step).requires_fit:
            raise TypeError(
                f"step {name!r} ({type(step).__name__}) has no partial_fit: a "
                "pipeline learns from a stream only when each step can learn "
                "a chunk at a time (e.g. MultiHotVectorizer, NBFeatureWeighter, "
                "DenseNetworkClassifier, SGDClassifier)."
            )
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
    learners, final = steps[:-1], steps[-1]
    # the first pass counts the chunks and gathers the classes, and teaches
    # the first step unless it needs the classes first
    first = learners[0] if learners else None
    if first is not None and classes is None and _takes_classes(first):
        first = None
    count = {"chunks": 0, "rows": 0}
    seen = set()
    start = time.perf_counter()

    def first_pass():
        for texts, labels in chunks():
            found = np.unique(labels)
            if classes is not None:
                _check_labels(found, classes, count["rows"], len(texts))
            seen.update(found.tolist())
            count["chunks"] += 1
            count["rows"] += len(texts)
            yield texts, labels
            logger.info(
                "  pass 1 (%s): %d chunks, %s rows (%s elapsed)",
                "rows" if first is None else type(first).__name__,
                count["chunks"],
                f"{count['rows']:,}",
                clock(time.perf_counter() - start),
            )

    window = 2 * len(client.scheduler_info()["workers"]) if client else 0
    if first is not None and client is not None and reduces_on_cluster(first):
        learn_on_cluster(client, first, [], first_pass(), classes, window)
    else:
        for texts, labels in first_pass():
            if first is not None:
                _learn(first, texts, labels, classes)
    if not count["rows"]:
        raise ValueError("The stream holds no rows.")
    classes = np.asarray(sorted(seen) if classes is None else classes)
    done = 1 if first is not None else 0
    progress = Progress(count["chunks"] * (len(learners) - done + epochs), logger)

    def reported(stream, text):
        for chunk in stream:
            yield chunk
            progress.report(text)

    for k in range(done, len(learners)):
        stream = reported(chunks(), f"pass {k + 1} ({type(learners[k]).__name__})")
        if client is not None and reduces_on_cluster(learners[k]):
            learn_on_cluster(client, learners[k], learners[:k], stream, classes, window)
            continue
        for texts, labels in stream:
            _learn(learners[k], _transformed(learners[:k], texts), labels, classes)
    rng = np.random.default_rng(random_state)
    for epoch in range(epochs):
        stream = _shuffled(chunks(), buffer_size, rng) if buffer_size else chunks()
        stream = reported(
            stream, f"epoch {epoch + 1}/{epochs} ({type(final).__name__})"
        )
        if client is not None:
            features = transformed_on_cluster(client, learners, stream, window)
        else:
            features = (
                (_transformed(learners, texts) if len(texts) else None, labels)
                for texts, labels in stream
            )
        for X, labels in features:
            if X is not None:  # none while the shuffle buffer fills
                _learn(final, X, labels, classes)
    return pipeline


def _check_labels(found, classes, first_row, n):
    unknown = np.setdiff1d(found, np.asarray(classes))
    if unknown.size:
        raise ValueError(
            f"rows {first_row + 1}-{first_row + n} hold the label "
            f"{unknown[0].item()!r}, not among classes={list(classes)!r}."
        )


def _takes_classes(step):
    return "classes" in inspect.signature(step.partial_fit).parameters


def _learn(step, X, y, classes):
    if not hasattr(step, "partial_fit"):  # learns nothing: fitting again is free
        step.fit(X, y)
    elif classes is not None and _takes_classes(step):
        step.partial_fit(X, y, classes=classes)
    else:
        step.partial_fit(X, y)


def _transformed(steps, X):
    for step in steps:
        X = step.transform(X)
    return X


def _shuffled(chunks, buffer_size, rng):
    """The stream's chunks, rows shuffled with up to ``buffer_size`` held back.

    Each chunk joins the rows held back and is shuffled with them; as many
    rows go on as exceed ``buffer_size``, the rest wait for the next chunk
    (tf.data's shuffle buffer, a chunk at a time). As many chunks come out
    as went in (the first ones empty while the buffer fills, the last one
    with the buffer's rows), so that progress counts them as read.
    """
    held_texts, held_labels, pending = [], None, None
    for texts, labels in chunks:
        texts = held_texts + list(texts)
        labels = np.asarray(labels)
        if held_labels is not None:
            labels = np.concatenate([held_labels, labels])
        order = rng.permutation(len(texts))
        n_out = max(len(texts) - buffer_size, 0)
        if pending is not None:
            yield pending
        pending = [texts[i] for i in order[:n_out]], labels[order[:n_out]]
        held_texts = [texts[i] for i in order[n_out:]]
        held_labels = labels[order[n_out:]]
    if pending is not None:
        yield pending[0] + held_texts, np.concatenate([pending[1], held_labels])
