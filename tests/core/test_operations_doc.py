"""docs/operations.md and the Dockerfile stay true: the commands they name exist, the
environment variables they name are read by the settings, the image's health check asks
the health view, and the image installs the pinned versions."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import resolve

from gesprekscyclus.core.views import health

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
DOCKERFILE = ROOT / "Dockerfile"
CONF = ROOT / "src" / "gesprekscyclus" / "conf"

# `manage.py migrate`, `"manage.py", "run_worker"` (JSON arrays), and the doc's cron wrapper.
COMMAND = re.compile(r"""(?:manage\.py|gesprekscyclus-manage)(?:["']\s*,\s*["']|[ \t]+)([a-z][a-z0-9_]*)""")
# Upper-case names with an underscore (`MEDIA_ROOT`), assigned (`BIND=…`) or in backticks (`DEBUG`).
NAME = re.compile(r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b|\b([A-Z][A-Z0-9_]*)=|`([A-Z][A-Z0-9_]*)`")
READ = re.compile(
    r"""\b(?:env|envbool|envint|envlist|os\.environ\.get|os\.getenv)\(\s*["']([A-Z0-9_]+)["']"""
)

# Upper-case names in the two files that are not Gesprekscyclus settings, and who reads them.
NOT_OURS = {
    "DJANGO_SETTINGS_MODULE",  # Django
    "PYTHONPATH",  # Python
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PIP_NO_CACHE_DIR",  # pip, at build time
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "POSTGRES_DB",  # the postgres image in the Compose example
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "HEALTHCHECK",  # a Dockerfile instruction
    "MAILTO",  # cron
    "SIGTERM",  # a signal
    "ERROR",  # a log level
}


def texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in (OPERATIONS, DOCKERFILE)}


def read_by_settings() -> set[str]:
    return {name for path in CONF.glob("*.py") for name in READ.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("name", ["operations.md", "Dockerfile"])
def test_every_manage_py_command_named_exists(name):
    named = set(COMMAND.findall(texts()[name]))
    assert named, f"{name} names no manage.py command: has the pattern stopped matching?"
    missing = sorted(named - set(get_commands()))
    assert not missing, f"{name} names commands that do not exist: {missing}"


@pytest.mark.parametrize("name", ["operations.md", "Dockerfile"])
def test_every_environment_variable_named_is_read_by_the_settings(name):
    named = {"".join(groups) for groups in NAME.findall(texts()[name])} - NOT_OURS
    read = read_by_settings()
    # Every variable can also be given as NAME_FILE (conf/env.py).
    missing = sorted(v for v in named if v not in read and v.removesuffix("_FILE") not in read)
    assert not missing, f"{name} names variables that src/gesprekscyclus/conf/ does not read: {missing}"


def test_the_patterns_see_what_the_doc_names():
    """Guards the guards: a few names the doc must mention are found by the patterns."""
    text = texts()["operations.md"]
    assert {"run_worker", "run_daily", "migrate", "verify_dossiers"} <= set(COMMAND.findall(text))
    named = {"".join(groups) for groups in NAME.findall(text)}
    assert {"DATABASE_URL", "SECRET_KEY", "WEB_CONCURRENCY", "BIND", "TASKS_BACKEND"} <= named


def test_the_image_health_check_asks_the_health_view():
    dockerfile = texts()["Dockerfile"]
    healthcheck = re.search(r"^HEALTHCHECK .*?(?<!\\)$", dockerfile, re.MULTILINE | re.DOTALL)
    assert healthcheck, "the Dockerfile has no HEALTHCHECK"
    url = re.search(r"http://127\.0\.0\.1:8000(/[^'\"\s]*)", healthcheck[0])
    assert url, "the HEALTHCHECK asks no http://127.0.0.1:8000/... URL"
    assert resolve(url[1]).func is health
    assert "EXPOSE 8000" in dockerfile


def test_the_image_installs_the_pinned_versions_and_runs_gunicorn_as_documented():
    dockerfile = texts()["Dockerfile"]
    assert re.search(r"^RUN pip install -r requirements/base\.txt -c constraints\.txt$", dockerfile, re.M)
    assert re.search(r"^COPY constraints\.txt ", dockerfile, re.M)
    command = "gunicorn -c python:gesprekscyclus.conf.gunicorn gesprekscyclus.conf.wsgi"
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd and " ".join(re.findall(r'"([^"]*)"', cmd[1])) == command
    assert command in texts()["operations.md"]
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "the image must not run as root"
