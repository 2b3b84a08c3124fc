"""API keys: random secrets shown once, stored as sha256 only."""

from __future__ import annotations

import hashlib
import secrets

import asyncpg

from service.db import QUERIES
from service.ids import create_prefixed_id
from service.models.api_keys import ApiKey, Scope

__all__ = ["create_key", "ensure_development_key", "hash_secret"]

SECRET_PREFIX = "atelier_"  # noqa: S105 - a marker that makes leaked keys greppable, not a secret


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


async def create_key(conn: asyncpg.Connection, name: str, scope: Scope) -> tuple[ApiKey, str]:
    """Store a new key; return it with its secret, which is never stored."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key = await QUERIES.api_keys.insert_api_key(
        conn, id=create_prefixed_id("key"), name=name, scope=scope, secret_sha256=hash_secret(secret)
    )
    assert key is not None  # an INSERT ... RETURNING returns its row
    return key, secret


async def ensure_development_key(conn: asyncpg.Connection) -> str | None:
    """On a database with no key at all, create a write key and return its secret; else None."""
    if await QUERIES.api_keys.count_api_keys(conn):
        return None
    _, secret = await create_key(conn, "development", "write")
    return secret
