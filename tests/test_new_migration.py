"""`make new-migration name=...`: a UTC-versioned file with the safe template, never over another."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from service.migrate import MigrationError, migration_versions
from service.migration_lint import lint
from service.new_migration import new_migration
from service.paths import ROOT


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", "new-migration", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_it_writes_a_lint_clean_template_and_prints_its_path(tmp_path: Path) -> None:
    before = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    result = _cli("add_workshop_tags", "--dir", str(tmp_path))
    after = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path and path.exists()
    version, _, rest = path.name.partition("_")
    assert before <= version <= after and rest == "add_workshop_tags.sql"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("-- add_workshop_tags: WHAT")
    up, down = text.split("-- migrate:up\n")[1].split("-- migrate:down\n")
    for part in (up, down):
        assert "set lock_timeout = '5s';" in part and "set statement_timeout = '60s';" in part
    assert "transaction:false" in text  # the way out for CREATE INDEX CONCURRENTLY is explained
    assert migration_versions(tmp_path) == [version]
    assert lint(tmp_path) == []


def test_the_version_is_utc_whatever_the_clock_zone(tmp_path: Path) -> None:
    local = datetime(2026, 11, 26, 1, 30, 5, tzinfo=timezone(timedelta(hours=9)))
    assert new_migration("x", tmp_path, now=local).name == "20261125163005_x.sql"


@pytest.mark.parametrize("name", ["", "Add_Thing", "add-thing", "add thing", "../escape", "x" * 81, "ünïcode"])
def test_a_bad_name_is_refused(tmp_path: Path, name: str) -> None:
    result = _cli(name, "--dir", str(tmp_path)) if name == "Add_Thing" else None
    if result is not None:
        assert result.returncode == 1 and "a-z, 0-9 and _" in result.stderr
    with pytest.raises(MigrationError, match="a-z, 0-9 and _"):
        new_migration(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_or_version_is_never_overwritten(tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    first = new_migration("add_thing", tmp_path, now=now)
    first.write_text("-- edited\n", encoding="utf-8")
    for name in ("add_thing", "add_other_thing"):
        with pytest.raises(MigrationError, match=re.escape("20261125120000 is taken by 20261125120000_add_thing.sql")):
            new_migration(name, tmp_path, now=now)
    assert first.read_text(encoding="utf-8") == "-- edited\n"
    assert [p.name for p in tmp_path.iterdir()] == [first.name]
