"""Is the network better than a linear model? Compare the named pipelines.

Cross-validates every named pipeline on the training split, fits each on the
whole training split, scores it on the test split and writes
``comparison.csv``, ``comparison.md`` and ``comparison.png``; the same as
``sklearn-imdb compare``.

Run it with ``python examples/compare_baselines.py [--cv 5] [--limit N]``.
"""

import argparse
import logging

from sklearn_imdb.experiments import compare, table_markdown
from sklearn_imdb.pipelines import available_pipelines, describe_pipeline

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="stratified sample of N reviews per split",
    )
    parser.add_argument("--out", default="out/compare")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("sklearn_imdb.classifier").setLevel(logging.WARNING)

    for name in available_pipelines():
        print(f"{name:22s} {describe_pipeline(name)}")
    table = compare(cv=args.cv, limit=args.limit, out=args.out)
    print()
    print(table_markdown(table.sort_values("test_accuracy", ascending=False)))
    print(f"\nwritten to {args.out}/")
