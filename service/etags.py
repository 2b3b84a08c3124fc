"""Strong ETags from a row's content, and `If-Match` as RFC 9110 reads it."""

from __future__ import annotations

import hashlib

from service.errors import ProblemError
from service.models.common import Row

__all__ = ["check_if_match", "etag"]


def etag(row: Row) -> str:
    """A strong validator over the row's own fields (not derived counts)."""
    payload = row.model_dump_json(include=row.etag_fields())
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:20] + '"'


def _matches(header: str, current: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    # If-Match uses the strong comparison: a weak validator never matches.
    return "*" in candidates or current in candidates


def check_if_match(header: str | None, current: str, *, required: bool = False) -> None:
    """412 when `If-Match` names another version; 428 when it is required and absent."""
    if header is None or header.strip() == "":
        if required:
            raise ProblemError(
                428, "precondition-required", "Precondition required",
                "this resource changes only with If-Match: send the ETag from your last GET",
            )  # fmt: skip
        return
    if not _matches(header, current):
        raise ProblemError(
            412, "precondition-failed", "Precondition failed",
            "the resource changed since you read it: GET it again, then retry with the new ETag",
            headers={"ETag": current},
        )  # fmt: skip
