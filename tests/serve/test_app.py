"""``sklearn-imdb serve``: a real uvicorn process on the loopback, answers and limits.

Every test talks HTTP to a server started by the command line, as a user
would; requests are bounded in number and every wait has a deadline.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the [serve] extra is not installed")

from sklearn_imdb import load_model, named_pipeline, save_model  # noqa: E402

from ..conftest import synthetic_reviews  # noqa: E402

pytestmark = pytest.mark.slow

ROWS = synthetic_reviews(40, "train")
DOCS = [r[4] for r in ROWS]
LABELS = [r[1] for r in ROWS]
KEY = "a secret of the tests"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    pipe = named_pipeline("seed-net", clf__epochs=3).fit(DOCS, LABELS)
    path = tmp_path_factory.mktemp("serve") / "model.skimdb"
    save_model(
        pipe,
        path,
        key=KEY,
        metadata={"pipeline": "seed-net", "training_data": "80 synthetic reviews"},
    )
    return path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(model, *options, deadline=90):
    """A ``sklearn-imdb serve`` process answering on a free loopback port."""
    port = _free_port()
    env = {**os.environ, "SKLEARN_IMDB_MODEL_KEY": KEY}
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_imdb.cli", "serve", str(model)]
        + ["--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        stop = time.monotonic() + deadline
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server ended: {process.communicate()}")
            with contextlib.suppress(OSError):
                if get(url + "/health")[0] == 200:
                    break
            assert time.monotonic() < stop, "the server did not answer in time"
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def post(url, body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"content-type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def server(model):
    with running(
        model, "--max-texts", "5", "--max-chars", "2000", "--max-body-bytes", "20000"
    ) as (url, process):
        yield url, process


def test_predictions_and_explanations_are_the_loaded_pipelines(server, model):
    url, _ = server
    pipe = load_model(model, key=KEY)
    texts = DOCS[:3] + ["", "Ein schöner Film — “wonderful”, 素晴らしい!"]
    status, answer = post(url + "/predict", {"texts": texts})
    assert status == 200
    proba = pipe.predict_proba(texts)
    got = [p["probabilities"] for p in answer["predictions"]]
    np.testing.assert_array_equal([[g["neg"], g["pos"]] for g in got], proba)
    assert [p["label"] for p in answer["predictions"]] == pipe.predict(texts).tolist()
    status, answer = post(url + "/explain", {"texts": DOCS[:1], "top": 5})
    (explanation,) = answer["explanations"]
    assert status == 200 and len(explanation["terms"]) == 5
    assert explanation["label"] == pipe.predict(DOCS[:1])[0]
    text = explanation["text"]
    weights = {t["term"]: t["contribution"] for t in explanation["terms"]}
    for start, end, value in explanation["spans"]:
        assert weights[text[start:end]] == value
    assert post(url + "/predict", {"texts": []}) == (200, {"predictions": []})


def test_the_model_health_and_schema_describe_the_service(server):
    url, _ = server
    info = json.loads(get(url + "/model")[1])
    assert info["pipeline"] == "seed-net"
    assert info["training_data"] == "80 synthetic reviews"
    assert info["classes"] == ["neg", "pos"]
    assert info["steps"][-1] == ["clf", "DenseNetworkPredictor"]
    assert info["limits"]["max_texts"] == 5
    assert json.loads(get(url + "/health")[1]) == {"status": "ok"}
    schema = json.loads(get(url + "/openapi.json")[1])
    assert {"/predict", "/explain", "/health", "/model"} <= set(schema["paths"])
    page = get(url + "/")[1].decode()
    assert "<textarea" in page and "http" not in page  # no external requests


@pytest.mark.parametrize(
    "body, status, message",
    [
        (b"{not json", 422, "JSON decode error"),
        (b'\xff\xfe{"texts": ["a"]}', 422, "JSON decode error"),
        (b'{"texts": "one text"}', 422, "valid list"),
        (b'{"texts": [1, 2]}', 422, "valid string"),
        (b'{"text": ["a"]}', 422, "Field required"),
        (json.dumps({"texts": ["a"] * 6}).encode(), 413, "6 texts in one request"),
        (json.dumps({"texts": ["a" * 2001]}).encode(), 413, "2,001 characters"),
        (json.dumps({"texts": ["a b " * 6000]}).encode(), 413, "over 20,000 bytes"),
    ],
    ids=[
        "malformed",
        "not utf-8",
        "a string",
        "numbers",
        "no texts",
        "too many texts",
        "too long a text",
        "too large a body",
    ],
)
def test_bad_requests_get_4xx_naming_the_problem_and_it_keeps_serving(
    server, body, status, message
):
    url, process = server
    got_status, answer = post(url + "/predict", body)
    assert got_status == status
    assert message in json.dumps(answer["detail"])
    assert post(url + "/predict", {"texts": ["fine"]})[0] == 200
    assert process.poll() is None


def test_a_body_streamed_past_the_limit_is_refused_unread(server):
    url, _ = server
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(
            b"POST /predict HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        chunk = b'{"texts": ["' + b"a" * 8000
        for _ in range(3):  # 24,000 bytes, never a declared length
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_sigterm_finishes_the_request_in_flight_and_exits_0(model):
    with running(model) as (url, process):
        host, port = url.removeprefix("http://").split(":")
        body = json.dumps({"texts": DOCS[:2]}).encode()
        with socket.create_connection((host, int(port)), timeout=30) as s:
            s.sendall(
                b"POST /predict HTTP/1.1\r\nHost: x\r\n"
                b"content-type: application/json\r\n"
                b"content-length: %d\r\n\r\n" % len(body) + body[:10]
            )
            time.sleep(0.5)  # the request has begun: headers and part of the body
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            s.sendall(body[10:])
            answer = b""
            while b"}]}" not in answer:
                part = s.recv(65536)
                if not part:
                    break
                answer += part
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"predictions"' in answer
        assert process.wait(timeout=60) == 0


def test_an_unsigned_or_wrongly_signed_model_is_refused(model, tmp_path):
    unsigned = tmp_path / "unsigned.skimdb"
    save_model(load_model(model, key=KEY), unsigned)
    for path, key in ((unsigned, KEY), (model, "another key")):
        done = subprocess.run(
            [sys.executable, "-m", "sklearn_imdb.cli", "serve", str(path)]
            + ["--key", key, "--port", str(_free_port())],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        (line,) = done.stderr.strip().splitlines()
        assert "not a valid sklearn-imdb model file" in line
        assert "sign" in line


def test_two_workers_serve_and_stop_together(model):
    with running(model, "--workers", "2") as (url, process):
        answers = [post(url + "/predict", {"texts": [d]}) for d in DOCS[:8]]
        assert all(status == 200 for status, _ in answers)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_the_page_classifies_a_typed_review_in_chromium(server, model, chromium):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, _ = server
    driver = chromium
    driver.get(url + "/")
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: "seed-net" in d.find_element(By.ID, "model").text)
    review = DOCS[0]
    driver.find_element(By.ID, "review").send_keys(review)
    driver.find_element(By.ID, "submit").click()
    wait.until(lambda d: d.find_element(By.ID, "label").text)
    want = load_model(model, key=KEY).predict([review])[0]
    assert driver.find_element(By.ID, "label").text == f"Predicted: {want}"
    assert driver.find_element(By.ID, "probability").text.startswith("(probability 0.")
    marks = driver.find_elements(By.CSS_SELECTOR, "#text mark")
    assert marks and all(m.text in review for m in marks)
    assert driver.find_element(By.ID, "text").text == review
    assert "rgba(" in marks[0].get_attribute("style")
    assert "removed" in driver.find_element(By.ID, "meaning").text
    assert driver.find_element(By.ID, "error").text == ""
