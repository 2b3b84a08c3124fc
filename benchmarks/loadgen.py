"""A small HTTP/1.1 keep-alive load generator: fixed concurrency, fixed duration, its own process.

    echo '{"port": 8000, "paths": ["/health"], "duration": 5}' | python -m benchmarks.loadgen

reads a JSON `LoadConfig` on standard input and prints one JSON `LoadResult`
on standard output. Each of `concurrency` connections sends one request,
reads the whole response, and sends the next (closed loop), for `warmup` +
`duration` seconds; only responses completed inside the `duration` window
are counted and timed. Raw asyncio streams rather than an HTTP client
library, so the generator spends little CPU of the machine it shares with
the server. Importing this module imports nothing of the service.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass, field

__all__ = ["LoadConfig", "LoadResult", "percentile", "run_load"]


@dataclass(frozen=True)
class LoadConfig:
    port: int
    paths: list[str]  # each request picks one at random
    host: str = "127.0.0.1"
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # JSON text; every `{n}` becomes a value unique to the request
    tag: str = "run"  # part of `{n}`, so two runs never repeat a value
    concurrency: int = 16
    duration: float = 10.0
    warmup: float = 2.0


@dataclass
class LoadResult:
    requests: int  # responses completed inside the window
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    statuses: dict[str, int]  # inside the window
    errors: int  # broken connections, malformed responses
    total_responses: int  # warm-up and stragglers after the window included

    @property
    def non_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not status.startswith("2"))


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class _Tally:
    def __init__(self) -> None:
        self.latencies_ns: list[int] = []
        self.statuses: dict[str, int] = {}
        self.errors = 0
        self.total = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the connection stays open; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, keep_alive


def _request(config: LoadConfig, path: str, body: bytes) -> bytes:
    lines = [f"{config.method} {path} HTTP/1.1", f"Host: {config.host}:{config.port}"]
    lines += [f"{name}: {value}" for name, value in config.headers.items()]
    if config.body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _worker(index: int, config: LoadConfig, window: tuple[int, int], tally: _Tally) -> None:
    start_ns, end_ns = window
    pick = random.Random(index).choice
    sent = 0
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.perf_counter_ns() < end_ns:
        if connection is None:
            try:
                connection = await asyncio.open_connection(config.host, config.port)
            except OSError:
                tally.errors += 1
                await asyncio.sleep(0.01)
                continue
        reader, writer = connection
        body = b"" if config.body is None else config.body.replace("{n}", f"{config.tag}-{index}-{sent}").encode()
        request = _request(config, pick(config.paths), body)
        sent += 1
        began = time.perf_counter_ns()
        try:
            writer.write(request)
            status, keep_alive = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError):
            tally.errors += 1
            writer.close()
            connection = None
            continue
        done = time.perf_counter_ns()
        tally.total += 1
        if start_ns <= done <= end_ns:
            tally.latencies_ns.append(done - began)
            key = str(status)
            tally.statuses[key] = tally.statuses.get(key, 0) + 1
        if not keep_alive:
            writer.close()
            connection = None
    if connection is not None:
        connection[1].close()


async def run_load(config: LoadConfig) -> LoadResult:
    tally = _Tally()
    now = time.perf_counter_ns()
    start_ns = now + int(config.warmup * 1e9)
    end_ns = start_ns + int(config.duration * 1e9)
    await asyncio.gather(*(_worker(i, config, (start_ns, end_ns), tally) for i in range(config.concurrency)))
    ms = sorted(ns / 1e6 for ns in tally.latencies_ns)
    count = len(ms)
    return LoadResult(
        requests=count,
        seconds=config.duration,
        rps=count / config.duration,
        p50_ms=percentile(ms, 0.50),
        p90_ms=percentile(ms, 0.90),
        p99_ms=percentile(ms, 0.99),
        max_ms=ms[-1] if ms else float("nan"),
        mean_ms=sum(ms) / count if count else float("nan"),
        statuses=dict(sorted(tally.statuses.items())),
        errors=tally.errors,
        total_responses=tally.total,
    )


def main() -> int:
    config = LoadConfig(**json.load(sys.stdin))
    result = asyncio.run(run_load(config))
    json.dump(asdict(result), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
