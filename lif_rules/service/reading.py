"""How an endpoint reads its request: a body up to a limit, sent as JSON, parsed strictly, then validated;
no query parameter it does not document; and which answer the client accepts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import QueryParams
from starlette.routing import BaseRoute, Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from .answers import FieldProblem
from .bodies import parse_json
from .errors import ServiceError, body_problem, error_response, invalid_body

__all__ = ["MAX_BODY_BYTES", "read_body", "RefuseQuery", "wants_calendar"]

MAX_BODY_BYTES = 64 * 1024
"""The largest request body the service reads (a case's facts take a few hundred bytes)."""

B = TypeVar("B", bound=BaseModel)


async def read_body(request: Request, model: type[B]) -> B:
    """The request's body as ``model``.

    Raises:
        ServiceError: 413 over the limit, 415 not sent as JSON, 422 not strict JSON or not a valid
            ``model`` (every problem, each with its field).
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    raw = b"".join(chunks)
    fields = list(model.model_fields)
    if not raw:
        raise invalid_body([FieldProblem(field="body", message=f"required: a JSON object with the fields "
                                                                f"{', '.join(fields)}")])
    if not _is_json(request.headers.get("content-type")):
        raise ServiceError(415, "send the body as JSON, with the header Content-Type: application/json")
    try:
        data = parse_json(raw)
    except json.JSONDecodeError as e:
        raise invalid_body([FieldProblem(field="body", message=f"not valid JSON: {e.msg}")]) from None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise invalid_body([body_problem(error, fields) for error in e.errors()]) from None


class RefuseQuery:
    """ASGI middleware: a query parameter is a 422 naming it, never ignored.

    No endpoint of the service takes one (what a question takes goes in its JSON body), so
    ``POST /packs/{id}/decide?as_of=2019-01-01`` is refused rather than answered with the latest rules.
    A request that no endpoint matches, or not with its method, goes on to be a 404 or a 405.
    """

    def __init__(self, app: ASGIApp, router: Router, bodies: Iterable[type[BaseModel]]):
        """``bodies``: the models of the bodies the endpoints read (found for a route by its OpenAPI ``$ref``)."""
        self.app = app
        self.router = router
        self.fields = {model.__name__: list(model.model_fields) for model in bodies}  # model name -> its fields

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            refused = self._refused(scope)
            if refused is not None:
                await error_response(refused)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refused(self, scope: Scope) -> ServiceError | None:
        route = next((r for r in self.router.routes if r.matches(scope)[0] is Match.FULL), None)
        if route is None:
            return None
        fields = self.fields.get(_body_of(route), [])
        problems = [FieldProblem(field=f"query.{name}" if name else "query", message=_not_read(name, fields))
                    for name in QueryParams(scope["query_string"]).keys()]
        return invalid_body(problems) if problems else None


def _body_of(route: BaseRoute) -> str:
    """The name of the model a route's OpenAPI document says it reads ("" for none)."""
    extra = getattr(route, "openapi_extra", None) or {}
    schema = extra.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def _not_read(name: str, fields: list[str]) -> str:
    said = "this endpoint takes no query parameters"
    if name in fields:
        return f"{said}; send {name} in the JSON body"
    return f"{said}; its fields go in the JSON body: {', '.join(fields)}" if fields else said


def _too_large() -> ServiceError:
    return ServiceError(413, f"the request body is over the limit of {MAX_BODY_BYTES} bytes")


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def wants_calendar(accept: str | None) -> bool:
    """Whether an ``Accept`` header prefers ``text/calendar`` to JSON (JSON on a tie or without one)."""
    calendar_q = json_q = 0.0
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
            calendar_q = max(calendar_q, q)
        if media in ("application/json", "application/*", "*/*"):
            json_q = max(json_q, q)
    return calendar_q > json_q
