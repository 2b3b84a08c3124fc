"""The one table: every measure side by side with its baseline; copies under bench-results/."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.cold_start import ColdStart
from benchmarks.http_load import HttpResult
from benchmarks.pagination import FAR_PAGE, LIMIT, PageResult
from benchmarks.per_call import PerCallResult
from service.paths import ROOT

__all__ = ["RESULTS_DIR", "Row", "build_rows", "environment", "render", "write_results"]

RESULTS_DIR = ROOT / "bench-results"
REFERENCE = "FastAPI + SQLAlchemy ORM"


@dataclass(frozen=True)
class Row:
    measure: str
    atelier: str
    baseline: str
    verdict: str  # how Atelier compares
    baseline_is: str


def _lower_is_better(a: float, b: float) -> str:
    return f"{b / a:.2f}x faster" if a <= b else f"{a / b:.2f}x slower"


def _higher_is_better(a: float, b: float) -> str:
    return f"{a / b:.2f}x more" if a >= b else f"{b / a:.2f}x fewer"


def _smaller_is_better(a: float, b: float) -> str:
    return f"{b / a:.2f}x smaller" if a <= b else f"{a / b:.2f}x larger"


def _overhead(a: float, b: float) -> str:
    return f"{(a / b - 1) * 100:+.1f}% overhead"


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def _per_call_rows(per_call: list[PerCallResult]) -> list[Row]:
    rows: list[Row] = []
    for p in per_call:
        what = f"per call: {p.query} ({p.rows} row{'s' if p.rows != 1 else ''}), µs"
        layer = f"{p.layer_us:.1f}"
        rows.append(
            Row(what, layer, f"{p.record_us:.1f}", _overhead(p.layer_us, p.record_us), "asyncpg by hand, Records")
        )
        rows.append(
            Row(what, layer, f"{p.model_us:.1f}", _overhead(p.layer_us, p.model_us), "asyncpg + pydantic by hand")
        )
    return rows


def _http_rows(http: list[HttpResult]) -> list[Row]:
    rows: list[Row] = []
    by_endpoint: dict[str, dict[str, HttpResult]] = {}
    for h in http:
        by_endpoint.setdefault(h.endpoint, {})[h.app] = h
    for endpoint, apps in by_endpoint.items():
        a, r = apps["atelier"].result, apps["reference"].result
        bad = {app: h.result.non_2xx + h.result.errors for app, h in apps.items()}
        note = REFERENCE
        if any(bad.values()):
            note += f"; NON-2XX/ERRORS: atelier {bad['atelier']}, reference {bad['reference']}"
        rows += [
            Row(f"HTTP {endpoint}: req/s", f"{a.rps:,.0f}", f"{r.rps:,.0f}", _higher_is_better(a.rps, r.rps), note),
            Row(
                f"HTTP {endpoint}: p50 ms",
                f"{a.p50_ms:.1f}",
                f"{r.p50_ms:.1f}",
                _lower_is_better(a.p50_ms, r.p50_ms),
                note,
            ),
            Row(
                f"HTTP {endpoint}: p99 ms",
                f"{a.p99_ms:.1f}",
                f"{r.p99_ms:.1f}",
                _lower_is_better(a.p99_ms, r.p99_ms),
                note,
            ),
        ]
    return rows


def _page_rows(pages: list[PageResult]) -> list[Row]:
    if not pages:
        return []
    page = {(p.app, p.page): p for p in pages}
    rows: list[Row] = []
    for n in (1, FAR_PAGE):
        a, r = page[("atelier", n)], page[("reference", n)]
        rows.append(
            Row(
                f"GET /v1/workshops?limit={LIMIT} page {n:,}: median ms",
                f"{a.median_ms:.2f}" + ("" if n == 1 else " (cursor)"),
                f"{r.median_ms:.2f}" + ("" if n == 1 else f" ({r.how})"),
                _lower_is_better(a.median_ms, r.median_ms),
                REFERENCE + ", OFFSET paging",
            )
        )
    a_ratio = page[("atelier", FAR_PAGE)].median_ms / page[("atelier", 1)].median_ms
    r_ratio = page[("reference", FAR_PAGE)].median_ms / page[("reference", 1)].median_ms
    rows.append(Row(f"page {FAR_PAGE:,} / page 1, time", f"{a_ratio:.2f}x", f"{r_ratio:.2f}x", "", "flat is 1.00x"))
    return rows


def build_rows(
    per_call: list[PerCallResult],
    http: list[HttpResult],
    pages: list[PageResult],
    cold: list[ColdStart],
    peak_rss: dict[str, int],
) -> list[Row]:
    rows = _per_call_rows(per_call) + _http_rows(http) + _page_rows(pages)
    starts = {c.app: c for c in cold}
    a_start, r_start = starts["atelier"], starts["reference"]
    rows.append(
        Row(
            f"cold start: process start to first 200 from /ready, median of {len(a_start.runs)}, s",
            f"{a_start.median:.2f}",
            f"{r_start.median:.2f}",
            _lower_is_better(a_start.median, r_start.median),
            REFERENCE,
        )
    )
    a_rss, r_rss = peak_rss["atelier"], peak_rss["reference"]
    rows.append(
        Row("server peak RSS after the load", _mib(a_rss), _mib(r_rss), _smaller_is_better(a_rss, r_rss), REFERENCE)
    )
    return rows


def render(rows: list[Row], caption: str) -> str:
    header = ("measure", "Atelier", "baseline", "Atelier vs baseline", "baseline is")
    cells = [header, *((r.measure, r.atelier, r.baseline, r.verdict, r.baseline_is) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = {1, 2}

    def line(row: tuple[str, ...]) -> str:
        padded = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([caption, "", line(header), rule, *(line(r) for r in cells[1:])])


def environment(server_version: str) -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for name in ("litestar", "aiosql", "asyncpg", "pydantic", "uvicorn", "fastapi", "sqlalchemy"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "postgresql": server_version,
        "packages": packages,
    }


def write_results(table: str, rows: list[Row], data: dict[str, Any]) -> Path:
    """bench-results/<UTC time>.{md,json}, and latest.{md,json}; returns the markdown copy."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {"rows": [asdict(r) for r in rows], **data}
    text = json.dumps(document, indent=2, default=str) + "\n"
    markdown = f"# make bench, {stamp}\n\n{table}\n"
    for stem in (stamp, "latest"):
        (RESULTS_DIR / f"{stem}.json").write_text(text, encoding="utf-8")
        (RESULTS_DIR / f"{stem}.md").write_text(markdown, encoding="utf-8")
    return RESULTS_DIR / f"{stamp}.md"
