"""Reading `EXPLAIN (FORMAT JSON)`: a plan as a text tree, and the plan check.

The check encodes the rule a reviewer applies by eye: a query behind a GET
endpoint runs on every page view, so it must not read a large table from end
to end (a Seq Scan, or an index scan that throws away most of what it reads)
nor sort a large input that an index could have delivered in order. Those
plans are fast on a laptop and slow on the day a table grows; the check
fails them while they are still cheap to fix. "Large" is
`LARGE_TABLE_ROWS` rows or more, judged by the table's statistics, not this run's
timing, so the verdict does not depend on the machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LARGE_TABLE_ROWS", "PlanFinding", "check_plan", "is_read_path", "node_label", "render_plan", "scans"]

LARGE_TABLE_ROWS = 10_000
Node = Mapping[str, Any]
_READ_PATH = re.compile(r"\bGET /|\bevery /v1 route\b")
_DETAILS = ("Index Cond", "Recheck Cond", "Hash Cond", "Join Filter", "Filter", "Sort Key", "Group Key")
_SCANS = ("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan")


@dataclass(frozen=True)
class PlanFinding:
    query: str
    node: str
    detail: str

    def __str__(self) -> str:
        return f"{self.query}: {self.node}: {self.detail}"


def is_read_path(doc: str) -> bool:
    """Whether the query's doc comment puts it behind a GET endpoint (or every /v1 route)."""
    return _READ_PATH.search(doc) is not None


def walk(node: Node, depth: int = 0) -> Iterator[tuple[int, Node]]:
    yield depth, node
    for child in node.get("Plans", ()):
        yield from walk(child, depth + 1)


def node_label(node: Node) -> str:
    """`Index Scan using workshop_pkey on workshop w`, `Insert on session`, `Sort`."""
    kind = str(node["Node Type"])
    if kind == "ModifyTable":
        kind = str(node.get("Operation", kind))
    if node.get("Parallel Aware"):
        kind = f"Parallel {kind}"
    if "Index Name" in node:
        kind += f" using {node['Index Name']}"
    if "Relation Name" in node:
        alias = node.get("Alias")
        kind += f" on {node['Relation Name']}" + (f" {alias}" if alias and alias != node["Relation Name"] else "")
    elif "CTE Name" in node:
        kind += f" on {node['CTE Name']}"
    if "Subplan Name" in node:
        kind = f"[{node['Subplan Name']}] {kind}"
    return kind


def _rows(node: Node, key: str) -> float:
    """Rows over all loops: EXPLAIN reports actual rows per loop."""
    return float(node.get(key, 0)) * float(node.get("Actual Loops", 1))


def _measured(node: Node) -> str:
    if "Actual Rows" not in node:
        return f"est {node['Plan Rows']:,}"
    loops = int(node.get("Actual Loops", 1))
    if loops == 0:
        return f"est {node['Plan Rows']:,}  never executed"
    per_loop = f" x{loops} loops" if loops > 1 else ""
    return (
        f"est {node['Plan Rows']:,}  actual {_rows(node, 'Actual Rows'):,.0f}{per_loop}  "
        f"{node.get('Actual Total Time', 0.0) * loops:.3f} ms"
    )


def render_plan(document: Mapping[str, Any], width: int = 110) -> list[str]:
    """One line per node (type, relation or index, estimated and actual rows, time), its
    conditions beneath it, then triggers, planning and execution time and buffers."""
    lines: list[str] = []
    for depth, node in walk(document["Plan"]):
        pad = "    " * depth
        lines.append(f"{pad}{'-> ' if depth else ''}{node_label(node)}  ({_measured(node)})")
        for key in _DETAILS:
            if key in node:
                value = node[key] if isinstance(node[key], str) else ", ".join(map(str, node[key]))
                text = f"{pad}      {key}: {value}"
                lines.append(text if len(text) <= width else text[: width - 3] + "...")
        removed = _rows(node, "Rows Removed by Filter")
        if removed:
            lines.append(f"{pad}      Rows Removed by Filter: {removed:,.0f}")
    for trigger in document.get("Triggers", ()):
        lines.append(
            f"trigger {trigger['Trigger Name']} on {trigger.get('Relation', '?')}: "
            f"{trigger['Calls']} calls, {trigger['Time']:.3f} ms"
        )
    top = document["Plan"]
    if "Execution Time" in document:
        hit, read = top.get("Shared Hit Blocks", 0), top.get("Shared Read Blocks", 0)
        lines.append(
            f"planning {document.get('Planning Time', 0.0):.3f} ms, execution {document['Execution Time']:.3f} ms, "
            f"buffers {hit:,} hit, {read:,} read"
        )
    return lines


def scans(document: Mapping[str, Any]) -> list[str]:
    """The table accesses of a plan, short: `Index Scan workshop_pkey`, `Seq Scan workshop`."""
    found = []
    for _, node in walk(document["Plan"]):
        kind = str(node["Node Type"])
        if kind in _SCANS and kind != "Bitmap Heap Scan":
            found.append(f"{kind} {node.get('Index Name') or node.get('Relation Name', '?')}")
    return found


def _table_rows(node: Node, table_rows: Mapping[str, int]) -> float:
    """The largest of: the table's statistics, the node's estimate, the rows it actually read."""
    read = _rows(node, "Actual Rows") + _rows(node, "Rows Removed by Filter")
    return max(float(table_rows.get(str(node.get("Relation Name")), 0)), float(node.get("Plan Rows", 0)), read)


def _wasteful(node: Node, table_rows: Mapping[str, int], limit: int) -> bool:
    """An index scan of a large table that discards a tenth of the table or more: a Seq Scan
    in all but name (the index gives the order, not the rows)."""
    table = _table_rows(node, table_rows)
    return table >= limit and _rows(node, "Rows Removed by Filter") >= max(table / 10, 1000)


def check_plan(
    query: str, document: Mapping[str, Any], table_rows: Mapping[str, int], limit: int = LARGE_TABLE_ROWS
) -> list[PlanFinding]:
    """What a GET path must not do: a Seq Scan of a large table, an index scan that reads a
    tenth of one or more only to filter it away, a Sort of a large input (no index gives the order)."""
    findings: list[PlanFinding] = []
    for _, node in walk(document["Plan"]):
        kind = str(node["Node Type"])
        if kind == "Seq Scan" and (rows := _table_rows(node, table_rows)) >= limit:
            detail = f"reads a table of ~{rows:,.0f} rows end to end: an index on its filter would not"
            findings.append(PlanFinding(query, node_label(node), detail))
        elif kind in _SCANS and _wasteful(node, table_rows, limit):
            removed = _rows(node, "Rows Removed by Filter")
            detail = f"reads {removed:,.0f} rows only to filter them away: no index covers the filter"
            findings.append(PlanFinding(query, node_label(node), detail))
        elif kind == "Sort":
            source = node.get("Plans", [{}])[0]
            rows = max(float(node.get("Plan Rows", 0)), float(source.get("Plan Rows", 0)), _rows(source, "Actual Rows"))
            if rows >= limit:
                keys = ", ".join(node.get("Sort Key", ()))
                detail = f"sorts ~{rows:,.0f} rows by {keys}: no index delivers them in this order"
                findings.append(PlanFinding(query, node_label(node), detail))
    return findings
