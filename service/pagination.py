"""Opaque keyset cursors: the (timestamp, id) of the last row of a page."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, NamedTuple

from litestar.params import QueryParameter

from service.errors import invalid

__all__ = ["Cursor", "CursorParam", "LimitParam", "decode_cursor", "encode_cursor"]

LimitParam = Annotated[int, QueryParameter(ge=1, le=100, description="Rows per page, 1 to 100.")]
CursorParam = Annotated[
    str | None,
    QueryParameter(max_length=200, description="`next_cursor` of the previous page; omit for the first page."),
]


class Cursor(NamedTuple):
    after: datetime | None
    after_id: str | None


def encode_cursor(after: datetime, after_id: str) -> str:
    raw = json.dumps([after.isoformat(), after_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Cursor:
    if cursor is None:
        return Cursor(None, None)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after, after_id = json.loads(raw)
        when = datetime.fromisoformat(after)
        if not isinstance(after_id, str) or when.tzinfo is None:
            raise ValueError(after_id)
        return Cursor(when, after_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise invalid("cursor", "is not a cursor this service issued", status=400) from None
