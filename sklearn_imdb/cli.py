"""``sklearn-imdb``: the command line, a thin layer over the Python API.

Errors in what the user typed (bad numbers, paths, model or grid names) end
with a one-line message and exit status 2, without a traceback.
"""

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from . import __version__

EXIT_USAGE = 2


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = _parser()
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
    from .experiments import load_splits
    from .persistence import save_model
    from .pipelines import make_pipeline

    params = dict(args.set or [])
    if args.epochs is not None:
        params["clf__epochs"] = args.epochs
    pipe = make_pipeline(args.model, **params)
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
    from .experiments import load_splits
    from .persistence import load_model

    pipe = load_model(_existing_file(args.model))
    X_train, y_train, X_test, y_test = load_splits(args.limit)
    X, y = (X_test, y_test) if args.subset == "test" else (X_train, y_train)
    print(f"{args.subset}: {_evaluation(pipe, X, y)}")


def _evaluation(pipe, X, y):
    """Accuracy, ROC AUC (and log loss) of ``pipe`` on ``(X, y)``, as text."""
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    from .experiments import predict_with_scores

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
    from .experiments import compare, table_markdown
    from .pipelines import available_pipelines

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
    from .experiments import tune

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


# -- arguments ----------------------------------------------------------------


def _parser():
    from .experiments import GRIDS
    from .pipelines import available_pipelines

    parser = argparse.ArgumentParser(
        prog="sklearn-imdb",
        description="Sentiment classification of IMDB movie reviews with "
        "scikit-learn pipelines and a Keras Dense network.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="only print results, no progress"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, func, help):
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=func)
        return sub

    data = command("data", cmd_data, "summarise the IMDB dataset and print one review")
    data.add_argument(
        "--review",
        type=_non_negative,
        default=0,
        help="index of the test review to print (default: 0)",
    )

    names = ", ".join(available_pipelines())
    train = command(
        "train",
        cmd_train,
        "fit a pipeline on the train split, evaluate it on the test "
        "split, save it (and the network's training curves)",
    )
    train.add_argument("--model", default="seed-net", help=f"pipeline: {names}")
    train.add_argument("--epochs", type=_positive, help="epochs of a network")
    train.add_argument(
        "--set",
        metavar="PARAM=VALUE",
        type=_assignment,
        action="append",
        help="set a pipeline parameter, e.g. clf__units=32 (repeatable)",
    )
    _add_limit(train)
    train.add_argument(
        "--out",
        type=Path,
        default=Path("out/train"),
        help="folder for model.skimdb and the curves (default: out/train)",
    )

    evaluate = command("evaluate", cmd_evaluate, "score a saved model on a split")
    evaluate.add_argument("model", help="a model file written by 'train'")
    evaluate.add_argument("--subset", choices=("train", "test"), default="test")
    _add_limit(evaluate)

    predict = command(
        "predict",
        cmd_predict,
        "classify reviews with a saved model (P(positive) and label)",
    )
    predict.add_argument("model", help="a model file written by 'train'")
    predict.add_argument(
        "reviews", nargs="+", help="review texts, or - to read lines from stdin"
    )
    predict.add_argument(
        "--batch-size",
        type=_positive,
        default=10000,
        help="reviews classified at once (default: 10000)",
    )

    compare = command(
        "compare",
        cmd_compare,
        "cross-validate named pipelines on train, then score them on test",
    )
    compare.add_argument(
        "--models", help=f"comma-separated names or 'all' (default): {names}"
    )
    compare.add_argument(
        "--cv", type=_cv, default=5, help="folds, 0 to skip CV (default: 5)"
    )
    _add_limit(compare)
    compare.add_argument("--out", type=Path, help="folder for comparison.csv/.md/.png")
    compare.add_argument(
        "--n-jobs", type=int, default=None, help="folds run in parallel"
    )

    tune = command("tune", cmd_tune, "grid-search the network's architecture")
    tune.add_argument(
        "--grid",
        default="small",
        help=f"{' or '.join(GRIDS)} (72 and 4 candidates) or a JSON file "
        "of parameter lists (default: small)",
    )
    tune.add_argument("--model", default="seed-net", help="pipeline to tune")
    tune.add_argument("--cv", type=_cv_search, default=3, help="folds (default: 3)")
    _add_limit(tune)
    tune.add_argument(
        "--out", type=Path, help="folder for results.csv, best_params.json, scores.png"
    )
    tune.add_argument("--n-jobs", type=int, default=None, help="parallel fits")
    tune.add_argument(
        "--backend",
        choices=("loky", "dask"),
        default="loky",
        help="joblib backend (default: loky)",
    )
    tune.add_argument(
        "--scheduler", help="Dask scheduler address (default: a local cluster)"
    )
    tune.add_argument("--top", type=_positive, default=10, help="candidates to print")
    return parser


def _add_limit(parser):
    parser.add_argument(
        "--limit",
        type=_positive,
        default=None,
        help="use a stratified sample of N reviews from each split",
    )


def _int_arg(valid, requirement):
    """An argparse type: an integer for which ``valid(value)`` holds."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not valid(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text!r}")
        return value

    return parse


_positive = _int_arg(lambda v: v >= 1, "a positive integer")
_non_negative = _int_arg(lambda v: v >= 0, ">= 0")
_cv = _int_arg(lambda v: v == 0 or v >= 2, "0 (no CV) or at least 2")
_cv_search = _int_arg(lambda v: v >= 2, "at least 2")


def _assignment(text):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected PARAM=VALUE, got {text!r}")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


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


if __name__ == "__main__":
    sys.exit(main())
