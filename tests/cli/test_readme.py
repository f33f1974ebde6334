"""The README's command-line block, run as typed on the real data.

Each ``$ sklearn-imdb ...`` line runs through the command line's ``main`` in a
fresh folder, and its output must begin as the README shows it (the first
words of each line; numbers may move by a last digit). ``serve`` runs as a
process, answers ``/health`` and ``/predict``, and stops on SIGTERM.
"""

import json
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sklearn_imdb.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands():
    """The ``$ ...`` lines of the README's command-line block, with the output
    lines shown under each."""
    section = README.read_text().split("## On the command line", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.S).group(1)
    commands = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    return commands


def test_the_block_is_what_a_newcomer_types():
    commands = readme_commands()
    assert commands[0][0] == "source .venv/bin/activate"
    names = [shlex.split(c)[1] for c, _ in commands[1:]]
    assert names == ["train", "predict", "explain", "serve"]


#: a number as printed (thousands separators, decimals); a fit's seconds vary
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SECONDS = re.compile(r"in [\d.]+ s\b")


@pytest.mark.slow
def test_the_readme_command_line_block_runs_as_typed(
    imdb, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    for command, shown in readme_commands()[1:]:
        argv = shlex.split(command)[1:]
        if argv[0] == "serve":
            _serve_as_shown(argv, shown)
            continue
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, (command, err)
        printed = out.splitlines()
        assert len(printed) == len(shown), (command, out)
        for got, want in zip(printed, shown):
            got, want = SECONDS.sub("in # s", got), SECONDS.sub("in # s", want)
            # the same words, and the same scores to their last digit but one
            assert NUMBER.sub("#", got) == NUMBER.sub("#", want), (command, got)
            for g, w in zip(NUMBER.findall(got), NUMBER.findall(want)):
                g, w = float(g.replace(",", "")), float(w.replace(",", ""))
                assert abs(g - w) <= 0.0011 * max(1, abs(w)), (command, got, want)


def _serve_as_shown(argv, shown):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_imdb.cli", *argv, "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline().replace(f":{port}/", ":8000/")
        assert first.rstrip("\n") == shown[0]
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        request = urllib.request.Request(
            url + "/predict",
            data=json.dumps({"texts": ["A moving, beautiful film."]}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["predictions"][0]["label"] == "pos"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
