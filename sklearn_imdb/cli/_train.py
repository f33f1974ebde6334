"""``sklearn-imdb train``: a named pipeline fitted, scored, saved with its figures."""

import time

import numpy as np

from ._data import data_name, evaluation, evaluation_text, train_test_texts
from ._streaming import fit_streaming, score_streaming, streamable, streams

__all__ = ["cmd_train"]


def cmd_train(args):
    from ..model_files import save_model
    from ..model_selection import named_pipeline
    from ..plotting import plot_confusion_matrix

    params = dict(args.set or [])
    if args.epochs is not None:
        params["clf__epochs"] = args.epochs
    pipe = named_pipeline(args.model, **params)
    _check_out_dir(args.out)
    streaming, why = streams(args)
    start = time.perf_counter()
    if streaming:
        print(f"{why} ...")
        pipe = streamable(args, pipe, params)
        n_train = fit_streaming(args, pipe)
        fit_seconds = time.perf_counter() - start
        y_test, predicted, *scores = score_streaming(args, pipe)
        text = evaluation_text(pipe, y_test, predicted, *scores)
    else:
        X_train, y_train, X_test, y_test = train_test_texts(args)
        n_train = len(X_train)
        print(
            f"training {args.model} on {n_train:,} reviews "
            f"({len(np.unique(y_train))} classes) ..."
        )
        pipe.fit(X_train, y_train)
        fit_seconds = time.perf_counter() - start
        text, predicted = evaluation(pipe, X_test, y_test)
    print(f"fitted in {fit_seconds:.1f} s; test: {text}")
    out = _check_out_dir(args.out)
    out.mkdir(parents=True, exist_ok=True)  # now, with something to put there
    data = str(args.data) if args.data else "IMDB's training split"
    path = save_model(
        pipe,
        out / "model.skimdb",
        metadata={
            "pipeline": args.model,
            "parameters": {k: str(v) for k, v in params.items()},
            "training_data": f"{data}, {n_train:,} texts"
            + (", streamed" if streaming else ""),
            "test": text,
        },
    )
    print(f"saved the fitted pipeline to {path}")
    figure = plot_confusion_matrix(
        y_test,
        predicted,
        labels=pipe.classes_,
        path=out / "confusion_matrix.png",
        title=f"{args.model}, {data_name(args)}: {len(y_test):,} test reviews",
    )
    _close(figure)
    print(f"saved the confusion matrix to {out / 'confusion_matrix.png'}")
    # a streamed network's history has a point a chunk, not an epoch
    history = None if streaming else getattr(pipe[-1], "history_", None)
    if history:
        from ..plotting import plot_history

        _close(
            plot_history(
                history,
                path=out / "training_curves.png",
                title=f"{args.model}, {data_name(args)}: {n_train:,} training reviews",
            )
        )
        print(f"saved the training curves to {out / 'training_curves.png'}")


def _check_out_dir(path):
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {path} exists and is not a folder")
    return path


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)
