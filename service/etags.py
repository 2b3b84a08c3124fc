"""Strong ETags from a row's content, and `If-Match` as RFC 9110 reads it."""

from __future__ import annotations

import hashlib

from service.errors import ProblemError
from service.models.common import Row

__all__ = ["check_if_match", "etag", "require_if_match"]


def etag(row: Row) -> str:
    """A strong validator over the row's own fields (not derived counts)."""
    payload = row.model_dump_json(include=row.etag_fields())
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:20] + '"'


def _matches(header: str, current: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    # If-Match uses the strong comparison: a weak validator never matches.
    return "*" in candidates or current in candidates


def _absent(header: str | None) -> bool:
    return header is None or header.strip() == ""


def require_if_match(header: str | None) -> None:
    """428 when a resource that changes only with `If-Match` is asked to change without it."""
    if _absent(header):
        raise ProblemError(
            428, "precondition-required", "Precondition required",
            "this resource changes only with If-Match: send the ETag from your last GET",
        )  # fmt: skip


def check_if_match(header: str | None, current: str) -> None:
    """412 when `If-Match` names another version; no header, no condition."""
    if not _absent(header) and not _matches(header or "", current):
        raise ProblemError(
            412, "precondition-failed", "Precondition failed",
            "the resource changed since you read it: GET it again, then retry with the new ETag",
            headers={"ETag": current},
        )  # fmt: skip
