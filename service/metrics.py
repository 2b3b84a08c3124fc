"""GET /metrics: Prometheus counters and histograms for HTTP requests and for every named query.

Requests are counted by method, route template (`/v1/workshops/{workshop_id}`,
never the raw path, so ids do not explode the label set) and status; queries
by their `<file>.<query>` name, the same name the SQL carries in
`pg_stat_activity`, so a slow query in a dashboard is one grep away in
`queries/`. Each app owns a `CollectorRegistry` rather than prometheus_client's
global one: a process may hold several apps (the tests do), and each reports
only its own traffic. Paths that match no route (404 before any handler) are
not counted: their label would be whatever a scanner sends.
"""

from __future__ import annotations

import logging
import time

from litestar import Response, get
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from service.query_observer import observing

__all__ = ["Metrics", "metrics_endpoint"]

_access = logging.getLogger("atelier.access")  # one line per request, at info
_QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """One app's metrics: its registry, the request middleware, the query observer."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "atelier_http_requests", "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"], registry=self.registry,
        )  # fmt: skip
        self.request_seconds = Histogram(
            "atelier_http_request_duration_seconds", "Time from request to the end of the response, by route.",
            ["method", "route"], registry=self.registry,
        )  # fmt: skip
        self.query_calls = Counter(
            "atelier_query_calls", "Calls of each query in queries/*.sql, named <file>.<query>.",
            ["query"], registry=self.registry,
        )  # fmt: skip
        self.query_errors = Counter(
            "atelier_query_errors", "Calls of each query that raised (constraint, timeout, connection).",
            ["query"], registry=self.registry,
        )  # fmt: skip
        self.query_seconds = Histogram(
            "atelier_query_duration_seconds", "Time of each query call, rows validated into models included.",
            ["query"], buckets=_QUERY_BUCKETS, registry=self.registry,
        )  # fmt: skip

    def observe_query(self, query: str, seconds: float, failed: bool) -> None:
        self.query_calls.labels(query).inc()
        self.query_seconds.labels(query).observe(seconds)
        if failed:
            self.query_errors.labels(query).inc()

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Litestar middleware: time each routed request and route its queries to this registry."""

        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            status = 500  # what the client sees if the app dies before answering

            async def noting_status(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            started = time.perf_counter()
            try:
                with observing(self.observe_query):
                    await app(scope, receive, noting_status)
            finally:
                seconds = time.perf_counter() - started
                method, route = scope["method"], scope.get("path_template") or "unmatched"
                self.requests.labels(method, route, str(status)).inc()
                self.request_seconds.labels(method, route).observe(seconds)
                _access.info(
                    "%s %s %d %.1fms", method, scope["path"], status, seconds * 1000,
                    extra={"http": {"method": method, "path": scope["path"], "route": route,
                                    "status": status, "duration_ms": round(seconds * 1000, 2)}},
                )  # fmt: skip

        return measured


# Litestar appends the charset to text/* types itself; giving it twice breaks strict clients.
_PROMETHEUS_TEXT = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")


@get(
    "/metrics",
    summary="Prometheus metrics: requests and queries",
    tags=["system"],
    media_type=_PROMETHEUS_TEXT,
    sync_to_thread=False,
)
def metrics_endpoint(state: State) -> Response[bytes]:
    metrics: Metrics = state.metrics
    return Response(generate_latest(metrics.registry), media_type=_PROMETHEUS_TEXT)
