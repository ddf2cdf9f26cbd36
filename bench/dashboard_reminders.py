"""Benchmark: the daily ``send_reminders`` run and the HR dashboard at 200,000 employees.

    .venv/bin/python bench/dashboard_reminders.py               # 200,000 employees on PostgreSQL
    .venv/bin/python bench/dashboard_reminders.py --employees 20000 --database-url sqlite:////tmp/b.sqlite3

It reuses the benchmark database of ``bench/open_cycles.py`` (and fills it the same way
when it is empty), then prepares, once, what a living organisation has: a head for every
unit (so everyone has a manager), a login for every employee, and conversations for part
of them (40% held and signed, 10% planned). The day is 15 June of the period: planning is
overdue for most people, the progress conversation is due. Then it times:

1. ``send_reminders`` from scratch (no reminder recorded yet, no dashboard figures): the
   engine pass over every open cycle, the dashboard figures stored, the whole backlog of
   reminders recorded and mailed (through Django's dummy mail backend, so the mail
   server's speed is not measured);
2. ``send_reminders`` again on the same day: nothing new to send;
3. ``send_reminders`` the next day: the daily run as production has it, with the steps
   reached that day (target for the daily run: under 60 s);
4. the dashboard page (server time in-process, ``DEBUG`` off, median of 7 requests after
   one warm-up) for the HR administrator (the whole organisation) and for a director of
   one sector — target: under 200 ms.

Figures are appended to ``bench/results.jsonl`` and printed; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    DEFAULT_DATABASE_URL,
    ORGANISATION,
    PERIOD,
    ROOT,
    ensure_postgres_database,
    populate,
    setup_django,
)

TODAY = datetime.date(PERIOD, 6, 15)
REQUESTS = 7


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    parser.add_argument(
        "--keep-reminders",
        action="store_true",
        help="Skip the run from scratch: keep what an earlier run of this benchmark recorded "
        "(on the same day) and time only the re-run and the next day.",
    )
    return parser.parse_args()


def _prepare(organisation, progress) -> tuple:
    """Heads, logins, cycles and conversations, each only when missing; returns the HR
    administrator and a director."""
    from django.db import connection, transaction

    from gesprekscyclus.accounts.models import User
    from gesprekscyclus.conversations.models import Conversation, Status
    from gesprekscyclus.cycles.models import Cycle
    from gesprekscyclus.cycles.services import cycles_open
    from gesprekscyclus.organisations.models import Employee, OrgUnit, Role
    from gesprekscyclus.organisations.services import employees_refresh_managers, role_assign
    from gesprekscyclus.regulations.services import read_regulation_source, regulation_load

    filename, text = read_regulation_source("heemstede")
    regulation_load(
        organisation=organisation, filename=filename, text=text, in_force_from=datetime.date(2020, 1, 1)
    )
    employees = Employee.objects.filter(organisation=organisation)
    if OrgUnit.objects.filter(organisation=organisation, head__isnull=True).exists():
        with transaction.atomic():
            first_member = {}
            for unit_id, employee_id in employees.order_by("unit_id", "pk").values_list("unit_id", "pk"):
                first_member.setdefault(unit_id, employee_id)
            units = list(OrgUnit.objects.filter(organisation=organisation))
            for unit in units:
                unit.head_id = first_member.get(unit.pk)
            OrgUnit.objects.bulk_update(units, ["head"], batch_size=1000)
            employees_refresh_managers(organisation=organisation)
    missing = employees.filter(user__isnull=True)
    total = missing.count()
    if total:
        done = 0
        rows = list(missing.values_list("email", "first_name", "last_name"))
        for start in range(0, len(rows), 5000):
            User.objects.bulk_create(
                [
                    User(email=email, first_name=first, last_name=last, password="!")
                    for email, first, last in rows[start : start + 5000]
                ],
                ignore_conflicts=True,
            )
            done += len(rows[start : start + 5000])
            progress("create logins", done, total)
        user_table, employee_table = User._meta.db_table, Employee._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {employee_table} SET user_id = (SELECT u.id FROM {user_table} u "  # noqa: S608
                f"WHERE u.email = {employee_table}.email) "
                f"WHERE user_id IS NULL AND organisation_id = %s",
                [organisation.pk],
            )
    if Cycle.objects.filter(organisation=organisation, year=PERIOD).count() < employees.count():
        cycles_open(
            organisation=organisation, year=PERIOD, today=datetime.date(PERIOD - 1, 12, 1), progress=progress
        )
    if not Conversation.objects.filter(organisation=organisation, cycle__year=PERIOD).exists():
        cycles = list(
            Cycle.objects.filter(organisation=organisation, year=PERIOD)
            .exclude(employee__manager__isnull=True)
            .values_list("pk", "employee_id", "employee__manager_id")
            .order_by("pk")
        )
        batch = []
        tz = datetime.UTC
        for index, (cycle_id, employee_id, manager_id) in enumerate(cycles):
            if index % 10 < 4:  # 40%: the planning conversation held and signed
                batch.append(
                    Conversation(
                        organisation=organisation,
                        cycle_id=cycle_id,
                        employee_id=employee_id,
                        conductor_id=manager_id,
                        kind="planning",
                        status=Status.COMPLETED,
                        starts_at=datetime.datetime(PERIOD, 1, 20, 10, tzinfo=tz),
                        held_on=datetime.date(PERIOD, 1, 20),
                    )
                )
            elif index % 10 == 4:  # 10%: the planning conversation planned
                batch.append(
                    Conversation(
                        organisation=organisation,
                        cycle_id=cycle_id,
                        employee_id=employee_id,
                        conductor_id=manager_id,
                        kind="planning",
                        starts_at=datetime.datetime(PERIOD, 6, 25, 10, tzinfo=tz),
                    )
                )
            if len(batch) >= 5000:
                Conversation.objects.bulk_create(batch)
                batch.clear()
                progress("create conversations", index + 1, len(cycles))
        Conversation.objects.bulk_create(batch)
        progress("create conversations", len(cycles), len(cycles))
    admin, _ = User.objects.get_or_create(email="hr-admin@bench.example", defaults={"password": "!"})
    role_assign(user=admin, organisation=organisation, role=Role.HR_ADMIN)
    sector = OrgUnit.objects.filter(organisation=organisation, depth=1).order_by("code").first()
    director, _ = User.objects.get_or_create(email="director@bench.example", defaults={"password": "!"})
    role_assign(user=director, organisation=organisation, role=Role.DIRECTOR, unit=sector)
    return admin, director, sector


def _time_page(user, url: str) -> tuple[float, int]:
    """Median server time in milliseconds over ``REQUESTS`` requests, and the queries of one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    response = client.get(url)  # warm-up (regulation parsing, template loading)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return round(statistics.median(times), 1), len(queries.captured_queries)


def main() -> int:
    arguments = _arguments()
    url = arguments.database_url
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    setup_django(url)

    from django.db import connection
    from django.urls import reverse

    from gesprekscyclus.compliance.models import CycleProgress
    from gesprekscyclus.core.progress import ProgressPrinter
    from gesprekscyclus.notifications.models import Notification
    from gesprekscyclus.notifications.services import send_reminders
    from gesprekscyclus.organisations.models import Employee, Organisation

    progress = ProgressPrinter()
    populate(arguments.employees, progress)
    organisation = Organisation.objects.get(name=ORGANISATION)
    admin, director, sector = _prepare(organisation, progress)
    employees = Employee.objects.filter(organisation=organisation).count()
    in_sector = Employee.objects.filter(organisation=organisation, unit__path__startswith=sector.path).count()

    if arguments.keep_reminders:
        first_seconds, new, mails = None, None, None
    else:
        Notification.objects.all().delete()
        CycleProgress.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not arguments.keep_reminders:
        began = time.perf_counter()
        new, mails = send_reminders(today=TODAY, progress=progress)
        first_seconds = time.perf_counter() - began
    began = time.perf_counter()
    again_new, again_mails = send_reminders(today=TODAY, progress=progress)
    again_seconds = time.perf_counter() - began
    began = time.perf_counter()
    next_new, next_mails = send_reminders(today=TODAY + datetime.timedelta(days=1), progress=progress)
    next_seconds = time.perf_counter() - began

    page = reverse("compliance:dashboard") + f"?period={PERIOD}"
    admin_ms, admin_queries = _time_page(admin, page)
    director_ms, director_queries = _time_page(director, page)

    record = {
        "benchmark": "send_reminders_and_dashboard",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "employees": employees,
        "today": TODAY.isoformat(),
        "send_reminders_seconds": None if first_seconds is None else round(first_seconds, 2),
        "send_reminders_new": new,
        "send_reminders_mails": mails,
        "send_reminders_rerun_seconds": round(again_seconds, 2),
        "send_reminders_rerun_new": again_new,
        "send_reminders_rerun_mails": again_mails,
        "send_reminders_next_day_seconds": round(next_seconds, 2),
        "send_reminders_next_day_new": next_new,
        "send_reminders_next_day_mails": next_mails,
        "dashboard_whole_organisation_ms": admin_ms,
        "dashboard_whole_organisation_queries": admin_queries,
        "dashboard_director_ms": director_ms,
        "dashboard_director_employees": in_sector,
        "dashboard_director_queries": director_queries,
        "targets": {"send_reminders_seconds": 60, "dashboard_ms": 200},
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
    }
    with open(arguments.results, "a", encoding="utf-8") as results:
        results.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))
    print(f"Written to {arguments.results}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
