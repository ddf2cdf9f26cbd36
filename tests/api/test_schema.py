"""The committed OpenAPI schema (docs/api/openapi.yaml) is the API's contract: this test
fails when the code and the file disagree. ``make schema`` writes the file again."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "api" / "openapi.yaml"


def test_the_committed_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    result = subprocess.run(  # noqa: S603  (our own manage.py)
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--lang",
            "en",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(generated),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "gesprekscyclus.conf.ci"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/api/openapi.yaml is out of date: run `make schema` and commit the result"
    )


def test_every_operation_documents_its_problem_responses():
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("401", "403"):
                assert "application/problem+json" in responses[code]["content"], (method, path, code)


def test_the_schema_and_the_interactive_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/employees/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"<script" in docs.content and b"<script>" not in docs.content  # no inline script (CSP)
