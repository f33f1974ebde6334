"""
The notebook's "further experiments" as one GridSearchCV
========================================================

One or three hidden layers, more or fewer units, ``mse`` instead of
``binary_crossentropy``, ``tanh`` instead of ``relu``, another optimizer:
the 72 combinations of the notebook's closing list, cross-validated on the
training split. The same as ``sklearn-imdb tune --grid seed``; add
``backend="dask"`` to run the fits on a Dask cluster.

Set ``SKLEARN_IMDB_EXAMPLE_LIMIT`` to search the 4-candidate ``"small"`` grid
on a stratified sample of that many reviews (the documentation build does).
"""

import os

import pandas as pd

from sklearn_imdb import plot_search, tune

LIMIT = int(os.environ.get("SKLEARN_IMDB_EXAMPLE_LIMIT", 0)) or None

# %%
# The search
# ----------
search = tune("small" if LIMIT else "seed", cv=3, limit=LIMIT, n_jobs=None)
results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
columns = ["rank_test_score", "mean_test_score", "std_test_score"] + [
    c for c in results.columns if c.startswith("param_")
]
print(results[columns].head(10).to_string(index=False))
print(f"best: {search.best_params_} (CV accuracy {search.best_score_:.4f})")

# %%
# Each parameter's effect
# -----------------------
# Every candidate's mean CV accuracy by the value of each parameter, and the
# best candidate for each value.
fig = plot_search(results)
