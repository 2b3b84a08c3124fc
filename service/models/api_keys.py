"""API keys as stored (never the secret)."""

from datetime import datetime
from typing import Literal

from service.models.common import Row

Scope = Literal["read", "write"]


class ApiKey(Row):
    id: str
    name: str
    scope: Scope
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCredentials(ApiKey):
    """A live key with the stored hash, for the constant-time comparison at sign-in."""

    secret_sha256: bytes
