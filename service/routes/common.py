"""What every resource's handlers share: the request transaction, id checks, responses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

import asyncpg
from litestar import Response
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import HeaderParameter

from service.errors import not_found
from service.etags import etag
from service.ids import Prefix, is_id
from service.models.common import Page, Row
from service.pagination import encode_cursor

__all__ = ["Conn", "IfMatch", "created", "page_of", "provide_connection", "require_id", "with_etag"]

R = TypeVar("R", bound=Row)

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="ETag from a GET; 412 if stale.")]

Conn = NamedDependency[asyncpg.Connection]
"""The request's connection, inside its transaction (see `provide_connection`)."""


async def provide_connection(state: State) -> AsyncIterator[asyncpg.Connection]:
    """One pooled connection and one transaction per request: committed when the handler returns."""
    async with state.db.transaction() as conn:
        yield conn


def require_id(value: str, prefix: Prefix, what: str) -> str:
    """An id of the wrong prefix or shape names nothing: 404, before any query."""
    if not is_id(value, prefix):
        raise not_found(what, value)
    return value


def with_etag(row: R, status_code: int = 200, headers: dict[str, str] | None = None) -> Response[R]:
    return Response(row, status_code=status_code, headers={"ETag": etag(row), **(headers or {})})


def created(row: R, location: str) -> Response[R]:
    return with_etag(row, 201, {"Location": location})


async def page_of(rows: AsyncIterator[R], limit: int, key: Callable[[R], tuple[Any, str]]) -> Page[R]:
    """Collect `limit + 1` rows; the extra one only says whether another page exists."""
    items = [row async for row in rows]
    if len(items) <= limit:
        return Page[R](items=items, next_cursor=None)
    items = items[:limit]
    return Page[R](items=items, next_cursor=encode_cursor(*key(items[-1])))
