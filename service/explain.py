"""`make explain`: the plan of every query in `queries/`, on seeded volumes, checked.

Each query is explained exactly as the service sends it (the processed,
tagged SQL with `$n` placeholders, prepared by asyncpg) with representative
values bound (service.explain_values), so PostgreSQL plans what it plans
for the service: a custom plan, the values folded in. Writes run too, under
EXPLAIN ANALYZE, inside a transaction that is rolled back, so the seed stays
as it was. `--generic` shows instead the generic plan a prepared statement
may switch to after five runs (EXPLAIN GENERIC_PLAN, sent unbound over the
simple protocol: bound values would be folded in).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import psycopg
from psycopg import pq

from service.catalog import QuerySpec, load_specs
from service.explain_values import VARIANTS, WAIVED, ExplainError, arguments
from service.plans import PlanFinding, check_plan, is_read_path, render_plan, scans

__all__ = ["Explained", "explain_all", "problems", "render", "run_explain", "summary"]

# The only SQL-ish text in Python: the EXPLAIN option prefixes.
EXPLAIN_ANALYZE = "explain (analyze, buffers, format json) "
EXPLAIN_GENERIC = "explain (generic_plan, format json) "


@dataclass
class Explained:
    spec: QuerySpec
    variant: str  # "" for the defaults
    arguments: dict[str, Any]
    document: dict[str, Any] | None = None
    error: str | None = None
    findings: list[PlanFinding] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.spec.qualified_name + (f" ({self.variant})" if self.variant else "")

    @property
    def read_path(self) -> bool:
        return is_read_path(self.spec.doc)

    @property
    def waiver(self) -> str | None:
        return WAIVED.get(self.label)

    @property
    def failures(self) -> list[PlanFinding]:
        return [] if self.waiver or not self.read_path else self.findings


async def _analyze(conn: asyncpg.Connection, done: Explained) -> Explained:
    transaction = conn.transaction()
    await transaction.start()
    try:
        statement = await conn.prepare(EXPLAIN_ANALYZE + done.spec.sql)
        done.document = json.loads(await statement.fetchval(*done.arguments.values()))[0]
    except asyncpg.PostgresError as exc:
        done.error = f"{type(exc).__name__}: {exc}"
    finally:
        await transaction.rollback()  # writes leave no trace
    return done


def _generic(pconn: psycopg.Connection[Any], done: Explained) -> Explained:
    result = pconn.pgconn.exec_((EXPLAIN_GENERIC + done.spec.sql).encode())
    if result.status == pq.ExecStatus.TUPLES_OK:
        done.document = json.loads(result.get_value(0, 0) or b"[{}]")[0]
    else:
        done.error = (result.error_message or b"").decode(errors="replace").strip()
    return done


async def explain_all(url: str, specs: list[QuerySpec], *, generic: bool = False) -> list[Explained]:
    """Every spec (and each variant of a list) explained with representative values, and checked."""
    from service.db import QUERIES

    conn = await asyncpg.connect(url)
    try:
        sample = await QUERIES.database.sample_ids(conn)
        if sample is None:
            raise ExplainError("no seeded workshop with steps, sessions and packs: run `make seed` first")
        sizes = {t.table_name: t.estimated_rows async for t in QUERIES.database.table_sizes(conn)}
        todo = [Explained(spec, "", arguments(spec, sample)) for spec in specs]
        if generic:  # nothing is bound: show no values
            with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as pconn:
                results = [_generic(pconn, Explained(done.spec, "", {})) for done in todo]
        else:
            for spec in specs:
                for variant, changes in VARIANTS.get(spec.qualified_name, []):
                    todo.append(Explained(spec, variant, arguments(spec, sample, changes)))
            todo.sort(key=lambda done: specs.index(done.spec))
            results = [await _analyze(conn, done) for done in todo]
    finally:
        await conn.close()
    for result in results:
        if result.document is not None:
            result.findings = check_plan(result.label, result.document, sizes)
    return results


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def render(result: Explained) -> list[str]:
    """The text tree of one query, headed by its name, endpoint kind and values."""
    kind = "GET" if result.read_path else "not GET"
    lines = [f"== {result.label}  [{kind}]  {result.spec.location}"]
    if result.arguments:
        lines.append("   " + ", ".join(f"{k}={_shown(v)}" for k, v in result.arguments.items()))
    if result.document is None:
        return [*lines, f"   could not explain: {result.error}"]
    return lines + ["   " + line for line in render_plan(result.document)]


def _verdict(result: Explained) -> str:
    if result.document is None:
        return "ERROR"
    if not result.findings:
        return "ok"
    first = result.findings[0].node
    if result.waiver:
        return f"waived: {first}"
    return f"{'FAIL' if result.read_path else 'note'}: {first}"


def summary(results: list[Explained]) -> list[str]:
    """One line per plan: access paths, top node's estimated and actual rows, time, verdict."""
    head = f"{'query':<48} {'kind':<4} {'access':<48} {'est':>5} {'actual':>6} {'ms':>8}  check"
    lines = [head, "-" * (len(head) + 20)]
    for r in results:
        top = r.document["Plan"] if r.document else {}
        access = ", ".join(dict.fromkeys(scans(r.document))) if r.document else "-"
        access = access if len(access) <= 48 else access[:45] + "..."
        actual = f"{top['Actual Rows'] * top.get('Actual Loops', 1):,.0f}" if "Actual Rows" in top else "-"
        took = f"{r.document['Execution Time']:.3f}" if r.document and "Execution Time" in r.document else "-"
        est = f"{top.get('Plan Rows', 0):,}" if top else "-"
        kind = "GET" if r.read_path else ""
        lines.append(f"{r.label:<48} {kind:<4} {access:<48} {est:>5} {actual:>6} {took:>8}  {_verdict(r)}")
    return lines


def problems(results: list[Explained]) -> list[str]:
    """What fails the command: a plan that could not be made, a bad plan behind GET."""
    found = [f"{r.label}: could not explain: {r.error}" for r in results if r.error]
    for r in results:
        found += [str(finding) for finding in r.failures]
    return found


def run_explain(database_url: str | None, *, scale: float, fresh: bool, generic: bool) -> int:
    """The command: plans and the summary on standard output, the check's verdict on standard error."""
    from service.seed import prepare_target

    url, note = prepare_target(database_url, scale=scale, fresh=fresh)
    print(note, file=sys.stderr)
    try:
        results = asyncio.run(explain_all(url, load_specs(), generic=generic))
    except ExplainError as exc:
        print(f"explain: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print("\n".join(render(result)) + "\n")
    print("\n".join(summary(results)))
    waived = [(r, f) for r in results if r.read_path and r.waiver for f in r.findings]
    for r, finding in waived:
        print(f"plan check: waived: {finding}; because {r.waiver}", file=sys.stderr)
    found = problems(results)
    for problem in found:
        print(f"plan check: FAIL: {problem}", file=sys.stderr)
    mode = "generic plans, estimates only" if generic else "EXPLAIN ANALYZE"
    queries = len({r.spec.qualified_name for r in results})
    print(
        f"plan check ({mode}): {queries} queries, {len(results)} plans, {len(found)} problems, {len(waived)} waived",
        file=sys.stderr,
    )
    return 1 if found else 0
