"""Grid search on the full training split: plain GridSearchCV against ``tune``.

In one run: scikit-learn's ``GridSearchCV`` on the seed pipeline as a user
would write it (n_jobs=1, and n_jobs=2 with joblib's loky processes), then
``sklearn_imdb.model_selection.tune`` on the same grid, folds and seeds (loky
with 2 workers, and a local Dask cluster of 2 workers). Each search refits the
best candidate. Printed: seconds, fits per minute, speed-up against the faster
plain search, and whether the best parameters and the whole ranking agree.

    python benchmarks/bench_search.py [--grid seed|eight|small] [--cv 3]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402

EIGHT = {
    "clf__hidden_layers": [1, 2],
    "clf__units": [16, 32],
    "clf__optimizer": ["rmsprop", "adam"],
}


def plain(grid, cv, n_jobs, X, y):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from sklearn_imdb.pipelines import named_pipeline

    search = GridSearchCV(
        named_pipeline("seed-net"),
        grid,
        cv=StratifiedKFold(cv, shuffle=True, random_state=0),
        scoring="accuracy",
        n_jobs=n_jobs,
    )
    return search.fit(X, y)


def ours(grid, cv, n_jobs, X, y, backend):
    from sklearn_imdb.model_selection import tune

    return tune(grid, cv=cv, n_jobs=n_jobs, backend=backend, splits=(X, y, None, None))


CONFIGS = [
    ("GridSearchCV, n_jobs=1", lambda g, cv, X, y: plain(g, cv, 1, X, y)),
    ("GridSearchCV, n_jobs=2", lambda g, cv, X, y: plain(g, cv, 2, X, y)),
    ("tune, n_jobs=2 (loky)", lambda g, cv, X, y: ours(g, cv, 2, X, y, "loky")),
    ("tune, Dask, 2 local workers", lambda g, cv, X, y: ours(g, cv, 2, X, y, "dask")),
]


def run(grid, cv, configs):
    from sklearn_imdb.model_selection import GRIDS
    from sklearn_imdb.splits import load_splits

    grid = EIGHT if grid == "eight" else GRIDS[grid]
    X, y, _, _ = load_splits()
    rows = []
    for name, search in [CONFIGS[i] for i in configs]:
        start = time.perf_counter()
        result = search(grid, cv, X, y)
        seconds = time.perf_counter() - start
        fits = cv * len(result.cv_results_["params"]) + 1
        print(f"  {name}: {seconds:.0f} s", file=sys.stderr, flush=True)
        rows.append((name, seconds, fits, result))
    return rows


def report(rows):
    plain_rows = [r for r in rows if r[0].startswith("GridSearchCV")]
    reference = min(plain_rows or rows, key=lambda r: r[1])
    ranks = reference[3].cv_results_["rank_test_score"]
    lines = [
        f"speed-up against the faster plain search ({reference[0]}); agreement "
        "with its best parameters and its ranking of every candidate",
        "",
        "| search | seconds | fits | fits per minute | speed-up | best CV accuracy "
        "| same best | same ranking |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, seconds, fits, search in rows:
        same_best = search.best_params_ == reference[3].best_params_
        same_rank = np.array_equal(search.cv_results_["rank_test_score"], ranks)
        lines.append(
            f"| {name} | {seconds:.0f} | {fits} | {60 * fits / seconds:.1f} "
            f"| {reference[1] / seconds:.2f}x | {search.best_score_:.4f} "
            f"| {'yes' if same_best else 'NO'} | {'yes' if same_rank else 'NO'} |"
        )
    lines += ["", f"best parameters: {reference[3].best_params_}"]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="seed", help="seed (72), eight or small")
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument(
        "--configs",
        default=",".join(str(i) for i in range(len(CONFIGS))),
        help="comma-separated indices into: "
        + ", ".join(f"{i}={name}" for i, (name, _) in enumerate(CONFIGS)),
    )
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    configs = [int(i) for i in args.configs.split(",")]
    print(report(run(args.grid, args.cv, configs)))
