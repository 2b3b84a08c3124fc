"""The migrations: db/schema.sql is what they produce, and down then up gives the same schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from service.migrate import dbmate, dump_schema, migration_versions
from service.paths import SCHEMA_FILE
from tests.conftest import _admin, with_database


@pytest.fixture
def empty_url(server_url: str) -> Iterator[str]:
    url = with_database(server_url, f"atelier_schema_{uuid.uuid4().hex[:10]}")
    yield url
    dbmate(url, "drop")


def test_committed_schema_matches_the_migrations(empty_url: str, tmp_path: Path) -> None:
    dbmate(empty_url, "up")
    produced = tmp_path / "schema.sql"
    dump_schema(empty_url, produced)
    assert produced.read_text() == SCHEMA_FILE.read_text(), "db/schema.sql is stale: run `make migrate`"


def test_down_then_up_gives_the_same_schema(empty_url: str, tmp_path: Path) -> None:
    dbmate(empty_url, "up")
    first, second = tmp_path / "first.sql", tmp_path / "second.sql"
    dump_schema(empty_url, first)
    for _ in migration_versions():
        dbmate(empty_url, "rollback")
    with _admin(empty_url) as db:
        tables = db.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"
            " and table_name <> 'schema_migrations'"
        ).fetchall()
        functions = db.execute("select proname from pg_proc where pronamespace = 'public'::regnamespace").fetchall()
    assert tables == [] and functions == []
    dbmate(empty_url, "up")
    dump_schema(empty_url, second)
    assert first.read_text() == second.read_text()


def test_every_migration_has_both_directions() -> None:
    for path in sorted(SCHEMA_FILE.parent.joinpath("migrations").glob("*.sql")):
        text = path.read_text()
        assert "-- migrate:up" in text and "-- migrate:down" in text, path.name
        down = text.split("-- migrate:down", 1)[1]
        assert down.strip(), f"{path.name} has an empty down migration"


def _insert_member(db: psycopg.Connection, n: int, workshop: str, email: str, role: str = "participant") -> None:
    db.execute(
        "insert into workshop_member (id, workshop_id, email, display_name, role) values (%s, %s, %s, 'M', %s)",
        (f"wm_{n:024d}", workshop, email, role),
    )


WS = "ws_" + "a" * 24
WS2 = "ws_" + "b" * 24


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection]:
    with _admin(database_url) as conn:
        conn.execute("insert into workshop (id, slug, title, capacity) values (%s, 'one', 'One', 2)", (WS,))
        conn.execute("insert into workshop (id, slug, title) values (%s, 'two', 'Two')", (WS2,))
        yield conn


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        ("update workshop set slug = 'Bad Slug' where id = %s", "workshop_slug_format"),
        ("update workshop set slug = repeat('a', 65) where id = %s", "workshop_slug_format"),
        ("update workshop set title = '' where id = %s", "workshop_title_length"),
        ("update workshop set status = 'live' where id = %s", "workshop_status_valid"),
        ("update workshop set capacity = 0 where id = %s", "workshop_capacity_positive"),
        ("update workshop set description = repeat('d', 10001) where id = %s", "workshop_description_length"),
    ],
)
def test_workshop_checks(db: psycopg.Connection, sql: str, constraint: str) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match=constraint):
        db.execute(sql, (WS,))


def test_member_email_is_unique_per_workshop_ignoring_case(db: psycopg.Connection) -> None:
    _insert_member(db, 1, WS, "Ada@Example.com")
    _insert_member(db, 2, WS2, "ada@example.com")  # another workshop: fine
    with pytest.raises(psycopg.errors.UniqueViolation, match="workshop_member_email_key"):
        _insert_member(db, 3, WS, "ADA@example.COM", role="owner")
    with pytest.raises(psycopg.errors.CheckViolation, match="workshop_member_email_format"):
        _insert_member(db, 4, WS, "not-an-email", role="owner")


def test_capacity_counts_participants_only(db: psycopg.Connection) -> None:
    _insert_member(db, 1, WS, "a@x.io")
    _insert_member(db, 2, WS, "b@x.io")
    _insert_member(db, 3, WS, "owner@x.io", role="owner")
    with pytest.raises(psycopg.errors.CheckViolation, match="full"):
        _insert_member(db, 4, WS, "c@x.io")
    with pytest.raises(psycopg.errors.CheckViolation, match="full"):
        db.execute("update workshop_member set role = 'participant' where id = %s", (f"wm_{3:024d}",))
    with pytest.raises(psycopg.errors.CheckViolation, match="below the participant count"):
        db.execute("update workshop set capacity = 1 where id = %s", (WS,))


def test_session_member_and_step_stay_in_their_workshop(db: psycopg.Connection) -> None:
    _insert_member(db, 1, WS2, "a@x.io")
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="session_member_fkey"):
        db.execute(
            "insert into session (id, workshop_id, member_id) values (%s, %s, %s)",
            ("ses_" + "a" * 24, WS, f"wm_{1:024d}"),
        )
    db.execute(
        "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 1, 'S')", ("wst_" + "a" * 24, WS)
    )
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="session_current_step_fkey"):
        db.execute(
            "insert into session (id, workshop_id, member_id, current_step_id) values (%s, %s, %s, %s)",
            ("ses_" + "a" * 24, WS2, f"wm_{1:024d}", "wst_" + "a" * 24),
        )


def test_one_active_session_per_member(db: psycopg.Connection) -> None:
    _insert_member(db, 1, WS, "a@x.io")
    insert = "insert into session (id, workshop_id, member_id, status, ended_at) values (%s, %s, %s, %s, %s)"
    db.execute(insert, ("ses_" + "a" * 24, WS, f"wm_{1:024d}", "active", None))
    db.execute(insert, ("ses_" + "b" * 24, WS, f"wm_{1:024d}", "completed", "2026-01-01"))
    with pytest.raises(psycopg.errors.UniqueViolation, match="session_one_active_per_member"):
        db.execute(insert, ("ses_" + "c" * 24, WS, f"wm_{1:024d}", "active", None))


def test_step_positions_must_be_contiguous_at_commit(database_url: str) -> None:
    with _admin(database_url) as db:
        db.execute("insert into workshop (id, slug, title) values (%s, 'one', 'One')", (WS,))
        with pytest.raises(psycopg.errors.CheckViolation, match=r"not 1\.\.n"):
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 2, 'S')",
                ("wst_" + "a" * 24, WS),
            )
        with db.transaction():
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 2, 'B')",
                ("wst_" + "b" * 24, WS),
            )
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 1, 'A')",
                ("wst_" + "a" * 24, WS),
            )
        with pytest.raises(psycopg.errors.UniqueViolation, match="workshop_step_position_key"):
            db.execute("update workshop_step set position = 1 where id = %s", ("wst_" + "b" * 24,))


@pytest.mark.parametrize(
    ("content", "constraint"),
    [("[1, 2]", "build_pack_content_object"), ('"text"', "build_pack_content_object")],
)
def test_build_pack_content_must_be_an_object(db: psycopg.Connection, content: str, constraint: str) -> None:
    _insert_member(db, 1, WS, "a@x.io")
    db.execute(
        "insert into session (id, workshop_id, member_id) values (%s, %s, %s)", ("ses_" + "a" * 24, WS, f"wm_{1:024d}")
    )
    with pytest.raises(psycopg.errors.CheckViolation, match=constraint):
        db.execute(
            "insert into build_pack (id, session_id, workshop_id, title, content) values (%s, %s, %s, 'P', %s)",
            ("bp_" + "a" * 24, "ses_" + "a" * 24, WS, content),
        )


def test_final_build_pack_is_immutable_and_content_size_is_bounded(db: psycopg.Connection) -> None:
    _insert_member(db, 1, WS, "a@x.io")
    db.execute(
        "insert into session (id, workshop_id, member_id) values (%s, %s, %s)", ("ses_" + "a" * 24, WS, f"wm_{1:024d}")
    )
    big = '{"k": "' + "x" * 262_200 + '"}'
    with pytest.raises(psycopg.errors.CheckViolation, match="build_pack_content_size"):
        db.execute(
            "insert into build_pack (id, session_id, workshop_id, title, content) values (%s, %s, %s, 'P', %s)",
            ("bp_" + "a" * 24, "ses_" + "a" * 24, WS, big),
        )
    db.execute(
        "insert into build_pack (id, session_id, workshop_id, title, status) values (%s, %s, %s, 'P', 'final')",
        ("bp_" + "a" * 24, "ses_" + "a" * 24, WS),
    )
    with pytest.raises(psycopg.errors.CheckViolation, match="is final"):
        db.execute("update build_pack set title = 'Q' where id = %s", ("bp_" + "a" * 24,))


def test_at_most_500_steps_a_workshop(database_url: str) -> None:
    with _admin(database_url) as db:
        db.execute("insert into workshop (id, slug, title) values (%s, 'one', 'One')", (WS,))
        db.execute(
            "insert into workshop_step (id, workshop_id, position, title)"
            " select 'wst_' || lpad(n::text, 24, '0'), %s, n, 'S' from generate_series(1, 500) as n",
            (WS,),
        )
        with pytest.raises(psycopg.errors.CheckViolation, match="workshop_step_position_at_most_500"):
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 501, 'S')",
                ("wst_" + "z" * 24, WS),
            )
