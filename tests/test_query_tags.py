"""Every statement names its query in pg_stat_activity, and the session names the service.

A DBA looking at a blocked or slow statement must see which query in which
file sent it (`/* atelier:<file>.<query> */`) and which application
(`application_name = 'atelier'`), without reading Python.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from service.catalog import load_specs, tag
from tests.conftest import Api


def test_every_query_is_sent_with_its_tag() -> None:
    specs = load_specs()
    assert specs
    for spec in specs:
        assert spec.sql.startswith(f"/* atelier:{spec.namespace}.{spec.name} */ "), spec.location


def test_a_blocked_patch_shows_its_query_and_application_in_pg_stat_activity(
    api: Api, workshop: dict[str, Any]
) -> None:
    expected = tag("workshops", "lock_workshop")
    responses: list[httpx.Response] = []
    with api.db() as holder, api.db() as watcher:
        holder.execute("begin")
        holder.execute("select id from workshop where id = %s for update", [workshop["id"]])
        patch = threading.Thread(
            target=lambda: responses.append(
                api.client.patch(f"/v1/workshops/{workshop['id']}", json={"title": "Renamed while locked"})
            )
        )
        patch.start()
        seen = None
        deadline = time.monotonic() + 4  # below the 5s statement timeout the PATCH runs under
        while seen is None and time.monotonic() < deadline:
            seen = watcher.execute(
                "select query, application_name, wait_event_type from pg_stat_activity"
                " where datname = current_database() and wait_event_type = 'Lock' and query like %s",
                [f"{expected}%"],
            ).fetchone()
            time.sleep(0.02)
        holder.execute("rollback")
        patch.join(timeout=30)
    assert seen is not None, f"no statement starting with {expected} in pg_stat_activity"
    query, application_name, _ = seen
    assert query.startswith(f"{expected} select")
    assert application_name == "atelier"
    assert [r.status_code for r in responses] == [200]
    assert responses[0].json()["title"] == "Renamed while locked"
