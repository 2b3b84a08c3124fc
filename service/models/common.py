"""Shapes shared by every resource: pages, problems, field constraints."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

T = TypeVar("T")


def json_integer(value: Any) -> Any:
    """Only a JSON integer: `true`, `2.0` or `"2"` is not one (pydantic's lax mode would take them)."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError("must be a whole number")
    return value


def json_string(value: Any) -> Any:
    """Only a JSON string: a date-time must be RFC 3339 text, not a number of seconds."""
    if value is not None and not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string")
    return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class Body(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text and jsonb cannot hold U+0000: refuse it here, naming the field.
        if _holds_nul(value):
            raise ValueError("must not contain the NUL character (\\u0000)")
        return value


class Row(BaseModel):
    """A row as the database returns it; also the response body."""

    model_config = ConfigDict(frozen=True)

    @classmethod
    def etag_fields(cls) -> set[str] | None:
        """Fields the ETag covers; None for all. Derived counts are left out."""
        return None


class Page(BaseModel, Generic[T]):
    """One page of a keyset-paginated list."""

    items: list[T]
    next_cursor: str | None = Field(description="Pass as `?cursor=` for the next page; null on the last page.")


class Items(BaseModel, Generic[T]):
    """A complete, unpaginated list."""

    items: list[T]


class FieldError(BaseModel):
    field: str = Field(examples=["slug"])
    message: str = Field(examples=["must be lowercase words joined by single hyphens"])


class Problem(BaseModel):
    """An RFC 9457 problem document (`application/problem+json`)."""

    type: str = Field(examples=["/problems/validation"])
    title: str = Field(examples=["Invalid request"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["slug: must be lowercase words joined by single hyphens"])
    errors: list[FieldError] | None = None


Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
