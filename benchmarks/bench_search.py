"""Grid search on the full training split: plain GridSearchCV against ``tune``.

In one run: scikit-learn's ``GridSearchCV`` on the seed pipeline as a user
would write it (n_jobs=1, and n_jobs=2 with joblib's loky processes), then
``sklearn_imdb.tune`` on the same grid, folds and seeds (loky
with 2 workers, and a local Dask cluster of 2 workers). Each search refits the
best candidate, and runs in a fresh process, so that none finds networks
traced or workers started by another; the clock starts after the process has
imported TensorFlow and loaded the reviews (worker processes import it on the
clock). Printed: seconds, fits per minute, speed-up against the faster plain
search, and whether the best parameters and the whole ranking agree.

``--before REF`` also runs the plain n_jobs=2 search with the package as it
was at git revision REF (a temporary ``git worktree``, first on the
child's ``PYTHONPATH``), so that the speed-up the estimator itself gained,
which plain ``GridSearchCV`` shares, is measured in the same run.

    python benchmarks/bench_search.py [--grid seed|eight|small] [--cv 3]
        [--before REF]
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import api, machine, package_at  # noqa: E402

EIGHT = {
    "clf__hidden_layers": [1, 2],
    "clf__units": [16, 32],
    "clf__optimizer": ["rmsprop", "adam"],
}


def plain(grid, cv, n_jobs, X, y):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    search = GridSearchCV(
        api("named_pipeline")("seed-net"),
        grid,
        cv=StratifiedKFold(cv, shuffle=True, random_state=0),
        scoring="accuracy",
        n_jobs=n_jobs,
    )
    return search.fit(X, y)


def ours(grid, cv, n_jobs, X, y, backend):
    return api("tune")(
        grid, cv=cv, n_jobs=n_jobs, backend=backend, splits=(X, y, None, None)
    )


CONFIGS = [
    ("GridSearchCV, n_jobs=1", lambda g, cv, X, y: plain(g, cv, 1, X, y)),
    ("GridSearchCV, n_jobs=2", lambda g, cv, X, y: plain(g, cv, 2, X, y)),
    ("tune, n_jobs=2", lambda g, cv, X, y: ours(g, cv, 2, X, y, "loky")),
    ("tune, Dask, 2 local workers", lambda g, cv, X, y: ours(g, cv, 2, X, y, "dask")),
]


class _Recorded:
    """What the report needs of a search run in another process."""

    def __init__(self, record):
        self.best_params_ = record["best_params"]
        self.best_score_ = record["best_score"]
        self.cv_results_ = {
            "params": record["params"],
            "rank_test_score": np.array(record["ranks"]),
        }


def in_child(index, grid, cv, package=None, name=None):
    """Search ``CONFIGS[index]`` in a fresh process: nothing traced, no worker started.

    ``package`` (a directory) goes first on the child's ``PYTHONPATH``;
    ``name`` replaces the configuration's in the report.
    """
    env = dict(os.environ)
    if package:
        env["PYTHONPATH"] = package
    out = subprocess.run(
        [sys.executable, __file__, "--grid", grid, "--cv", str(cv)]
        + ["--configs", str(index), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    record = json.loads(out.strip().splitlines()[-1])
    name = name or CONFIGS[index][0]
    print(f"  {name}: {record['seconds']:.0f} s", file=sys.stderr, flush=True)
    return (name, record["seconds"], record["fits"], _Recorded(record))


def before(ref, grid, cv):
    """The plain n_jobs=2 search run by the package at git revision ``ref``."""
    name = f"GridSearchCV, n_jobs=2, package at {ref} (before)"
    with package_at(ref) as tree:
        return in_child(1, grid, cv, package=tree, name=name)


def run(index, grid, cv):
    """Search ``CONFIGS[index]`` here; TensorFlow imported before the clock starts."""
    from sklearn_imdb.model_selection import GRIDS

    api("import_keras")()
    grid = EIGHT if grid == "eight" else GRIDS[grid]
    import sklearn_imdb

    print(f"  package: {sklearn_imdb.__file__}", file=sys.stderr, flush=True)
    X, y, _, _ = api("load_splits")()
    start = time.perf_counter()
    search = CONFIGS[index][1](grid, cv, X, y)
    seconds = time.perf_counter() - start
    return seconds, cv * len(search.cv_results_["params"]) + 1, search


def report(rows):
    plain_rows = [
        r for r in rows if r[0].startswith("GridSearchCV") and "before" not in r[0]
    ]
    reference = min(plain_rows or rows, key=lambda r: r[1])
    ranks = reference[3].cv_results_["rank_test_score"]
    old = next((r for r in rows if "before" in r[0]), None)
    lines = [
        f"speed-up against the faster plain search ({reference[0]})"
        + (" and against the plain search before" if old else "")
        + "; agreement with its best parameters and its ranking of every candidate",
        "",
        "| search | seconds | fits | fits per minute | speed-up "
        + ("| vs before " if old else "")
        + "| best CV accuracy | same best | same ranking |",
        "|---|---|---|---|---|---|---|---|" + ("---|" if old else ""),
    ]
    for name, seconds, fits, search in rows:
        same_best = search.best_params_ == reference[3].best_params_
        same_rank = np.array_equal(search.cv_results_["rank_test_score"], ranks)
        lines.append(
            f"| {name} | {seconds:.0f} | {fits} | {60 * fits / seconds:.1f} "
            f"| {reference[1] / seconds:.2f}x "
            + (f"| {old[1] / seconds:.2f}x " if old else "")
            + f"| {search.best_score_:.4f} "
            f"| {'yes' if same_best else 'NO'} | {'yes' if same_rank else 'NO'} |"
        )
    lines += ["", f"best parameters: {reference[3].best_params_}"]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="seed", help="seed (72), eight or small")
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--before", metavar="REF", help="also run REF's plain search")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--configs",
        default=",".join(str(i) for i in range(len(CONFIGS))),
        help="comma-separated indices into: "
        + ", ".join(f"{i}={name}" for i, (name, _) in enumerate(CONFIGS)),
    )
    args = parser.parse_args()
    configs = [int(i) for i in args.configs.split(",")]
    if args.json:  # one search, in the child process of in_child
        seconds, fits, search = run(configs[0], args.grid, args.cv)
        record = {
            "seconds": seconds,
            "fits": fits,
            "best_params": search.best_params_,
            "best_score": search.best_score_,
            "params": search.cv_results_["params"],
            "ranks": search.cv_results_["rank_test_score"].tolist(),
        }
        print(json.dumps(record))
        sys.exit()
    print(f"machine: {machine()}\n")
    rows = [before(args.before, args.grid, args.cv)] if args.before else []
    rows += [in_child(i, args.grid, args.cv) for i in configs]
    print(report(rows))
