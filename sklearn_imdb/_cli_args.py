"""The command line's arguments: the parser and the types of its values.

A value that does not parse (a bad number, an unknown name) is an argparse
error: one line and exit status 2.
"""

import argparse
import json
from pathlib import Path

__all__ = ["build_parser"]


def build_parser(functions, version):
    """The argument parser; ``functions`` maps each command to its function."""
    from .model_selection import GRIDS
    from .pipelines import available_pipelines

    parser = argparse.ArgumentParser(
        prog="sklearn-imdb",
        description="Sentiment classification of IMDB movie reviews with "
        "scikit-learn pipelines and a Keras Dense network.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="only print results, no progress"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, func, help):
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=func)
        return sub

    data = command(
        "data", functions["data"], "summarise the IMDB dataset and print one review"
    )
    data.add_argument(
        "--review",
        type=_non_negative,
        default=0,
        help="index of the test review to print (default: 0)",
    )

    names = ", ".join(available_pipelines())
    train = command(
        "train",
        functions["train"],
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

    evaluate = command(
        "evaluate", functions["evaluate"], "score a saved model on a split"
    )
    evaluate.add_argument("model", help="a model file written by 'train'")
    evaluate.add_argument("--subset", choices=("train", "test"), default="test")
    _add_limit(evaluate)

    predict = command(
        "predict",
        functions["predict"],
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
        functions["compare"],
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

    tune = command("tune", functions["tune"], "grid-search the network's architecture")
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
