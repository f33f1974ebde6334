"""``train`` on a file past the memory budget: its chunks, held-out rows and scores.

An in-memory fit's peak grew by 21 (seed-net) to 28 (nb-logreg) bytes per
byte of the file's text (issue 36: 25,000 to 400,000 reviews), so a file
whose size times :data:`PEAK_PER_BYTE` passes ``--memory-budget`` is learned
a chunk at a time instead (:func:`~sklearn_imdb.fit_stream`), the rows
held out to test on chosen chunk by chunk and scored as they stream (the
predictions kept, not the texts).
"""

import os
from pathlib import Path

import numpy as np

from ..datasets import iter_reviews, load_labelled
from ..model_selection import predict_with_scores

__all__ = [
    "COUNTERPARTS",
    "PEAK_PER_BYTE",
    "default_budget_mb",
    "fit_streaming",
    "streams",
    "score_streaming",
    "streamable",
]

#: an in-memory fit's peak memory per byte of its file (measured, rounded up)
PEAK_PER_BYTE = 30
#: rows a chunk: ~13 MB of IMDB-sized reviews
CHUNK_ROWS = 10000
#: the named pipelines learned a chunk at a time in place of those that cannot be
COUNTERPARTS = {"nb-logreg": "nb-sgd"}


def default_budget_mb():
    """Half the memory this machine has available now (``/proc/meminfo``)."""
    try:
        with open("/proc/meminfo") as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["MemAvailable"].split()[0]) // 1024 // 2
    except (OSError, KeyError, ValueError):
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES") // 2**21


def streams(args):
    """Whether ``train --data`` streams, and why (a sentence), or (False, None)."""
    if args.scheduler is not None and args.backend != "dask":
        raise ValueError("--scheduler needs --backend dask")
    if args.data is None or not Path(args.data).is_file():
        if args.backend == "dask":
            raise ValueError("--backend dask streams a --data file: give one")
        return False, None  # IMDB, or a folder per class: loaded whole
    budget = args.memory_budget or default_budget_mb()
    size_mb = Path(args.data).stat().st_size / 2**20
    if args.backend != "dask" and size_mb * PEAK_PER_BYTE <= budget:
        return False, None
    if args.limit is not None:
        raise ValueError("--limit samples a file in memory: it cannot stream")
    if args.backend == "dask":
        return True, (
            f"--backend dask: {args.data} is learned {CHUNK_ROWS:,} rows at a "
            "time, counted and vectorized on the Dask cluster's workers"
        )
    return True, (
        f"{args.data} is {size_mb:,.0f} MB: fitting it in memory would take "
        f"~{size_mb * PEAK_PER_BYTE / 1024:,.1f} GB, past --memory-budget "
        f"{budget:,} MB, so it is learned {CHUNK_ROWS:,} rows at a time"
    )


def streamable(args, pipe, params):
    """``pipe``, or the named pipeline that learns as it does a chunk at a time.

    nb-logreg's LogisticRegression learns from all rows at once; its
    counterpart nb-sgd (:data:`COUNTERPARTS`) is trained in its place, and
    ``args.model`` names it, so that the model file says what was trained.
    """
    from ..model_selection import describe_pipeline, named_pipeline

    if hasattr(pipe[-1], "partial_fit"):
        return pipe
    if args.model not in COUNTERPARTS:
        raise ValueError(
            f"{args.model} cannot learn a chunk at a time ({type(pipe[-1]).__name__} "
            "learns from all rows at once): use seed-net, nb-net or nb-sgd, or a "
            "larger --memory-budget"
        )
    name = COUNTERPARTS[args.model]
    print(
        f"{args.model}'s {type(pipe[-1]).__name__} learns from all rows at once: "
        f"training {name} in its place ({describe_pipeline(name)})"
    )
    args.model = name
    return named_pipeline(name, **params)


def fit_streaming(args, pipe):
    """Fit ``pipe`` on ``--data`` a chunk at a time; the rows trained on.

    Without ``--test-data``, each chunk's rows are held out with probability
    ``--test-size`` by a generator seeded with the chunk's number, so that
    every pass holds out the same rows (:func:`score_streaming` scores them).
    """
    from ..model_selection import fit_stream

    rows = [0]  # of the last pass

    part = "all" if args.test_data is not None else "train"

    def chunks():
        rows[0] = 0
        for texts, labels in _chunks(args, args.data, part):
            rows[0] += len(texts)
            yield texts, labels

    # a network's epochs, or SGDClassifier's passes (nb-sgd: tol=None)
    epochs = getattr(pipe[-1], "epochs", None) or getattr(pipe[-1], "max_iter", 1)
    if args.backend != "dask":
        fit_stream(pipe, chunks, epochs=epochs)
        return rows[0]
    from ..utils import dask_client

    with dask_client(args.scheduler) as client:
        fit_stream(pipe, chunks, epochs=epochs, client=client)
    return rows[0]


def score_streaming(args, pipe):
    """Labels, predictions and scores of the rows held out (or ``--test-data``).

    Returns
    -------
    y_test, predicted, scores : ndarray
    is_proba : bool
        Whether the scores are probabilities.
    """
    if args.test_data is not None and Path(args.test_data).is_dir():
        test = [load_labelled(args.test_data, label_column=args.label_column)]
    elif args.test_data is not None:
        test = _chunks(args, args.test_data, "all")
    else:
        test = _chunks(args, args.data, "test")
    parts = [
        (labels, *predict_with_scores(pipe, texts)) for texts, labels in test if texts
    ]
    if not parts:
        raise ValueError("no rows were held out to test on: raise --test-size")
    y_test, predicted, scores = (np.concatenate(p) for p in list(zip(*parts))[:3])
    return y_test, predicted, scores, parts[0][3]


def _chunks(args, path, part):
    reviews = iter_reviews(
        path,
        chunksize=CHUNK_ROWS,
        text_column=args.text_column,
        label_column=args.label_column,
    )
    for k, (texts, labels) in enumerate(reviews):
        if part != "all":
            held = np.random.default_rng([0, k]).random(len(texts)) < args.test_size
            keep = np.flatnonzero(held if part == "test" else ~held)
            texts, labels = [texts[i] for i in keep], labels[keep]
        yield texts, labels
