"""Throughput of the notebook's grid search (72 candidates) on one machine.

``tune --grid seed --cv 3`` on the full training split, with n_jobs=1, with
n_jobs=2 (joblib's loky processes) and on a local Dask cluster of 2 workers:
what parallelism buys on a small machine. All three must find the same best
parameters (the fits are seeded).

    python benchmarks/bench_search.py [--grid seed] [--cv 3] [--limit N]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402

CONFIGS = [
    ("n_jobs=1", {"n_jobs": 1}),
    ("n_jobs=2 (loky)", {"n_jobs": 2}),
    ("Dask, 2 local workers", {"n_jobs": 2, "backend": "dask"}),
]


def run(grid="seed", cv=3, limit=None, out=None, configs=None):
    from sklearn_imdb.model_selection import tune

    rows = []
    for name, kwargs in [CONFIGS[i] for i in configs or range(len(CONFIGS))]:
        start = time.perf_counter()
        search = tune(grid, cv=cv, limit=limit, out=out if not rows else None, **kwargs)
        seconds = time.perf_counter() - start
        fits = cv * len(search.cv_results_["params"])
        print(f"  {name}: {seconds:.0f} s", file=sys.stderr)
        rows.append((name, seconds, fits, search.best_params_, search.best_score_))
    return rows


def report(rows):
    base = rows[0][1]
    lines = [
        "| search | seconds | fits per minute | speed-up | best CV accuracy |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, fits, _, score in rows:
        lines.append(
            f"| {name} | {seconds:.0f} | {60 * fits / seconds:.1f} | "
            f"{base / seconds:.2f}x | {score:.4f} |"
        )
    same = all(r[3] == rows[0][3] for r in rows)
    lines += [
        "",
        f"best parameters: {json.dumps(rows[0][3])}"
        + ("" if same else " (the configurations disagree!)"),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="seed")
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--out", default=None, help="write the first search's results here"
    )
    parser.add_argument(
        "--configs",
        default=None,
        help="comma-separated indices into: "
        + ", ".join(f"{i}={name}" for i, (name, _) in enumerate(CONFIGS)),
    )
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    configs = [int(i) for i in args.configs.split(",")] if args.configs else None
    print(report(run(args.grid, args.cv, args.limit, args.out, configs)))
