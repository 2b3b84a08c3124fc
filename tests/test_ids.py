"""Prefixed cuid2 ids: shape, prefix, uniqueness, and the database's own guard."""

from __future__ import annotations

import re

import psycopg
import pytest

from service.ids import PREFIXES, create_id, create_prefixed_id, is_id
from tests.conftest import _admin


def test_bare_id_is_24_lowercase_base36_starting_with_a_letter() -> None:
    for _ in range(1000):
        assert re.fullmatch(r"[a-z][a-z0-9]{23}", create_id())


@pytest.mark.parametrize("prefix", list(PREFIXES))
def test_prefixed_id_has_its_prefix(prefix: str) -> None:
    value = create_prefixed_id(prefix)  # type: ignore[arg-type]
    assert re.fullmatch(rf"{prefix}_[a-z0-9]{{24}}", value)
    assert is_id(value, prefix)  # type: ignore[arg-type]


def test_unknown_prefix_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown id prefix"):
        create_prefixed_id("user")  # type: ignore[arg-type]


def test_is_id_rejects_other_prefixes_and_shapes() -> None:
    good = create_prefixed_id("ws")
    assert not is_id(good, "wm")
    assert not is_id(good.upper(), "ws")
    assert not is_id(good + "a", "ws")
    assert not is_id(good[:-1], "ws")
    assert not is_id(good + "\n", "ws")


def test_one_hundred_thousand_ids_are_unique() -> None:
    ids = {create_prefixed_id("ses") for _ in range(100_000)}
    assert len(ids) == 100_000


@pytest.mark.parametrize(
    ("table", "bad_id"),
    [
        ("workshop", "wm_" + "a" * 24),
        ("workshop", "ws_" + "a" * 23),
        ("workshop", "ws_" + "A" * 24),
        ("api_key", "ws_" + "a" * 24),
    ],
)
def test_database_rejects_a_wrong_id(database_url: str, table: str, bad_id: str) -> None:
    with _admin(database_url) as db, pytest.raises(psycopg.errors.CheckViolation, match="id_format"):
        if table == "workshop":
            db.execute("insert into workshop (id, slug, title) values (%s, 'x', 'X')", (bad_id,))
        else:
            db.execute(
                "insert into api_key (id, name, scope, secret_sha256) values (%s, 'k', 'read', %s)",
                (bad_id, b"\x00" * 32),
            )
