"""How an endpoint reads its request: a body limit, JSON only, parsed strictly; and which answer the client accepts."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from .bodies import parse_json
from .errors import ServiceError

__all__ = ["MAX_BODY_BYTES", "StrictJSONRoute", "wants_calendar"]

MAX_BODY_BYTES = 64 * 1024
"""The largest request body the service reads (a case's facts take a few hundred bytes)."""


class _StrictJSONRequest(Request):
    """A request whose body is read up to a limit and whose JSON is parsed strictly (see ``parse_json``)."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise _too_large()
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _too_large()
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
        return self._json


def _too_large() -> ServiceError:
    return ServiceError(413, f"the request body is over the limit of {MAX_BODY_BYTES} bytes")


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class StrictJSONRoute(APIRoute):
    """A route that reads its body as a ``_StrictJSONRequest``, refusing a body not sent as JSON (415)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        takes_body = self.body_field is not None

        async def strict(request: Request) -> Response:
            request = _StrictJSONRequest(request.scope, request.receive)
            if takes_body and await request.body() and not _is_json(request.headers.get("content-type")):
                raise ServiceError(415, "send the body as JSON, with the header Content-Type: application/json")
            return await handle(request)

        return strict


def wants_calendar(accept: str | None) -> bool:
    """Whether an ``Accept`` header prefers ``text/calendar`` to JSON (JSON on a tie or without one)."""
    calendar = json = 0.0
    for part in (accept or "").split(","):
        media, *params = (p.strip().lower() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in ("text/calendar", "text/*", "*/*"):
            calendar = max(calendar, q)
        if media in ("application/json", "application/*", "*/*"):
            json = max(json, q)
    return calendar > json
