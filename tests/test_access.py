"""Access (SPEC 8) on every route of the OpenAPI document: 401 without a key, 403 for a read key writing."""

from __future__ import annotations

import pytest

from tests.conftest import Api, v1_operations

_SAMPLE = {
    "workshop_id": "ws_" + "a" * 24,
    "member_id": "wm_" + "a" * 24,
    "step_id": "wst_" + "a" * 24,
    "session_id": "ses_" + "a" * 24,
    "build_pack_id": "bp_" + "a" * 24,
}


def test_every_v1_operation_needs_a_key(api: Api) -> None:
    operations = v1_operations(api, _SAMPLE)
    assert len(operations) >= 28
    for method, path in operations:
        response = api.anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        bad = api.anonymous.request(method, path, json={}, headers={"Authorization": "Bearer atelier_unknown"})
        assert bad.status_code == 401, (method, path)


def test_read_keys_read_and_never_write(api: Api) -> None:
    for method, path in v1_operations(api, _SAMPLE):
        response = api.reader.request(method, path, json={})
        if method == "GET":
            assert response.status_code in (200, 404), (method, path, response.text)
        else:
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["type"].endswith("/forbidden")


@pytest.mark.parametrize("path", ["/health", "/ready", "/metrics", "/schema/openapi.json"])
def test_operational_routes_need_no_key(api: Api, path: str) -> None:
    assert api.anonymous.get(path).status_code == 200
