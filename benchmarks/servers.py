"""The two apps as their own processes: uvicorn, one worker, asyncio loop, h11, log level warning.

Atelier starts the way operators start it, `python -m service serve` with
`DATABASE_URL` and `PORT`; the reference with `python -m uvicorn
benchmarks.reference.app:app`. Both keep a pool of at most 10 connections.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import psutil  # type: ignore[import-untyped]

from service.paths import ROOT

__all__ = ["APPS", "App", "Server", "free_port", "start_server"]

App = Literal["atelier", "reference"]
APPS: tuple[App, ...] = ("atelier", "reference")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(app: App, database_url: str, port: int) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REFERENCE_"))}
    if app == "atelier":
        env |= {
            "DATABASE_URL": database_url,
            "DATABASE_POOL_MIN": "1",
            "DATABASE_POOL_MAX": "10",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "warning",
        }
        return [sys.executable, "-m", "service", "serve"], env
    env["REFERENCE_DATABASE_URL"] = database_url
    argv = [
        sys.executable, "-m", "uvicorn", "benchmarks.reference.app:app", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return argv, env


def _ready(port: int) -> tuple[int | None, str]:
    """Status and body of GET /ready; None while nothing listens."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            response = s.makefile("rb").read()
    except OSError:
        return None, ""
    head, _, body = response.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return status, body.decode(errors="replace")


@dataclass
class Server:
    app: App
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    seconds_to_ready: float  # process start to the first 200 from /ready

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def peak_rss(self) -> int:
        """Bytes: the kernel's high-water mark of the process's resident set (VmHWM)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return int(psutil.Process(self.process.pid).memory_info().rss)

    def rss(self) -> int:
        return int(psutil.Process(self.process.pid).memory_info().rss)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(app: App, database_url: str, log_dir: Path, timeout: float = 60) -> Server:
    """Start one app and wait for its first 200 from /ready (polled every 5 ms)."""
    port = free_port()
    argv, env = _command(app, database_url, port)
    log = log_dir / f"{app}-{port}.log"
    stream: IO[bytes] = log.open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    stream.close()
    while True:
        status, body = _ready(port)
        if status == 200:
            return Server(app, port, process, log, time.perf_counter() - started)
        if process.poll() is not None or time.perf_counter() - started > timeout:
            process.kill()
            process.wait()
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(
                f"{app} did not become ready: last /ready {status} {body[:300]}\n"
                "(a migration added to db/migrations during the run makes /ready answer 503: run again)\n"
                f"{app}'s log ends:\n{tail}"
            )
        time.sleep(0.005)
