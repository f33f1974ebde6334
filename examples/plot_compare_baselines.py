"""
Is the network better than a linear model?
==========================================

Cross-validates every named pipeline on the training split, fits each on the
whole training split and scores it on the test split: the same as
``sklearn-imdb compare --models all``.

Set ``SKLEARN_IMDB_EXAMPLE_LIMIT`` to run it on a stratified sample of that
many reviews per split (the documentation build does).
"""

import os

from sklearn_imdb import (
    available_pipelines,
    compare,
    describe_pipeline,
    plot_comparison,
)
from sklearn_imdb.model_selection import table_markdown

LIMIT = int(os.environ.get("SKLEARN_IMDB_EXAMPLE_LIMIT", 0)) or None

# %%
# The named pipelines
# -------------------
for name in available_pipelines():
    print(f"{name:22s} {describe_pipeline(name)}")

# %%
# Cross-validation on train, then one score on test
# -------------------------------------------------
table = compare(cv=3 if LIMIT else 5, limit=LIMIT)
print(table_markdown(table.sort_values("test_accuracy", ascending=False)))

# %%
# The comparison as a figure
# --------------------------
title = "IMDB" + (f", {LIMIT} reviews per split" if LIMIT else "")
fig = plot_comparison(table, title=title)
