"""Benchmark: the long-running commands on the generated installation (bench/generate.py).

    .venv/bin/python bench/commands.py                       # all four
    .venv/bin/python bench/commands.py --only open_cycles,verify_dossiers

Each is the real management command, run in-process with ``call_command`` (so Django's
start-up is not counted) on the benchmark database:

- ``open_cycles``: the roll-over to the next period (2028) for every employee — first the
  opening alone (the service ``cycles_open``; target: under 20 s), then the whole command,
  which also computes the new period's dashboard figures, then the command again
  (nothing to do; target: under 2 s); the new period's cycles are removed afterwards, so
  the installation stays as generated;
- ``send_reminders`` on the generated "today" (15 June 2027) from scratch — every
  reminder that is due is recorded and mailed (Django's dummy mail backend, so the mail
  server is not measured) — then again on the same day (nothing new), then the next day
  (the daily run as production has it; target: under 60 s);
- ``verify_dossiers``: every personnel file's hash chain and every PDF seal;
- the import of 200,000 employees: ``export_organisation`` writes the installation's
  units and employees as CSV, the personnel numbers and addresses are made new, and
  ``import_organisation`` reads them into a new organisation (checked, then written);
  the imported organisation is removed afterwards.

Figures are appended to ``bench/results.jsonl``, one line per command.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DATABASE_URL, ORGANISATION, ROOT, setup_django
from generate import TODAY
from load import _machine

COMMANDS = ("open_cycles", "send_reminders", "verify_dossiers", "import")
IMPORTED = "Importgemeente"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--only", default=",".join(COMMANDS))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    return parser.parse_args()


def _timed(*args, **options) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    began = time.perf_counter()
    call_command(*args, stdout=out, **options)
    return round(time.perf_counter() - began, 2), out.getvalue().strip().splitlines()[-1:]


def open_cycles() -> dict:
    from gesprekscyclus.cycles.models import Cycle
    from gesprekscyclus.cycles.services import cycles_open
    from gesprekscyclus.organisations.models import Organisation

    year = TODAY.year + 1
    today = datetime.date(TODAY.year, 12, 1)
    options = {"organisation": ORGANISATION, "period": year, "today": today.isoformat()}
    Cycle.objects.filter(year=year).delete()
    # The opening itself (the service the command calls), then the whole command, which
    # also computes the new period's dashboard figures.
    began = time.perf_counter()
    cycles_open(organisation=Organisation.objects.get(name=ORGANISATION), year=year, today=today)
    opening = round(time.perf_counter() - began, 2)
    Cycle.objects.filter(year=year).delete()
    first, first_output = _timed("open_cycles", **options)
    created = Cycle.objects.filter(year=year).count()
    again, again_output = _timed("open_cycles", **options)
    Cycle.objects.filter(year=year).delete()
    return {
        "opening_seconds": opening,
        "first_run_seconds": first,
        "cycles_created": created,
        "rerun_seconds": again,
        "output": [*first_output, *again_output],
        "targets": {"opening_seconds": 20, "rerun_seconds": 2},
    }


def send_reminders() -> dict:
    from gesprekscyclus.notifications.models import Notification

    Notification.objects.all().delete()
    first, first_output = _timed("send_reminders", today=TODAY.isoformat(), no_progress=False)
    recorded = Notification.objects.count()
    again, again_output = _timed("send_reminders", today=TODAY.isoformat())
    next_day, next_output = _timed("send_reminders", today=(TODAY + datetime.timedelta(days=1)).isoformat())
    return {
        "first_run_seconds": first,
        "reminders": recorded,
        "rerun_seconds": again,
        "next_day_seconds": next_day,
        "next_day_reminders": Notification.objects.count() - recorded,
        "output": [*first_output, *again_output, *next_output],
        "targets": {"next_day_seconds": 60},
    }


def verify_dossiers() -> dict:
    from gesprekscyclus.dossiers.models import DossierEntry

    seconds, output = _timed("verify_dossiers", organisation=ORGANISATION)
    entries = DossierEntry.objects.count()
    return {
        "seconds": seconds,
        "entries": entries,
        "entries_per_second": round(entries / seconds, 1),
        "output": output,
    }


def _renumbered(source_path: Path, target_path: Path) -> int:
    """The exported file with new personnel numbers and addresses (people of a new
    organisation); returns the number of rows."""
    rows = 0
    with (
        open(source_path, encoding="utf-8", newline="") as source,
        open(target_path, "w", encoding="utf-8", newline="") as target,
    ):
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            for column in ("personnel_number", "manager_personnel_number", "head_personnel_number"):
                if row.get(column):
                    row[column] = "N" + row[column]
            if row.get("email"):
                row["email"] = "nieuw-" + row["email"]
            writer.writerow(row)
            rows += 1
    return rows


def import_employees() -> dict:
    from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit, RoleAssignment

    folder = Path(tempfile.mkdtemp(prefix="gesprekscyclus-import-"))
    exported, _ = _timed("export_organisation", organisation=ORGANISATION, output=str(folder))
    _renumbered(folder / "units.csv", folder / "units-new.csv")
    rows = _renumbered(folder / "employees.csv", folder / "employees-new.csv")
    seconds, output = _timed(
        "import_organisation",
        str(folder / "units-new.csv"),
        str(folder / "employees-new.csv"),
        organisation=IMPORTED,
    )
    imported = Employee.objects.filter(organisation__name=IMPORTED).count()
    organisation = Organisation.objects.get(name=IMPORTED)
    RoleAssignment.objects.filter(organisation=organisation).delete()
    OrgUnit.objects.filter(organisation=organisation).update(head=None)
    Employee.objects.filter(organisation=organisation).update(manager=None, explicit_manager=None)
    Employee.objects.filter(organisation=organisation).delete()
    OrgUnit.objects.filter(organisation=organisation).update(parent=None)
    OrgUnit.objects.filter(organisation=organisation).delete()
    organisation.delete()
    return {
        "export_seconds": exported,
        "rows": rows,
        "seconds": seconds,
        "employees_imported": imported,
        "rows_per_second": round(rows / seconds, 1),
        "output": output,
    }


def main() -> int:
    arguments = _arguments()
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    setup_django(arguments.database_url)
    from django.db import connection

    from gesprekscyclus.organisations.models import Employee

    runs = {
        "open_cycles": open_cycles,
        "send_reminders": send_reminders,
        "verify_dossiers": verify_dossiers,
        "import": import_employees,
    }
    employees = Employee.objects.filter(organisation__name=ORGANISATION).count()
    for name in arguments.only.split(","):
        print(f"— {name}", file=sys.stderr)
        record = {
            "benchmark": "commands",
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "employees": employees,
            name: runs[name](),
            "machine": _machine(),
        }
        # One line per command, so what was measured stays when a later one fails.
        with open(arguments.results, "a", encoding="utf-8") as output:
            output.write(json.dumps(record) + "\n")
        print(json.dumps(record[name]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
