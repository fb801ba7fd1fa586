"""The decision service: ``create_app(packs)`` → a FastAPI application answering over HTTP with JSON.

Each answer is the library's own result model with a ``Record`` (pack id, version and SHA-256,
engine version, the date whose rules applied, when it was answered), so it can be reproduced from
the same pack text. Packs are described once, at start-up; each answer is written to the decision
log, when there is one, before it is sent.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Path as PathParameter, Request
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from .. import Counterfactual, PackDescription, PackSummary, PolicyPack, Record
from .. import __version__
from .answers import DecisionAnswer, Health, QuorumAnswer, ScheduleAnswer, WhyNotAnswer, ascii_json
from .bodies import DecideBody, QuorumBody, ScheduleBody, WhyNotBody
from .decision_log import DecisionLog
from .errors import ERROR_RESPONSES, QUERY_ERRORS, ServiceError, install_error_handlers, log as logger
from .reading import RefuseQuery, read_body, wants_calendar

__all__ = ["create_app", "ENDPOINTS"]

ENDPOINTS = ("GET /packs", "GET /packs/{id}", "POST /packs/{id}/decide", "POST /packs/{id}/schedule",
             "POST /packs/{id}/quorum", "POST /packs/{id}/why-not", "GET /openapi.json", "GET /health")

_JSON = "application/json"
_COUNTERFACTUALS = TypeAdapter(list[Counterfactual])
_CALENDAR = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class _Served:
    """A pack as the service holds it: its description (with its digest), and that as JSON, computed once."""

    pack: PolicyPack
    description: PackDescription
    description_json: bytes

    @classmethod
    def of(cls, pack: PolicyPack) -> _Served:
        description = pack.describe()
        return cls(pack, description, description.model_dump_json().encode())


def create_app(packs: Mapping[str, PolicyPack], *, decision_log: str | Path | None = None) -> FastAPI:
    """The decision service for these packs (by id), appending each answer to ``decision_log`` when given.

    Raises:
        OSError: the decision log cannot be opened for appending.
    """
    shelf = {pack_id: _Served.of(pack) for pack_id, pack in packs.items()}
    listing = b"[" + b",".join(s.description.summary().model_dump_json().encode() for s in shelf.values()) + b"]"
    health = Health(status="ok", packs=list(shelf), engine_version=__version__).model_dump_json().encode()
    log = DecisionLog(decision_log) if decision_log is not None else None
    if log is not None and log.cut:
        logger.warning("decision log %s: cut off an unfinished last line (%d bytes) left by a crash; its answer "
                       "was never sent", log.path, log.cut)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if log is not None:
            log.close()

    app = _ServiceApp(title="lif_rules decision service", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Which reviews a case is eligible for, when each milestone is due and whether a "
                              "meeting is quorate, from the Learning and Improvement Frameworks of English "
                              "safeguarding partnerships. Every answer carries a record to reproduce it.")
    install_error_handlers(app, ENDPOINTS)

    def pack_id_parameter() -> Any:
        """The served ids, documented (not enforced: an unknown id is a 404, as the library's LookupError)."""
        return PathParameter(description="the id of a pack this service serves",
                             json_schema_extra={"enum": list(shelf)})

    def served(pack_id: str) -> _Served:
        found = shelf.get(pack_id)
        if found is None:
            raise LookupError(f"no pack {pack_id!r} is served here; packs: {', '.join(shelf) or 'none'}")
        return found

    run = uuid.uuid4().hex[:12]  # answer ids are "<run>-<n>": unique across restarts, cheap within a run
    numbers = itertools.count(1)

    def answer(question: str, s: _Served, body: BaseModel, result_json: str | None, as_of: date | None,
               statuses: Callable[[], dict[str, Any]], calendar: bytes | None = None) -> Response:
        """The answer (the result as JSON, or the calendar) with its record, written to the decision log first.

        ``statuses`` makes what the log line says of the result; it is called only when there is a log.
        """
        record = Record.model_construct(pack=s.pack.id, pack_version=s.pack.version,
                                        pack_sha256=s.description.sha256, engine_version=__version__, as_of=as_of,
                                        answered_at=datetime.now(timezone.utc))
        record_json = record.model_dump_json()
        answer_id = f"{run}-{next(numbers)}"
        if log is not None:
            try:
                log.append(f'{{"id":"{answer_id}","question":"{question}","request":{body.model_dump_json()},'
                           f'"record":{record_json},"statuses":{json.dumps(statuses(), separators=(",", ":"))}}}')
            except OSError as e:
                raise ServiceError(503, f"the decision log could not be written ({e.strerror or e}), so no answer "
                                        "is given", kind="decision_log") from None
        if calendar is not None:
            return Response(calendar, media_type=_CALENDAR,
                            headers={"X-Answer-Id": answer_id, "X-Record": ascii_json(record_json)})
        assert result_json is not None
        return Response(f'{{"result":{result_json},"record":{record_json}}}', media_type=_JSON,
                        headers={"X-Answer-Id": answer_id})

    @app.get("/health", response_model=Health, responses=QUERY_ERRORS, summary="liveness, and the packs served")
    async def get_health() -> Response:
        return Response(health, media_type=_JSON)

    @app.get("/packs", response_model=list[PackSummary], responses=QUERY_ERRORS,
             summary="the packs served: id, title, version, in-force period, review types")
    async def get_packs() -> Response:
        return Response(listing, media_type=_JSON)

    @app.get("/packs/{pack_id}", response_model=PackDescription, responses=ERROR_RESPONSES,
             summary="a pack's document, facts and their values, review types, notifications, meetings, notes")
    async def get_pack(pack_id: str = pack_id_parameter()) -> Response:
        return Response(served(pack_id).description_json, media_type=_JSON)

    @app.post("/packs/{pack_id}/decide", response_model=DecisionAnswer, responses=ERROR_RESPONSES,
              openapi_extra=_reads(DecideBody),
              summary="which reviews a case is eligible for, and the duties to notify it triggers")
    async def decide(request: Request, pack_id: str = pack_id_parameter()) -> Response:
        s = served(pack_id)
        body = await read_body(request, DecideBody)
        decision = s.pack.decide(body.facts, review=body.review, as_of=body.as_of)
        return answer("decide", s, body, decision.model_dump_json(), body.as_of,
                      lambda: {"outcomes": {r: o.status for r, o in decision.outcomes.items()},
                               "notifications": [n.id for n in decision.notifications],
                               "possible_notifications": [n.id for n in decision.possible_notifications]})

    @app.post("/packs/{pack_id}/schedule", response_model=ScheduleAnswer, openapi_extra=_reads(ScheduleBody),
              responses={**ERROR_RESPONSES, 200: {"content": {"text/calendar": {"schema": {"type": "string"}}},
                                                  "description": "the schedule; an iCalendar file when the "
                                                                 "request accepts text/calendar"}},
              summary="a review's milestones: when each is due, and whether it kept to time")
    async def schedule(request: Request, pack_id: str = pack_id_parameter()) -> Response:
        s = served(pack_id)
        body = await read_body(request, ScheduleBody)
        result = s.pack.schedule(body.review, start=body.start, actual=body.actual, today=body.today)
        calendar = result.to_ical() if wants_calendar(request.headers.get("accept")) else None
        result_json = result.model_dump_json() if calendar is None else None
        # the record's as_of is the date whose rules applied: the timetable is the one in force on start
        return answer("schedule", s, body, result_json, body.start,
                      lambda: {"milestones": {m.id: m.status for m in result.milestones}}, calendar)

    @app.post("/packs/{pack_id}/quorum", response_model=QuorumAnswer, responses=ERROR_RESPONSES,
              openapi_extra=_reads(QuorumBody),
              summary="whether a meeting is quorate, and who is missing")
    async def quorum(request: Request, pack_id: str = pack_id_parameter()) -> Response:
        s = served(pack_id)
        body = await read_body(request, QuorumBody)
        result = s.pack.check_quorum(body.meeting, attendees=body.attendees, on=body.on)
        return answer("quorum", s, body, result.model_dump_json(), result.on,
                      lambda: {"quorate": result.quorate, "missing": result.missing})

    @app.post("/packs/{pack_id}/why-not", response_model=WhyNotAnswer, responses=ERROR_RESPONSES,
              openapi_extra=_reads(WhyNotBody),
              summary="the smallest changes of facts that would decide a review as the status wanted")
    async def why_not(request: Request, pack_id: str = pack_id_parameter()) -> Response:
        s = served(pack_id)
        body = await read_body(request, WhyNotBody)
        result = s.pack.why_not(body.facts, review=body.review, want=body.want, as_of=body.as_of)
        return answer("why-not", s, body, _COUNTERFACTUALS.dump_json(result).decode(), body.as_of,
                      lambda: {"counterfactuals": [c.changes for c in result]})

    app.add_middleware(RefuseQuery, router=app.router, bodies=_BODIES)
    return app


_BODIES = (DecideBody, ScheduleBody, QuorumBody, WhyNotBody)


class _ServiceApp(FastAPI):
    """FastAPI, whose OpenAPI document also holds the request bodies the endpoints read themselves."""

    def openapi(self) -> dict[str, Any]:
        first = self.openapi_schema is None
        document = super().openapi()  # made once, then kept
        if first:
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in _BODIES:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
        return document


def _reads(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of an endpoint that reads ``model`` with ``read_body``.

    The endpoints read their bodies themselves, strictly (``read_body``) and without FastAPI's
    per-request dependency machinery, which cost more than everything else an answer takes.
    """
    body = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}

