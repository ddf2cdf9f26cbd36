"""Production settings pass Django's deployment checks, and the security headers are there."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            values[match[1]] = match[2]
    return values


def deploy_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        **env_example(),
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(60),
        **overrides,
    }
    environment.pop("DATABASE_URL")  # no PostgreSQL here; the checks do not need a database
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_production_environment_of_env_example_passes_the_deployment_checks(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deployment_check_fails_on_a_weak_secret_key_or_plain_cookies(tmp_path):
    weak = deploy_check(tmp_path, SECRET_KEY="change-me-to-a-long-random-string")
    assert weak.returncode != 0
    assert "security.W009" in weak.stderr
    plain = deploy_check(tmp_path, SECURE_COOKIES="false")
    assert plain.returncode != 0
    assert "security.W012" in plain.stderr


@pytest.fixture
def production(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


def test_the_login_page_has_a_strict_content_security_policy(client, db):
    response = client.get(reverse("accounts:login"))
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())
    assert " style=" not in response.content.decode()


def test_production_answers_with_hsts_no_framing_and_secure_cookies(client, db, production):
    assert client.get(reverse("accounts:login"))["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.cookies["csrftoken"]["secure"]
    assert response.cookies["csrftoken"]["httponly"]
    assert client.get("/health/").status_code == 200  # load balancers may use plain HTTP


def test_the_session_cookie_is_secure_and_not_readable_by_scripts(cast, client, production):
    response = client.post(
        reverse("accounts:login"),
        {"username": cast.user("employee").email, "password": "correct horse battery staple"},
        secure=True,
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
