"""The benchmark's load generator counts what it says it counts (no timing is asserted).

It runs as its own process, as `make bench` runs it, for one second against a
tiny keep-alive HTTP server in a thread of this test, which counts what it
answers: fixed-length and chunked bodies, 200s and 404s.
"""

from __future__ import annotations

import json
import socketserver
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import asdict

from benchmarks.loadgen import LoadConfig, percentile
from service.paths import ROOT


class _Counting(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.bodies: list[bytes] = []


class _Handler(socketserver.StreamRequestHandler):
    server: _Counting

    def handle(self) -> None:
        while True:
            request_line = self.rfile.readline()
            if not request_line:
                return
            length = 0
            while (line := self.rfile.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = self.rfile.read(length)
            path = request_line.split(b" ")[1]
            status = 404 if path == b"/missing" else 200
            if path == b"/chunked":
                response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n"
            else:
                text = b"{}" if status == 200 else b'{"status":404}'
                reason = b"OK" if status == 200 else b"Not Found"
                response = b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\n\r\n%s" % (status, reason, len(text), text)
            with self.server.lock:
                self.server.statuses[status] += 1
                self.server.bodies.append(body)
            self.wfile.write(response)


def test_load_generator_counts_every_response() -> None:
    with _Counting() as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        config = LoadConfig(
            port=server.server_address[1],
            paths=["/ok", "/chunked", "/missing"],
            method="POST",
            body='{"email": "m-{n}@example.com"}',
            concurrency=4,
            duration=1.0,
            warmup=0.0,
        )
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.loadgen"],
            input=json.dumps(asdict(config)),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=30,
            check=True,
        )
        server.shutdown()
    result = json.loads(done.stdout)
    answered = sum(server.statuses.values())
    assert result["errors"] == 0
    assert result["requests"] > 0
    assert result["total_responses"] == answered  # every answer read, none invented
    # Responses that completed after the window closed (at most one per connection) are not counted.
    assert answered - config.concurrency <= result["requests"] <= answered
    assert sum(result["statuses"].values()) == result["requests"]
    assert set(result["statuses"]) == {"200", "404"}
    assert result["statuses"]["404"] <= server.statuses[404]
    assert len(set(server.bodies)) == len(server.bodies)  # `{n}` is unique per request
    assert result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7
