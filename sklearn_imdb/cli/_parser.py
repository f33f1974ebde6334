"""The command line's arguments: the parser, its sub-commands and their options.

A value that does not parse (a bad number, an unknown name) is an argparse
error: one line and exit status 2 (the types of the values: ``_values``).
"""

import argparse
import difflib
import os
from pathlib import Path

from ._values import (
    assignment,
    cv,
    cv_search,
    fraction,
    non_negative,
    positive,
)

__all__ = ["build_parser"]


def build_parser(functions, version):
    """The argument parser; ``functions`` maps each command to its function."""
    from ..model_selection import GRIDS, available_pipelines

    parser = _Parser(
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
        parser.commands[name] = sub
        return sub

    data = command(
        "data", functions["data"], "summarise the IMDB dataset and print one review"
    )
    data.add_argument(
        "--review",
        type=non_negative,
        default=0,
        help="index of the test review to print (default: 0)",
    )

    names = ", ".join(available_pipelines())
    train = command(
        "train",
        functions["train"],
        "fit a pipeline on the train split (IMDB's or --data), evaluate it on "
        "the test split, save it, its confusion matrix (and training curves)",
    )
    train.add_argument("--model", default="seed-net", help=f"pipeline: {names}")
    train.add_argument("--epochs", type=positive, help="epochs of a network")
    train.add_argument(
        "--set",
        metavar="PARAM=VALUE",
        type=assignment,
        action="append",
        help="set a pipeline parameter, e.g. clf__units=32 (repeatable)",
    )
    _add_data(train)
    train.add_argument(
        "--memory-budget",
        metavar="MB",
        type=positive,
        help="a --data file whose in-memory fit would need more (30 times the "
        "file's size) is learned a chunk at a time (default: half the memory "
        "available now)",
    )
    _add_cluster(
        train,
        "dask: learn --data a chunk at a time, counting and vectorizing on a "
        "Dask cluster's workers",
    )
    train.add_argument(
        "--out",
        type=Path,
        default=Path("out/train"),
        help="folder for model.skimdb and the curves (default: out/train)",
    )

    evaluate = command(
        "evaluate",
        functions["evaluate"],
        "score a saved model on an IMDB split or on all of a labelled file",
    )
    evaluate.add_argument("model", help="a model file written by 'train'")
    evaluate.add_argument(
        "--subset", choices=("train", "test"), default="test", help="IMDB split"
    )
    evaluate.add_argument("--data", type=Path, help="a labelled file to score on")
    _add_columns(evaluate, label=True)
    _add_limit(evaluate)

    predict = command(
        "predict",
        functions["predict"],
        "classify texts with a saved model: the label and each class's probability",
    )
    predict.add_argument("model", help="a model file written by 'train'")
    predict.add_argument(
        "texts", nargs="*", help="texts to classify, or - to read lines from stdin"
    )
    predict.add_argument(
        "--file",
        type=Path,
        help="classify the texts of a file: CSV, TSV, JSON Lines, Parquet "
        "(its text column) or one text per line",
    )
    _add_columns(predict, label=False)
    predict.add_argument(
        "--format",
        choices=("text", "csv", "jsonl"),
        default="text",
        help="aligned text (default), CSV or JSON Lines",
    )
    predict.add_argument(
        "--batch-size",
        type=positive,
        default=10000,
        help="texts classified at once (default: 10000)",
    )
    _add_cluster(
        predict,
        "where batches are classified: here, or on a Dask cluster's workers "
        "while this process reads",
    )

    explain = command(
        "explain",
        functions["explain"],
        "show which words push a saved model's prediction towards or against "
        "its class, or (--global) each class's strongest words",
    )
    explain.add_argument("model", help="a model file written by 'train'")
    explain.add_argument("texts", nargs="*", help="texts to explain")
    explain.add_argument(
        "--top", type=positive, default=10, help="words shown (default: 10)"
    )
    explain.add_argument(
        "--global",
        dest="global_",
        action="store_true",
        help="the strongest words of each class, not of given texts",
    )
    explain.add_argument(
        "--html", type=Path, help="also write the texts, words highlighted, here"
    )

    serve = command(
        "serve",
        functions["serve"],
        "serve a saved model over HTTP: JSON predictions and explanations, and "
        "a page to try it (needs the [serve] extra)",
    )
    serve.add_argument("model", help="a model file written by 'train'")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=non_negative, default=8000, help="port (default: 8000)"
    )
    serve.add_argument(
        "--workers", type=positive, default=1, help="processes (default: 1)"
    )
    serve.add_argument(
        "--key",
        default=os.environ.get("SKLEARN_IMDB_MODEL_KEY"),
        help="serve the model only if signed with this key (default: "
        "$SKLEARN_IMDB_MODEL_KEY, which keeps it out of the process list)",
    )
    serve.add_argument(
        "--max-texts", type=positive, default=1000, help="texts a request (1000)"
    )
    serve.add_argument(
        "--max-chars",
        type=positive,
        default=100_000,
        help="characters a text (100000)",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=positive,
        default=1_000_000,
        help="bytes a request's body (1000000)",
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
        "--cv", type=cv, default=5, help="folds, 0 to skip CV (default: 5)"
    )
    _add_data(compare)
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
    tune.add_argument("--cv", type=cv_search, default=3, help="folds (default: 3)")
    _add_data(tune)
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
    tune.add_argument("--top", type=positive, default=10, help="candidates to print")
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (without the usage before them),
    and an unknown option answered with the closest known one of its command.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = {}

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):
        # argparse reports a subcommand's unknown options from the top
        # parser, with the top parser's help; say the subcommand's instead
        args, extras = self.parse_known_args(args, namespace)
        if extras:
            sub = self.commands.get(getattr(args, "command", None), self)
            known = [o for a in sub._actions for o in a.option_strings]
            hints = [
                f"did you mean {close[0]}?"
                for extra in extras
                if extra.startswith("--")
                for close in [difflib.get_close_matches(extra.split("=")[0], known, 1)]
                if close
            ]
            sub.exit(
                2,
                f"{sub.prog}: error: unrecognized arguments: {' '.join(extras)}"
                f"{'; ' + ' '.join(hints) if hints else ''} (see {sub.prog} --help)\n",
            )
        return args


def _add_data(parser):
    """--data and its companions, and --limit: where train and test come from."""
    parser.add_argument(
        "--data",
        type=Path,
        help="your labelled texts: CSV, TSV, JSON Lines, Parquet or a folder "
        "per class (default: IMDB)",
    )
    parser.add_argument(
        "--test-data", type=Path, help="a labelled file to test on (with --data)"
    )
    parser.add_argument(
        "--test-size",
        type=fraction,
        default=0.2,
        help="fraction of --data held out to test on, without --test-data "
        "(default: 0.2)",
    )
    _add_columns(parser, label=True)
    _add_limit(parser)


def _add_cluster(parser, what):
    """--backend local|dask and --scheduler."""
    parser.add_argument(
        "--backend",
        choices=("local", "dask"),
        default="local",
        help=f"{what} (default: local)",
    )
    parser.add_argument(
        "--scheduler", help="Dask scheduler address (default: a local cluster)"
    )


def _add_columns(parser, label):
    parser.add_argument(
        "--text-column", help="the column of the texts (default: found by name)"
    )
    if label:
        parser.add_argument(
            "--label-column", help="the column of the labels (default: found by name)"
        )


def _add_limit(parser):
    parser.add_argument(
        "--limit",
        type=positive,
        default=None,
        help="use a stratified sample of N texts from each split",
    )
