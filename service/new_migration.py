"""`make new-migration name=...`: a dbmate migration file that starts out safe.

The version is the UTC time, so migrations written on different branches
sort by when they were written, whatever the author's time zone. The
template sets the timeouts the migration lint asks for and says why, so the
author only adds SQL.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from service.migrate import MigrationError
from service.paths import MIGRATIONS_DIR

__all__ = ["TEMPLATE", "new_migration"]

_NAME = re.compile(r"^[a-z0-9_]{1,80}$")

TEMPLATE = """\
-- {name}: WHAT this migration changes, and WHY (the issue or endpoint that needs it).
--
-- lock_timeout: DDL waits for its table lock at the head of the queue, and every
-- query on that table waits behind it; give up after 5s instead, and run
-- `make migrate` again when traffic is lower.
-- statement_timeout: 60s bounds a statement that unexpectedly rewrites or scans
-- a large table while it holds its lock. A CREATE INDEX CONCURRENTLY blocks no
-- writes and may take longer, and cannot run in a transaction: put it alone in
-- a migration whose markers read `-- migrate:up transaction:false` (and down),
-- as the ONLY statement (dbmate sends the file as one query string, which
-- PostgreSQL runs as one implicit transaction), and waive squawk's timeout rules
-- there with the reason (see 20261125121717_index_workshop_status.sql).
-- `make migration-lint` (squawk) checks the statements below.

-- migrate:up
set lock_timeout = '5s';
set statement_timeout = '60s';



-- migrate:down
set lock_timeout = '5s';
set statement_timeout = '60s';

"""


def new_migration(name: str, migrations_dir: Path = MIGRATIONS_DIR, now: datetime | None = None) -> Path:
    """Write `<UTC YYYYMMDDHHMMSS>_<name>.sql` and return its path; refuse a bad name or a taken version."""
    if not _NAME.match(name):
        raise MigrationError(f"migration name {name!r} must be 1 to 80 of a-z, 0-9 and _ (make new-migration name=...)")
    version = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S")
    taken = sorted(migrations_dir.glob(f"{version}_*.sql"))
    if taken:
        raise MigrationError(f"version {version} is taken by {taken[0].name}: wait a second and run it again")
    path = migrations_dir / f"{version}_{name}.sql"
    migrations_dir.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file that appeared meanwhile
        out.write(TEMPLATE.format(name=name))
    return path
