"""Millions of reviews in bounded memory: our streaming fits against fastText and VW.

Synthetic corpora of N reviews, as issue 36 measured them: each review draws
5 to 15 sentences from IMDB training reviews of one label (seed 0), so that
its label stays what its sentences say. Each corpus is written once as JSON
Lines (ours), fastText's and Vowpal Wabbit's formats; each tool trains from
its file in a fresh process (fastText as its issue 1061 advises): wall time,
peak memory (the child's own ``VmHWM``) and accuracy on IMDB's real 25,000
test reviews. Ours is ``sklearn-imdb train --data corpus.jsonl --test-data
imdb_test.jsonl``, streaming (``--memory-budget 1``) and, where it fits, in
memory (``--memory-budget 1000000``), at the same seeds.

Then the largest corpus is predicted by a seed-net model (fitted in memory
on the 25,000-review corpus) in one process (``predict_in_batches`` over
``read_texts``; its tokenizer on every core, as by default, and on one) and
on a 2-worker Dask ``LocalCluster`` (``dask_predictions`` over a bag of
the file's 4 MB and 16 MB blocks, each line parsed by ``json.loads``:
``dask.dataframe.read_json`` parsed 3.7x slower), each in a fresh
process, the cluster's start and imports counted apart.

    python benchmarks/bench_stream.py [--sizes 25000,100000,400000,1600000]
        [--models seed-net,nb-logreg,nb-net:400000] [--in-memory-up-to 100000]
        [--folder DIR] [--predictions-only --repeat 3]

``MODEL:N`` fits that model at sizes up to N only. nb-logreg streams as
nb-sgd (``train`` says so, and the table). ``--predictions-only`` times the
predictions alone, from the corpora and model a run left in ``--folder``.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, run_child  # noqa: E402

OURS = "from sklearn_imdb.cli import main\nsys.exit(main(sys.argv[1:]))\n"
FASTTEXT = (
    "import sys, fasttext\n"
    "m = fasttext.train_supervised(sys.argv[1], wordNgrams=2, dim=10, epoch=5, "
    "verbose=0)\n"
    "n, p, _ = m.test(sys.argv[2])\n"
    "print('ACCURACY', p)\n"
)
VW = (
    "import sys, vowpalwabbit\n"
    "vw = vowpalwabbit.Workspace(f'-d {sys.argv[1]} --loss_function logistic "
    "--ngram 2 -b 24 --passes 1 --quiet')\n"
    "right = total = 0\n"
    "for line in open(sys.argv[2], encoding='utf-8'):\n"
    "    label = 1 if line.startswith('1 ') else -1\n"
    "    score = vw.predict(line.split(' ', 1)[1])\n"
    "    right += (score > 0) == (label > 0)\n"
    "    total += 1\n"
    "vw.finish()\n"
    "print('ACCURACY', right / total)\n"
)


def _sentences(bunch):
    """Each label's sentences, from the reviews of that label."""
    pools = {}
    for text, y in zip(bunch.data, bunch.target):
        parts = re.split(r"(?<=[.!?])\s+", text.replace("<br />", " "))
        pools.setdefault(int(y), []).extend(p for p in parts if len(p) > 1)
    return {y: np.asarray(p, dtype=object) for y, p in pools.items()}


def write_corpus(n, folder, pools, names):
    """N synthetic reviews in three formats; their paths."""
    paths = {k: folder / f"corpus_{n}.{k}" for k in ("jsonl", "ft", "vw")}
    if all(p.exists() for p in paths.values()):
        return paths
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, n)
    lengths = rng.integers(5, 16, n)
    with (
        paths["jsonl"].open("w", encoding="utf-8") as ours,
        paths["ft"].open("w", encoding="utf-8") as ft,
        paths["vw"].open("w", encoding="utf-8") as vw,
    ):
        for y, k in zip(labels, lengths):
            pool = pools[int(y)]
            text = " ".join(pool[rng.integers(0, pool.size, k)])
            _write(ours, ft, vw, text, names[y])
    return paths


def _write(ours, ft, vw, text, label):
    ours.write(json.dumps({"text": text, "label": label}) + "\n")
    flat = " ".join(text.lower().split())
    ft.write(f"__label__{label} {flat}\n")
    # VW reads "|" and ":" as syntax
    flat = flat.replace("|", " ").replace(":", " ")
    vw.write(f"{1 if label == 'pos' else -1} | {flat}\n")


def write_test(folder, test):
    """IMDB's 25,000 test reviews in the three formats."""
    paths = {k: folder / f"imdb_test.{k}" for k in ("jsonl", "ft", "vw")}
    with (
        paths["jsonl"].open("w", encoding="utf-8") as ours,
        paths["ft"].open("w", encoding="utf-8") as ft,
        paths["vw"].open("w", encoding="utf-8") as vw,
    ):
        for text, y in zip(test.data, test.target):
            _write(ours, ft, vw, text, test.target_names[y])
    return paths


ONE_PROCESS = (
    "import time\n"
    "from sklearn_imdb import load_model, predict_in_batches, read_texts\n"
    "pipe = load_model(sys.argv[1])\n"
    "if len(sys.argv) > 3:\n"
    "    pipe[0].set_params(n_jobs=int(sys.argv[3]))\n"
    "start = time.perf_counter()\n"
    "n = len(predict_in_batches(pipe, read_texts(sys.argv[2]), batch_size=10000))\n"
    "print('ROWS', n, 'SECONDS', time.perf_counter() - start)\n"
)
ON_DASK = (
    "import json, time\n"
    "import dask.array, dask.bag as db  # the result is a Dask array\n"
    "from sklearn_imdb import dask_predictions, load_model\n"
    "from sklearn_imdb.utils import dask_client\n"
    "pipe = load_model(sys.argv[1])\n"
    "start = time.perf_counter()\n"
    "with dask_client(n_workers=2) as client:\n"
    "    print('START', time.perf_counter() - start)\n"
    "    start = time.perf_counter()\n"
    "    lines = db.read_text(sys.argv[2], blocksize=int(sys.argv[3]))\n"
    "    texts = lines.map(json.loads).pluck('text')\n"
    "    n = len(client.compute(dask_predictions(pipe, texts)).result())\n"
    "    print('ROWS', n, 'SECONDS', time.perf_counter() - start)\n"
)


def predictions(model, data):
    """Rows a second of one process and of a 2-worker LocalCluster."""
    rows = {}
    for name, code, *more in (
        ("one process", ONE_PROCESS),
        ("one process, one thread", ONE_PROCESS, 1),
        ("Dask, 2 workers, 4 MB partitions", ON_DASK, 2**22),
        ("Dask, 2 workers, 16 MB partitions", ON_DASK, 2**24),
    ):
        _, peak, out = run_child(code, model, data, *more)
        n, seconds = re.search(r"ROWS (\d+) SECONDS ([\d.]+)", out).groups()
        start = re.search(r"START ([\d.]+)", out)
        rows[name] = {
            "rows": int(n),
            "seconds": float(seconds),
            "start": float(start.group(1)) if start else 0.0,
            "peak": peak,
        }
    return rows


def ours(model, data, test, budget, out):
    seconds, peak, out = run_child(
        OURS,
        "--quiet",
        "train",
        "--model",
        model,
        "--data",
        data,
        "--test-data",
        test,
        "--memory-budget",
        budget,
        "--out",
        out,
    )
    fit = float(re.search(r"fitted in ([\d.]+) s", out).group(1))
    accuracy = float(re.search(r"accuracy ([\d.]+)", out).group(1))
    # nb-logreg streams as nb-sgd
    trained = re.search(r"training (\S+) in its place", out)
    return {
        "wall": seconds,
        "fit": fit,
        "peak": peak,
        "accuracy": accuracy,
        "trained": trained.group(1) if trained else model,
    }


def rival(code, data, test):
    seconds, peak, out = run_child(code, data, test)
    accuracy = float(re.search(r"ACCURACY ([\d.]+)", out).group(1))
    return {"wall": seconds, "fit": seconds, "peak": peak, "accuracy": accuracy}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25000,100000,400000,1600000")
    parser.add_argument("--models", default="seed-net,nb-logreg,nb-net:400000")
    parser.add_argument(
        "--in-memory-up-to",
        type=int,
        default=100000,
        help="also fit ours in memory at sizes up to this (default: 100000)",
    )
    parser.add_argument("--folder", type=Path, help="keep the corpora here")
    parser.add_argument(
        "--predictions-only",
        action="store_true",
        help="only the predictions, from the corpora and model in --folder",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of the predictions (default: 1)"
    )
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench_stream_"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"machine: {machine()}\n")
    if not args.predictions_only:
        fits(args, folder, sizes)
    model = folder / f"out-seed-net-{sizes[0]}-in-memory" / "model.skimdb"
    if model.exists():
        n = sizes[-1]
        print(
            f"\n### Predicting the {n:,} reviews with seed-net (fitted on "
            f"{sizes[0]:,}): one process against a 2-worker Dask LocalCluster\n"
        )
        print("| run | where | reviews | s | reviews/s | ratio | peak MB (client) |")
        print("|---|---|---|---|---|---|---|")
        for run in range(1, args.repeat + 1):
            rows = predictions(model, folder / f"corpus_{n}.jsonl")
            base = rows["one process"]["rows"] / rows["one process"]["seconds"]
            for where, r in rows.items():
                rate = r["rows"] / r["seconds"]
                started = (
                    f" (cluster started in {r['start']:.1f} s)" if r["start"] else ""
                )
                print(
                    f"| {run} | {where}{started} | {r['rows']:,} | "
                    f"{r['seconds']:.1f} | {rate:,.0f} | {rate / base:.2f}x | "
                    f"{r['peak']:,.0f} |",
                    flush=True,
                )


def fits(args, folder, sizes):
    """The table of fits: ours streamed and in memory, fastText, VW."""
    from sklearn_imdb import fetch_imdb

    train, test = fetch_imdb(subset="train"), fetch_imdb(subset="test")
    pools = _sentences(train)
    tests = write_test(folder, test)
    print(
        "### Fit from a file: wall s (fit s for ours), peak MB, accuracy on IMDB's "
        "25,000 test reviews\n"
    )
    print("| reviews | file MB | tool | fit s | peak MB | test accuracy |")
    print("|---|---|---|---|---|---|")
    models = [m.split(":") + [""] for m in args.models.split(",")]
    for n in sizes:
        paths = write_corpus(n, folder, pools, train.target_names)
        size = paths["jsonl"].stat().st_size / 2**20
        runs = {}
        for model, up_to, *_ in models:
            if up_to and n > int(up_to):
                continue
            for mode, budget in (("streamed", 1), ("in memory", 1000000)):
                if mode == "in memory" and n > args.in_memory_up_to:
                    continue
                r = ours(
                    model,
                    paths["jsonl"],
                    tests["jsonl"],
                    budget,
                    folder / f"out-{model}-{n}-{mode.replace(' ', '-')}",
                )
                as_ = f" (as {r['trained']})" if r["trained"] != model else ""
                runs[f"{model}, {mode}{as_}"] = r
        runs["fastText (bigrams, dim 10, 5 epochs)"] = rival(
            FASTTEXT, paths["ft"], tests["ft"]
        )
        runs["Vowpal Wabbit (bigrams, logistic, 1 pass)"] = rival(
            VW, paths["vw"], tests["vw"]
        )
        for tool, r in runs.items():
            print(
                f"| {n:,} | {size:,.0f} | {tool} | {r['fit']:.1f} | "
                f"{r['peak']:,.0f} | {100 * r['accuracy']:.2f}% |",
                flush=True,
            )


if __name__ == "__main__":
    main()
