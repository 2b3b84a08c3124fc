"""The query contract (SPEC section 10): every query, prepared, against its model.

For each `-- name:` block in `queries/*.sql` PostgreSQL reports, without
running anything, the parameter types and the result columns (name, type,
and the table column each comes from). We compare that with the pydantic
model the query names. A renamed or dropped column, a type change, a model
field no column fills, or a NOT NULL field fed by a nullable column fails
with `queries/<file>:<line> <query>: <field>: <what is wrong>`.

Nullability is taken only where it is sound: a result column that is a
plain table column is nullable exactly when that column is (the catalog's
`attnotnull`), unless its table sits on the nullable side of an outer join
(`left join t`; any `right`/`full join` makes every table column nullable).
Computed columns (counts, coalesce, expressions) are of unknown nullability
and are trusted to the model.
"""

from __future__ import annotations

import asyncio
import re
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import asyncpg
import psycopg
from aiosql.types import SQLOperationType
from pydantic import BaseModel

from service.catalog import QuerySpec, load_specs
from service.embedded import embedded_url
from service.paths import QUERIES_DIR
from service.pgtypes import PYTHON_TYPES

__all__ = ["Column", "check_all", "run_check", "run_generate"]

_ROW_OPS = (SQLOperationType.SELECT, SQLOperationType.SELECT_ONE)


@dataclass(frozen=True)
class Column:
    name: str
    type_name: str
    nullable: bool | None  # None: not known


def _outer_joined(sql: str) -> tuple[set[str], bool]:
    lowered = sql.lower()
    left = set(re.findall(r"\bleft\s+(?:outer\s+)?join\s+(?:\w+\.)?(\w+)", lowered))
    every = re.search(r"\b(right|full)\s+(?:outer\s+)?join\b", lowered) is not None
    return left, every


async def describe(conn: asyncpg.Connection, pconn: psycopg.Connection[Any], spec: QuerySpec) -> list[Column]:
    from service.db import QUERIES

    stmt = await conn.prepare(spec.sql)
    attributes = stmt.get_attributes()
    # The unnamed statement: each prepare replaces the last.
    pconn.pgconn.prepare(b"", spec.sql.encode())
    described = pconn.pgconn.describe_prepared(b"")
    left_tables, every_nullable = _outer_joined(spec.sql)
    columns = []
    for index, attribute in enumerate(attributes):
        table_oid, column_number = described.ftable(index), described.ftablecol(index)
        nullable: bool | None = None
        if table_oid and column_number > 0:
            info = await QUERIES.database.get_column_nullability(conn, table_oid=table_oid, column_number=column_number)
            if info is not None:
                outer = every_nullable or info.table_name in left_tables
                nullable = True if outer else not info.not_null
        columns.append(Column(attribute.name, attribute.type.name, nullable))
    return columns


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `None`, and whether `None` was allowed."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        inner, _ = _strip(args[0] if len(args) == 1 else Union[tuple(args)])  # noqa: UP007
        return inner, len(args) != len(get_args(annotation))
    return annotation, False


def _python_classes(annotation: Any) -> tuple[type[Any], ...]:
    origin = get_origin(annotation)
    if origin is Literal:
        return tuple({type(v) for v in get_args(annotation)})
    if origin is not None:
        return (origin,)
    return (annotation,) if isinstance(annotation, type) else ()


def compare(spec: QuerySpec, model: type[BaseModel], columns: list[Column]) -> list[str]:
    where = spec.location
    problems: list[str] = []
    names = [c.name for c in columns]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"{where}: {name}: column appears more than once")
    by_name = {c.name: c for c in columns}
    for field, info in model.model_fields.items():
        column = by_name.get(field)
        if column is None:
            problems.append(f"{where}: {field}: no column fills {model.__name__}.{field}")
            continue
        inner, optional = _strip(info.annotation)
        expected = PYTHON_TYPES.get(column.type_name, (None, ()))[1]
        found = _python_classes(inner)
        compatible = any(issubclass(f, e) for f in found for e in expected) and not (bool in found and int in expected)
        if not compatible:
            problems.append(
                f"{where}: {field}: column type {column.type_name} does not fit "
                f"{model.__name__}.{field} ({getattr(inner, '__name__', inner)})"
            )
        if column.nullable and not optional:
            problems.append(f"{where}: {field}: column may be null but {model.__name__}.{field} does not accept None")
    for column in columns:
        if column.name not in model.model_fields:
            problems.append(f"{where}: {column.name}: column has no field in {model.__name__}")
    return problems


async def check_all(url: str, directory: Path = QUERIES_DIR) -> list[str]:
    problems: list[str] = []
    conn = await asyncpg.connect(url)
    pconn = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for spec in load_specs(directory):
            if spec.record_class_name and spec.record_class is None:
                problems.append(
                    f"{spec.location}: record_class {spec.record_class_name} is not in service.models.RECORD_CLASSES"
                )
                continue
            if spec.operation in _ROW_OPS and spec.record_class is None:
                problems.append(f"{spec.location}: returns rows but names no -- record_class")
                continue
            if not spec.doc.strip():
                problems.append(f"{spec.location}: has no doc comment")
            try:
                columns = await describe(conn, pconn, spec)
            except asyncpg.PostgresError as exc:
                problems.append(f"{spec.location}: PostgreSQL rejects it: {exc}")
                continue
            if spec.record_class is not None:
                problems.extend(compare(spec, spec.record_class, columns))
    finally:
        await conn.close()
        pconn.close()
    return problems


def _scratch_database() -> str:
    """A freshly migrated database on the embedded server, so the check sees the migrations alone."""
    from service.migrate import fresh_database

    return fresh_database(embedded_url("atelier_contract"))


def target_database(database_url: str | None) -> str:
    return database_url or _scratch_database()


def run_check(database_url: str | None) -> int:
    url = target_database(database_url)
    problems = asyncio.run(check_all(url))
    problems += _stub_problems(url)
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(load_specs())
    print(f"check-queries: {count} queries, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def _stub_problems(url: str) -> list[str]:
    from service.typegen import TARGET, render_from

    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if asyncio.run(render_from(url)) != current:
        return ["service/query_types.py is not current: run `make query-types`"]
    return []


def run_generate(database_url: str | None, *, check_only: bool) -> int:
    url = target_database(database_url)
    if check_only:
        problems = _stub_problems(url)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    from service.typegen import generate

    changed = generate(url)
    print("service/query_types.py " + ("written" if changed else "unchanged"), file=sys.stderr)
    return 0
