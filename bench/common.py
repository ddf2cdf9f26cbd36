"""What the benchmarks share: the benchmark database and a synthetic organisation.

``generate.py`` fills it with a synthetic installation; ``load.py`` and ``commands.py``
measure it; ``report.py`` writes the figures into docs/performance.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gesprekscyclus_bench"
ORGANISATION = "Benchmarkgemeente"


def _server(url: str):
    """The benchmark database's name, and a connection to its server's ``postgres``
    database (autocommit, for creating and dropping databases)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    connection = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    return config["NAME"], connection


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database on the server when it does not exist yet."""
    name, server = _server(url)
    with server as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gesprekscyclus.conf.ci")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop_postgres_database(url: str) -> None:
    """Drop the benchmark database (for a fresh generation); never any other."""
    import dj_database_url

    name = dj_database_url.parse(url)["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: only a database with 'bench' in its name.")
    _name, server = _server(url)
    with server as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
