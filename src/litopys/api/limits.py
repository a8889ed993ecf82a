"""The request body limit for bodies sent without a Content-Length (chunked): the bytes are counted
as the application reads them, and past :data:`litopys.api.MAX_BODY_BYTES` reading fails with a 413.
(A declared Content-Length over the limit is answered 413 before anything is read.)"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """ASGI middleware: a 413 once more than ``limit`` body bytes have been read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(
                        status_code=413, detail=f"request too large: the limit is {self.limit} bytes"
                    )
            return message

        await self.app(scope, counted, send)
