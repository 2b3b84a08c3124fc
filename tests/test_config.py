"""Configuration is validated at start-up: one clear line, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from service.config import ConfigError, load_settings
from service.paths import ROOT


def test_defaults_follow_the_spec() -> None:
    settings = load_settings({})
    assert settings.database_url is None
    assert (settings.database_pool_min, settings.database_pool_max) == (1, 10)
    assert settings.database_pool_mode == "session"
    assert settings.database_statement_timeout_ms == 5000
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert (settings.log_level, settings.log_format) == ("info", "console")


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://u@h:notaport/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://u@h:5432/"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_POOL_MAX": "0"}, "DATABASE_POOL_MAX"),
        ({"DATABASE_POOL_MIN": "many"}, "DATABASE_POOL_MIN"),
        ({"DATABASE_POOL_MODE": "statement"}, "DATABASE_POOL_MODE"),
        ({"DATABASE_STATEMENT_TIMEOUT_MS": "-5"}, "DATABASE_STATEMENT_TIMEOUT_MS"),
        ({"PORT": "70000"}, "PORT"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_values_name_their_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert str(error.value).startswith(f"{variable} is invalid:")
    assert "\n" not in str(error.value)


def test_pool_min_above_max_is_refused() -> None:
    with pytest.raises(ConfigError, match="DATABASE_POOL_MIN"):
        load_settings({"DATABASE_POOL_MIN": "5", "DATABASE_POOL_MAX": "2"})


def test_accepts_postgresql_scheme_and_transaction_mode() -> None:
    settings = load_settings(
        {"DATABASE_URL": "postgresql://u:p@db.internal:6432/app?sslmode=require", "DATABASE_POOL_MODE": "TRANSACTION"}
    )
    assert settings.database_pool_mode == "transaction"


@pytest.mark.parametrize("command", [["serve"], ["migrate"], ["keys", "list"], ["check-queries"]])
def test_malformed_database_url_ends_the_process_with_one_line(command: list[str]) -> None:
    env = dict(os.environ, DATABASE_URL="postgres://user@host:99999/db")
    result = subprocess.run(
        [sys.executable, "-m", "service", *command], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0] and "Traceback" not in result.stderr
