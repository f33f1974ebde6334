"""``sklearn-imdb``: the command line, a thin layer over the Python API.

Errors in what the user typed (bad numbers, paths, model or grid names) end
with a one-line message and exit status 2, without a traceback.
"""

import contextlib
import json
import logging
import sys
from pathlib import Path

import numpy as np

from .. import __version__
from ._data import data_name, evaluation, texts_to_score, train_test_texts
from ._parser import build_parser
from ._train import cmd_train

EXIT_USAGE = 2
#: the library's parameters named in its errors, as the command line spells them
PYTHON_WORDS = {"text_column=": "--text-column", "label_column=": "--label-column"}


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = build_parser(COMMANDS, __version__)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        return args.run(args) or 0
    except BrokenPipeError:  # e.g. piped into head: not an error
        sys.stdout = None
        return 0
    except (ValueError, TypeError, OSError, ImportError) as exc:
        message = (
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        )
        for python, option in PYTHON_WORDS.items():  # the command line's words
            message = message.replace(python, option)
        print(f"sklearn-imdb {args.command}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# -- commands -----------------------------------------------------------------


def cmd_data(args):
    from ..datasets import describe, fetch_imdb

    for subset in ("train", "test"):
        bunch = fetch_imdb(subset=subset)
        print(describe(bunch, subset))
    i = args.review
    if i >= len(bunch.data):
        raise ValueError(
            f"--review {i} is out of range: the test split has "
            f"{len(bunch.data)} reviews"
        )
    label = bunch.target_names[bunch.target[i]]
    print(f"\ntest review {i} ({label}, rating {bunch.rating[i]}/10):\n{bunch.data[i]}")


def cmd_evaluate(args):
    from ..model_files import load_model

    pipe = load_model(_existing_file(args.model))
    X, y, name = texts_to_score(args)
    print(f"{name}: {evaluation(pipe, X, y)[0]}")


def cmd_predict(args):
    from ..datasets import read_texts
    from ..model_files import load_model
    from ..model_selection import iter_predictions
    from ._rows import ROW_WRITERS

    pipe = load_model(_existing_file(args.model))
    if args.file is not None:
        if args.texts:
            raise ValueError("give texts or --file, not both")
        texts = read_texts(args.file, text_column=args.text_column)
    elif args.text_column is not None:
        raise ValueError("--text-column needs --file")
    elif args.texts == ["-"]:  # one text per line, streamed in batches
        texts = (line.rstrip("\n") for line in sys.stdin if line.strip())
    else:
        texts = args.texts
    method = "predict_proba" if hasattr(pipe, "predict_proba") else "predict"
    texts, shown = _tee(texts)
    write = ROW_WRITERS[args.format](pipe.classes_, method == "predict_proba")
    count = 0
    if args.scheduler is not None and args.backend != "dask":
        raise ValueError("--scheduler needs --backend dask")
    with _cluster(args) as client:
        for output in iter_predictions(
            pipe, texts, method=method, batch_size=args.batch_size, client=client
        ):
            for row in output:
                if method == "predict_proba":
                    write(next(shown), pipe.classes_[int(np.argmax(row))], row)
                else:
                    write(next(shown), row, None)
                count += 1
    if not count:
        raise ValueError(
            "no texts to classify: give them as arguments, --file, or '-' for stdin"
        )


def cmd_explain(args):
    from ..inspection import MEANING, explain, explanation_html, top_features
    from ..model_files import load_model

    pipe = load_model(_existing_file(args.model))
    if args.global_:
        if args.texts or args.html:
            raise ValueError("--global explains the model, not texts: drop them")
        for label, words in top_features(pipe, n=args.top).items():
            terms = ", ".join(
                f"{term} ({score:+.3f})" for term, score in words.itertuples(False)
            )
            print(f"{label}: {terms}")
        return
    if not args.texts:
        raise ValueError("no texts to explain: give them as arguments, or --global")
    explanations = explain(pipe, args.texts, top=args.top)
    for explanation in explanations:
        probability = (
            ""
            if explanation.probability is None
            else f" (probability {explanation.probability:.3f})"
        )
        print(f"{explanation.text}\n  predicted: {explanation.label}{probability}")
        terms = explanation.terms
        for heading, part in (
            ("towards", terms[terms["contribution"] > 0]),
            ("against", terms[terms["contribution"] < 0].iloc[::-1]),
        ):
            words = ", ".join(
                f"{term} ({value:+.3f})" for term, value in part.itertuples(False)
            )
            print(f"  {heading} {explanation.label}: {words or '-'}")
    print(f"a contribution is {MEANING[explanations[0].kind]}")
    if args.html:
        from ..utils._files import atomic_write

        with atomic_write(args.html, "w") as f:
            f.write(explanation_html(explanations, title=f"Model: {args.model}"))
        print(f"wrote {args.html}")


def cmd_compare(args):
    from ..model_selection import available_pipelines, compare, table_markdown

    models = (
        None
        if args.models in (None, "all")
        else [m.strip() for m in args.models.split(",") if m.strip()]
    )
    if models is not None and not models:
        raise ValueError("--models is empty: give names separated by commas, or 'all'")
    splits = train_test_texts(args)
    n_classes = len(np.unique(splits[1]))
    print(
        f"comparing {', '.join(models or available_pipelines(n_classes))} "
        f"on {len(splits[0]):,} training reviews, {n_classes} classes "
        f"({'no CV' if args.cv == 0 else f'{args.cv}-fold CV'})"
    )
    table = compare(
        models,
        cv=args.cv,
        limit=args.limit,
        splits=splits,
        n_jobs=args.n_jobs,
        out=args.out,
        data_name=data_name(args),
    )
    print(table_markdown(table))


def cmd_tune(args):
    from ..model_selection import tune

    search = tune(
        args.grid,
        model=args.model,
        cv=args.cv,
        limit=args.limit,
        splits=train_test_texts(args),
        data_name=data_name(args),
        n_jobs=args.n_jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        out=args.out,
        verbose=0 if args.quiet else 2,
    )
    import pandas as pd

    results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
    print("\ntop candidates (mean CV accuracy ± std):")
    for _, row in results.head(args.top).iterrows():
        params = ", ".join(
            f"{k.removeprefix('clf__')}={v}" for k, v in row["params"].items()
        )
        print(
            f"  {row['rank_test_score']:3d}. {row['mean_test_score']:.4f} "
            f"± {row['std_test_score']:.4f}  {params}"
        )
    print(
        f"best parameters: {json.dumps(search.best_params_)} "
        f"(CV accuracy {search.best_score_:.4f})"
    )


def cmd_serve(args):
    try:
        from ..serve import Limits, serve
    except ImportError as exc:
        raise ImportError(
            f"serve needs the [serve] extra ({exc}): pip install 'sklearn-imdb[serve]'"
        ) from None
    limits = Limits(
        max_body_bytes=args.max_body_bytes,
        max_texts=args.max_texts,
        max_chars=args.max_chars,
    )
    print(
        f"serving {args.model} at http://{args.host}:{args.port}/ "
        f"({args.workers} worker{'s' if args.workers > 1 else ''}; "
        "the API at /docs; Ctrl-C or SIGTERM stops it)",
        flush=True,
    )
    serve(
        _existing_file(args.model),
        host=args.host,
        port=args.port,
        workers=args.workers,
        key=args.key,
        limits=limits,
    )


def _existing_file(path):
    if not Path(path).is_file():
        raise FileNotFoundError(f"no model file at {path}")
    return path


def _tee(iterable):
    """Two iterators over ``iterable``: one to predict, one to print."""
    from itertools import tee

    return tee(iterable, 2)


def _cluster(args):
    """A Dask client for ``--backend dask``, else nothing."""
    if args.backend != "dask":
        return contextlib.nullcontext()
    from ..utils import dask_client

    return dask_client(args.scheduler)


COMMANDS = {
    "data": cmd_data,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "predict": cmd_predict,
    "explain": cmd_explain,
    "compare": cmd_compare,
    "tune": cmd_tune,
    "serve": cmd_serve,
}
