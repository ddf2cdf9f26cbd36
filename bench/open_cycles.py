"""Benchmark: open a period's cycles for a large organisation, then run it again.

    .venv/bin/python bench/open_cycles.py                  # 200,000 employees on PostgreSQL
    .venv/bin/python bench/open_cycles.py --employees 20000 --database-url sqlite:////tmp/bench.sqlite3

It creates (or reuses) a separate database, ``gesprekscyclus_bench`` on the local
PostgreSQL server by default, fills it with one organisation of N employees in a tree of
units (once; later runs reuse it), puts the Heemstede preset in force, deletes the
period's cycles, and then times:

1. ``open_cycles`` for the period: every employee gets a cycle (target: under 20 s);
2. the same again: nothing to do (target: under 2 s).

The figures are appended to ``bench/results.jsonl`` and printed. Nothing here is a test:
timings depend on the machine, so they are recorded, not asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gesprekscyclus_bench"
ORGANISATION = "Benchmarkgemeente"
PERIOD = 2027
UNITS = 400


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    return parser.parse_args()


def _ensure_postgres_database(url: str) -> None:
    """Create the benchmark database on the server when it does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gesprekscyclus.conf.ci")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(employees: int, progress) -> None:
    """One organisation with ``UNITS`` units in three levels and ``employees`` people."""
    from django.db import transaction

    from gesprekscyclus.organisations.models import Appointment, Employee, Organisation, OrgUnit
    from gesprekscyclus.organisations.services import units_refresh_paths

    organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION)
    have = Employee.objects.filter(organisation=organisation).count()
    if have >= employees:
        return
    with transaction.atomic():
        if not OrgUnit.objects.filter(organisation=organisation).exists():
            root = OrgUnit.objects.create(organisation=organisation, code="U0000", name="Gemeente")
            sectors = OrgUnit.objects.bulk_create(
                [
                    OrgUnit(
                        organisation=organisation, code=f"U{index:04d}", name=f"Sector {index}", parent=root
                    )
                    for index in range(1, 20)
                ]
            )
            OrgUnit.objects.bulk_create(
                [
                    OrgUnit(
                        organisation=organisation,
                        code=f"U{index:04d}",
                        name=f"Team {index}",
                        parent=sectors[index % len(sectors)],
                    )
                    for index in range(20, UNITS)
                ]
            )
            units_refresh_paths(organisation=organisation)
        unit_ids = list(OrgUnit.objects.filter(organisation=organisation).values_list("id", flat=True))
        start = datetime.date(2000, 1, 1)
        batch: list[Employee] = []
        for number in range(have, employees):
            probation = number % 50 == 0
            employment_start = start + datetime.timedelta(days=number % 9000)
            if probation:
                employment_start = datetime.date(PERIOD, 1 + number % 12, 1)
            batch.append(
                Employee(
                    organisation=organisation,
                    personnel_number=f"B{number:07d}",
                    first_name="Bench",
                    last_name=f"Medewerker {number}",
                    email=f"b{number}@bench.example",
                    unit_id=unit_ids[number % len(unit_ids)],
                    employment_start=employment_start,
                    appointment=Appointment.PROBATION if probation else Appointment.PERMANENT,
                    probation_end=(employment_start + datetime.timedelta(days=364) if probation else None),
                )
            )
            if len(batch) == 5000:
                Employee.objects.bulk_create(batch)
                batch.clear()
                progress("create employees", number + 1, employees)
        Employee.objects.bulk_create(batch)
        progress("create employees", employees, employees)


def main() -> int:
    arguments = _arguments()
    url = arguments.database_url
    if url.startswith("postgres"):
        _ensure_postgres_database(url)
    _setup_django(url)

    from django.db import connection

    from gesprekscyclus.core.progress import ProgressPrinter
    from gesprekscyclus.cycles.models import Cycle
    from gesprekscyclus.cycles.services import cycles_open
    from gesprekscyclus.organisations.models import Employee, Organisation
    from gesprekscyclus.regulations.services import read_regulation_source, regulation_load

    progress = ProgressPrinter()
    _populate(arguments.employees, progress)
    organisation = Organisation.objects.get(name=ORGANISATION)
    employees = Employee.objects.filter(organisation=organisation).count()
    filename, text = read_regulation_source("heemstede")
    regulation_load(
        organisation=organisation, filename=filename, text=text, in_force_from=datetime.date(2020, 1, 1)
    )
    Cycle.objects.filter(organisation=organisation, year=PERIOD).delete()
    today = datetime.date(PERIOD - 1, 12, 1)

    began = time.perf_counter()
    first = cycles_open(organisation=organisation, year=PERIOD, today=today, progress=progress)
    first_seconds = time.perf_counter() - began
    began = time.perf_counter()
    again = cycles_open(organisation=organisation, year=PERIOD, today=today, progress=progress)
    again_seconds = time.perf_counter() - began

    record = {
        "benchmark": "open_cycles",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "employees": employees,
        "first_run_seconds": round(first_seconds, 2),
        "first_run_created": first.created,
        "rerun_seconds": round(again_seconds, 2),
        "rerun_created": again.created,
        "targets": {"first_run_seconds": 20, "rerun_seconds": 2},
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
    }
    with open(arguments.results, "a", encoding="utf-8") as results:
        results.write(json.dumps(record) + "\n")
    print(
        f"open_cycles on {record['database']} for {employees} employees: "
        f"first run {record['first_run_seconds']} s ({first.created} cycles), "
        f"re-run {record['rerun_seconds']} s ({again.created} created). Written to {arguments.results}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
