"""The service's routes: FastAPI around a loaded pipeline, run by uvicorn."""

import gc
import hashlib
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .. import __version__
from ..inspection import MEANING, explain
from ..model_files import load_model
from ..text._tokenizer import word_spans
from ._limits import BodyLimit, Limits
from ._page import PAGE

__all__ = ["create_app", "serve"]

logger = logging.getLogger(__name__)

#: characters of a request's texts answered on the event loop, not in a thread
INLINE_CHARS = 20_000
#: where ``serve(workers=N)`` tells its worker processes what to load
_ENVIRONMENT = "SKLEARN_IMDB_SERVE"


def create_app(model, *, key=None, limits=None):
    """The ASGI application serving a model file.

    Parameters
    ----------
    model : str or path-like
        A model file written by :func:`~sklearn_imdb.save_model`.
    key : bytes, str or None, default=None
        The key the file must be signed with (see
        :func:`~sklearn_imdb.load_model`).
    limits : Limits or None, default=None
        Request limits; None uses :class:`Limits`' defaults.

    Returns
    -------
    app : fastapi.FastAPI
        ``POST /predict`` and ``POST /explain`` (``{"texts": [...]}``),
        ``GET /health``, ``GET /model``, the page at ``/`` and the OpenAPI
        schema at ``/openapi.json`` (documented at ``/docs``).
    """
    from fastapi import FastAPI, HTTPException
    from fastapi.concurrency import run_in_threadpool
    from fastapi.responses import HTMLResponse, Response
    from pydantic import BaseModel, Field

    limits = limits or Limits()
    path = Path(model)
    pipe, metadata = load_model(path, key=key, return_metadata=True)
    classes = [_plain(c) for c in pipe.classes_]
    has_proba = hasattr(pipe, "predict_proba")
    info = {
        "file": path.name,
        "sha256": _sha256(path),
        "pipeline": metadata.get("pipeline"),
        "steps": [[name, type(step).__name__] for name, step in pipe.steps],
        "classes": classes,
        "training_data": metadata.get("training_data"),
        "metadata": metadata,
        "sklearn_imdb_version": __version__,
        "limits": asdict(limits),
    }

    class Texts(BaseModel):
        texts: list[str] = Field(description="the texts to classify")

    class ExplainTexts(Texts):
        top: int = Field(10, ge=1, le=100, description="words kept a text")

    class Prediction(BaseModel):
        label: str | int | bool
        probabilities: dict[str, float] | None = Field(
            description="each class's probability (None: the model has none)"
        )

    class Predictions(BaseModel):
        predictions: list[Prediction]

    class Term(BaseModel):
        term: str
        contribution: float

    class Explanation(BaseModel):
        text: str
        kind: str = Field(description='"linear" or "removal" (see meaning)')
        meaning: str = Field(description="what a contribution is")
        label: str | int | bool
        probability: float | None
        terms: list[Term]
        spans: list[tuple[int, int, float]] = Field(
            description="(start, end, contribution) of each explained word in text"
        )

    class Explanations(BaseModel):
        explanations: list[Explanation]

    def checked(texts):
        if len(texts) > limits.max_texts:
            raise HTTPException(
                413,
                f"{len(texts)} texts in one request; the limit is {limits.max_texts}",
            )
        for i, text in enumerate(texts):
            if len(text) > limits.max_chars:
                raise HTTPException(
                    413,
                    f"text {i} has {len(text):,} characters; the limit is "
                    f"{limits.max_chars:,}",
                )
        return texts

    app = FastAPI(
        title="sklearn-imdb",
        version=__version__,
        description=f"Sentiment of texts by the model {path.name}.",
    )
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)

    def predictions(texts):
        if not texts:
            return {"predictions": []}
        if not has_proba:
            labels = pipe.predict(texts)
            return {
                "predictions": [
                    {"label": _plain(label), "probabilities": None} for label in labels
                ]
            }
        proba = pipe.predict_proba(texts)
        return {
            "predictions": [
                {
                    "label": classes[int(np.argmax(row))],
                    "probabilities": {str(c): float(p) for c, p in zip(classes, row)},
                }
                for row in proba
            ]
        }

    def explanations(texts, top):
        found = explain(pipe, texts, top=top) if texts else []
        return {"explanations": [_explanation(e) for e in found]}

    # Handlers are async and a few texts are answered on the event loop: a
    # review takes a millisecond, less than handing it to a thread; larger
    # requests go to Starlette's threads so that they hold no one else up.
    # The answer is serialised here (the models above document it): FastAPI
    # validating it again took a third of a one-review request.
    async def answer(function, *args):
        texts = checked(args[0])
        if sum(map(len, texts)) > INLINE_CHARS:
            result = await run_in_threadpool(function, *args)
        else:
            result = function(*args)
        return Response(json.dumps(result), media_type="application/json")

    @app.post("/predict", response_model=Predictions)
    async def predict(body: Texts):
        """Each text's label and every class's probability."""
        return await answer(predictions, body.texts)

    @app.post("/explain", response_model=Explanations)
    async def explain_texts(body: ExplainTexts):
        """Each text's words that push its prediction, with their spans."""
        return await answer(explanations, body.texts, body.top)

    @app.get("/health")
    def health():
        """Whether the service answers."""
        return {"status": "ok"}

    @app.get("/model")
    def model_info():
        """The model served: file, pipeline, classes, training data, version."""
        return info

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page():
        return PAGE

    # What is loaded lives as long as the server: out of the garbage
    # collector's sight, a full collection no longer walks its ~160,000
    # objects (84 ms with nb-logreg loaded, a pause in some request's answer)
    gc.collect()
    gc.freeze()
    return app


def _explanation(e):
    weight = dict(zip(e.terms["term"], e.terms["contribution"]))
    return {
        "text": e.text,
        "kind": e.kind,
        "meaning": MEANING[e.kind],
        "label": _plain(e.label),
        "probability": e.probability,
        "terms": [
            {"term": str(t), "contribution": float(c)}
            for t, c in zip(e.terms["term"], e.terms["contribution"])
        ],
        "spans": [
            (start, end, float(weight[word]))
            for start, end, word in word_spans(e.text)
            if word in weight
        ],
    }


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def serve(model, *, host="127.0.0.1", port=8000, workers=1, key=None, limits=None):
    """Serve a model file over HTTP with uvicorn until SIGINT or SIGTERM.

    In-flight requests finish before the server exits (uvicorn's graceful
    shutdown).

    Parameters
    ----------
    model : str or path-like
        A model file written by :func:`~sklearn_imdb.save_model`.
    host : str, default="127.0.0.1"
        The address to listen on: the loopback, unless told otherwise.
    port : int, default=8000
        The port.
    workers : int, default=1
        Processes, each holding the model.
    key : str or None, default=None
        The key the file must be signed with.
    limits : Limits or None, default=None
        Request limits.
    """
    import signal

    import uvicorn

    limits = limits or Limits()
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again
    # under the handler it found: stopping is this command's normal end
    signal.signal(signal.SIGTERM, _exit_normally)
    if workers == 1:
        app = create_app(model, key=key, limits=limits)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    create_app(model, key=key, limits=limits)  # refused here, not in N workers
    # the workers are new processes: what to load reaches them by environment
    os.environ[_ENVIRONMENT] = json.dumps(
        {"model": str(Path(model).resolve()), "key": key, "limits": asdict(limits)}
    )
    uvicorn.run(
        f"{__name__}:_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def _exit_normally(signum, frame):
    raise SystemExit(0)


def _app_from_environment():
    settings = json.loads(os.environ[_ENVIRONMENT])
    return create_app(
        settings["model"], key=settings["key"], limits=Limits(**settings["limits"])
    )
