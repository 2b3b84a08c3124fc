"""Cold start: process start to the first 200 from /ready, median of a few runs per app."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from benchmarks.database import say
from benchmarks.servers import APPS, App, start_server

__all__ = ["ColdStart", "run_cold_start"]


@dataclass(frozen=True)
class ColdStart:
    app: App
    runs: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def run_cold_start(database_url: str, runs: int, log_dir: Path) -> list[ColdStart]:
    """The apps alternate run by run; each process is stopped before the next starts."""
    seconds: dict[App, list[float]] = {app: [] for app in APPS}
    for _ in range(runs):
        for app in APPS:
            server = start_server(app, database_url, log_dir)
            server.stop()
            seconds[app].append(server.seconds_to_ready)
    results = [ColdStart(app, runs) for app, runs in seconds.items()]
    for result in results:
        say(f"{result.app:9} cold start: median {result.median:.2f}s of {', '.join(f'{s:.2f}' for s in result.runs)}")
    return results
