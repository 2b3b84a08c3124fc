"""`python -m benchmarks` (`make bench`): every measure of SPEC section 12 in one run, one table.

1. per call: the query layer (aiosql + pydantic) against asyncpg by hand, same SQL;
2. HTTP req/s, p50, p99 of three endpoints, Atelier against the FastAPI +
   SQLAlchemy ORM reference in benchmarks/reference/, each its own process;
3. list pagination: page 1 against page 1,000 (limit 100, 100,000 rows);
4. cold start: process start to the first 200 from /ready;
and each server's peak RSS after the load. Everything runs against a
dedicated PostgreSQL cluster in a temporary directory, removed afterwards.
Progress goes to standard error, the table to standard output, copies to
bench-results/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from dataclasses import asdict

from benchmarks.cold_start import run_cold_start
from benchmarks.database import BenchCluster, say
from benchmarks.http_load import run_http
from benchmarks.pagination import run_pagination
from benchmarks.per_call import run_per_call
from benchmarks.report import build_rows, environment, render, write_results
from benchmarks.servers import APPS, App, Server, start_server


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--workshops", type=int, default=100_000, help="workshops seeded (default 100,000)")
    add("--hot", type=int, default=1_000, help="of which with steps and members, hit by the load (default 1,000)")
    add("--steps", type=int, default=10, help="steps of each hot workshop (default 10)")
    add("--iterations", type=int, default=20_000, help="per-call: calls per variant, one-row query (default 20,000)")
    add("--rounds", type=int, default=20, help="per-call: interleaved rounds they are split into (default 20)")
    add("--concurrency", type=int, default=16, help="HTTP: open connections (default 16)")
    add("--duration", type=float, default=10, help="HTTP: measured seconds per endpoint and app (default 10)")
    add("--warmup", type=float, default=2, help="HTTP: unmeasured seconds before that (default 2)")
    add("--page-samples", type=int, default=30, help="pagination: timed requests per page (default 30)")
    add("--cold-runs", type=int, default=5, help="cold start: runs per app (default 5)")
    add("--quick", action="store_true", help="a fast, rough run to try the harness")
    add("--keep", action="store_true", help="keep the cluster and the server logs in their temporary directory")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.iterations, args.rounds, args.duration, args.warmup = 1_000, 4, 2, 0.5
        args.page_samples, args.cold_runs = 5, 1
    began = time.monotonic()
    load_before = os.getloadavg()[0]
    with BenchCluster(keep=args.keep) as cluster:
        seeded = cluster.seed(args.workshops, args.hot, args.steps)
        per_call = asyncio.run(run_per_call(seeded.url, seeded.hot_workshop_ids[0], args.iterations, args.rounds))
        servers: dict[App, Server] = {}
        try:
            for app in APPS:
                servers[app] = start_server(app, seeded.url, cluster.directory)
            http = run_http(servers, seeded, args.concurrency, args.duration, args.warmup)
            pages = run_pagination(servers, seeded, args.page_samples) if args.workshops >= 100_000 else []
            peak_rss: dict[str, int] = {app: server.peak_rss() for app, server in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
        cold = run_cold_start(seeded.url, args.cold_runs, cluster.directory)
    load_after = os.getloadavg()[0]
    env = environment(seeded.server_version)
    caption = (
        f"Atelier vs baselines: {env['cpus']} CPUs, Python {env['python']}, PostgreSQL {env['postgresql']}; "
        f"{seeded.workshops:,} workshops; HTTP: {args.concurrency} keep-alive connections, "
        f"{args.duration:g}s measured after {args.warmup:g}s warm-up per endpoint and app, "
        "both apps checking the same bearer key; load generator, servers and PostgreSQL share the machine; "
        f"1-minute load average {load_before:.1f} before, {load_after:.1f} after."
    )
    if load_before > (os.cpu_count() or 1):
        caption += " WARNING: the machine was busy before the run started; expect noisy figures."
    if not pages:
        say("pagination skipped: it needs --workshops of at least 100,000")
    rows = build_rows(per_call, http, pages, cold, peak_rss)
    table = render(rows, caption)
    data = {
        "environment": env,
        "settings": dict(vars(args)),
        "per_call": [asdict(p) for p in per_call],
        "http": [asdict(h) for h in http],
        "pagination": [asdict(p) for p in pages],
        "cold_start": [asdict(c) for c in cold],
        "peak_rss_bytes": peak_rss,
        "load_average": {"before": load_before, "after": load_after},
        "seconds": round(time.monotonic() - began, 1),
    }
    written = write_results(table, rows, data)
    print(table)
    say(f"done in {time.monotonic() - began:.0f}s; copies in {written.parent.name}/{written.name} and latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
