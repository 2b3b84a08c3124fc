"""GET /metrics: request and per-query counters in Prometheus text, one registry per app."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Api, LiveServer


def _samples(api: Api) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = api.anonymous.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-type"].count("charset") == 1
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_and_queries_are_counted_by_route_and_query_name(api: Api) -> None:
    created = [api.client.post("/v1/workshops", json={"slug": f"m-{i}", "title": "Metered"}) for i in range(3)]
    assert [r.status_code for r in created] == [201, 201, 201]
    workshop_id = created[0].json()["id"]
    assert api.reader.get(f"/v1/workshops/{workshop_id}").status_code == 200
    assert api.reader.get("/v1/workshops/ws_aaaaaaaaaaaaaaaaaaaaaaaa").status_code == 404
    assert api.client.post("/v1/workshops", json={"slug": "m-0", "title": "Taken"}).status_code == 409

    samples = _samples(api)
    requests = "atelier_http_requests_total"
    assert _value(samples, requests, method="POST", route="/v1/workshops", status="201") == 3
    assert _value(samples, requests, method="POST", route="/v1/workshops", status="409") == 1
    assert _value(samples, requests, method="GET", route="/v1/workshops/{workshop_id}", status="200") == 1
    assert _value(samples, requests, method="GET", route="/v1/workshops/{workshop_id}", status="404") == 1
    count = "atelier_http_request_duration_seconds_count"
    assert _value(samples, count, method="POST", route="/v1/workshops") == 4

    calls = "atelier_query_calls_total"
    assert _value(samples, calls, query="workshops.insert_workshop") == 4
    assert _value(samples, "atelier_query_errors_total", query="workshops.insert_workshop") == 1
    assert _value(samples, calls, query="workshops.get_workshop") == 2
    assert _value(samples, calls, query="api_keys.authenticate_api_key") == 6
    assert _value(samples, "atelier_query_duration_seconds_count", query="workshops.insert_workshop") == 4
    assert _value(samples, "atelier_query_duration_seconds_sum", query="workshops.insert_workshop") > 0


def test_list_queries_are_timed_once_per_call(api: Api, workshop: dict[str, Any]) -> None:
    for _ in range(2):
        assert api.reader.get("/v1/workshops").status_code == 200
    samples = _samples(api)
    assert _value(samples, "atelier_query_calls_total", query="workshops.list_workshops") == 2
    assert _value(samples, "atelier_http_requests_total", method="GET", route="/v1/workshops", status="200") == 2


def test_metrics_need_no_key_and_each_app_counts_only_its_own(api: Api) -> None:
    assert api.client.post("/v1/workshops", json={"slug": "only-here", "title": "Once"}).status_code == 201
    with LiveServer(api.database_url) as other:
        other_metrics = api.anonymous.get(f"{other.url}/metrics")
    assert other_metrics.status_code == 200
    assert 'query="workshops.insert_workshop"' not in other_metrics.text
    assert _value(_samples(api), "atelier_query_calls_total", query="workshops.insert_workshop") == 1
