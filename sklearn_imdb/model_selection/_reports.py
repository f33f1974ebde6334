"""Reports of comparisons and searches: CSV, Markdown, JSON and plots.

Every file is written to a temporary file beside it and renamed into place
(``_files.atomic_write``), so an interrupted run leaves the previous file or
none, never half of one.
"""

import json

import numpy as np
import pandas as pd

from ..utils._files import atomic_write

__all__ = ["files_written", "table_markdown", "write_comparison", "write_search"]


def files_written(names, out):
    """``"wrote a, b and c to out"``: what a comparison or search reports."""
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return f"wrote {listed} to {out}"


def write_comparison(table, out, cv, title, calibration):
    """Write the comparison's files into ``out``; their names, in order."""
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "comparison.csv", "w") as f:
        table.to_csv(f, index=False, float_format="%.4f")
    with atomic_write(out / "comparison.md", "w") as f:
        f.write(table_markdown(table) + "\n")
    from ..plotting import plot_calibration, plot_comparison

    written = ["comparison.csv", "comparison.md", "comparison.png"]
    positive, probabilities = calibration
    if probabilities:
        _close(
            plot_calibration(
                positive, probabilities, title=title, path=out / "calibration.png"
            )
        )
        written.append("calibration.png")
    title += f", {cv}-fold CV on train" if cv else ", no CV"
    _close(plot_comparison(table, title=title, path=out / "comparison.png"))
    return written


def table_markdown(table, floatfmt=".4f"):
    """A DataFrame as a GitHub Markdown table.

    pandas' ``DataFrame.to_markdown`` needs the ``tabulate`` package; this
    needs nothing more.

    Parameters
    ----------
    table : pandas.DataFrame
        The table, e.g. what :func:`~sklearn_imdb.compare` returns.
    floatfmt : str, default=".4f"
        Format of the float cells; NaN cells are left empty.

    Returns
    -------
    markdown : str
        The table's header, separator and rows, one line each.
    """

    def cell(value):
        if isinstance(value, (float, np.floating)):
            return "" if np.isnan(value) else format(value, floatfmt)
        return str(value)

    lines = [
        "| " + " | ".join(table.columns) + " |",
        "|" + "|".join("---" for _ in table.columns) + "|",
    ]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join(lines)


def write_search(search, out, title):
    """Write the search's files into ``out``; their names, in order."""
    out.mkdir(parents=True, exist_ok=True)
    results = pd.DataFrame(search.cv_results_)
    keep = ["rank_test_score", "mean_test_score", "std_test_score", "mean_fit_time"]
    params = [c for c in results.columns if c.startswith("param_")]
    table = results[keep + params].sort_values(["rank_test_score", "mean_fit_time"])
    table.columns = [c.removeprefix("param_") for c in table.columns]
    with atomic_write(out / "results.csv", "w") as f:
        table.to_csv(f, index=False, float_format="%.4f")
    best = {"best_params": search.best_params_, "best_cv_accuracy": search.best_score_}
    with atomic_write(out / "best_params.json", "w") as f:
        f.write(json.dumps(best, indent=2) + "\n")
    from ..plotting import plot_search

    _close(plot_search(table, path=out / "scores.png", title=title))
    return ["results.csv", "best_params.json", "scores.png"]


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)
