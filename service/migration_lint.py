"""`make migration-lint`: catch an unsafe or misnumbered migration before it reaches a database.

A migration that takes an ACCESS EXCLUSIVE lock for minutes, or that dbmate
refuses at deploy time, is cheaper to stop at review. Three checks:

* file names and versions: `YYYYMMDDHHMMSS_name.sql`, no version twice, none
  in the future (a future version sorts every later migration before it);
* squawk over the `-- migrate:up` part of each file (the down part drops
  things on purpose), configured by `.squawk.toml`; a file whose up line says
  `transaction:false` is linted as dbmate runs it, outside a transaction;
* with `--database`: a pending migration older than the newest applied one,
  which `dbmate migrate --strict` (what `make migrate` runs) would refuse.

A finding is waived in the migration itself, with its reason on the line
above: `-- <why this is safe>` then `-- squawk-ignore <rule>` right above the
line squawk points at.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from service.migrate import MigrationError, migration_versions
from service.paths import MIGRATIONS_DIR, ROOT

__all__ = ["Finding", "lint", "out_of_order", "run_lint", "squawk", "up_part"]

SQUAWK_CONFIG = ROOT / ".squawk.toml"
_UP = re.compile(r"^--\s*migrate:up\b(?P<options>.*)$", re.MULTILINE)
_DOWN = re.compile(r"^--\s*migrate:down\b", re.MULTILINE)
_FUTURE_SLACK = timedelta(days=1)  # a version written in local time east of UTC is not "future"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int  # 1-based; 0 when the finding is about the whole file
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def up_part(text: str) -> str:
    """The file up to its `-- migrate:down` line: same line numbers as the file."""
    down = _DOWN.search(text)
    return text if down is None else text[: down.start()]


def _in_transaction(text: str) -> bool:
    up = _UP.search(text)
    return up is None or "transaction:false" not in up.group("options").replace(" ", "")


def _squawk_binary() -> str:
    candidate = Path(sys.executable).parent / "squawk"
    return str(candidate) if candidate.exists() else "squawk"


def squawk(path: Path, config: Path = SQUAWK_CONFIG) -> list[Finding]:
    """Squawk's findings on the up part of one migration, with the file's own name and lines."""
    text = path.read_text(encoding="utf-8")
    shown = _shown(path)
    transaction = "--assume-in-transaction" if _in_transaction(text) else "--no-assume-in-transaction"
    command = [_squawk_binary(), "--config", str(config), transaction, "--reporter", "json", "--stdin-filepath", shown]
    try:
        result = subprocess.run(command, input=up_part(text), capture_output=True, text=True, cwd=ROOT, timeout=60)
    except FileNotFoundError:
        raise MigrationError("squawk is not installed: run `make install`") from None
    try:
        reported = json.loads(result.stdout)  # an error of squawk's own prints no JSON: never a silent pass
    except json.JSONDecodeError:
        raise MigrationError(f"squawk failed on {shown}: {result.stderr.strip() or result.returncode}") from None
    return [
        Finding(shown, int(v["line"]) + 1, v["rule_name"], v["message"] + (f" {v['help']}" if v.get("help") else ""))
        for v in reported
    ]


def _file_findings(migrations_dir: Path, now: datetime) -> list[Finding]:
    findings: list[Finding] = []
    try:
        migration_versions(migrations_dir)  # names and duplicates, as `make migrate` checks them
    except MigrationError as exc:
        name, _, message = str(exc).partition(": ")
        findings.append(Finding(_shown(migrations_dir / name), 0, "migration-name", message))
    newest_allowed = (now + _FUTURE_SLACK).strftime("%Y%m%d%H%M%S")
    for path in sorted(migrations_dir.glob("*.sql")):
        version = path.name.partition("_")[0]
        if version.isdigit() and len(version) == 14 and version > newest_allowed:
            message = f"version {version} is in the future; every later migration would sort before it"
            findings.append(Finding(_shown(path), 0, "migration-version", message))
        text = path.read_text(encoding="utf-8")
        if not _UP.search(text) or not _DOWN.search(text):
            message = "needs a `-- migrate:up` and a `-- migrate:down` section"
            findings.append(Finding(_shown(path), 0, "migration-sections", message))
    return findings


def out_of_order(applied: list[str], migrations_dir: Path = MIGRATIONS_DIR) -> list[Finding]:
    """Pending migrations older than the newest applied one: `dbmate migrate --strict` refuses them."""
    if not applied:
        return []
    newest = max(applied)
    done = set(applied)
    findings = []
    for path in sorted(migrations_dir.glob("*.sql")):
        version = path.name[:14]
        if version not in done and version < newest:
            message = (
                f"pending, but older than the applied migration {newest}: `make migrate` refuses it; "
                "give it a new version (`make new-migration` and move the SQL)"
            )
            findings.append(Finding(_shown(path), 0, "migration-order", message))
    return findings


async def applied_versions(url: str) -> list[str]:
    """Versions applied in the database; none when it or dbmate's table does not exist yet."""
    from service.db import QUERIES

    try:
        conn = await asyncpg.connect(url, timeout=10)
    except asyncpg.InvalidCatalogNameError:
        return []
    try:
        return [m.version async for m in QUERIES.database.list_applied_migrations(conn)]
    except asyncpg.UndefinedTableError:
        return []
    finally:
        await conn.close()


def lint(migrations_dir: Path = MIGRATIONS_DIR, applied: list[str] | None = None) -> list[Finding]:
    findings = _file_findings(migrations_dir, datetime.now(UTC))
    for path in sorted(migrations_dir.glob("*.sql")):
        findings += squawk(path)
    if applied is not None:
        findings += out_of_order(applied, migrations_dir)
    return findings


def run_lint(migrations_dir: Path, database_url: str | None) -> int:
    """The command: findings on standard error, exit status 1 when there is any."""
    if not migrations_dir.is_dir():
        raise MigrationError(f"no migrations directory {migrations_dir}")
    applied = asyncio.run(applied_versions(database_url)) if database_url else None
    findings = lint(migrations_dir, applied)
    for finding in findings:
        print(finding, file=sys.stderr)
    count = len(list(migrations_dir.glob("*.sql")))
    print(f"lint-migrations: {count} migrations, {len(findings)} findings", file=sys.stderr)
    return 1 if findings else 0
