"""fetch_imdb: first call (read the archive, write the cache) against later
calls (load both splits from the cache). Needs SKLEARN_IMDB_ARCHIVE or the
download.

    python benchmarks/bench_fetch.py [--repeat 5]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402


def run(repeat=5):
    from sklearn_imdb import fetch_imdb

    with tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        fetch_imdb(subset="train", data_home=home)
        first = time.perf_counter() - start
        cached = []
        for _ in range(repeat):
            start = time.perf_counter()
            train = fetch_imdb(subset="train", data_home=home)
            test = fetch_imdb(subset="test", data_home=home)
            cached.append(time.perf_counter() - start)
        size = sum(f.stat().st_size for f in os.scandir(os.path.join(home, "imdb")))
    return first, cached, size, len(train.data) + len(test.data)


def report(first, cached, size, n):
    return "\n".join(
        [
            "| call | seconds |",
            "|---|---|",
            f"| first call: read the archive, write the cache | {first:.2f} |",
            f"| later calls: train + test from the cache (best of {len(cached)}) | "
            f"{min(cached):.2f} |",
            "",
            f"{n:,} reviews; cache {size / 2**20:.0f} MB on disk",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(*run(args.repeat)))
