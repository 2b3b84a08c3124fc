"""Settings from the environment (and `.env`), validated once at start-up."""

from __future__ import annotations

import os
from typing import Literal
from urllib.parse import urlsplit

from dotenv import load_dotenv
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from service.paths import ROOT

__all__ = ["ConfigError", "Settings", "load_settings"]


class ConfigError(Exception):
    """A setting is malformed; the message names the variable."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    database_url: str | None = None
    database_pool_min: int = Field(default=1, ge=0, le=1000)
    database_pool_max: int = Field(default=10, ge=1, le=1000)
    database_pool_mode: Literal["session", "transaction"] = "session"
    database_statement_timeout_ms: int = Field(default=5000, ge=1, le=3_600_000)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    log_format: Literal["json", "console"] = "console"

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("postgres", "postgresql"):
            raise ValueError("must start with postgres:// or postgresql://")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("has a port that is not a number from 0 to 65535") from None
        if not parts.hostname and "host=" not in parts.query:
            raise ValueError("names no host")
        if not parts.path.strip("/"):
            raise ValueError("names no database (postgres://user@host:port/DATABASE)")
        del port
        return value

    @field_validator("log_level", "log_format", "database_pool_mode", mode="before")
    @classmethod
    def _lowercase(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _pool_bounds(self) -> Settings:
        if self.database_pool_min > self.database_pool_max:
            raise ValueError("DATABASE_POOL_MIN must not exceed DATABASE_POOL_MAX")
        return self


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings; raise `ConfigError` with one line naming the bad variable."""
    if environ is None:
        load_dotenv(ROOT / ".env", override=False)
        environ = dict(os.environ)
    names = [name.upper() for name in Settings.model_fields]
    raw = {name.lower(): environ[name] for name in names if environ.get(name, "") != ""}
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        variable = str(error["loc"][0]).upper() if error["loc"] else "DATABASE_POOL_MIN"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{variable} is invalid: {message}") from None
