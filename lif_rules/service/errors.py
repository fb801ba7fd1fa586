"""Errors as JSON: every failure the service answers with is ``{"error": {"type", "message", ...}}``.

404 an unknown pack, review, milestone or meeting (the library's ``LookupError``) or route; 405 a
wrong method; 413 a body over the limit; 415 a body that is not JSON; 422 bad facts
(``FactError``), dates or body, naming the field; 500 without internals for anything else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from .. import FactError
from .answers import ErrorBody, ErrorDetail, FieldProblem
from .bodies import BODIES

__all__ = ["ServiceError", "error_response", "install_error_handlers", "ERROR_RESPONSES"]

log = logging.getLogger("lif_rules.service")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "an unknown pack, review, milestone or meeting"},
    413: {"model": ErrorBody, "description": "a body over the size limit"},
    415: {"model": ErrorBody, "description": "a body that is not sent as JSON"},
    422: {"model": ErrorBody, "description": "bad facts, dates or body, naming the field"},
    "default": {"model": ErrorBody, "description": "any other error, as JSON"},
}
"""The error answers every endpoint documents in the OpenAPI document."""

_KINDS = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed", 413: "BodyTooLarge",
          415: "UnsupportedMediaType", 422: "InvalidBody", 500: "InternalError", 501: "NotImplemented"}


class ServiceError(Exception):
    """An error the service answers with as it is: a status code, a kind and a plain message."""

    def __init__(self, status: int, message: str, kind: str | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind or _KINDS.get(status, "Error")
        self.message = message


def error_response(status: int, kind: str, message: str, *, field: str | None = None,
                   problems: Sequence[FieldProblem] = (), headers: dict[str, str] | None = None) -> Response:
    """The JSON answer for an error."""
    body = ErrorBody(error=ErrorDetail(type=kind, message=message, field=field, problems=list(problems)))
    return Response(body.model_dump_json(), status_code=status, media_type="application/json", headers=headers)


def install_error_handlers(app: FastAPI, endpoints: Iterable[str]) -> None:
    """Answer every error as JSON; ``endpoints`` (e.g. ``GET /packs``) are listed when a route is unknown."""
    known = ", ".join(endpoints)

    async def service_error(request: Request, exc: Exception) -> Response:
        exc = cast(ServiceError, exc)
        return error_response(exc.status, exc.kind, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        exc = cast(HTTPException, exc)
        where = f"{request.method} {request.url.path}"
        if exc.status_code == 404:
            message = f"no endpoint {where}; endpoints: {known}"
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        else:
            message = str(exc.detail)
        return error_response(exc.status_code, _KINDS.get(exc.status_code, "Error"), message,
                              headers=dict(exc.headers or {}))

    async def invalid_body(request: Request, exc: Exception) -> Response:
        exc = cast(RequestValidationError, exc)
        problems = [_problem(e, request) for e in exc.errors()]
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        return error_response(422, "InvalidBody", summary, field=problems[0].field if problems else None,
                              problems=problems)

    async def fact_error(request: Request, exc: Exception) -> Response:
        exc = cast(FactError, exc)
        return error_response(422, "FactError", str(exc), field=f"facts.{exc.fact}" if exc.fact else "facts")

    async def lookup_error(request: Request, exc: Exception) -> Response:
        if type(exc) is not LookupError:  # a KeyError or IndexError is a bug, not an unknown id
            raise exc
        return error_response(404, "LookupError", str(exc))

    async def value_error(request: Request, exc: Exception) -> Response:
        if type(exc) is not ValueError:  # the library's bad-input errors are plain ValueErrors (or FactErrors)
            raise exc
        return error_response(422, "ValueError", str(exc))

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("internal error answering %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "InternalError", "the service could not answer; the reason is in its log")

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_body)
    app.add_exception_handler(FactError, fact_error)
    app.add_exception_handler(LookupError, lookup_error)
    app.add_exception_handler(ValueError, value_error)
    app.add_exception_handler(Exception, internal_error)


def _problem(error: Any, request: Request) -> FieldProblem:
    """One pydantic error of a request body, in plain words, with the field it is about."""
    loc = [str(part) for part in error.get("loc", ())]
    kind = error.get("type", "")
    field = ".".join(loc[1:]) if loc[:1] == ["body"] else ".".join(loc)
    if kind == "json_invalid":
        return FieldProblem(field="body", message=f"not valid JSON: {error.get('ctx', {}).get('error', '')}")
    if not field or field == "body":
        return FieldProblem(field="body", message=f"expected a JSON object with the fields {_fields(request)}")
    if kind == "missing":
        return FieldProblem(field=field, message="required")
    if kind == "extra_forbidden":
        return FieldProblem(field=field, message=f"unknown field; the fields are {_fields(request)}")
    if kind == "value_error":
        return FieldProblem(field=field, message=str(error.get("ctx", {}).get("error", error.get("msg", ""))))
    message = str(error.get("msg", "invalid"))
    return FieldProblem(field=field, message=f"{message[:1].lower()}{message[1:]}, got {_shown(error.get('input'))}")


def _fields(request: Request) -> str:
    """The fields of the body the request's endpoint takes (its path ends with the question)."""
    body = BODIES.get(request.url.path.rsplit("/", 1)[-1])
    return ", ".join(body.model_fields) if body is not None else "-"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
