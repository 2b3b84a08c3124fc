"""What `queries/*.sql` declares, read the same way aiosql reads it.

One `QuerySpec` per `-- name:` block: the contract check, the typed-stub
generator and the query catalog all start from here. The adapter that runs
the queries tags and times each one here too, so no handler has to.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosql.adapters.asyncpg import AsyncPGAdapter
from aiosql.query_loader import QueryLoader
from aiosql.types import ParamType, SQLOperationType
from pydantic import BaseModel

from service.models import RECORD_CLASSES
from service.paths import QUERIES_DIR
from service.query_observer import timed

__all__ = ["QuerySpec", "TaggedAsyncPGAdapter", "load_specs", "query_files", "tag"]

RecordClass = Callable[..., Any] | None
_RECORD_CLASS_LINE = re.compile(r"^--\s*record_class\s*:\s*(\w+)", re.MULTILINE)
_NAME_LINE = re.compile(r"^--\s*name\s*:\s*(\w+)", re.MULTILINE)


def tag(namespace: str, name: str) -> str:
    """The leading comment that names a statement in the server's views and logs."""
    return f"/* atelier:{namespace}.{name} */"


class TaggedAsyncPGAdapter(AsyncPGAdapter):
    """aiosql's asyncpg adapter, prefixing each statement with its file and query name,
    and timing each call under that name (see `service.query_observer`)."""

    def __init__(self, namespace: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.namespace = namespace

    def process_sql(self, query_name: str, op_type: Any, sql: str) -> str:
        processed: str = super().process_sql(query_name, op_type, sql)  # type: ignore[no-untyped-call]
        return f"{tag(self.namespace, query_name)} {processed}"

    def _name(self, query_name: str) -> str:
        return f"{self.namespace}.{query_name}"

    def _args(self, query_name: str, parameters: ParamType) -> list[Any]:
        """Keyword arguments in `$1, $2, ...` order."""
        return list(self.maybe_order_params(query_name, parameters))  # type: ignore[no-untyped-call]

    # The four operations our queries use call the connection directly: every caller
    # hands one in (never a pool), so aiosql's per-call acquire-or-not probe is waste.

    async def select(
        self, conn: Any, query_name: str, sql: str, parameters: ParamType, record_class: RecordClass = None
    ) -> AsyncGenerator[Any, None]:
        # All rows are fetched before the first is yielded: time the fetch and the models, not the caller's loop.
        with timed(self._name(query_name)):
            rows = await conn.fetch(sql, *self._args(query_name, parameters))
            built = rows if record_class is None else [record_class(**dict(row)) for row in rows]
        for row in built:
            yield row

    async def select_one(
        self, conn: Any, query_name: str, sql: str, parameters: ParamType, record_class: RecordClass = None
    ) -> Any:
        with timed(self._name(query_name)):
            row = await conn.fetchrow(sql, *self._args(query_name, parameters))
            return row if row is None or record_class is None else record_class(**dict(row))

    async def select_value(self, conn: Any, query_name: str, sql: str, parameters: ParamType) -> Any:
        with timed(self._name(query_name)):
            return await conn.fetchval(sql, *self._args(query_name, parameters))

    async def insert_returning(self, conn: Any, query_name: str, sql: str, parameters: ParamType) -> Any:
        with timed(self._name(query_name)):
            return await super().insert_returning(conn, query_name, sql, parameters)  # type: ignore[no-untyped-call]

    async def insert_update_delete(self, conn: Any, query_name: str, sql: str, parameters: ParamType) -> Any:
        with timed(self._name(query_name)):
            return await conn.execute(sql, *self._args(query_name, parameters))

    async def insert_update_delete_many(self, conn: Any, query_name: str, sql: str, parameters: ParamType) -> Any:
        with timed(self._name(query_name)):
            return await super().insert_update_delete_many(conn, query_name, sql, parameters)  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class QuerySpec:
    namespace: str
    name: str
    operation: SQLOperationType
    doc: str
    record_class_name: str | None
    record_class: type[BaseModel] | None
    parameters: tuple[str, ...]  # in `$1, $2, ...` order
    declared: tuple[str, ...]  # in `-- name: f(a, b)` order
    sql: str  # as sent: tagged, `$n` placeholders
    file: Path
    line: int

    @property
    def qualified_name(self) -> str:
        return f"{self.namespace}.{self.name}"

    @property
    def location(self) -> str:
        return f"queries/{self.file.name}:{self.line} {self.name}"


def query_files(directory: Path = QUERIES_DIR) -> list[Path]:
    return sorted(directory.glob("*.sql"))


def _line_of(text: str, name: str) -> int:
    for match in _NAME_LINE.finditer(text):
        if match.group(1) == name:
            return text.count("\n", 0, match.start()) + 1
    return 0


def _record_class_names(text: str) -> dict[str, str]:
    """Query name to the record class named under it, known to the registry or not."""
    names: dict[str, str] = {}
    blocks = re.split(r"^--\s*name\s*:", text, flags=re.MULTILINE)[1:]
    for block in blocks:
        query = re.match(r"\s*(\w+)", block)
        record = _RECORD_CLASS_LINE.search(block.split("\n", 2)[1] if "\n" in block else "")
        if query and record:
            names[query.group(1)] = record.group(1)
    return names


def load_specs(directory: Path = QUERIES_DIR) -> list[QuerySpec]:
    specs: list[QuerySpec] = []
    for path in query_files(directory):
        adapter = TaggedAsyncPGAdapter(path.stem)
        loader = QueryLoader(adapter, RECORD_CLASSES, attribute=None, mandatory_parameters=True)
        text = path.read_text(encoding="utf-8")
        record_names = _record_class_names(text)
        for datum in loader.load_query_data_from_file(path):
            specs.append(
                QuerySpec(
                    namespace=path.stem,
                    name=datum.query_name,
                    operation=datum.operation_type,
                    doc=datum.doc_comments,
                    record_class_name=record_names.get(datum.query_name),
                    record_class=datum.record_class,
                    parameters=tuple(adapter.var_sorted[datum.query_name]),
                    declared=tuple(datum.parameters or ()),
                    sql=datum.sql,
                    file=path,
                    line=_line_of(text, datum.query_name),
                )
            )
    return specs
