"""How an endpoint reads its request: a body up to a limit, sent as JSON, parsed strictly, then validated;
and which answer the client accepts."""

from __future__ import annotations

import json
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from .answers import FieldProblem
from .bodies import parse_json
from .errors import ServiceError, body_problem, invalid_body

__all__ = ["MAX_BODY_BYTES", "read_body", "wants_calendar"]

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
