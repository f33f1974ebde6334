"""The passes of ``fit_stream`` on a Dask cluster: counts reduced on the workers.

This process reads the stream and hands each chunk to the workers. A learned
vocabulary is counted there, a chunk a task (each a ``TermCounts`` summary),
and the summaries are merged pairwise on the workers as they finish: a tree
reduction, so that no process ever holds more than two summaries (Misra-Gries
summaries merge: ``text/_term_stream``). Naive Bayes counts add up the same
way. The last step trains here, an epoch at a time as ``partial_fit`` does
(as dask-ml's ``Incremental``: one model, its chunks in turn), while the
workers vectorize the chunks ahead of it.
"""

import collections

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from ..text import MultiHotVectorizer, NBFeatureWeighter

__all__ = ["learn_on_cluster", "reduces_on_cluster", "transformed_on_cluster"]


def reduces_on_cluster(step):
    """Whether the workers can learn ``step`` from a stream's chunks in parallel."""
    if isinstance(step, MultiHotVectorizer):
        return step.vocabulary == "learned"
    return isinstance(step, NBFeatureWeighter)


def learn_on_cluster(client, step, before, chunks, classes, window):
    """Fit ``step`` on the chunks (transformed by the fitted ``before``) on the workers.

    Each chunk's counts are made by a copy of ``step`` on a worker and merged
    into one pairwise, on the workers, as they finish; at most ``window``
    chunks wait at once. ``step`` ends holding the merged counts.
    """
    from distributed import as_completed

    # one object, not a list (a list is scattered an element a future)
    shipped = _ship(client, before)
    blank = clone(step)
    finished = as_completed()
    ready = None

    def take(future):
        nonlocal ready
        if ready is None:
            ready = future
        else:
            finished.add(client.submit(_merged, ready, future, pure=False))
            ready = None

    for texts, labels in chunks:
        finished.add(
            client.submit(_counts, blank, shipped, texts, labels, classes, pure=False)
        )
        while finished.count() >= window:
            take(next(finished))
    for future in finished:
        take(future)
    if ready is None:  # no chunks: the caller says so
        return step
    counted = ready.result()
    if isinstance(step, MultiHotVectorizer):
        step._stream, step.hash_seed_ = counted._stream, counted.hash_seed_
        step.input_type_, step.idf_ = counted.input_type_, None
        step._set_vocabulary()
    else:
        vars(step).update(vars(counted))
    return step


def _ship(client, steps):
    """Fitted ``steps`` as one pipeline on every worker (None for none)."""
    if not steps:
        return None
    return client.scatter(make_pipeline(*steps), broadcast=True, hash=False)


def _counts(step, before, texts, labels, classes):
    step = clone(step)
    X = texts if before is None else before.transform(texts)
    if isinstance(step, NBFeatureWeighter):
        return step.partial_fit(X, labels, classes=classes)
    return step.partial_fit(X)


def _merged(a, b):
    if isinstance(a, MultiHotVectorizer):
        a._stream.merge(b._stream)
        return a
    a.feature_count_ += b.feature_count_
    return a._set_ratio()


def transformed_on_cluster(client, steps, chunks, window):
    """The stream's chunks, each transformed by ``steps`` on the workers, in order.

    Yields
    ------
    X, labels
        Each chunk's features (as ``steps`` give them) and labels; at most
        ``window`` chunks are on the workers at once.
    """
    shipped = _ship(client, steps)
    pending = collections.deque()
    for texts, labels in chunks:
        if not len(texts):  # none while a shuffle buffer fills
            pending.append((None, labels))
        else:
            pending.append(
                (client.submit(_transformed, shipped, texts, pure=False), labels)
            )
        if len(pending) >= window:
            yield _result(*pending.popleft())
    while pending:
        yield _result(*pending.popleft())


def _result(future, labels):
    return (None if future is None else future.result()), np.asarray(labels)


def _transformed(steps, X):
    return X if steps is None else steps.transform(X)
