"""Every error becomes an RFC 9457 problem here, and only here.

Handlers raise `ProblemError` (or let a database error propagate); this
module maps database errors to HTTP by constraint name, so a DBA can see in
`CONSTRAINTS` what each constraint means to a client.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from service.db import DatabaseUnavailable

__all__ = ["CONSTRAINTS", "EXCEPTION_HANDLERS", "ProblemError", "conflict", "invalid", "not_found"]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = "5"


@dataclass
class ProblemError(Exception):
    status: int
    kind: str
    title: str
    detail: str
    errors: list[dict[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.kind}: {self.detail}"


def not_found(what: str, ident: str) -> ProblemError:
    return ProblemError(404, "not-found", "Not found", f"no {what} {ident}")


def conflict(kind: str, detail: str) -> ProblemError:
    return ProblemError(409, kind, "Conflict", detail)


def invalid(field_name: str, message: str, status: int = 422) -> ProblemError:
    return ProblemError(
        status, "validation", "Invalid request", f"{field_name}: {message}",
        errors=[{"field": field_name, "message": message}],
    )  # fmt: skip


@dataclass(frozen=True)
class _Meaning:
    status: int
    kind: str
    field: str | None
    message: str


# Constraint (or unique index) name -> what it means to a client.
CONSTRAINTS: dict[str, _Meaning] = {
    "workshop_slug_key": _Meaning(409, "duplicate", "slug", "a workshop with this slug exists"),
    "workshop_member_email_key": _Meaning(409, "duplicate", "email", "this email is already a member of the workshop"),
    "workshop_member_email_format": _Meaning(422, "validation", "email", "is not an email address"),
    "workshop_member_display_name_length": _Meaning(422, "validation", "display_name", "must be 1 to 100 characters"),
    "workshop_member_capacity": _Meaning(
        409, "workshop-full", None, "the workshop has no room for another participant"
    ),
    "workshop_capacity_below_participants": _Meaning(
        409, "capacity-below-participants", "capacity", "is below the number of participants already in"
    ),
    "session_one_active_per_member": _Meaning(
        409, "session-active", "member_id", "this member already has an active session"
    ),
    "session_member_fkey": _Meaning(422, "validation", "member_id", "is not a member of this workshop"),
    "build_pack_final_immutable": _Meaning(409, "build-pack-final", None, "the build pack is final and cannot change"),
    "build_pack_content_size": _Meaning(422, "validation", "content", "must be at most 256 KiB as JSON text"),
    "build_pack_content_object": _Meaning(422, "validation", "content", "must be a JSON object"),
    "build_pack_session_fkey": _Meaning(409, "concurrent-change", None, "the session was deleted meanwhile"),
    "workshop_step_position_at_most_500": _Meaning(
        409, "too-many-steps", "position", "a workshop has at most 500 steps"
    ),
    "workshop_step_contiguous": _Meaning(
        409, "concurrent-change", "position", "step positions changed concurrently; retry"
    ),
    "workshop_step_position_key": _Meaning(
        409, "concurrent-change", "position", "step positions changed concurrently; retry"
    ),
}


# Errors that say "not now" rather than "not this": the client may retry.
_TRANSIENT = (
    asyncpg.QueryCanceledError,
    asyncpg.TransactionRollbackError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
)


def _problem(exc: ProblemError) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"/problems/{exc.kind}",
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
    }
    if exc.errors is not None:
        body["errors"] = exc.errors
    return Response(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=exc.headers)


def _from_postgres(exc: asyncpg.PostgresError) -> ProblemError:
    name = getattr(exc, "constraint_name", None)
    meaning = CONSTRAINTS.get(name or "")
    if meaning is not None:
        detail = f"{meaning.field}: {meaning.message}" if meaning.field else meaning.message
        errors = [{"field": meaning.field, "message": meaning.message}] if meaning.field else None
        title = "Invalid request" if meaning.status == 422 else "Conflict"
        return ProblemError(meaning.status, meaning.kind, title, detail, errors)
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        column = getattr(exc, "column_name", None) or (name or "value")
        return invalid(column, f"violates {name or 'a database rule'}")
    if isinstance(exc, asyncpg.DataError):
        return ProblemError(422, "validation", "Invalid request", f"a value is not acceptable: {exc}")
    if isinstance(exc, _TRANSIENT):
        return _unavailable(str(exc))
    raise exc


def _unavailable(reason: str) -> ProblemError:
    log.warning("database unavailable: %s", reason)
    return ProblemError(
        503, "database-unavailable", "Service unavailable",
        "the database is not answering; retry shortly",
        headers={"Retry-After": RETRY_AFTER_S},
    )  # fmt: skip


def _validation_errors(extra: Any) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    for item in extra if isinstance(extra, list) else [extra]:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            errors.append({"field": key, "message": str(item.get("message", "is invalid"))})
    return errors


def handle_problem(_: Request[Any, Any, Any], exc: ProblemError) -> Response[dict[str, Any]]:
    return _problem(exc)


def handle_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = _validation_errors(exc.extra)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or str(exc.detail)
    return _problem(ProblemError(422, "validation", "Invalid request", detail, errors))


def handle_http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Litestar's own refusals (unknown route, wrong method, body too large, bad JSON), as problems."""
    phrase = HTTPStatus(exc.status_code).phrase
    kind = phrase.lower().replace(" ", "-")
    headers = dict(exc.headers or {})
    return _problem(ProblemError(exc.status_code, kind, phrase, str(exc.detail), headers=headers))


def handle_postgres(_: Request[Any, Any, Any], exc: asyncpg.PostgresError) -> Response[dict[str, Any]]:
    try:
        return _problem(_from_postgres(exc))
    except asyncpg.PostgresError:
        log.exception("unmapped database error")
        return _problem(ProblemError(500, "internal", "Internal error", "an unexpected database error occurred"))


def handle_unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return _problem(_unavailable(f"{type(exc).__name__}: {exc}"))


def handle_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error", exc_info=exc)
    return _problem(ProblemError(500, "internal", "Internal error", "an unexpected error occurred"))


def handle_recursion(request: Request[Any, Any, Any], exc: RecursionError) -> Response[dict[str, Any]]:
    """msgspec refuses JSON nested about 1,000 levels deep with a RecursionError, before any handler runs."""
    if "deserializing" not in str(exc):
        return handle_unexpected(request, exc)
    return _problem(ProblemError(400, "bad-request", "Bad request", "the JSON body is nested too deeply"))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ProblemError: handle_problem,
    ValidationException: handle_validation,
    HTTPException: handle_http,
    asyncpg.PostgresError: handle_postgres,
    DatabaseUnavailable: handle_unavailable,
    asyncpg.InterfaceError: handle_unavailable,
    asyncpg.PostgresConnectionError: handle_unavailable,
    ConnectionError: handle_unavailable,
    OSError: handle_unavailable,
    TimeoutError: handle_unavailable,
    RecursionError: handle_recursion,
    Exception: handle_unexpected,
}
