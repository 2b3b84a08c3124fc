"""The query contract check (SPEC 10) passes on our queries and fails, by name, on broken ones."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.contract import check_all
from service.paths import ROOT
from service.typegen import TARGET, render_from
from tests.conftest import with_database

COLUMNS = "id, slug, title, description, status, capacity, starts_at, created_at, updated_at"


@pytest.fixture
def template_url(server_url: str, template_name: str) -> str:
    return with_database(server_url, template_name)


def check_one(url: str, tmp_path: Path, body: str, record_class: str = "Workshop") -> list[str]:
    (tmp_path / "workshops.sql").write_text(
        f"-- name: probe(workshop_id)^\n-- record_class: {record_class}\n-- A probe.\n{body}\n"
    )
    return asyncio.run(check_all(url, tmp_path))


def test_every_query_in_the_repository_passes(template_url: str) -> None:
    assert asyncio.run(check_all(template_url)) == []


def test_generated_query_types_are_current(template_url: str) -> None:
    assert asyncio.run(render_from(template_url)) == TARGET.read_text(), "run `make query-types`"


def test_a_correct_probe_passes(template_url: str, tmp_path: Path) -> None:
    assert check_one(template_url, tmp_path, f"select {COLUMNS} from workshop where id = :workshop_id") == []


def test_renamed_column_names_file_query_and_field(template_url: str, tmp_path: Path) -> None:
    body = f"select {COLUMNS.replace('slug', 'slug as handle')} from workshop where id = :workshop_id"
    problems = check_one(template_url, tmp_path, body)
    assert "queries/workshops.sql:1 probe: slug: no column fills Workshop.slug" in problems
    assert any("handle: column has no field in Workshop" in p for p in problems)


def test_dropped_column_is_reported(template_url: str, tmp_path: Path) -> None:
    body = f"select {COLUMNS}, colour from workshop where id = :workshop_id"
    problems = check_one(template_url, tmp_path, body)
    assert len(problems) == 1 and "PostgreSQL rejects it" in problems[0] and "colour" in problems[0]


def test_type_mismatch_is_reported(template_url: str, tmp_path: Path) -> None:
    body = f"select {COLUMNS.replace('capacity', 'capacity::text as capacity')} from workshop where id = :workshop_id"
    problems = check_one(template_url, tmp_path, body)
    assert problems == [
        "queries/workshops.sql:1 probe: capacity: column type text does not fit Workshop.capacity (int)"
    ]


def test_nullable_column_into_required_field_is_reported(template_url: str, tmp_path: Path) -> None:
    body = f"select {COLUMNS.replace('created_at', 'starts_at as created_at')} from workshop where id = :workshop_id"
    problems = check_one(template_url, tmp_path, body)
    assert any("created_at: column may be null but Workshop.created_at does not accept None" in p for p in problems)


def test_outer_join_makes_columns_nullable(template_url: str, tmp_path: Path) -> None:
    columns = ", ".join(f"w.{c.strip()}" for c in COLUMNS.split(","))
    body = (
        f"select {columns} from workshop_step as s left join workshop as w on w.id = s.workshop_id"
        " where s.id = :workshop_id"
    )
    problems = check_one(template_url, tmp_path, body)
    assert any("slug: column may be null" in p for p in problems)


def test_unknown_record_class_and_missing_doc_are_reported(template_url: str, tmp_path: Path) -> None:
    problems = check_one(template_url, tmp_path, f"select {COLUMNS} from workshop where id = :workshop_id", "Nope")
    assert any("record_class Nope is not in" in p for p in problems)
    (tmp_path / "workshops.sql").write_text(
        "-- name: probe(workshop_id)^\n-- record_class: Workshop\n"
        f"select {COLUMNS} from workshop where id = :workshop_id\n"
    )
    assert any("has no doc comment" in p for p in asyncio.run(check_all(template_url, tmp_path)))


def test_check_queries_command_exits_zero(template_url: str) -> None:
    env = dict(os.environ, DATABASE_URL=template_url)
    result = subprocess.run(
        [sys.executable, "-m", "service", "check-queries"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "0 problems" in result.stderr
