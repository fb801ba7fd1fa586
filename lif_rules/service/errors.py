"""Errors as JSON: every failure the service answers with is ``{"error": {"type", "message", ...}}``.

404 an unknown pack, review, milestone or meeting (the library's ``LookupError``) or route; 405 a
wrong method; 413 a body over the limit; 415 a body that is not JSON; 422 bad facts
(``FactError``), dates, body or query parameters, naming the field; 500 without internals for anything else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic_core import ErrorDetails
from starlette.exceptions import HTTPException

from .. import FactError
from .answers import ErrorBody, ErrorDetail, FieldProblem

__all__ = ["ServiceError", "invalid_body", "error_response", "install_error_handlers", "ERROR_RESPONSES",
           "QUERY_ERRORS", "log"]

log = logging.getLogger("lif_rules.service")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "an unknown pack, review, milestone or meeting"},
    413: {"model": ErrorBody, "description": "a body over the size limit"},
    415: {"model": ErrorBody, "description": "a body that is not sent as JSON"},
    422: {"model": ErrorBody, "description": "bad facts, dates, body or query parameters, naming the field"},
    "default": {"model": ErrorBody, "description": "any other error, as JSON"},
}
"""The error answers every endpoint about a pack documents in the OpenAPI document."""

QUERY_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "a query parameter, which this endpoint does not take"},
    "default": ERROR_RESPONSES["default"],
}
"""The error answers of an endpoint that reads nothing but its path (``GET /health``, ``GET /packs``)."""

# the command line's error types (not_found, bad_facts, internal) where they mean the same
_KINDS = {400: "bad_request", 404: "no_such_endpoint", 405: "method_not_allowed", 413: "body_too_large",
          415: "unsupported_media_type", 422: "invalid_body", 500: "internal"}


class ServiceError(Exception):
    """An error the service answers with as it is: a status code, a kind, a plain message, the field at fault."""

    def __init__(self, status: int, message: str, kind: str | None = None, *, field: str | None = None,
                 problems: Sequence[FieldProblem] = ()):
        super().__init__(message)
        self.status = status
        self.kind = kind or _KINDS.get(status, "error")
        self.message = message
        self.field = field
        self.problems = list(problems)


def _response(status: int, kind: str, message: str, *, field: str | None = None,
              problems: Sequence[FieldProblem] = (), headers: dict[str, str] | None = None) -> Response:
    body = ErrorBody(error=ErrorDetail(type=kind, message=message, field=field, problems=list(problems)))
    return Response(body.model_dump_json(), status_code=status, media_type="application/json", headers=headers)


def error_response(exc: ServiceError) -> Response:
    """The JSON answer to a ``ServiceError``."""
    return _response(exc.status, exc.kind, exc.message, field=exc.field, problems=exc.problems)


def install_error_handlers(app: FastAPI, endpoints: Iterable[str]) -> None:
    """Answer every error as JSON; ``endpoints`` (e.g. ``GET /packs``) are listed when a route is unknown."""
    known = ", ".join(endpoints)

    async def service_error(request: Request, exc: Exception) -> Response:
        return error_response(cast(ServiceError, exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        exc = cast(HTTPException, exc)
        if exc.status_code == 404:
            message = f"no endpoint {request.method} {request.url.path}; endpoints: {known}"
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        else:
            message = str(exc.detail)
        return _response(exc.status_code, _KINDS.get(exc.status_code, "error"), message,
                         headers=dict(exc.headers or {}))

    async def fact_error(request: Request, exc: Exception) -> Response:
        exc = cast(FactError, exc)
        return _response(422, "bad_facts", str(exc), field=f"facts.{exc.fact}" if exc.fact else "facts")

    async def lookup_error(request: Request, exc: Exception) -> Response:
        if type(exc) is not LookupError:  # a KeyError or IndexError is a bug, not an unknown id
            raise exc
        return _response(404, "not_found", str(exc))

    async def value_error(request: Request, exc: Exception) -> Response:
        if type(exc) is not ValueError:  # the library's bad-input errors are plain ValueErrors (or FactErrors)
            raise exc
        return _response(422, "bad_input", str(exc))

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("internal error answering %s %s", request.method, request.url.path, exc_info=exc)
        return _response(500, "internal", "the service could not answer; the reason is in its log")

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(FactError, fact_error)
    app.add_exception_handler(LookupError, lookup_error)
    app.add_exception_handler(ValueError, value_error)
    app.add_exception_handler(Exception, internal_error)


def invalid_body(problems: Sequence[FieldProblem]) -> ServiceError:
    """A 422 listing every problem of a request body, the first one's field as the field at fault."""
    return ServiceError(422, "; ".join(f"{p.field}: {p.message}" for p in problems), "invalid_body",
                        field=problems[0].field, problems=problems)


def body_problem(error: ErrorDetails, fields: Iterable[str]) -> FieldProblem:
    """One pydantic error of a request body, in plain words, with the field it is about."""
    field = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if not field:
        return FieldProblem(field="body", message=f"expected a JSON object with the fields {', '.join(fields)}")
    if kind == "missing":
        return FieldProblem(field=field, message="required")
    if kind == "extra_forbidden":
        return FieldProblem(field=field, message=f"unknown field; the fields are {', '.join(fields)}")
    if kind == "value_error":
        return FieldProblem(field=field, message=str(error.get("ctx", {}).get("error", error["msg"])))
    message = error["msg"]
    return FieldProblem(field=field, message=f"{message[:1].lower()}{message[1:]}, got {_shown(error['input'])}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
