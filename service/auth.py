"""Bearer API keys on every /v1 route: `read` may GET, `write` may do anything.

Only the sha256 of a secret is stored; the lookup goes by that hash through
a unique index, and the found hash is compared again in constant time.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from service.db import QUERIES, Database
from service.errors import ProblemError
from service.keys import hash_secret

__all__ = ["require_key"]

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHALLENGE = 'Bearer realm="atelier"'


def _unauthorized(detail: str, error: str = "invalid_token") -> ProblemError:
    return ProblemError(
        401, "unauthorized", "Unauthorized", detail,
        headers={"WWW-Authenticate": f'{_CHALLENGE}, error="{error}"'},
    )  # fmt: skip


def _bearer(header: str | None) -> str:
    if not header:
        raise ProblemError(
            401, "unauthorized", "Unauthorized", "send Authorization: Bearer <API key>",
            headers={"WWW-Authenticate": _CHALLENGE},
        )  # fmt: skip
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorized("the Authorization header must be: Bearer <API key>", "invalid_request")
    return secret.strip()


async def require_key(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    secret = _bearer(connection.headers.get("authorization"))
    digest = hash_secret(secret)
    db: Database = connection.app.state.db
    async with db.connection() as conn:
        key = await QUERIES.api_keys.authenticate_api_key(conn, secret_sha256=digest)
    if key is None or not hmac.compare_digest(key.secret_sha256, digest):
        raise _unauthorized("the API key is unknown or revoked")
    if connection.scope.get("method", "GET") not in _READ_METHODS and key.scope != "write":
        raise ProblemError(403, "forbidden", "Forbidden", f"key {key.id} has scope read; this needs write")
