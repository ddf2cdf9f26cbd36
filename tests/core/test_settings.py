"""The settings read the environment and refuse an unsafe or malformed one.

The settings module runs once per process, so each configuration is imported in a fresh
Python subprocess with a controlled environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gesprekscyclus.conf.env import env, envbool, envint, envlist

ROOT = Path(__file__).resolve().parents[2]

# Variables the settings read; cleared so the developer's or CI's environment cannot leak
# into the subprocess.
SETTINGS_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "PLAIN_STATICFILES",
    "EMAIL_BACKEND",
    "DB_CONN_MAX_AGE",
)


def run_settings(tmp_path, code: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES and not key.endswith("_FILE")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="gesprekscyclus.conf.settings",
        PYTHONPATH=str(ROOT / "src"),
        VAR_DIR=str(tmp_path),
        **variables,
    )
    return subprocess.run(  # noqa: S603 (fixed interpreter and arguments)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({k: str(v) for k, v in settings.DATABASES['default'].items() if k != 'OPTIONS'}))"
)


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off(tmp_path):
    result = run_settings(tmp_path, "import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_refuse_an_empty_secret_key_when_debug_is_off(tmp_path):
    result = run_settings(tmp_path, "import django; django.setup()", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_without_secret_key_uses_the_development_key(tmp_path):
    code = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
    result = run_settings(tmp_path, code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "insecure" in result.stdout


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-file-0123456789\n", encoding="utf-8")
    code = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
    result = run_settings(tmp_path, code, DEBUG="false", SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-0123456789"


def test_database_url_selects_postgresql(tmp_path):
    result = run_settings(
        tmp_path, PRINT_DATABASE, DEBUG="false", SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@h:5432/db"
    )
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "db",
        "u",
        "h",
        "5432",
    )


def test_without_database_url_sqlite_lives_in_var_dir(tmp_path):
    result = run_settings(tmp_path, PRINT_DATABASE, DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "gesprekscyclus.sqlite3"


def test_malformed_debug_value_stops_the_settings(tmp_path):
    result = run_settings(tmp_path, "import django; django.setup()", DEBUG="maybe", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " yes "])
def test_envbool_reads_true(monkeypatch, value):
    monkeypatch.setenv("GC_TEST_FLAG", value)
    assert envbool("GC_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off"])
def test_envbool_reads_false(monkeypatch, value):
    monkeypatch.setenv("GC_TEST_FLAG", value)
    assert envbool("GC_TEST_FLAG", True) is False


@pytest.mark.parametrize("value", [None, ""])
def test_envbool_missing_or_empty_is_the_default(monkeypatch, value):
    monkeypatch.delenv("GC_TEST_FLAG", raising=False)
    monkeypatch.delenv("GC_TEST_FLAG_FILE", raising=False)
    if value is not None:
        monkeypatch.setenv("GC_TEST_FLAG", value)
    assert envbool("GC_TEST_FLAG", True) is True
    assert envbool("GC_TEST_FLAG", False) is False


def test_envbool_rejects_maybe(monkeypatch):
    monkeypatch.setenv("GC_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="GC_TEST_FLAG must be true or false"):
        envbool("GC_TEST_FLAG", False)


def test_envint_rejects_a_word_and_reads_a_number(monkeypatch):
    monkeypatch.setenv("GC_TEST_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="GC_TEST_NUMBER must be a whole number"):
        envint("GC_TEST_NUMBER", 1)
    monkeypatch.setenv("GC_TEST_NUMBER", "12")
    assert envint("GC_TEST_NUMBER", 1) == 12


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("GC_TEST_LIST", " a.example , b.example,, ")
    assert envlist("GC_TEST_LIST", []) == ["a.example", "b.example"]


def test_env_file_variant_wins_and_is_stripped(monkeypatch, tmp_path):
    value_file = tmp_path / "value"
    value_file.write_text("from file\n", encoding="utf-8")
    monkeypatch.setenv("GC_TEST_VALUE", "from environment")
    monkeypatch.setenv("GC_TEST_VALUE_FILE", str(value_file))
    assert env("GC_TEST_VALUE") == "from file"
