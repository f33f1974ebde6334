"""Training curves: the notebook's loss and accuracy figures."""

__all__ = ["plot_history"]


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
    import matplotlib

    if path is not None:
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

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
            xlabel="Epochs",
            ylabel=metric.capitalize(),
        )
        ax.legend()
    if title:
        fig.suptitle(title)
    if path is not None:
        fig.savefig(path, dpi=100)
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
