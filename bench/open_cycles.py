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


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    return parser.parse_args()


def main() -> int:
    arguments = _arguments()
    url = arguments.database_url
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    setup_django(url)

    from django.db import connection

    from gesprekscyclus.core.progress import ProgressPrinter
    from gesprekscyclus.cycles.models import Cycle
    from gesprekscyclus.cycles.services import cycles_open
    from gesprekscyclus.organisations.models import Employee, Organisation
    from gesprekscyclus.regulations.services import read_regulation_source, regulation_load

    progress = ProgressPrinter()
    populate(arguments.employees, progress)
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
