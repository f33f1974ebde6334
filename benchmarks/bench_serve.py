"""From a model file to an answer: cold command line, one review, a batch, a server.

Every number comes from this run, on models this run fits on IMDB's 25,000
training reviews (seed-net, nb-net, nb-logreg; fastText and Vowpal Wabbit for
comparison, each trained in a process of its own from a file, as fastText
issue 1061 advises):

1. cold ``sklearn-imdb predict MODEL "one review"``: wall time (median of
   ``--repeat`` fresh processes) and peak memory (the child's own ``VmHWM``),
   against the floor ``import sklearn_imdb, sklearn.linear_model`` and
   against the Keras path (the loaded network turned back into a
   ``DenseNetworkClassifier``, predicting through Keras as 0.2 did);
2. one review in-process (median and p99 of 300 calls after a warm-up, a
   fresh process per model): the loaded pipeline (NumPy), the network called
   through Keras as 0.2 did for one batch, fastText and Vowpal Wabbit;
3. the 25,000 test reviews in one call: the loaded pipeline against Keras'
   ``predict`` on the same features;
4. a bounded loopback load test of ``sklearn-imdb serve`` with wrk (Debian's
   ``wrk`` package): ``--clients`` keep-alive connections for ``--seconds``,
   one review a request, one server process and two (``--workers 2``: both
   cores, wrk beside them) (requests/s, p50/p99 latency, errors, the
   server's RSS at start and end).

    python benchmarks/bench_serve.py [--repeat 5] [--clients 32] [--seconds 60]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _measure import machine, run_child  # noqa: E402

REVIEW = "A moving, beautiful film."
NETWORKS = ("seed-net", "nb-net")
MODELS = ("seed-net", "nb-net", "nb-logreg")


def _labels(bunch):
    return np.asarray(bunch.target_names)[bunch.target]


def fit_models(folder):
    """Each model fitted in a process of its own; the files' paths."""
    paths = {}
    for name in MODELS:
        path = folder / f"{name}.skimdb"
        if not path.exists():
            run_child(
                "import sys, numpy as np\n"
                "from sklearn_imdb import fetch_imdb, named_pipeline, save_model\n"
                "train = fetch_imdb(subset='train')\n"
                "y = np.asarray(train.target_names)[train.target]\n"
                "pipe = named_pipeline(sys.argv[1]).fit(train.data, y)\n"
                "save_model(pipe, sys.argv[2])\n",
                name,
                path,
            )
        paths[name] = path
    return paths


def fit_rivals(folder):
    """fastText and Vowpal Wabbit models of the training reviews, from files."""
    from sklearn_imdb import fetch_imdb

    train = fetch_imdb(subset="train")
    labels = _labels(train)
    lines = [" ".join(text.lower().split()) for text in train.data]
    ft_data, vw_data = folder / "train.ft", folder / "train.vw"
    ft_data.write_text(
        "".join(f"__label__{y} {t}\n" for y, t in zip(labels, lines)), "utf-8"
    )
    vw_data.write_text(
        "".join(
            f"{1 if y == 'pos' else -1} | {_vw_text(t)}\n"
            for y, t in zip(labels, lines)
        ),
        "utf-8",
    )
    ft_model, vw_model = folder / "model.ftz", folder / "model.vw"
    # fastText's paper settings for sentiment (bigrams, 5 epochs, lr 0.1
    # is its default for supervised; dim 10 as in the paper)
    run_child(
        "import sys, fasttext\n"
        "m = fasttext.train_supervised(sys.argv[1], wordNgrams=2, dim=10, "
        "epoch=5, verbose=0)\n"
        "m.save_model(sys.argv[2])\n",
        ft_data,
        ft_model,
    )
    run_child(
        "import sys, vowpalwabbit\n"
        "vw = vowpalwabbit.Workspace(f'--loss_function logistic --ngram 2 -b 24 "
        "--passes 1 --quiet -f {sys.argv[2]}')\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    vw.learn(line)\n"
        "vw.finish()\n",
        vw_data,
        vw_model,
    )
    return ft_model, vw_model


def _vw_text(text):
    # VW reads "|" and ":" as syntax
    return text.replace("|", " ").replace(":", " ")


COLD_OURS = "from sklearn_imdb.cli import main\nsys.exit(main(sys.argv[1:]))\n"
COLD_KERAS = (
    "from sklearn_imdb import load_model\n"
    "pipe = load_model(sys.argv[2])\n"
    "pipe.steps[-1] = (pipe.steps[-1][0], pipe[-1].to_classifier())\n"
    "print(pipe.predict_proba([sys.argv[3]]))\n"
)
COLD_FLOOR = "import sklearn_imdb, sklearn.linear_model\n"


def cold(paths, repeat):
    """Median wall and peak memory of cold command lines, the floor's beside."""
    rows = []

    def runs(code, *args):
        measured = [run_child(code, *args)[:2] for _ in range(repeat)]
        return (
            statistics.median(s for s, _ in measured),
            max(p for _, p in measured),
        )

    floor_s, floor_mb = runs(COLD_FLOOR)
    rows.append(("floor: import sklearn_imdb, sklearn.linear_model", floor_s, floor_mb))
    for name, path in paths.items():
        size_mb = _uncompressed_mb(path)
        s, mb = runs(COLD_OURS, "predict", path, REVIEW)
        rows.append((f"{name}: sklearn-imdb predict (NumPy)", s, mb, size_mb))
        if name in NETWORKS:
            s, mb = runs(COLD_KERAS, "predict", path, REVIEW)
            rows.append((f"{name}: the same through Keras", s, mb, size_mb))
    return rows, floor_s, floor_mb


def _uncompressed_mb(path):
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist()) / 2**20


LATENCY = """
import json, time, numpy as np
from sklearn_imdb import fetch_imdb
reviews = fetch_imdb(subset="test", shuffle=True, random_state=0).data[:320]
kind, path = sys.argv[1], sys.argv[2]
if kind == "ours":
    from sklearn_imdb import load_model
    pipe = load_model(path)
    call = lambda text: pipe.predict_proba([text])
elif kind == "keras":
    import tensorflow as tf
    from sklearn_imdb import load_model
    pipe = load_model(path)
    clf, features = pipe[-1].to_classifier(), pipe[:-1]
    def call(text):  # 0.2's path for one batch: the model called eagerly
        X = features.transform([text]).tocsr().astype(np.float32)
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        x = tf.SparseTensor(np.stack([rows, X.indices], 1).astype(np.int64),
                            X.data, X.shape)
        return clf.model_(x, training=False).numpy()
elif kind == "fasttext":
    import fasttext
    model = fasttext.load_model(path)
    call = lambda text: model.predict(" ".join(text.lower().split()), k=2)
else:
    import vowpalwabbit
    vw = vowpalwabbit.Workspace(f"-i {path} -t --quiet --link logistic")
    def call(text):
        t = " ".join(text.lower().split()).replace("|", " ").replace(":", " ")
        return vw.predict("| " + t)
for text in reviews[:20]:
    call(text)
times = []
for text in reviews[20:]:
    start = time.perf_counter()
    call(text)
    times.append(time.perf_counter() - start)
print(json.dumps([1000 * np.median(times), 1000 * np.percentile(times, 99)]))
"""


def latency(paths, ft_model, vw_model):
    rows = []
    for name, path in paths.items():
        cases = [("ours", f"{name} loaded pipeline (NumPy)")]
        if name in NETWORKS:
            cases.append(("keras", f"{name} network called through Keras (0.2)"))
        for kind, label in cases:
            median, p99 = json.loads(run_child(LATENCY, kind, path)[2])
            rows.append((label, median, p99))
    for kind, path, label in (
        ("fasttext", ft_model, "fastText (bigrams, dim 10)"),
        ("vw", vw_model, "Vowpal Wabbit (bigrams, logistic)"),
    ):
        median, p99 = json.loads(run_child(LATENCY, kind, path)[2])
        rows.append((label, median, p99))
    return rows


BATCH = """
import json, time, numpy as np
from sklearn_imdb import fetch_imdb, load_model
test = fetch_imdb(subset="test")
pipe = load_model(sys.argv[1])
start = time.perf_counter()
ours = pipe.predict_proba(test.data)
ours_s = time.perf_counter() - start
clf = pipe[-1].to_classifier()
start = time.perf_counter()
X = pipe[:-1].transform(test.data)
keras = clf.model_.predict(X, batch_size=512, verbose=0)
keras_s = time.perf_counter() - start
print(json.dumps([ours_s, keras_s, float(np.abs(ours[:, 1:] - keras).max())]))
"""


def batch(paths):
    rows = []
    for name in NETWORKS:
        ours_s, keras_s, diff = json.loads(run_child(BATCH, paths[name])[2])
        rows.append((name, ours_s, keras_s, diff))
    return rows


WRK_SCRIPT = """
bodies = {%s}
counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    counter = counter %% #bodies + 1
    return wrk.format(nil, nil, nil, bodies[counter])
end
"""


def _rss_mb(pid):
    """Resident memory of a process and its children (uvicorn's workers)."""
    total = 0.0
    for child in [pid, *_children(pid)]:
        with open(f"/proc/{child}/status") as f:
            total += next(
                int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:")
            )
    return total


def _children(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            for child in map(int, f.read().split()):
                found += [child, *_children(child)]
    return found


def _ms(text):
    for unit, factor in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def load_test(path, clients, seconds, folder, workers):
    """wrk's ``clients`` connections looping on a ``sklearn-imdb serve`` process.

    wrk (C, one thread) leaves the server most of the second core; a client
    in Python took half of it and halved what the server was asked.
    """
    import re
    import socket
    import urllib.request

    from sklearn_imdb import fetch_imdb

    reviews = fetch_imdb(subset="test", shuffle=True, random_state=1).data[:256]
    bodies = [json.dumps({"texts": [r]}) for r in reviews]
    script = folder / "predict.lua"
    script.write_text(
        WRK_SCRIPT % ", ".join(f"[==[{b}]==]" for b in bodies if "]==]" not in b)
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sklearn_imdb.cli", "serve", str(path)]
        + ["--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/predict"

    def wrk(duration):
        return subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{duration}s", "--latency"]
            + ["-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        wrk(3)  # warm-up
        rss_start = _rss_mb(server.pid)
        out = wrk(int(seconds))
        rss_end = _rss_mb(server.pid)
    finally:
        server.terminate()
        code = server.wait(timeout=60)
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "per_second": float(re.search(r"Requests/sec:\s+(\S+)", out).group(1)),
        "p50": _ms(percentile["50"]),
        "p99": _ms(percentile["99"]),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
        "rss_start": rss_start,
        "rss_end": rss_end,
        "exit": code,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--models", type=Path, help="a folder to keep the fitted models in"
    )
    parser.add_argument(
        "--parts",
        default="cold,latency,batch,load",
        help="which measurements, comma-separated (default: all four)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    folder = args.models or Path(tempfile.mkdtemp(prefix="bench_serve_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}\n")
    paths = fit_models(folder)
    if "cold" in parts:
        _print_cold(*cold(paths, args.repeat), args.repeat)
    if "latency" in parts:
        _print_latency(latency(paths, *fit_rivals(folder)))
    if "batch" in parts:
        _print_batch(batch(paths))
    if "load" in parts:
        _print_load(paths, args, folder)


def _print_cold(rows, floor_s, floor_mb, repeat):
    print(
        f"### Cold command line (median of {repeat} fresh processes; peak "
        "memory: the most of any)\n\n| command | wall s | x floor | peak MB | x floor "
        "| limit MB (1.3 x floor + 2 x file) |\n|---|---|---|---|---|---|"
    )
    for name, s, mb, *size in rows:
        limit = f"{1.3 * floor_mb + 2 * size[0]:.0f}" if size else ""
        print(
            f"| {name} | {s:.2f} | {s / floor_s:.2f} | {mb:.0f} | "
            f"{mb / floor_mb:.2f} | {limit} |"
        )


def _print_latency(rows):
    print(
        "\n### One review in-process (ms; 300 calls after 20, a fresh process "
        "each)\n\n| model | median | p99 |\n|---|---|---|"
    )
    for label, median, p99 in rows:
        print(f"| {label} | {median:.3f} | {p99:.3f} |")


def _print_batch(rows):
    print(
        "\n### The 25,000 test reviews in one call (s)\n\n| model | loaded "
        "pipeline (NumPy) | Keras' predict (vectorizing included) | ratio | "
        "largest difference |\n|---|---|---|---|---|"
    )
    for name, ours_s, keras_s, diff in rows:
        print(
            f"| {name} | {ours_s:.2f} | {keras_s:.2f} | {keras_s / ours_s:.1f}x "
            f"| {diff:.1e} |"
        )


def _print_load(paths, args, folder):
    print(
        f"\n### Load test: wrk, {args.clients} connections for {args.seconds:.0f} s, "
        "one review a request (256 reviews in turn)\n\n"
        "| model | server processes | requests/s | p50 ms | p99 ms | non-2xx | "
        "socket errors | server RSS MB start / end | exit status |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    for name in MODELS:
        for workers in (1, 2):
            r = load_test(paths[name], args.clients, args.seconds, folder, workers)
            growth = 100 * (r["rss_end"] / r["rss_start"] - 1)
            print(
                f"| {name} | {workers} | {r['per_second']:.0f} | {r['p50']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']} | {r['socket_errors']} | "
                f"{r['rss_start']:.0f} / {r['rss_end']:.0f} ({growth:+.1f}%) | "
                f"{r['exit']} |"
            )


if __name__ == "__main__":
    main()
