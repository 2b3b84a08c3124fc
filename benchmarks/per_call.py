"""Per call: the query layer (aiosql + pydantic) against asyncpg by hand, same SQL, one connection.

The hand-written calls send `QuerySpec.sql`, the exact text the query layer
sends (tag comment and `$n` placeholders included), so both hit the same
prepared statement in asyncpg's cache and differ only in the Python around it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
from pydantic import BaseModel

from benchmarks.database import say
from service.catalog import QuerySpec, load_specs
from service.db import QUERIES

__all__ = ["PerCallResult", "run_per_call"]

Call = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class PerCallResult:
    query: str  # `<file>.<query>`
    rows: int
    calls: int  # per variant
    # mean µs per call, median over the interleaved rounds
    layer_us: float  # await QUERIES.<file>.<query>(conn, ...) -> model(s)
    record_us: float  # await conn.fetchrow/fetch(sql, ...) -> Record(s)
    model_us: float  # the same, then Model(**dict(record)) by hand

    @property
    def overhead_vs_record(self) -> float:
        return (self.layer_us / self.record_us - 1) * 100

    @property
    def overhead_vs_model(self) -> float:
        return (self.layer_us / self.model_us - 1) * 100


@dataclass(frozen=True)
class _Case:
    spec: QuerySpec
    params: dict[str, Any]
    many: bool
    weight: float  # share of the iterations: big result sets take longer per call


def _variants(conn: asyncpg.Connection, case: _Case) -> dict[str, Call]:
    spec = case.spec
    model: type[BaseModel] | None = spec.record_class
    assert model is not None, f"{spec.qualified_name} names no record class"
    query_fn = getattr(getattr(QUERIES, spec.namespace), spec.name)
    args = [case.params[name] for name in spec.parameters]
    sql = spec.sql

    if case.many:

        async def layer() -> Any:
            return [row async for row in query_fn(conn, **case.params)]

        async def record() -> Any:
            return await conn.fetch(sql, *args)

        async def by_hand() -> Any:
            return [model(**dict(row)) for row in await conn.fetch(sql, *args)]

    else:

        async def layer() -> Any:
            return await query_fn(conn, **case.params)

        async def record() -> Any:
            return await conn.fetchrow(sql, *args)

        async def by_hand() -> Any:
            row = await conn.fetchrow(sql, *args)
            return None if row is None else model(**dict(row))

    return {"layer": layer, "record": record, "model": by_hand}


async def _time(call: Call, n: int) -> int:
    started = time.perf_counter_ns()
    for _ in range(n):
        await call()
    return time.perf_counter_ns() - started


async def run_per_call(url: str, workshop_id: str, iterations: int, rounds: int) -> list[PerCallResult]:
    """`iterations` calls per variant for a one-row query (fewer for big results), split into
    `rounds` interleaved rounds; each variant's figure is the median of its per-round means,
    so a burst of other work on the machine skews one round, not the result."""
    specs = {spec.qualified_name: spec for spec in load_specs()}
    cases = [
        _Case(specs["workshops.get_workshop"], {"workshop_id": workshop_id}, many=False, weight=1.0),
        _Case(specs["steps.list_steps"], {"workshop_id": workshop_id}, many=True, weight=0.5),
        _Case(
            specs["workshops.list_workshops"],
            {"status": None, "q": None, "after_created_at": None, "after_id": None, "row_limit": 100},
            many=True,
            weight=0.1,
        ),
    ]
    conn = await asyncpg.connect(url)
    results: list[PerCallResult] = []
    try:
        for case in cases:
            variants = _variants(conn, case)
            n = max(20, int(iterations * case.weight) // rounds)
            sample = await variants["record"]()
            rows = len(sample) if case.many else int(sample is not None)
            for call in variants.values():  # warm up: prepared statement, caches
                await _time(call, max(20, n))
            means: dict[str, list[float]] = {name: [] for name in variants}
            names = list(variants)
            for r in range(rounds):
                for name in names[r % len(names) :] + names[: r % len(names)]:
                    means[name].append(await _time(variants[name], n) / n / 1000)
            us = {name: statistics.median(values) for name, values in means.items()}
            result = PerCallResult(case.spec.qualified_name, rows, n * rounds, us["layer"], us["record"], us["model"])
            say(
                f"per call {result.query} ({rows} rows): layer {result.layer_us:.1f}µs, "
                f"asyncpg {result.record_us:.1f}µs, asyncpg+pydantic {result.model_us:.1f}µs"
            )
            results.append(result)
    finally:
        await conn.close()
    return results
