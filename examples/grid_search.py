"""The notebook's "further experiments" as one GridSearchCV.

One or three hidden layers, more or fewer units, ``mse`` instead of
``binary_crossentropy``, ``tanh`` instead of ``relu``, another optimizer: the
72 combinations of the notebook's closing list, cross-validated on the
training split, on this machine or a Dask cluster. The same as
``sklearn-imdb tune --grid seed``.

Run it with ``python examples/grid_search.py [--cv 3] [--n-jobs 2]
[--backend dask] [--limit N]``; ``--grid small`` is a 4-candidate smoke run.
"""

import argparse
import logging

import pandas as pd

from sklearn_imdb.experiments import GRIDS, tune

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="seed", choices=sorted(GRIDS))
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--backend", default="loky", choices=("loky", "dask"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default="out/grid-search")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("sklearn_imdb.classifier").setLevel(logging.WARNING)
    logging.getLogger("distributed").setLevel(logging.WARNING)

    search = tune(
        args.grid,
        cv=args.cv,
        n_jobs=args.n_jobs,
        backend=args.backend,
        limit=args.limit,
        out=args.out,
        verbose=1,
    )
    results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
    columns = ["rank_test_score", "mean_test_score", "std_test_score"] + [
        c for c in results.columns if c.startswith("param_")
    ]
    print(results[columns].head(10).to_string(index=False))
    print(f"\nbest: {search.best_params_} (CV accuracy {search.best_score_:.4f})")
    print(f"results, best parameters and a plot in {args.out}/")
