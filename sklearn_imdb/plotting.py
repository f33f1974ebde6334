"""The figures: training curves, comparisons, searches and confusion matrices."""

__all__ = [
    "plot_calibration",
    "plot_comparison",
    "plot_confusion_matrix",
    "plot_history",
    "plot_search",
]


def plot_history(history, *, path=None, title=None):
    """Plot training versus validation loss and accuracy, epoch by epoch.

    Parameters
    ----------
    history : dict or estimator
        A ``history_`` dict (per-epoch lists of ``loss``, ``accuracy`` and,
        when validating, ``val_loss`` and ``val_accuracy``), or a fitted
        :class:`~sklearn_imdb.DenseNetworkClassifier` or a pipeline ending
        in one.
    path : str or path-like, default=None
        If given, save the figure there (PNG by the file's suffix).
    title : str, default=None
        Title of the figure.

    Returns
    -------
    fig : matplotlib Figure
        The figure, with the loss panel left and the accuracy panel right.
    """
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot(path)
    history = _history_of(history)
    if not history.get("loss"):
        raise ValueError("history has no 'loss' values to plot.")
    epochs = range(1, len(history["loss"]) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for ax, metric in zip(axes, ("loss", "accuracy")):
        if history.get(metric):
            ax.plot(epochs, history[metric], "o", label=f"Training {metric}")
        if history.get(f"val_{metric}"):
            ax.plot(epochs, history[f"val_{metric}"], "-", label=f"Validation {metric}")
        ax.set(
            title=f"Training and validation {metric}",
            xlabel="Epoch",
            ylabel=metric.capitalize(),
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    if title:
        fig.suptitle(title)
    if path is not None:
        _save(fig, path)
    return fig


def _history_of(obj):
    if isinstance(obj, dict):
        return obj
    if hasattr(obj, "steps"):
        obj = obj.steps[-1][1]
    history = getattr(obj, "history_", None)
    if history is None:
        raise ValueError(
            f"{type(obj).__name__} has no history_: pass a fitted "
            "DenseNetworkClassifier, a pipeline ending in one, or its history_."
        )
    return history


def plot_comparison(table, *, path=None, title=None):
    """Bar chart of a :func:`~sklearn_imdb.compare` table.

    Parameters
    ----------
    table : pandas DataFrame
        With columns ``model``, ``cv_accuracy_mean``, ``cv_accuracy_std``
        and ``test_accuracy``.
    path : str or path-like, default=None
        If given, save the figure there.
    title : str, default=None
        Title of the figure.

    Returns
    -------
    fig : matplotlib Figure
        CV accuracy (with one standard deviation as error bar) and test
        accuracy, side by side for each model.
    """
    import numpy as np

    plt = _pyplot(path)
    fig, ax = plt.subplots(
        figsize=(max(6, 1.3 * len(table)), 4.5), layout="constrained"
    )
    x = np.arange(len(table))
    ax.bar(
        x - 0.2,
        table["cv_accuracy_mean"],
        0.4,
        yerr=table["cv_accuracy_std"],
        capsize=3,
        label="CV accuracy (train)",
    )
    ax.bar(x + 0.2, table["test_accuracy"], 0.4, label="test accuracy")
    ax.set_xticks(x, table["model"], rotation=20, ha="right")
    cv_low = (table["cv_accuracy_mean"] - table["cv_accuracy_std"]).dropna()
    cv_high = (table["cv_accuracy_mean"] + table["cv_accuracy_std"]).dropna()
    low = np.r_[cv_low, table["test_accuracy"]].min()
    high = np.r_[cv_high, table["test_accuracy"]].max()
    # the error bars whole, below 1
    ax.set_ylim(max(0.0, low - 0.03), min(1.0, high + 0.01))
    ax.set(ylabel="Accuracy", title=title or "Model comparison")
    fig.legend(loc="outside lower center", ncols=2)  # never over a bar
    if path is not None:
        _save(fig, path)
    return fig


def plot_search(results, *, path=None, title=None):
    """Mean CV score for each value of each searched parameter.

    Parameters
    ----------
    results : pandas DataFrame
        ``cv_results_`` as a table: ``mean_test_score``, ``std_test_score``
        (optional) and one column per parameter (with or without the
        ``param_`` prefix).
    path : str or path-like, default=None
        If given, save the figure there.
    title : str, default=None
        Title of the figure (say which data and folds).

    Returns
    -------
    fig : matplotlib Figure
        One panel per parameter: every candidate's mean score by value, with
        one standard deviation over the folds as error bar, and the best
        score for each value (line). The score axis spans at least
        ``MIN_SPAN`` (2 points of accuracy), so that differences smaller
        than the folds' spread do not look like cliffs.
    """
    import numpy as np

    plt = _pyplot(path)
    skip = {"rank_test_score", "mean_test_score", "std_test_score", "mean_fit_time"}
    params = [
        c
        for c in results.columns
        if c not in skip
        and not c.startswith(("split", "std_", "mean_", "rank_", "params"))
    ]
    fig, axes = plt.subplots(
        1,
        max(1, len(params)),
        figsize=(3.2 * max(1, len(params)), 3.8),
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    mean = results["mean_test_score"]
    std = results.get("std_test_score", 0 * mean)
    for ax, param in zip(axes[0], params):
        values = results[param].astype(str)
        levels = list(dict.fromkeys(sorted(values, key=_natural)))
        positions = values.map({v: i for i, v in enumerate(levels)})
        ax.errorbar(
            positions,
            mean,
            yerr=std,
            fmt="o",
            alpha=0.5,
            capsize=2,
            label="candidate (mean ± std over folds)",
        )
        best = mean.groupby(values).max().reindex(levels)
        ax.plot(range(len(levels)), best.values, "-", color="C1", label="best")
        ax.set_xticks(range(len(levels)), levels, rotation=15)
        ax.set(title=param.removeprefix("clf__"))
    low, high = float(np.nanmin(mean - std)), float(np.nanmax(mean + std))
    middle, span = (low + high) / 2, max(high - low, MIN_SPAN) * 1.1
    axes[0][0].set_ylim(middle - span / 2, middle + span / 2)
    axes[0][0].set_ylabel("Mean CV accuracy")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    if title:
        fig.suptitle(title)
    if path is not None:
        _save(fig, path)
    return fig


#: the least span of ``plot_search``'s score axis
MIN_SPAN = 0.02


def plot_calibration(y_true, probabilities, *, path=None, title=None):
    """Reliability diagram: predicted probability against observed frequency.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary outcomes (bool or 0/1).
    probabilities : dict of str to array-like of shape (n_samples,)
        Each model's predicted probability of the positive outcome.
    path : str or path-like, default=None
        If given, save the figure there.
    title : str, default=None
        Title of the figure.

    Returns
    -------
    fig : matplotlib Figure
        One curve per model (10 uniform bins, scikit-learn's
        :class:`~sklearn.calibration.CalibrationDisplay`) and the diagonal of
        perfect calibration.
    """
    from sklearn.calibration import CalibrationDisplay

    plt = _pyplot(path)
    fig, ax = plt.subplots(figsize=(6, 5.5), layout="constrained")
    for name, proba in probabilities.items():
        CalibrationDisplay.from_predictions(
            y_true, proba, n_bins=10, name=name, ax=ax, ref_line=False
        )
    ax.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
    ax.set(title=title or "Calibration", xlabel="Mean predicted probability")
    ax.legend(loc="upper left", fontsize="small")
    if path is not None:
        _save(fig, path)
    return fig


def plot_confusion_matrix(y_true, y_pred, *, labels=None, path=None, title=None):
    """The confusion matrix of predictions, counts and row-normalised shades.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like or None, default=None
        The classes, in order (e.g. the model's ``classes_``).
    path : str or path-like, default=None
        If given, save the figure there.
    title : str, default=None
        Title of the figure.

    Returns
    -------
    fig : matplotlib Figure
        The plot of scikit-learn's
        :class:`~sklearn.metrics.ConfusionMatrixDisplay`.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    plt = _pyplot(path)
    n = len(labels) if labels is not None else len(set(y_true) | set(y_pred))
    fig, ax = plt.subplots(figsize=(2 + 0.6 * n, 1.6 + 0.6 * n), layout="constrained")
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, ax=ax, colorbar=False, cmap="Blues"
    )
    ax.set_title(title or "Confusion matrix")
    if path is not None:
        _save(fig, path)
    return fig


def _natural(value):
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


def _save(fig, path):
    """Save ``fig`` atomically, in the format of the file name's suffix."""
    from pathlib import Path

    from .utils._files import atomic_write

    with atomic_write(path) as f:
        fig.savefig(f, format=Path(path).suffix.lstrip(".") or "png", dpi=100)


def _pyplot(path):
    # headless machines fall back to the Agg backend by themselves
    import matplotlib.pyplot as plt

    return plt
