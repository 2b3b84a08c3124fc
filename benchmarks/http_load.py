"""HTTP throughput and latency: the load generator, as its own process, against each running app."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from dataclasses import asdict, dataclass

from benchmarks.database import Seeded, say
from benchmarks.loadgen import LoadConfig, LoadResult
from benchmarks.servers import App, Server
from service.paths import ROOT

__all__ = ["ENDPOINTS", "Endpoint", "HttpResult", "run_http"]


@dataclass(frozen=True)
class Endpoint:
    label: str
    method: str
    path: str  # `{id}` is a seeded workshop with steps and members
    body: str | None = None  # `{n}` is unique per request (see loadgen)


ENDPOINTS = (
    Endpoint("GET /v1/workshops/{id}", "GET", "/v1/workshops/{id}"),
    Endpoint("GET /v1/workshops/{id}/steps", "GET", "/v1/workshops/{id}/steps"),
    Endpoint(
        "POST /v1/workshops/{id}/members",
        "POST",
        "/v1/workshops/{id}/members",
        '{"email": "m-{n}@bench.example", "display_name": "Member {n}", "role": "participant"}',
    ),
)


@dataclass(frozen=True)
class HttpResult:
    endpoint: str
    app: App
    result: LoadResult


def _load(
    server: Server, endpoint: Endpoint, seeded: Seeded, concurrency: int, duration: float, warmup: float
) -> LoadResult:
    config = LoadConfig(
        port=server.port,
        paths=[endpoint.path.replace("{id}", workshop_id) for workshop_id in seeded.hot_workshop_ids],
        method=endpoint.method,
        headers={"Authorization": f"Bearer {seeded.api_key}"},
        body=endpoint.body,
        tag=f"{server.app}-{secrets.token_hex(4)}",
        concurrency=concurrency,
        duration=duration,
        warmup=warmup,
    )
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen"],
        input=json.dumps(asdict(config)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=warmup + duration + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{done.stderr[-2000:]}")
    return LoadResult(**json.loads(done.stdout))


def run_http(
    servers: dict[App, Server], seeded: Seeded, concurrency: int, duration: float, warmup: float
) -> list[HttpResult]:
    """Each endpoint against each app in turn, the order flipping from one endpoint to the next
    (A B, B A, A B), so a drift in the machine's load hits both apps alike."""
    results: list[HttpResult] = []
    for i, endpoint in enumerate(ENDPOINTS):
        order = list(servers.items())
        for app, server in order if i % 2 == 0 else reversed(order):
            result = _load(server, endpoint, seeded, concurrency, duration, warmup)
            say(
                f"{app:9} {endpoint.label}: {result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms, statuses {result.statuses}, errors {result.errors}"
            )
            results.append(HttpResult(endpoint.label, app, result))
    return results
