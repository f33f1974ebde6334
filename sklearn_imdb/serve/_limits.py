"""What one request may hold, and the middleware that answers 413 beyond it."""

import json
from dataclasses import dataclass

__all__ = ["BodyLimit", "Limits"]


@dataclass(frozen=True)
class Limits:
    """What one request may hold; beyond it the answer is 413.

    Parameters
    ----------
    max_body_bytes : int, default=1_000_000
        Bytes of a request's body.
    max_texts : int, default=1000
        Texts in one request.
    max_chars : int, default=100_000
        Characters of one text (IMDB's longest review has 13,704).
    """

    max_body_bytes: int = 1_000_000
    max_texts: int = 1000
    max_chars: int = 100_000


class BodyLimit:
    """ASGI middleware: a body over ``max_bytes`` is answered 413, unread beyond it.

    Neither uvicorn nor Starlette bounds a request's body. The body is read
    here, up to the limit, whether the client declares its length or streams
    chunks, and handed on whole (an error raised while FastAPI reads it
    would become its 400 "error parsing the body").
    """

    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await self._refuse(send)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        given = False

        async def replay():
            nonlocal given
            if given:
                return await receive()
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send):
        body = json.dumps(
            {"detail": f"the request's body is over {self.max_bytes:,} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
