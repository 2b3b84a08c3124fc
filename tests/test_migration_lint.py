"""`python -m service lint-migrations`: names, order and squawk's safety rules, file by file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from service.migrate import MigrationError
from service.migration_lint import lint, out_of_order, squawk, up_part
from service.paths import MIGRATIONS_DIR, ROOT

SAFE_UP = "-- migrate:up\nset lock_timeout = '5s';\nset statement_timeout = '60s';\n"


def _lint_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", "lint-migrations", *args],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=60,
    )  # fmt: skip


def _write(directory: Path, name: str, up: str, down: str = "") -> Path:
    path = directory / name
    path.write_text(f"-- {name}: a test migration.\n\n{SAFE_UP}{up}\n-- migrate:down\n{down}\n", encoding="utf-8")
    return path


def _with_schema(tmp_path: Path) -> Path:
    """A migrations directory holding the real schema migration, to add to."""
    for path in MIGRATIONS_DIR.glob("*.sql"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_the_repository_migrations_pass() -> None:
    result = _lint_cli()
    assert result.returncode == 0, result.stderr
    assert "0 findings" in result.stderr


def test_an_index_built_without_concurrently_on_an_existing_table_fails(tmp_path: Path) -> None:
    name = "20261102000000_index_workshop_title.sql"
    _write(_with_schema(tmp_path), name, "create index workshop_title_idx on workshop (title);\n")
    result = _lint_cli("--dir", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / name}:6: require-concurrent-index-creation" in result.stderr
    assert "1 findings" in result.stderr


def test_a_waiver_with_its_reason_silences_one_finding(tmp_path: Path) -> None:
    up = (
        "-- workshop is small and this runs in a maintenance window.\n"
        "-- squawk-ignore require-concurrent-index-creation\n"
        "create index workshop_title_idx on workshop (title);\n"
    )
    _write(_with_schema(tmp_path), "20261102000000_index_workshop_title.sql", up)
    assert lint(tmp_path) == []


def test_concurrently_needs_a_migration_outside_a_transaction(tmp_path: Path) -> None:
    index = "create index concurrently if not exists workshop_title_idx on workshop (title);\n"
    path = _write(_with_schema(tmp_path), "20261102000000_index_workshop_title.sql", index)
    assert [f.rule for f in lint(tmp_path)] == ["ban-concurrent-index-creation-in-transaction"]
    path.write_text(path.read_text().replace("-- migrate:up\n", "-- migrate:up transaction:false\n"))
    assert lint(tmp_path) == []


def test_only_the_up_part_is_linted(tmp_path: Path) -> None:
    _write(
        tmp_path, "20261102000000_add_table.sql", "create table gadget (id text primary key);\n", "drop table gadget;"
    )
    assert lint(tmp_path) == []
    text = "a\n-- migrate:down\ndrop table x;\n"
    assert up_part(text) == "a\n"


def test_missing_timeouts_are_findings(tmp_path: Path) -> None:
    (tmp_path / "20261102000000_add_column.sql").write_text(
        "-- migrate:up\nalter table workshop add column tagline text;\n-- migrate:down\n", encoding="utf-8"
    )
    assert {f.rule for f in lint(_with_schema(tmp_path))} == {"require-lock-timeout", "require-statement-timeout"}


def test_a_duplicate_version_fails(tmp_path: Path) -> None:
    _write(tmp_path, "20261102000000_first.sql", "")
    _write(tmp_path, "20261102000000_second.sql", "")
    result = _lint_cli("--dir", str(tmp_path))
    assert result.returncode == 1
    assert "20261102000000_second.sql: migration-name: version 20261102000000 is used twice" in result.stderr


def test_a_badly_named_file_fails(tmp_path: Path) -> None:
    for bad in ("add_thing.sql", "2026110200_short.sql", "20261102000000-dash.sql", "20261102000000_Upper.sql"):
        directory = tmp_path / bad.removesuffix(".sql")
        directory.mkdir()
        _write(directory, bad, "")
        findings = lint(directory)
        assert [(Path(f.file).name, f.rule) for f in findings] == [(bad, "migration-name")], bad
        assert "YYYYMMDDHHMMSS_name.sql" in findings[0].message


def test_a_future_version_and_missing_sections_fail(tmp_path: Path) -> None:
    _write(tmp_path, "20991231000000_someday.sql", "")
    (tmp_path / "20261102000000_no_down.sql").write_text(SAFE_UP, encoding="utf-8")
    assert sorted((Path(f.file).name, f.rule) for f in lint(tmp_path)) == [
        ("20261102000000_no_down.sql", "migration-sections"),
        ("20991231000000_someday.sql", "migration-version"),
    ]


def test_a_pending_migration_older_than_the_newest_applied_fails(tmp_path: Path, database_url: str) -> None:
    _with_schema(tmp_path)
    _write(tmp_path, "20261001000000_written_long_ago.sql", "")
    newest = max(path.name[:14] for path in MIGRATIONS_DIR.glob("*.sql"))  # later than every real migration
    _write(tmp_path, f"{int(newest) + 1}_written_later.sql", "")
    findings = out_of_order(["20261101000000"], tmp_path)
    assert [(Path(f.file).name, f.rule) for f in findings] == [
        ("20261001000000_written_long_ago.sql", "migration-order")
    ]
    result = _lint_cli("--dir", str(tmp_path), "--database", env={"DATABASE_URL": database_url})
    assert result.returncode == 1
    assert "20261001000000_written_long_ago.sql: migration-order: pending, but older than" in result.stderr
    assert "written_later" not in result.stderr


def test_a_broken_squawk_config_is_an_error_not_a_pass(tmp_path: Path) -> None:
    _write(tmp_path, "20261102000000_add_table.sql", "create table gadget (id text primary key);\n")
    config = tmp_path / "broken.toml"
    config.write_text('pg_version = "eighteen"\n', encoding="utf-8")
    with pytest.raises(MigrationError, match=r"squawk failed on .*20261102000000_add_table\.sql: Configuration error"):
        squawk(tmp_path / "20261102000000_add_table.sql", config)


def test_the_squawk_config_targets_postgresql_18_and_dbmate_transactions() -> None:
    config = tomllib.loads((ROOT / ".squawk.toml").read_text(encoding="utf-8"))
    assert config["pg_version"] == "18.0"
    assert config["assume_in_transaction"] is True
