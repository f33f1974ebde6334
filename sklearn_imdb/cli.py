"""``sklearn-imdb``: the command line, a thin layer over the Python API.

Errors in what the user typed (bad numbers, paths, model or grid names) end
with a one-line message and exit status 2, without a traceback.
"""

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from . import __version__
from ._cli_args import build_parser

EXIT_USAGE = 2


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
        print(f"sklearn-imdb {args.command}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# -- commands -----------------------------------------------------------------


def cmd_data(args):
    from .datasets import describe, fetch_imdb

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


def cmd_train(args):
    from .model_selection import load_splits
    from .persistence import save_model
    from .pipelines import named_pipeline

    params = dict(args.set or [])
    if args.epochs is not None:
        params["clf__epochs"] = args.epochs
    pipe = named_pipeline(args.model, **params)
    out = _out_dir(args.out)
    X_train, y_train, X_test, y_test = load_splits(args.limit)
    print(f"training {args.model} on {len(X_train):,} reviews ...")
    start = time.perf_counter()
    pipe.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    print(f"fitted in {fit_seconds:.1f} s; test: {_evaluation(pipe, X_test, y_test)}")
    path = save_model(pipe, out / "model.skimdb")
    print(f"saved the fitted pipeline to {path}")
    history = getattr(pipe[-1], "history_", None)
    if history:
        from .plotting import plot_history

        plot_history(history, path=out / "training_curves.png", title=args.model)
        print(f"saved the training curves to {out / 'training_curves.png'}")


def cmd_evaluate(args):
    from .model_selection import load_splits
    from .persistence import load_model

    pipe = load_model(_existing_file(args.model))
    X_train, y_train, X_test, y_test = load_splits(args.limit)
    X, y = (X_test, y_test) if args.subset == "test" else (X_train, y_train)
    print(f"{args.subset}: {_evaluation(pipe, X, y)}")


def _evaluation(pipe, X, y):
    """Accuracy, ROC AUC (and log loss) of ``pipe`` on ``(X, y)``, as text."""
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    from .model_selection import predict_with_scores

    predicted, scores, is_proba = predict_with_scores(pipe, X)
    text = (
        f"{len(X):,} reviews, accuracy {accuracy_score(y, predicted):.4f}, "
        f"ROC AUC {roc_auc_score(y, scores):.4f}"
    )
    return text + (f", log loss {log_loss(y, scores):.4f}" if is_proba else "")


def cmd_predict(args):
    from .batching import iter_predictions
    from .persistence import load_model

    pipe = load_model(_existing_file(args.model))
    if args.reviews == ["-"]:  # one review per line, streamed in batches
        texts = (line.rstrip("\n") for line in sys.stdin if line.strip())
    else:
        texts = args.reviews
    method = "predict_proba" if hasattr(pipe, "predict_proba") else "predict"
    texts, shown = _tee(texts)
    count = 0
    for output in iter_predictions(
        pipe, texts, method=method, batch_size=args.batch_size
    ):
        for row in output:
            text = next(shown)
            text = text if len(text) <= 70 else text[:67] + "..."
            if method == "predict_proba":
                label = pipe.classes_[int(np.argmax(row))]
                print(f"P(pos)={row[-1]:.3f}  {_label(label):>4}  {text}")
            else:
                print(f"{_label(row):>4}  {text}")
            count += 1
    if not count:
        raise ValueError(
            "no reviews to classify: give them as arguments, or '-' for stdin"
        )


def cmd_compare(args):
    from .model_selection import compare
    from .pipelines import available_pipelines
    from .reports import table_markdown

    models = (
        None
        if args.models in (None, "all")
        else [m.strip() for m in args.models.split(",") if m.strip()]
    )
    if models is not None and not models:
        raise ValueError("--models is empty: give names separated by commas, or 'all'")
    print(
        f"comparing {', '.join(models or available_pipelines())} "
        f"({'no CV' if args.cv == 0 else f'{args.cv}-fold CV'}"
        f"{f', {args.limit} reviews per split' if args.limit else ''})"
    )
    table = compare(
        models, cv=args.cv, limit=args.limit, n_jobs=args.n_jobs, out=args.out
    )
    print(table_markdown(table))
    if args.out:
        print(f"wrote comparison.csv, comparison.md and comparison.png to {args.out}")


def cmd_tune(args):
    from .model_selection import tune

    search = tune(
        args.grid,
        model=args.model,
        cv=args.cv,
        limit=args.limit,
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
    if args.out:
        print(f"wrote results.csv, best_params.json and scores.png to {args.out}")


def _out_dir(path):
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {path} exists and is not a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _existing_file(path):
    if not Path(path).is_file():
        raise FileNotFoundError(f"no model file at {path}")
    return path


def _tee(iterable):
    """Two iterators over ``iterable``: one to predict, one to print."""
    from itertools import tee

    return tee(iterable, 2)


def _label(value):
    names = {0: "neg", 1: "pos"}
    return names.get(value, str(value)) if not isinstance(value, str) else value


COMMANDS = {
    "data": cmd_data,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "predict": cmd_predict,
    "compare": cmd_compare,
    "tune": cmd_tune,
}


if __name__ == "__main__":
    sys.exit(main())
