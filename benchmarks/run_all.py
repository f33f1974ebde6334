"""Run every benchmark and write benchmarks/RESULTS.md.

Each benchmark runs as its own process, its Markdown output kept in
``benchmarks/results/<name>.md``; RESULTS.md is assembled from all of them, so
a slow section (the 72-candidate search takes about half an hour on 2 cores)
need not be rerun to refresh the others:

    python benchmarks/run_all.py                         # everything
    python benchmarks/run_all.py --sections vectorizer,pipeline
"""

import argparse
import datetime
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the package before issue 12's faster fits, measured beside today's
BEFORE = "5dbd22b"
#: the package whose fits still gathered each batch's rows inside the graph
GATHERED = "2609af5"
SECTIONS = {
    "fetch": (
        "fetch_imdb: first call and cached calls, on the labelled copy and on an "
        "archive of the official size (target: both splits again in < 1 s)",
        ["bench_fetch.py"],
    ),
    "vectorizer": (
        "Vectorizer speed, memory and quality (issue targets: >= 4x faster than "
        "CountVectorizer; LogisticRegression within 0.5 points)",
        ["bench_vectorizer.py", "--repeat", "3"],
    ),
    "pipeline": (
        "Seed pipeline against the notebook's recipe (targets: >= 87.5% test "
        "accuracy, peak RSS <= 2 GB and <= 1/4 of the notebook's, wall time <= 1/2)",
        ["bench_pipeline.py"],
    ),
    "splits": (
        "Validating on movies the model was not trained on, or on a random part "
        "of the training reviews",
        ["select_settings.py", "--splits"],
    ),
    "short": (
        "Short texts: training on the reviews' openings too, and other settings, "
        "validated by movie",
        ["select_settings.py", "--short"],
    ),
    "select": (
        "Settings of the named pipelines, chosen on the training split only "
        "(folds by movie)",
        ["select_settings.py"],
    ),
    "accuracy": (
        "Every named pipeline on the test split, 3 seeds, whole and short reviews "
        "(issue 13 targets: >= 92.3% mean, goal 92.6%; +2 points on the first 30 "
        "words over nb-net as it was)",
        ["bench_accuracy.py", "--seeds", "3"],
    ),
    "readme": (
        "The README's table: the recommended pipelines and two baselines, with "
        "the peak memory of a fresh process fitting and predicting",
        ["bench_accuracy.py", "--models", "seed-net,logreg,nb-logreg,nb-net"],
    ),
    "scale": (
        "Scale: 12,500, 25,000 and 50,000 distinct reviews; fixed cost apart",
        ["bench_scale.py"],
    ),
    "profile": (
        "Where one fit of a search goes (the seed pipeline on one 3-fold split), "
        f"and the network's fits side by side with the package at {BEFORE} (issue "
        f"12 target: fit >= 2x faster, same accuracy) and at {GATHERED} (batches "
        "gathered in the graph)",
        ["profile_fit.py", "--repeat", "4", "--before", f"{BEFORE},{GATHERED}"],
    ),
    "search-eight": (
        "Grid search, 8 candidates x 3 folds + refit, full training split: plain "
        f"GridSearchCV against tune, in one run, and plain at {BEFORE}",
        ["bench_search.py", "--grid", "eight", "--cv", "3", "--before", BEFORE],
    ),
    "serve": (
        "From a model file to an answer: cold command line, one review, 25,000 "
        "reviews, a loaded server (issue 35 targets: cold predict <= 1.2x the "
        "import floor and peak <= 1.3x its + 2x the file; one review <= 1 ms; "
        "load test p99 <= 50 ms, no errors, RSS growth <= 5%)",
        ["bench_serve.py"],
    ),
    "stream": (
        "Millions of reviews from a file: streamed fits against in-memory ones, "
        "fastText and Vowpal Wabbit, and Dask predictions (issue 36 targets: "
        "peak <= 2.5 GB at every size, time linear, accuracy at 1.6M >= the "
        "in-memory 25k's; streamed within 0.3 points of in-memory at 25k; Dask "
        ">= 1.6x one process)",
        ["bench_stream.py"],
    ),
    "search": (
        "Grid search, the notebook's 72 candidates x 3 folds + refit, full "
        "training split (issue 12 targets: <= 180 s, >= 2.5x plain GridSearchCV); "
        "plain GridSearchCV with n_jobs=1 (about 26 minutes in an interrupted run), "
        f"Dask and the package at {BEFORE} (search-eight has it) left out of this run",
        ["bench_search.py", "--grid", "seed", "--cv", "3", "--configs", "1,2"],
    ),
}


def run(sections):
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    for name in sections:
        title, command = SECTIONS[name]
        print(f"== {name}: {' '.join(command)}", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, str(HERE / command[0]), *command[1:]],
            check=True,
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        ).stdout
        stamp = datetime.date.today().isoformat()
        (results / f"{name}.md").write_text(
            f"`python benchmarks/{' '.join(command)}` ({stamp})\n\n{output}"
        )


def assemble():
    parts = [
        "# Benchmark results",
        "",
        "Written by `python benchmarks/run_all.py`; each section says the command "
        "that produced it and when. Times are wall-clock seconds on the machine "
        "named in each section (these machines are noisy: expect +-10%); peak "
        "memory is the high-water mark of resident memory (`VmHWM` in "
        "`/proc/self/status`) of a fresh process (spawned: fork + exec) doing only "
        "that work, interpreter and loaded data included; unlike `ru_maxrss`, it "
        "does not carry over the parent's peak across exec.",
    ]
    for name, (title, _) in SECTIONS.items():
        path = HERE / "results" / f"{name}.md"
        if path.exists():
            parts += ["", f"## {title}", "", path.read_text().strip()]
    history = HERE / "results" / "history.md"  # written by hand, not by a run
    parts += ["", "## Earlier runs", "", history.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(parts) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated, from: {', '.join(SECTIONS)}",
    )
    args = parser.parse_args()
    chosen = [s for s in args.sections.split(",") if s]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    run(chosen)
    assemble()
    print((HERE / "RESULTS.md").read_text())
