"""`make explain`: the seed, a plan for every query, and the plan check's verdicts."""

from __future__ import annotations

import dataclasses
from typing import Any

import asyncpg
import pytest

from service.catalog import load_specs
from service.explain import explain_all, problems, summary
from service.explain_values import ExplainError, arguments
from service.models.migrations import SampleIds
from service.plans import check_plan, is_read_path, render_plan
from service.seed import counts, seed
from tests.conftest import run

SCALE = 0.01  # 100 workshops, 1,000 members: every shape of the data, none of the wait


def _node(kind: str, rows: int, **extra: Any) -> dict[str, Any]:
    return {"Node Type": kind, "Plan Rows": rows, **extra}


def _plan(*nodes: dict[str, Any]) -> dict[str, Any]:
    """A plan document whose nodes are nested, the first at the top."""
    top = dict(nodes[0])
    current = top
    for node in nodes[1:]:
        child = dict(node)
        current["Plans"] = [child]
        current = child
    return {"Plan": top}


def test_seed_and_explain_cover_every_query(database_url: str) -> None:
    seeded = run(seed(database_url, SCALE))
    assert (seeded.workshops, seeded.members, seeded.api_keys) == (100, 1000, 3)
    assert seeded.steps > 0 and seeded.active_sessions > 0 and seeded.final_build_packs > 0

    specs = load_specs()
    results = run(explain_all(database_url, specs))

    assert {r.spec.qualified_name for r in results} == {s.qualified_name for s in specs}
    assert [r.label for r in results if r.error] == []
    assert problems(results) == []  # small tables: nothing is large enough to fail
    assert len(summary(results)) == len(results) + 2
    assert run(counts(database_url)) == seeded  # every write was rolled back

    generic = run(explain_all(database_url, specs, generic=True))
    assert [r.label for r in generic] == [s.qualified_name for s in specs]
    assert [r.label for r in generic if r.error] == []


def test_seed_refuses_a_database_with_workshops(database_url: str) -> None:
    run(seed(database_url, SCALE))
    with pytest.raises(asyncpg.PostgresError, match="without workshops"):
        run(seed(database_url, SCALE))


def test_a_seq_scan_of_a_large_table_is_flagged() -> None:
    plan = _plan(
        _node("Limit", 21),
        _node("Seq Scan", 21, **{"Relation Name": "workshop_member", "Alias": "workshop_member"}),
    )
    findings = check_plan("members.list_members", plan, {"workshop_member": 100_000})
    assert [str(f) for f in findings] == [
        "members.list_members: Seq Scan on workshop_member: "
        "reads a table of ~100,000 rows end to end: an index on its filter would not"
    ]
    assert check_plan("members.list_members", plan, {"workshop_member": 500}) == []


def test_an_index_scan_passes_and_a_wasteful_one_does_not() -> None:
    indexed = _node("Index Scan", 21, **{"Relation Name": "workshop", "Index Name": "workshop_pkey"})
    assert check_plan("q", _plan(_node("Limit", 21), indexed), {"workshop": 10_000}) == []

    filtered = {**indexed, "Actual Rows": 21, "Actual Loops": 1, "Rows Removed by Filter": 8_505}
    (finding,) = check_plan("q", _plan(_node("Limit", 21), filtered), {"workshop": 10_000})
    assert finding.node == "Index Scan using workshop_pkey on workshop"
    assert "8,505 rows only to filter them away" in finding.detail


def test_a_sort_of_a_large_input_is_flagged() -> None:
    plan = _plan(
        _node("Sort", 50_000, **{"Sort Key": ["created_at", "id"]}),
        _node("Bitmap Heap Scan", 50_000, **{"Relation Name": "session"}),
    )
    (finding,) = check_plan("sessions.list_sessions", plan, {"session": 80_000})
    assert finding.node == "Sort" and "created_at, id" in finding.detail


def test_the_tree_shows_nodes_rows_and_time() -> None:
    plan = _plan(
        _node("Limit", 21, **{"Actual Rows": 21, "Actual Loops": 1, "Actual Total Time": 0.05}),
        _node("Index Scan", 1_198, **{"Relation Name": "workshop", "Index Name": "w_idx", "Index Cond": "(x = 1)"}),
    )
    lines = render_plan({**plan, "Planning Time": 0.1, "Execution Time": 0.06})
    assert lines[0] == "Limit  (est 21  actual 21  0.050 ms)"
    assert lines[1] == "    -> Index Scan using w_idx on workshop  (est 1,198)"
    assert lines[2].strip() == "Index Cond: (x = 1)"


def test_which_queries_are_behind_get() -> None:
    assert is_read_path("One page. Used by GET /v1/workshops.")
    assert is_read_path("Stamps last_used_at. Used by every /v1 route.")
    assert not is_read_path("Create one. Used by POST /v1/workshops.")


def test_a_parameter_without_a_representative_value_is_an_error() -> None:
    spec = dataclasses.replace(load_specs()[0], parameters=("mystery",))
    sample = SampleIds(
        workshop_id="w", member_id="m", step_id="s", session_id="x", build_pack_id="b", key_id=None, table_oid=1
    )
    with pytest.raises(ExplainError, match=":mystery"):
        arguments(spec, sample)
