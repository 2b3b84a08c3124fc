"""Property-based tests from the OpenAPI document (schemathesis): the API keeps what it documents.

Schemathesis generates valid and invalid requests for every operation, plus
stateful sequences that follow the created ids, and checks each answer: never
a 5xx, a documented status, content type, headers and body schema, invalid
input refused, and no access without a key.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Api

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
    ]
)


def test_every_operation_keeps_its_documented_contract(api: Api) -> None:
    binary = Path(sys.executable).parent / "schemathesis"
    result = subprocess.run(
        [
            str(binary), "run", f"{api.url}/schema/openapi.json",
            "--header", f"Authorization: Bearer {api.write_key}",
            "--checks", CHECKS,
            "--max-examples", "20",
            "--workers", "1",
            "--seed", "7",
            "--no-color",
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
