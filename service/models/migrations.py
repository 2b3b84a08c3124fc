"""Database bookkeeping rows: applied migrations, catalog facts for the contract check,
and the seed facts `make seed` and `make explain` read."""

from service.models.common import Row


class AppliedMigration(Row):
    version: str


class ColumnNullability(Row):
    table_name: str
    column_name: str
    not_null: bool


class SampleIds(Row):
    """Real ids from a large seeded workshop: `make explain` binds them as parameters."""

    workshop_id: str
    member_id: str
    step_id: str
    session_id: str
    build_pack_id: str
    key_id: str | None
    table_oid: int


class TableSize(Row):
    """The planner's row estimate of one table, which decides what counts as a large scan."""

    table_name: str
    estimated_rows: int


class SeedCounts(Row):
    workshops: int
    members: int
    steps: int
    sessions: int
    active_sessions: int
    build_packs: int
    final_build_packs: int
    api_keys: int
    largest_workshop_members: int
