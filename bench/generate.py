"""Generate a synthetic installation for the benchmarks: N employees (default 200,000).

    .venv/bin/python bench/generate.py                       # 200,000 employees, PostgreSQL
    .venv/bin/python bench/generate.py --employees 20000 --fresh
    .venv/bin/python bench/generate.py --employees 2000 --database-url sqlite:////tmp/bench.sqlite3

What it makes, in one organisation ("Benchmarkgemeente") under the Heemstede preset:

- a unit tree as a large public employer has it: the organisation, directies of about
  20,000 people, afdelingen of about 2,000, teams of about 16; every unit has a head,
  so everyone has a manager; a director role on every directie and afdeling (for its
  head), an HR adviser per directie and one HR administrator;
- a login for everyone (all with the password ``PASSWORD`` below, hashed once);
- three periods of cycles (2025 and 2026 closed, 2027 running; "today" is 15 June 2027):
  in the closed periods the planning, progress and evaluation conversations were held,
  reported and signed by both (a report version with two signatures each), with three
  agreements made in each planning conversation; in 2027 most planning conversations are
  signed, some planned, some overdue, and a part of the progress conversations is planned
  or held;
- personnel-file entries (hash-chained, with a sealed PDF/A) for every signed report of
  the closed periods of ``--dossier-share`` of the employees (default 2.5%: a sealed PDF
  is about 23 KB, so files for everyone would take some 30 GB; the share keeps the
  database at a size this machine holds while the pages and ``verify_dossiers`` still
  meet real files);
- the dashboard figures (``progress_refresh``), as the daily run leaves them.

Everything is written with bulk inserts, per chunk of 5,000 employees, with progress on
stderr. The figures (rows and seconds per stage) are appended to ``bench/results.jsonl``.
With ``--fresh`` the database is dropped and made again first; without it a database
that already holds the organisation is left as it is.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DATABASE_URL, ORGANISATION, ROOT, drop_postgres_database, ensure_postgres_database

PASSWORD = "bench-wachtwoord-2027"  # the synthetic installation only
HR_ADMIN_EMAIL = "hr-admin@bench.example"
PERIODS = (2025, 2026, 2027)
TODAY = datetime.date(2027, 6, 15)
TEAM_SIZE = 16
AFDELING_SIZE = 2_000
AFDELINGEN_PER_DIRECTIE = 10
CHUNK = 5_000
KINDS = ("planning", "progress", "evaluation")
LABELS = {"planning": "Planningsgesprek", "progress": "Voortgangsgesprek", "evaluation": "Evaluatiegesprek"}
SENTENCES = [
    "We hebben de resultaten van het afgelopen half jaar doorgenomen.",
    "De werkdruk is besproken; de planning van de projecten wordt bijgesteld.",
    "Medewerker wil zich verder ontwikkelen in projectleiding.",
    "De samenwerking met het team verloopt goed.",
    "Afgesproken is dat de training in het najaar wordt gevolgd.",
    "De klanttevredenheid is gestegen; de doorlooptijd van aanvragen is korter geworden.",
    "Het thuiswerken bevalt goed; de bereikbaarheid is afgestemd met het team.",
    "De leidinggevende ondersteunt de aanvraag voor de opleiding.",
]
AGREEMENTS = [
    ("work_result", "Afhandelen van aanvragen binnen de wettelijke termijn", "95% binnen termijn"),
    ("quality", "Adviezen aan het college zijn juridisch getoetst", "geen terugverwijzingen"),
    ("development", "Volgen van de training projectmatig werken", "certificaat behaald"),
    ("competence", "Meer regie nemen in overleggen met ketenpartners", "terugkoppeling partners"),
    ("contribution", "Inwerken van de nieuwe collega", "zelfstandig binnen drie maanden"),
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--dossier-share", type=float, default=0.025)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the database first.")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    return parser.parse_args()


class Stages:
    """Seconds and rows per stage, for the results file."""

    def __init__(self) -> None:
        self.figures: dict[str, dict] = {}
        self._began = time.perf_counter()

    def done(self, stage: str, rows: int) -> None:
        now = time.perf_counter()
        self.figures[stage] = {"rows": rows, "seconds": round(now - self._began, 1)}
        self._began = now


def _bulk(model, objects: list, batch_size: int = 2_000) -> list:
    return model.objects.bulk_create(objects, batch_size=batch_size)


def _units(organisation, employees: int):
    """The tree: organisation → directies → afdelingen → teams; returns (teams, managing
    units) where managing units are those above the teams."""
    from gesprekscyclus.organisations.models import OrgUnit
    from gesprekscyclus.organisations.services import units_refresh_paths

    afdelingen_total = max(1, round(employees / AFDELING_SIZE))
    directies_total = max(1, -(-afdelingen_total // AFDELINGEN_PER_DIRECTIE))
    teams_per_afdeling = max(1, round(employees / afdelingen_total / TEAM_SIZE))
    root = OrgUnit.objects.create(organisation=organisation, code="GEM", name="Benchmarkgemeente")
    directies = _bulk(
        OrgUnit,
        [
            OrgUnit(organisation=organisation, code=f"D{index:02d}", name=f"Directie {index}", parent=root)
            for index in range(1, directies_total + 1)
        ],
    )
    afdelingen = _bulk(
        OrgUnit,
        [
            OrgUnit(
                organisation=organisation,
                code=f"A{index:03d}",
                name=f"Afdeling {index}",
                parent=directies[(index - 1) % directies_total],
            )
            for index in range(1, afdelingen_total + 1)
        ],
    )
    teams = _bulk(
        OrgUnit,
        [
            OrgUnit(
                organisation=organisation,
                code=f"T{afdeling.code[1:]}{index:03d}",
                name=f"Team {afdeling.name.split()[-1]}.{index}",
                parent=afdeling,
            )
            for afdeling in afdelingen
            for index in range(1, teams_per_afdeling + 1)
        ],
    )
    units_refresh_paths(organisation=organisation)
    return teams, [root, *directies, *afdelingen], directies, afdelingen


def _people(organisation, employees: int, teams, managing, progress) -> None:
    """Employees (one head in each managing unit, the rest spread over the teams, the
    first of each team its head), their logins and jobs; then heads and managers."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from faker import Faker

    from gesprekscyclus.accounts.models import User
    from gesprekscyclus.organisations.models import Appointment, Employee, Job, OrgUnit
    from gesprekscyclus.organisations.services import employees_refresh_managers

    fake = Faker("nl_NL")
    fake.seed_instance(2027)
    first_names = list({fake.first_name() for _ in range(600)})
    last_names = list({fake.last_name() for _ in range(1_500)})
    jobs = _bulk(
        Job,
        [Job(organisation=organisation, title=title) for title in sorted({fake.job() for _ in range(80)})],
    )
    chooser = random.Random(2027)
    units = [*managing, *[teams[index % len(teams)] for index in range(employees - len(managing))]]
    hashed = make_password(PASSWORD)
    batch, users = [], []
    for number, unit in enumerate(units):
        probation = number % 50 == 7
        leaver = number % 100 == 13
        start = (
            datetime.date(2027, 1 + number % 6, 1)
            if probation
            else datetime.date(1985, 1, 1) + datetime.timedelta(days=chooser.randrange(0, 14_600))
        )
        first, last = first_names[number % len(first_names)], last_names[(number * 7) % len(last_names)]
        email = f"m{number:06d}@bench.example"
        batch.append(
            Employee(
                organisation=organisation,
                personnel_number=f"{100000 + number}",
                first_name=first,
                last_name=last,
                email=email,
                unit=unit,
                job=jobs[number % len(jobs)],
                employment_start=start,
                employment_end=datetime.date(2026, 3 + number % 9, 28) if leaver else None,
                appointment=Appointment.PROBATION if probation else Appointment.PERMANENT,
                probation_end=start + datetime.timedelta(days=364) if probation else None,
            )
        )
        users.append(User(email=email, first_name=first, last_name=last, password=hashed))
        if len(batch) == CHUNK or number == len(units) - 1:
            _bulk(User, users)
            _bulk(Employee, batch)
            batch, users = [], []
            progress("employees and logins", number + 1, len(units))
    user_table, employee_table = User._meta.db_table, Employee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {employee_table} SET user_id = (SELECT u.id FROM {user_table} u "  # noqa: S608
            f"WHERE u.email = {employee_table}.email) WHERE organisation_id = %s",
            [organisation.pk],
        )
    heads = {}
    for unit_id, employee_id in (
        Employee.objects.filter(organisation=organisation).order_by("pk").values_list("unit_id", "pk")
    ):
        heads.setdefault(unit_id, employee_id)
    every_unit = list(OrgUnit.objects.filter(organisation=organisation))
    for unit in every_unit:
        unit.head_id = heads.get(unit.pk)
    OrgUnit.objects.bulk_update(every_unit, ["head"], batch_size=2_000)
    employees_refresh_managers(organisation=organisation)


def _roles(organisation, directies, afdelingen) -> None:
    from gesprekscyclus.accounts.models import User
    from gesprekscyclus.organisations.models import OrgUnit, Role
    from gesprekscyclus.organisations.services import role_assign

    heads = dict(
        OrgUnit.objects.filter(pk__in=[unit.pk for unit in [*directies, *afdelingen]]).values_list(
            "pk", "head__user_id"
        )
    )
    users = User.objects.in_bulk([user_id for user_id in heads.values() if user_id])
    for unit in [*directies, *afdelingen]:
        if heads.get(unit.pk):
            role_assign(user=users[heads[unit.pk]], organisation=organisation, role=Role.DIRECTOR, unit=unit)
    for index, directie in enumerate(directies):
        adviser, _ = User.objects.get_or_create(
            email=f"hr-adviseur-{index + 1}@bench.example",
            defaults={"first_name": "Adviseur", "last_name": f"P&O {index + 1}"},
        )
        adviser.set_password(PASSWORD)
        adviser.save()
        role_assign(user=adviser, organisation=organisation, role=Role.HR_ADVISER, unit=directie)
    admin, _ = User.objects.get_or_create(
        email=HR_ADMIN_EMAIL, defaults={"first_name": "Beheer", "last_name": "P&O"}
    )
    admin.set_password(PASSWORD)
    admin.save()
    role_assign(user=admin, organisation=organisation, role=Role.HR_ADMIN)


def _person(employee: dict) -> dict:
    return {"name": employee["name"], "personnel_number": employee["number"], "email": employee["email"]}


class History:
    """Conversations, reports, agreements, signed versions and file entries of one chunk
    of cycles, written with bulk inserts."""

    def __init__(self, organisation, regulation_version, people: dict, dossier_ids: set, pdfs: dict):
        self.organisation = organisation
        self.regulation_version = regulation_version
        self.people = people
        self.dossier_ids = dossier_ids
        self.pdfs = pdfs
        self.rows = {"conversations": 0, "reports": 0, "agreements": 0, "versions": 0, "signatures": 0}
        self.rows["dossier_entries"] = 0
        self.chain: dict[int, tuple[int, str]] = {}  # employee -> (length, head hash)

    def write(self, cycles: list[tuple]) -> None:
        from gesprekscyclus.conversations.models import Conversation, Report, Status

        tz = datetime.UTC
        plans = []  # (conversation, cycle, spec)
        for cycle_id, employee_id, year, index in cycles:
            employee = self.people[employee_id]
            manager_id = employee["manager"]
            if manager_id is None:
                continue
            if year < TODAY.year:
                for month, kind in ((2, "planning"), (6, "progress"), (11, "evaluation")):
                    day = datetime.date(year, month, 3 + index % 24)
                    plans.append((cycle_id, employee_id, manager_id, kind, Status.COMPLETED, day, year))
            else:
                share = index % 10
                if share <= 6:
                    day = datetime.date(year, 1, 5 + index % 24)
                    plans.append((cycle_id, employee_id, manager_id, "planning", Status.COMPLETED, day, year))
                    if share <= 2:
                        day = datetime.date(year, 6, 20 + index % 10)
                        plans.append(
                            (cycle_id, employee_id, manager_id, "progress", Status.PLANNED, day, year)
                        )
                    elif share == 3:
                        day = datetime.date(year, 6, 1 + index % 10)
                        plans.append(
                            (cycle_id, employee_id, manager_id, "progress", Status.REPORT_WRITTEN, day, year)
                        )
                elif share == 7:
                    day = datetime.date(year, 6, 22 + index % 7)
                    plans.append((cycle_id, employee_id, manager_id, "planning", Status.PLANNED, day, year))
        conversations = Conversation.objects.bulk_create(
            [
                Conversation(
                    organisation=self.organisation,
                    cycle_id=cycle_id,
                    employee_id=employee_id,
                    conductor_id=manager_id,
                    kind=kind,
                    status=status,
                    starts_at=datetime.datetime(day.year, day.month, day.day, 9 + day.day % 7, tzinfo=tz),
                    held_on=None if status == Status.PLANNED else day,
                    location="Raadhuis, kamer 2.14",
                    planned_by_id=self.people[manager_id]["user"],
                )
                for cycle_id, employee_id, manager_id, kind, status, day, _year in plans
            ],
            batch_size=2_000,
        )
        self.rows["conversations"] += len(conversations)
        held = [(c, plan) for c, plan in zip(conversations, plans, strict=True) if c.status != Status.PLANNED]
        reports = []
        for conversation, plan in held:
            sentences = [SENTENCES[(conversation.pk + offset) % len(SENTENCES)] for offset in range(3)]
            reports.append(
                Report(
                    conversation=conversation,
                    text=" ".join(sentences),
                    written_at=datetime.datetime(plan[5].year, plan[5].month, plan[5].day, 16, tzinfo=tz),
                    updated_by_id=self.people[plan[1]]["user"],
                )
            )
        _bulk(Report, reports)
        self.rows["reports"] += len(reports)
        agreements = self._agreements(held)
        self._versions(held, agreements)

    def _agreements(self, held) -> dict[int, list]:
        from gesprekscyclus.agreements.models import Agreement, AgreementStatus

        made = {}
        objects = []
        for conversation, plan in held:
            if conversation.kind != "planning":
                continue
            year = plan[6]
            for offset in range(3):
                kind, description, indicator = AGREEMENTS[(conversation.pk + offset) % len(AGREEMENTS)]
                if year < TODAY.year:
                    status = (AgreementStatus.ACHIEVED, AgreementStatus.PARTLY_ACHIEVED)[offset % 2]
                else:
                    status = (AgreementStatus.ON_TRACK, AgreementStatus.OPEN, AgreementStatus.AT_RISK)[offset]
                agreement = Agreement(
                    organisation=self.organisation,
                    employee_id=conversation.employee_id,
                    cycle_id=conversation.cycle_id,
                    kind=kind,
                    description=description,
                    indicator=indicator,
                    deadline=datetime.date(year, 12, 1),
                    status=status,
                    made_in=conversation,
                    created_by_id=self.people[conversation.conductor_id]["user"],
                )
                objects.append(agreement)
                made.setdefault(conversation.pk, []).append(agreement)
        _bulk(Agreement, objects)
        self.rows["agreements"] += len(objects)
        return made

    def _versions(self, held, agreements: dict[int, list]) -> None:
        from gesprekscyclus.conversations.models import Status
        from gesprekscyclus.dossiers.models import DossierEntry
        from gesprekscyclus.dossiers.services import entry_hash, sha256
        from gesprekscyclus.signatures.content import FORMAT, canonical, sha256_text
        from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState

        regulation = self.regulation_version.regulation()
        versions, contents = [], []
        for conversation, plan in held:
            if conversation.status != Status.COMPLETED:
                continue
            employee, conductor = (
                self.people[conversation.employee_id],
                self.people[conversation.conductor_id],
            )
            year = plan[6]
            content = {
                "format": FORMAT,
                "organisation": ORGANISATION,
                "regulation": {"id": regulation.id, "version": regulation.version, "name": regulation.name},
                "conversation": {
                    "id": conversation.pk,
                    "kind": conversation.kind,
                    "label": LABELS[conversation.kind],
                    "combined_with": [],
                    "held_on": conversation.held_on.isoformat(),
                    "planned_for": conversation.starts_at.isoformat(),
                    "period": [f"{year}-01-01", f"{year}-12-31"],
                },
                "employee": _person(employee),
                "conductor": _person(conductor),
                "report": {"text": "", "answers": [], "improvement_points": False},
                "agreements": [
                    {
                        "kind": agreement.kind,
                        "description": agreement.description,
                        "indicator": agreement.indicator,
                        "target": "",
                        "deadline": agreement.deadline.isoformat(),
                        "status": agreement.status,
                    }
                    for agreement in agreements.get(conversation.pk, [])
                ],
                "attachments": [],
                "signatures_required": [
                    {"role": "employee", "statement": "voor_akkoord"},
                    {"role": "manager", "statement": "voor_akkoord"},
                ],
            }
            text = canonical(content)
            completed = datetime.datetime.combine(
                conversation.held_on + datetime.timedelta(days=3), datetime.time(11), datetime.UTC
            )
            versions.append(
                ReportVersion(
                    conversation=conversation,
                    number=1,
                    content=content,
                    canonical=text,
                    content_hash=sha256_text(text),
                    state=VersionState.COMPLETE,
                    completed_at=completed,
                )
            )
            contents.append(content)
        _bulk(ReportVersion, versions, batch_size=1_000)
        self.rows["versions"] += len(versions)
        signatures, entries = [], []
        for version, content in zip(versions, contents, strict=True):
            conversation = version.conversation
            employee, conductor = (
                self.people[conversation.employee_id],
                self.people[conversation.conductor_id],
            )
            signed = []
            for role, person in (("employee", employee), ("manager", conductor)):
                signature = Signature(
                    version=version,
                    role=role,
                    statement="voor_akkoord",
                    signer_id=person["user"],
                    signer_name=person["name"],
                    content_hash=version.content_hash,
                )
                signatures.append(signature)
                signed.append(
                    {
                        "role": role,
                        "statement": "voor_akkoord",
                        "name": person["name"],
                        "signed_at": version.completed_at.isoformat(),
                        "content_hash": version.content_hash,
                        "remark": "",
                        "refused": False,
                        "refusal_reason": "",
                        "recorded_by": None,
                    }
                )
            if conversation.employee_id in self.dossier_ids:
                archived = dict(content, version=1, content_hash=version.content_hash, signatures=signed)
                content_json = canonical(archived)
                pdf = self.pdfs[conversation.kind]
                length, head = self.chain.get(conversation.employee_id, (0, "0" * 64))
                entry = DossierEntry(
                    organisation=self.organisation,
                    employee_id=conversation.employee_id,
                    sequence=length + 1,
                    document="report",
                    title=LABELS[conversation.kind],
                    document_date=conversation.held_on,
                    conversation=conversation,
                    content_json=content_json,
                    content_hash=sha256(content_json.encode("utf-8")),
                    pdf=pdf,
                    pdf_hash=sha256(pdf),
                    retention_after="employment_end",
                    retention_months=24,
                    previous_hash=head,
                    created_at=version.completed_at,
                )
                entry.entry_hash = entry_hash(entry)
                self.chain[conversation.employee_id] = (entry.sequence, entry.entry_hash)
                entries.append(entry)
        _bulk(Signature, signatures)
        _bulk(DossierEntry, entries, batch_size=200)
        self.rows["signatures"] += len(signatures)
        self.rows["dossier_entries"] += len(entries)

    def write_heads(self) -> None:
        from gesprekscyclus.dossiers.models import DossierHead

        _bulk(
            DossierHead,
            [
                DossierHead(employee_id=employee_id, length=length, head_hash=head)
                for employee_id, (length, head) in self.chain.items()
            ],
        )


def _sealed_pdfs() -> dict[str, bytes]:
    """One sealed PDF/A per conversation kind, rendered and sealed as the archive does."""
    from django.conf import settings
    from django.core.management import call_command

    from gesprekscyclus.dossiers.archive import render_pdf
    from gesprekscyclus.dossiers.seal import seal_pdf

    if not Path(settings.SEAL_CERTIFICATE).exists():
        call_command("make_seal_certificate", verbosity=0)
    pdfs = {}
    for kind, label in LABELS.items():
        content = {
            "organisation": ORGANISATION,
            "conversation": {"kind": kind, "label": label, "held_on": "2026-06-10", "period": []},
            "employee": {"name": "Medewerker", "personnel_number": "100000", "email": ""},
            "conductor": {"name": "Leidinggevende", "personnel_number": "100001", "email": ""},
            "report": {"text": " ".join(SENTENCES), "answers": [], "improvement_points": False},
            "agreements": [],
            "attachments": [],
            "signatures": [],
            "version": 1,
            "content_hash": "0" * 64,
        }
        pdfs[kind] = seal_pdf(render_pdf(content), reason=f"Personeelsdossier: {label}")
    return pdfs


def generate(employees: int, *, dossier_share: float, progress) -> dict:
    from django.db import connection, transaction

    from gesprekscyclus.compliance.services import progress_refresh
    from gesprekscyclus.cycles.models import CloseReason, Cycle, CycleStatus
    from gesprekscyclus.cycles.services import cycles_open
    from gesprekscyclus.organisations.models import Employee, Organisation
    from gesprekscyclus.regulations.models import RegulationVersion
    from gesprekscyclus.regulations.services import read_regulation_source, regulation_load

    stages = Stages()
    organisation = Organisation.objects.create(name=ORGANISATION)
    filename, text = read_regulation_source("heemstede")
    regulation_load(
        organisation=organisation, filename=filename, text=text, in_force_from=datetime.date(2020, 1, 1)
    )
    with transaction.atomic():
        teams, managing, directies, afdelingen = _units(organisation, employees)
    stages.done("units", len(teams) + len(managing))
    with transaction.atomic():
        _people(organisation, employees, teams, managing, progress)
        _roles(organisation, directies, afdelingen)
    stages.done("employees, logins and roles", employees)
    for year in PERIODS:
        cycles_open(
            organisation=organisation, year=year, today=datetime.date(year - 1, 12, 1), progress=progress
        )
    closed = Cycle.objects.filter(organisation=organisation, year__lt=TODAY.year).update(
        status=CycleStatus.CLOSED,
        close_reason=CloseReason.PERIOD_ENDED,
        closed_at=datetime.datetime(TODAY.year, 1, 5, tzinfo=datetime.UTC),
    )
    stages.done("cycles", Cycle.objects.filter(organisation=organisation).count())

    people = {}
    for pk, user_id, first, last, number, email, manager_id in Employee.objects.filter(
        organisation=organisation
    ).values_list("pk", "user_id", "first_name", "last_name", "personnel_number", "email", "manager_id"):
        people[pk] = {
            "user": user_id,
            "name": f"{first} {last}",
            "number": number,
            "email": email,
            "manager": manager_id,
        }
    chooser = random.Random(11)
    with_manager = sorted(pk for pk, person in people.items() if person["manager"])
    dossier_ids = set(chooser.sample(with_manager, max(1, int(len(with_manager) * dossier_share))))
    history = History(
        organisation,
        RegulationVersion.objects.get(organisation=organisation),
        people,
        dossier_ids,
        _sealed_pdfs(),
    )
    cycles = list(
        Cycle.objects.filter(organisation=organisation)
        .order_by("employee_id", "year")
        .values_list("pk", "employee_id", "year")
    )
    for start in range(0, len(cycles), CHUNK * 3):
        chunk = [
            (pk, employee_id, year, employee_id)
            for pk, employee_id, year in cycles[start : start + CHUNK * 3]
        ]
        with transaction.atomic():
            history.write(chunk)
        progress(
            "conversations, reports, agreements, signatures", min(start + CHUNK * 3, len(cycles)), len(cycles)
        )
    with transaction.atomic():
        history.write_heads()
    stages.done("history", sum(history.rows.values()))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    refreshed = progress_refresh(today=TODAY, organisation=organisation, progress=progress)
    stages.done("dashboard figures", refreshed)
    return {"closed_cycles": closed, **history.rows, "stages": stages.figures}


def main() -> int:
    arguments = _arguments()
    url = arguments.database_url
    if url.startswith("postgres"):
        if arguments.fresh:
            drop_postgres_database(url)
        ensure_postgres_database(url)
    elif arguments.fresh and url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite://")).unlink(missing_ok=True)
    from common import setup_django

    setup_django(url)
    from django.db import connection

    from gesprekscyclus.core.progress import ProgressPrinter
    from gesprekscyclus.organisations.models import Organisation

    if Organisation.objects.filter(name=ORGANISATION).exists():
        print(f"{ORGANISATION} is already there; use --fresh to generate it again.")
        return 0
    began = time.perf_counter()
    figures = generate(arguments.employees, dossier_share=arguments.dossier_share, progress=ProgressPrinter())
    record = {
        "benchmark": "generate",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "employees": arguments.employees,
        "dossier_share": arguments.dossier_share,
        "seconds": round(time.perf_counter() - began, 1),
        **figures,
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
    }
    with open(arguments.results, "a", encoding="utf-8") as results:
        results.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
