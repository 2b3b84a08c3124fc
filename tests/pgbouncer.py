"""A real PgBouncer in transaction pooling mode, in front of the test PostgreSQL server.

Neon's pooled URLs and most managed PostgreSQL offerings put PgBouncer in
transaction mode between the service and the server: a client keeps a
server connection only for one transaction, so no session state (named
prepared statements, SET, advisory locks) survives between transactions.
The tests run the service through one to prove it copes (SPEC 5).

PgBouncer refuses to run as root, so as root it runs as the embedded
server's system user, like PostgreSQL itself (see service/embedded.py).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["PgBouncer", "PgBouncerMissing", "find_pgbouncer"]

_SYSTEM_USER = "pgserver"


class PgBouncerMissing(RuntimeError):
    """No pgbouncer binary: install it (Debian: apt-get install pgbouncer; .ci/run does)."""


def find_pgbouncer() -> str:
    for candidate in (shutil.which("pgbouncer"), "/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise PgBouncerMissing("pgbouncer is not installed: apt-get install pgbouncer (or see .ci/run)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_system_user() -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(_SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class PgBouncer:
    """One pgbouncer process, every database of the target server behind it, transaction pooling."""

    def __init__(self, server_url: str, *, pool_size: int = 4) -> None:
        self._binary = find_pgbouncer()
        target = urlsplit(server_url)
        password = f" password={target.password}" if target.password else ""
        self.directory = Path(tempfile.mkdtemp(prefix="atelier-pgbouncer-"))
        self.port = _free_port()
        self.log_file = self.directory / "pgbouncer.log"
        user = target.username or "postgres"
        (self.directory / "userlist.txt").write_text(f'"{user}" ""\n', encoding="utf-8")
        # Fewer server connections than the app's pool: clients must share them,
        # which is what transaction pooling is about.
        config = f"""\
[databases]
* = host={target.hostname} port={target.port or 5432}{password}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.directory / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
logfile = {self.log_file}
pidfile = {self.directory / "pgbouncer.pid"}
"""
        (self.directory / "pgbouncer.ini").write_text(config, encoding="utf-8")
        if os.geteuid() == 0:
            for path in [self.directory, *self.directory.iterdir()]:
                shutil.chown(path, _SYSTEM_USER)
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, database_url: str) -> str:
        """The same database as `database_url`, reached through this PgBouncer."""
        parts = urlsplit(database_url)
        user = parts.username or "postgres"
        return urlunsplit(parts._replace(netloc=f"{user}@127.0.0.1:{self.port}"))

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""

    def start(self) -> PgBouncer:
        self._process = subprocess.Popen(
            [self._binary, str(self.directory / "pgbouncer.ini")],
            cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **_as_system_user(),
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"pgbouncer did not start:\n{self.log()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PgBouncer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
