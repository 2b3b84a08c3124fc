"""FastAPI + SQLAlchemy 2 async ORM (asyncpg driver): the same endpoints, written the usual ORM way.

It maps Atelier's existing tables (it creates none) and answers roughly the
same JSON. It checks the same bearer API keys, by the same sha256 lookup and
at-most-once-a-minute `last_used_at` stamp, so both apps do the same work per
request. Lists are OFFSET-paginated (`?limit=&offset=`), the ORM default
this benchmark contrasts with Atelier's keyset cursors.

    REFERENCE_DATABASE_URL=postgres://... python -m uvicorn benchmarks.reference.app:app
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from cuid2 import Cuid
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import DateTime, FetchedValue, ForeignKey, LargeBinary, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# -- the ORM mapping of the existing schema --------------------------------------------------


class Base(DeclarativeBase):
    pass


class WorkshopRow(Base):
    __tablename__ = "workshop"

    id: Mapped[str] = mapped_column(primary_key=True)
    slug: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    status: Mapped[str]
    capacity: Mapped[int | None]
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())


class StepRow(Base):
    __tablename__ = "workshop_step"

    id: Mapped[str] = mapped_column(primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id"))
    position: Mapped[int]
    title: Mapped[str]
    body: Mapped[str]
    duration_minutes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())


class MemberRow(Base):
    __tablename__ = "workshop_member"
    __mapper_args__ = {"eager_defaults": True}  # joined_at comes back by RETURNING

    id: Mapped[str] = mapped_column(primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id"))
    email: Mapped[str]
    display_name: Mapped[str]
    role: Mapped[str]
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())


class ApiKeyRow(Base):
    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    scope: Mapped[str]
    secret_sha256: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=FetchedValue())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# -- response and request bodies -------------------------------------------------------------


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class WorkshopOut(Out):
    id: str
    slug: str
    title: str
    description: str
    status: str
    capacity: int | None
    starts_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WorkshopDetailOut(WorkshopOut):
    step_count: int
    member_count: int
    participant_count: int


class WorkshopPage(BaseModel):
    items: list[WorkshopOut]
    next_offset: int | None


class StepOut(Out):
    id: str
    workshop_id: str
    position: int
    title: str
    body: str
    duration_minutes: int | None
    created_at: datetime
    updated_at: datetime


class StepList(BaseModel):
    items: list[StepOut]


class MemberOut(Out):
    id: str
    workshop_id: str
    email: str
    display_name: str
    role: str
    joined_at: datetime


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    role: Literal["owner", "facilitator", "participant"] = "participant"


# -- the app ---------------------------------------------------------------------------------


def _engine_url() -> str:
    url = make_url(os.environ["REFERENCE_DATABASE_URL"])
    return url.set(drivername="postgresql+asyncpg", query={}).render_as_string(hide_password=False)


engine = create_async_engine(_engine_url(), pool_size=10, max_overflow=0)
Sessions = async_sessionmaker(engine, expire_on_commit=False)
_ids = Cuid(length=24)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(title="Atelier reference (FastAPI + SQLAlchemy ORM)", lifespan=lifespan)


async def session() -> AsyncIterator[AsyncSession]:
    async with Sessions() as db:
        yield db


Db = Annotated[AsyncSession, Depends(session)]


def _unauthorized() -> HTTPException:
    return HTTPException(401, "the API key is missing, unknown or revoked", {"WWW-Authenticate": "Bearer"})


async def api_key(db: Db, authorization: Annotated[str | None, Header()] = None) -> ApiKeyRow:
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorized()
    digest = hashlib.sha256(secret.strip().encode()).digest()
    key = await db.scalar(select(ApiKeyRow).where(ApiKeyRow.secret_sha256 == digest, ApiKeyRow.revoked_at.is_(None)))
    if key is None or not hmac.compare_digest(key.secret_sha256, digest):
        raise _unauthorized()
    now = datetime.now(UTC)
    if key.last_used_at is None or key.last_used_at < now - timedelta(minutes=1):
        key.last_used_at = now
        await db.commit()
    return key


async def write_key(key: Annotated[ApiKeyRow, Depends(api_key)]) -> ApiKeyRow:
    if key.scope != "write":
        raise HTTPException(403, f"key {key.id} has scope read; this needs write")
    return key


Reader = Depends(api_key)
Writer = Depends(write_key)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/ready")
async def ready(db: Db) -> dict[str, str]:
    await db.execute(select(1))
    return {"status": "ready"}


@app.get("/v1/workshops", dependencies=[Reader])
async def list_workshops(
    db: Db, limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0
) -> WorkshopPage:
    rows = (
        await db.scalars(
            select(WorkshopRow).order_by(WorkshopRow.created_at, WorkshopRow.id).offset(offset).limit(limit + 1)
        )
    ).all()
    more = len(rows) > limit
    items = [WorkshopOut.model_validate(row) for row in rows[:limit]]
    return WorkshopPage(items=items, next_offset=offset + limit if more else None)


STEP_COUNT = select(func.count()).where(StepRow.workshop_id == WorkshopRow.id).correlate(WorkshopRow).scalar_subquery()
MEMBER_COUNT = (
    select(func.count()).where(MemberRow.workshop_id == WorkshopRow.id).correlate(WorkshopRow).scalar_subquery()
)
PARTICIPANT_COUNT = (
    select(func.count())
    .where(MemberRow.workshop_id == WorkshopRow.id, MemberRow.role == "participant")
    .correlate(WorkshopRow)
    .scalar_subquery()
)


@app.get("/v1/workshops/{workshop_id}", dependencies=[Reader])
async def get_workshop(db: Db, workshop_id: str) -> WorkshopDetailOut:
    found = (
        await db.execute(
            select(WorkshopRow, STEP_COUNT, MEMBER_COUNT, PARTICIPANT_COUNT).where(WorkshopRow.id == workshop_id)
        )
    ).first()
    if found is None:
        raise HTTPException(404, f"no workshop {workshop_id}")
    workshop, steps, members, participants = found
    return WorkshopDetailOut(
        **WorkshopOut.model_validate(workshop).model_dump(),
        step_count=steps,
        member_count=members,
        participant_count=participants,
    )


@app.get("/v1/workshops/{workshop_id}/steps", dependencies=[Reader])
async def list_steps(db: Db, workshop_id: str) -> StepList:
    steps = (
        await db.scalars(select(StepRow).where(StepRow.workshop_id == workshop_id).order_by(StepRow.position))
    ).all()
    if not steps and await db.get(WorkshopRow, workshop_id) is None:
        raise HTTPException(404, f"no workshop {workshop_id}")
    return StepList(items=[StepOut.model_validate(step) for step in steps])


@app.post("/v1/workshops/{workshop_id}/members", status_code=201, dependencies=[Writer])
async def join(db: Db, workshop_id: str, data: MemberIn, response: Response) -> MemberOut:
    if await db.get(WorkshopRow, workshop_id) is None:
        raise HTTPException(404, f"no workshop {workshop_id}")
    member = MemberRow(id=f"wm_{_ids.generate()}", workshop_id=workshop_id, **data.model_dump())
    db.add(member)
    try:
        await db.commit()
    except IntegrityError as exc:  # duplicate email, or the capacity trigger
        await db.rollback()
        raise HTTPException(409, "already a member, or the workshop is full") from exc
    response.headers["Location"] = f"/v1/workshops/{workshop_id}/members/{member.id}"
    return MemberOut.model_validate(member)
