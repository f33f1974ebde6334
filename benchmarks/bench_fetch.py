"""fetch_imdb: first call (read the archive, write the cache) against later
calls (load both splits from the cache), on an archive of the official size.

The official ``aclImdb_v1.tar.gz`` (84,125,825 bytes) is not at hand here:
the labelled copy named by ``SKLEARN_IMDB_ARCHIVE`` lacks its 50,000
unlabelled ``train/unsup/`` reviews and its ``*.feat`` bag-of-words files.
This script builds a stand-in of the official layout and about its size:
the labelled archive's files, 50,000 synthetic ``unsup`` reviews (training
reviews with their words shuffled, so that they compress like text) and
``labeledBow.feat``/``unsupBow.feat`` files in the official libsvm format,
and reports both archives' sizes beside the timings.

    python benchmarks/bench_fetch.py [--repeat 5]
"""

import argparse
import io
import os
import sys
import tarfile
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine  # noqa: E402

OFFICIAL_BYTES = 84_125_825


def build_official_size(labelled, path, seed=0):
    """Write the stand-in archive at ``path`` from the labelled one."""
    from sklearn_imdb import MultiHotVectorizer, fetch_imdb

    rng = np.random.default_rng(seed)
    train = fetch_imdb(subset="train")
    unsup = [
        " ".join(rng.permutation(train.data[i].split()))
        for i in rng.integers(0, len(train.data), 50_000)
    ]
    counts = MultiHotVectorizer(num_words=None, output="count")
    counts.fit(train.data)

    def feat(texts, labels):
        matrix = counts.transform(texts).tocsr()
        lines = (
            f"{label} "
            + " ".join(
                f"{j}:{int(v)}"
                for j, v in zip(
                    matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]],
                    matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]],
                )
            )
            for i, label in enumerate(labels)
        )
        return ("\n".join(lines) + "\n").encode()

    def add(archive, name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))

    with tarfile.open(labelled) as source, tarfile.open(path, "w:gz") as archive:
        for member in source:
            archive.addfile(
                member, source.extractfile(member) if member.isreg() else None
            )
        for i, text in enumerate(unsup):
            add(archive, f"aclImdb/train/unsup/{i}_0.txt", text.encode())
        add(
            archive,
            "aclImdb/train/urls_unsup.txt",
            "".join(
                f"http://www.imdb.com/title/tt{i:07d}/usercomments\n"
                for i in range(50_000)
            ).encode(),
        )
        add(archive, "aclImdb/train/unsupBow.feat", feat(unsup, [0] * len(unsup)))
        add(archive, "aclImdb/train/labeledBow.feat", feat(train.data, train.rating))
        test = fetch_imdb(subset="test")
        add(archive, "aclImdb/test/labeledBow.feat", feat(test.data, test.rating))
    return path


def run(repeat=5):
    from sklearn_imdb import fetch_imdb

    labelled = os.environ["SKLEARN_IMDB_ARCHIVE"]
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_official_size(labelled, os.path.join(tmp, "aclImdb_v1.tar.gz"))
        rows = []
        for name, path in (
            ("labelled copy", labelled),
            ("official-size stand-in", archive),
        ):
            home = os.path.join(tmp, f"home-{len(rows)}")
            os.environ["SKLEARN_IMDB_ARCHIVE"] = path
            start = time.perf_counter()
            fetch_imdb(subset="train", data_home=home)
            first = time.perf_counter() - start
            cached = []
            for _ in range(repeat):
                start = time.perf_counter()
                train = fetch_imdb(subset="train", data_home=home)
                test = fetch_imdb(subset="test", data_home=home)
                cached.append(time.perf_counter() - start)
            rows.append((name, os.path.getsize(path), first, min(cached)))
        os.environ["SKLEARN_IMDB_ARCHIVE"] = labelled
    return rows, len(train.data) + len(test.data), repeat


def report(rows, n, repeat):
    lines = [
        f"| archive | bytes | first call: read the archive, write the cache (s) "
        f"| later calls: train + test from the cache, best of {repeat} (s) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {size:,} | {first:.2f} | {cached:.2f} |"
        for name, size, first, cached in rows
    ]
    lines += [
        "",
        f"{n:,} labelled reviews read from each; the official archive is "
        f"{OFFICIAL_BYTES:,} bytes (the stand-in is "
        f"{rows[-1][1] / OFFICIAL_BYTES:.0%} of it).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print(report(*run(args.repeat)))
