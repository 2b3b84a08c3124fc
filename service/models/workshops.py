"""Workshops: row, detail with counts, create and merge-patch bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, Field, StringConstraints

from service.models.common import Body, Row, Title, json_integer, json_string

WorkshopStatus = Literal["draft", "published", "archived"]
Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Field(examples=["intro-to-sql"], description="Lowercase words joined by single hyphens."),
]
Description = Annotated[str, StringConstraints(max_length=10_000)]
Capacity = Annotated[
    int, BeforeValidator(json_integer), Field(ge=1, le=1_000_000, description="Most participants; null is unlimited.")
]
StartsAt = Annotated[AwareDatetime, BeforeValidator(json_string), Field(examples=["2026-12-01T09:00:00Z"])]


class Workshop(Row):
    id: str = Field(examples=["ws_k1x0b3c9q2m8w7e5r4t6y1u0"])
    slug: str = Field(examples=["intro-to-sql"])
    title: str = Field(examples=["Introduction to SQL"])
    description: str
    status: WorkshopStatus
    capacity: int | None = Field(examples=[20])
    starts_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WorkshopDetail(Workshop):
    step_count: int
    member_count: int
    participant_count: int

    @classmethod
    def etag_fields(cls) -> set[str] | None:
        return set(Workshop.model_fields)


class WorkshopCreate(Body):
    slug: Slug
    title: Title = Field(examples=["Introduction to SQL"])
    description: Description = ""
    status: WorkshopStatus = "draft"
    capacity: Capacity | None = None
    starts_at: StartsAt | None = None


class WorkshopUpdate(Body):
    """A merge patch: absent fields stay, `null` clears `capacity` or `starts_at`."""

    slug: Slug | None = None
    title: Title | None = None
    description: Description | None = None
    status: WorkshopStatus | None = None
    capacity: Capacity | None = None
    starts_at: StartsAt | None = None
