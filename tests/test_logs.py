"""Logs as LOG_FORMAT says: one line per request, JSON objects with the request's fields."""

from __future__ import annotations

import json
import logging
import time

import pytest

from service.config import load_settings
from service.logs import JsonFormatter, configure_logging
from tests.conftest import Api


def test_each_request_is_logged_once_with_route_status_and_time(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="atelier.access"):
        api.client.get("/v1/workshops/ws_" + "a" * 24)
        api.client.post("/v1/workshops", json={"slug": "logged", "title": "Logged"})
        # The line is written once the response is sent, so it may trail the client a little.
        deadline = time.monotonic() + 5
        while len([r for r in caplog.records if r.name == "atelier.access"]) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = [r for r in caplog.records if r.name == "atelier.access"]
    assert [(r.http["method"], r.http["route"], r.http["status"]) for r in lines] == [  # type: ignore[attr-defined]
        ("GET", "/v1/workshops/{workshop_id}", 404),
        ("POST", "/v1/workshops", 201),
    ]
    assert all(r.http["duration_ms"] >= 0 for r in lines)  # type: ignore[attr-defined]
    assert lines[1].getMessage().startswith("POST /v1/workshops 201 ")


def test_json_format_writes_one_object_per_line_with_the_request_fields() -> None:
    record = logging.LogRecord("atelier.access", logging.INFO, __file__, 1, "GET /x 200 1.0ms", (), None)
    record.http = {"method": "GET", "path": "/x", "status": 200}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["message"] == "GET /x 200 1.0ms"
    assert entry["http"]["status"] == 200


def test_configure_logging_follows_level_and_format() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(load_settings({"LOG_LEVEL": "warning", "LOG_FORMAT": "json"}))
        assert root.level == logging.WARNING
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
