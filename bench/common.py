"""What the benchmarks share: the benchmark database and a synthetic organisation.

``populate`` fills one organisation of N employees in a tree of units (once; later runs
reuse it) with bulk inserts and progress on stderr.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gesprekscyclus_bench"
ORGANISATION = "Benchmarkgemeente"
PERIOD = 2027
UNITS = 400


def ensure_postgres_database(url: str) -> None:
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


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gesprekscyclus.conf.ci")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(employees: int, progress) -> None:
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
