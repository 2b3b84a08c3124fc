"""Access (SPEC 8): bearer keys, read and write scopes, revocation, hashed storage."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import httpx
import pytest

from service.paths import ROOT
from tests.conftest import Api


def test_no_key_is_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.anonymous.get("/v1/workshops")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Basic dXNlcjpwYXNz", "Bearer", "atelier_xyz", "Bearer " + "a" * 5000, "Bearer \u00e9"]
)
def test_unknown_or_malformed_key_is_401(api: Api, header: str) -> None:
    response = httpx.get(f"{api.url}/v1/workshops", headers={"Authorization": header.encode("utf-8")})
    assert response.status_code == 401
    assert "www-authenticate" in response.headers


def test_read_key_reads_but_cannot_write(api: Api) -> None:
    assert api.reader.get("/v1/workshops").status_code == 200
    response = api.reader.post("/v1/workshops", json={"slug": "x", "title": "X"})
    assert response.status_code == 403
    assert response.json()["type"].endswith("/forbidden")
    with api.db() as db:
        assert db.execute("select count(*) from workshop").fetchone() == (0,)


def test_auth_comes_before_body_validation(api: Api) -> None:
    assert api.anonymous.post("/v1/workshops", content=b"{broken").status_code == 401
    assert api.reader.post("/v1/workshops", content=b"{broken").status_code == 403


def test_revoked_key_is_401_and_only_hashes_are_stored(api: Api) -> None:
    env = dict(os.environ, DATABASE_URL=api.database_url)
    created = subprocess.run(
        [sys.executable, "-m", "service", "keys", "create", "--name", "ci", "--scope", "write"],
        env=env, capture_output=True, text=True, cwd=ROOT, timeout=60, check=True,
    )  # fmt: skip
    secret = created.stdout.strip()
    assert created.stdout == secret + "\n", "stdout must hold the secret alone"
    headers = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(f"{api.url}/v1/workshops", headers=headers).status_code == 200
    with api.db() as db:
        key_id, digest, used = db.execute(
            "select id, secret_sha256, last_used_at from api_key where name = 'ci'"
        ).fetchone()
        assert bytes(digest) == hashlib.sha256(secret.encode()).digest()
        assert used is not None
        stored = db.execute("select string_agg(t::text, ' ') from api_key as t").fetchone()[0]
        assert secret not in stored
    listed = subprocess.run(
        [sys.executable, "-m", "service", "keys", "list"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert key_id in listed.stdout and secret not in listed.stdout
    revoked = subprocess.run(
        [sys.executable, "-m", "service", "keys", "revoke", key_id], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert revoked.returncode == 0, revoked.stderr
    assert httpx.get(f"{api.url}/v1/workshops", headers=headers).status_code == 401
    missing = subprocess.run(
        [sys.executable, "-m", "service", "keys", "revoke", "key_nope"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 1


def test_health_ready_and_docs_need_no_key(api: Api) -> None:
    assert api.anonymous.get("/health").json() == {"status": "ok"}
    assert api.anonymous.get("/ready").status_code == 200
    assert api.anonymous.get("/schema/openapi.json").status_code == 200
    assert api.anonymous.get("/schema").status_code == 200
