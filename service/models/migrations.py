"""Database bookkeeping rows: applied migrations, catalog facts for the contract check."""

from service.models.common import Row


class AppliedMigration(Row):
    version: str


class ColumnNullability(Row):
    table_name: str
    column_name: str
    not_null: bool
