"""A fictional municipality for the demo and the browser tests.

The data is generated deterministically (a fixed Faker seed, dates relative to the
current year) and loaded through the ordinary organisation import, so loading it twice
changes nothing and it exercises the same code path as a real HR import.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from gesprekscyclus.accounts.models import User
from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.organisations.importer import (
    EMPLOYEE_COLUMNS,
    UNIT_COLUMNS,
    organisation_import_apply,
    organisation_import_plan,
)
from gesprekscyclus.organisations.models import Competence, Employee, Job, Organisation, OrgUnit, Role
from gesprekscyclus.organisations.services import department_plan_save, role_assign
from gesprekscyclus.organisations.tabular import write_csv
from gesprekscyclus.regulations.services import read_regulation_source, regulation_load

ORGANISATION_NAME = "Gemeente Lindevoort"
EMAIL_DOMAIN = "lindevoort.example"
DEMO_PASSWORD = "Gesprekscyclus-demo"  # noqa: S105  (demo only; printed on purpose)
DEMO_REGULATION = "heemstede"  # preset id; see regulations/presets/
SEED = 20261123

# code, name, parent code, job titles of the members
UNITS = [
    ("GEM", "Gemeente Lindevoort", "", ["Gemeentesecretaris"]),
    ("SOC", "Sector Sociaal Domein", "GEM", ["Sectordirecteur"]),
    ("WIZ", "Afdeling Werk en Inkomen", "SOC", ["Afdelingshoofd"]),
    ("INK", "Team Inkomen", "WIZ", ["Consulent inkomen", "Medewerker bijzondere bijstand", "Handhaver"]),
    ("WRK", "Team Werk", "WIZ", ["Werkconsulent", "Jobcoach"]),
    ("ZOR", "Afdeling Zorg en Jeugd", "SOC", ["Afdelingshoofd"]),
    ("WMO", "Team Wmo", "ZOR", ["Wmo-consulent", "Kwaliteitsmedewerker"]),
    ("JGD", "Team Jeugd", "ZOR", ["Jeugdconsulent", "Beleidsadviseur jeugd"]),
    ("FYS", "Sector Fysiek Domein", "GEM", ["Sectordirecteur"]),
    ("RUI", "Afdeling Ruimte", "FYS", ["Afdelingshoofd"]),
    ("VER", "Team Vergunningen", "RUI", ["Vergunningverlener", "Toezichthouder"]),
    ("PLN", "Team Ruimtelijke Plannen", "RUI", ["Planoloog", "Adviseur omgevingsrecht"]),
    ("OPR", "Afdeling Openbare Ruimte", "FYS", ["Afdelingshoofd"]),
    ("BEH", "Team Beheer Openbare Ruimte", "OPR", ["Beheerder wegen", "Medewerker buitendienst"]),
    ("GRN", "Team Groen", "OPR", ["Hovenier", "Beheerder groen"]),
    ("BDV", "Sector Bedrijfsvoering", "GEM", ["Sectordirecteur"]),
    ("PO", "Afdeling P&O", "BDV", ["Afdelingshoofd"]),
    ("POA", "Team P&O-advies", "PO", ["P&O-adviseur", "Functioneel beheerder HR"]),
    ("SAL", "Team Salarisadministratie", "PO", ["Salarisadministrateur"]),
    ("FIN", "Afdeling Financiën", "BDV", ["Financieel adviseur", "Controller"]),
    ("IV", "Afdeling Informatievoorziening", "BDV", ["Informatieadviseur", "Applicatiebeheerder"]),
    ("DIV", "Afdeling Dienstverlening", "BDV", ["Afdelingshoofd"]),
    ("KCC", "Team Klantcontactcentrum", "DIV", ["Klantcontactmedewerker"]),
    ("BUR", "Team Burgerzaken", "DIV", ["Medewerker burgerzaken", "Coördinator burgerzaken"]),
]
# Number of ordinary members per unit whose members are not only its head.
TEAM_SIZE = {
    "INK": 28,
    "WRK": 18,
    "WMO": 24,
    "JGD": 20,
    "VER": 18,
    "PLN": 14,
    "BEH": 34,
    "GRN": 20,
    "POA": 10,
    "SAL": 8,
    "FIN": 16,
    "IV": 18,
    "KCC": 30,
    "BUR": 24,
}

COMPETENCES = [
    (
        "Resultaatgerichtheid",
        "Stuurt op het halen van afgesproken resultaten.",
        "Maakt concrete afspraken over resultaten\nBewaakt de voortgang en stuurt bij",
    ),
    (
        "Samenwerken",
        "Draagt bij aan een gezamenlijk resultaat.",
        "Deelt informatie actief\nVraagt en geeft feedback",
    ),
    (
        "Klantgerichtheid",
        "Onderzoekt wensen van inwoners en handelt daarnaar.",
        "Vraagt door naar de echte vraag\nKomt afspraken met inwoners na",
    ),
    (
        "Vakmanschap",
        "Beheerst het vak en houdt kennis bij.",
        "Past vakkennis toe in complexe situaties\nVolgt ontwikkelingen in het vakgebied",
    ),
    (
        "Flexibiliteit",
        "Past zich aan veranderende omstandigheden aan.",
        "Gaat constructief om met veranderingen\nZoekt naar nieuwe werkwijzen",
    ),
    (
        "Leidinggeven",
        "Geeft richting en ruimte aan medewerkers.",
        "Voert regelmatig gesprekken met medewerkers\nFaciliteert en coacht",
    ),
]


LOGIN_NAMES = {
    "employee": "medewerker",
    "colleague": "collega",
    "manager": "leidinggevende",
    "skip_level_manager": "naast-hogere",
    "director": "directeur",
    "hr_adviser": "po-adviseur",
    "hr_admin": "beheer",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    description: str


def _email_local(first: str, last: str) -> str:
    text = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def build_rows(year: int) -> tuple[list[dict], list[dict]]:
    """Units and employees as import rows, the same for the same year."""
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    units, employees, used_emails = [], [], set()
    number = 10000

    def person(unit_code: str, job: str, **overrides) -> dict:
        nonlocal number
        number += 1
        first, last = overrides.pop("first_name", None), overrides.pop("last_name", None)
        first = first or fake.first_name()
        last = last or fake.last_name()
        local = _email_local(first, last)
        email = overrides.pop("email", None) or f"{local}@{EMAIL_DOMAIN}"
        suffix = 2
        while email in used_emails:
            email = f"{local}{suffix}@{EMAIL_DOMAIN}"
            suffix += 1
        used_emails.add(email)
        start = datetime.date(year - rng.randint(1, 25), rng.randint(1, 12), 1)
        row = {
            "personnel_number": str(number),
            "first_name": first,
            "last_name": last,
            "email": email,
            "unit_code": unit_code,
            "job_title": job,
            "manager_personnel_number": "",
            "hours_per_week": rng.choice(["36", "36", "36", "32", "28", "24", "32.5"]),
            "employment_start": start.isoformat(),
            "employment_end": "",
            "appointment": "permanent",
            "probation_end": "",
        }
        row.update(overrides)
        employees.append(row)
        return row

    heads = {}
    for code, name, parent, jobs in UNITS:
        if code not in TEAM_SIZE:
            head_job = jobs[0]
        else:
            head_job = "Afdelingshoofd" if code in {"FIN", "IV"} else "Teamleider"
        heads[code] = person(code, head_job)
        units.append(
            {
                "code": code,
                "name": name,
                "parent_code": parent,
                "head_personnel_number": heads[code]["personnel_number"],
            }
        )

    for code, size in TEAM_SIZE.items():
        jobs = next(unit[3] for unit in UNITS if unit[0] == code)
        for index in range(size):
            row = person(code, jobs[index % len(jobs)])
            if index % 11 == 5:  # a joiner this year on probation
                start = datetime.date(year, 1 + index % 9, 1)
                row.update(
                    employment_start=start.isoformat(),
                    appointment="probation",
                    probation_end=datetime.date(start.year + 1, start.month, 1).isoformat(),
                )
            elif index % 13 == 7:  # a leaver last year, kept in the file
                row["employment_end"] = datetime.date(year - 1, 1 + index % 12, 28).isoformat()
            elif index % 9 == 3:
                row["appointment"] = "temporary"
                row["employment_end"] = datetime.date(year + 1, 12, 31).isoformat()
    return units, employees


# Who logs in as which role, and where they sit (personnel numbers are assigned by
# position in ``build_rows``: we pick people by unit and order instead).
def _pick(employees: list[dict], unit_code: str, index: int) -> dict:
    members = [
        row
        for row in employees
        if row["unit_code"] == unit_code and row["employment_end"] == "" and row["appointment"] == "permanent"
    ]
    return members[index]


@transaction.atomic
def load_demo(*, year: int | None = None, progress=None) -> tuple[Organisation, list[DemoLogin]]:
    year = year or datetime.date.today().year
    units, employees = build_rows(year)
    heads = {unit["code"]: unit["head_personnel_number"] for unit in units}
    by_number = {row["personnel_number"]: row for row in employees}

    # The role logins get readable e-mail addresses.
    cast = {
        "employee": _pick(employees, "INK", 1),
        "colleague": _pick(employees, "INK", 2),
        "manager": by_number[heads["INK"]],
        "skip_level_manager": by_number[heads["WIZ"]],
        "director": by_number[heads["SOC"]],
        "hr_adviser": _pick(employees, "POA", 0),
        "hr_admin": _pick(employees, "POA", 1),
    }
    for role, row in cast.items():
        row["email"] = f"{LOGIN_NAMES[role]}@{EMAIL_DOMAIN}"
    cast["hr_adviser"]["job_title"] = "P&O-adviseur"
    cast["hr_admin"]["job_title"] = "Functioneel beheerder HR"

    plan = organisation_import_plan(
        organisation_name=ORGANISATION_NAME,
        units_file=("units.csv", write_csv(UNIT_COLUMNS, units)),
        employees_file=("employees.csv", write_csv(EMPLOYEE_COLUMNS, employees)),
    )
    organisation = organisation_import_apply(plan=plan, progress=progress)

    # Competences and job profiles.
    competences = {}
    for name, description, indicators in COMPETENCES:
        competences[name], _ = Competence.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"description": description, "indicators": indicators},
        )
    for job in Job.objects.filter(organisation=organisation, description=""):
        job.description = f"{job.title} bij {ORGANISATION_NAME}."
        job.save(update_fields=["description"])
        profile = ["Resultaatgerichtheid", "Samenwerken", "Vakmanschap"]
        if job.title in {"Teamleider", "Afdelingshoofd", "Sectordirecteur", "Gemeentesecretaris"}:
            profile.append("Leidinggeven")
        job.competences.set([competences[name] for name in profile])

    units_by_code = {unit.code: unit for unit in OrgUnit.objects.filter(organisation=organisation)}
    users = {role: User.objects.get(email=row["email"]) for role, row in cast.items()}
    for user in users.values():
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    role_assign(
        user=users["director"], organisation=organisation, role=Role.DIRECTOR, unit=units_by_code["SOC"]
    )
    role_assign(
        user=users["hr_adviser"], organisation=organisation, role=Role.HR_ADVISER, unit=units_by_code["SOC"]
    )
    role_assign(user=users["hr_admin"], organisation=organisation, role=Role.HR_ADMIN)
    if not units_by_code["WIZ"].plans.filter(year=year).exists():
        department_plan_save(
            unit=units_by_code["WIZ"],
            year=year,
            text=(
                "Inwoners krijgen binnen acht weken een besluit op hun aanvraag.\n"
                "We verminderen het aantal bezwaren met tien procent.\n"
                "Iedere medewerker volgt dit jaar minstens één training."
            ),
            acting_user=users["skip_level_manager"],
        )

    _ensure_seal_certificate()

    # The regulation: the Heemstede preset for the whole municipality, in force since the
    # previous year, and this year's cycles opened for everyone.
    filename, text = read_regulation_source(DEMO_REGULATION)
    regulation_load(
        organisation=organisation,
        filename=filename,
        text=text,
        in_force_from=datetime.date(year - 1, 1, 1),
        acting_user=users["hr_admin"],
    )
    cycles_open(organisation=organisation, year=year, progress=progress)
    _demo_conversations(
        employee=Employee.objects.get(user=users["employee"]), manager=users["manager"], year=year
    )
    _demo_feedback(organisation, employee=users["employee"], colleague=users["colleague"])
    progress_refresh(today=timezone.localdate(), organisation=organisation, progress=progress)

    descriptions = {
        "employee": "medewerker — team Inkomen",
        "colleague": "collega — team Inkomen",
        "manager": "leidinggevende — teamleider Inkomen",
        "skip_level_manager": "naast-hogere leidinggevende — hoofd Werk en Inkomen",
        "director": "directeur — sector Sociaal Domein",
        "hr_adviser": "P&O-adviseur — sector Sociaal Domein",
        "hr_admin": "functioneel beheer — hele organisatie",
    }
    logins = [
        DemoLogin(role, row["email"], f"{row['first_name']} {row['last_name']}", descriptions[role])
        for role, row in cast.items()
    ]
    return organisation, logins


def _demo_conversations(*, employee: Employee, manager: User, year: int) -> None:
    """The demo employee's year so far: a held planning conversation with its report,
    work plan and agreements, and the progress conversation planned (or held, later in
    the year). Created once; a re-run leaves it alone."""
    from django.utils import timezone

    from gesprekscyclus.agreements.services import agreement_create, work_plan_agree, work_plan_save
    from gesprekscyclus.conversations import services as conversations
    from gesprekscyclus.cycles.models import Cycle
    from gesprekscyclus.signatures.services import signature_sign, version_for_signing

    cycle = Cycle.objects.filter(employee=employee, year=year).select_related("regulation_version").first()
    today = timezone.localdate()
    if (
        cycle is None
        or cycle.conversations.exists()
        or today < cycle.period_start + datetime.timedelta(days=45)
    ):
        return
    worker = employee.user

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    planning_day = cycle.period_start + datetime.timedelta(days=20)
    planning = conversations.conversation_plan(
        cycle=cycle,
        kind="planning",
        starts_at=at(planning_day, 10),
        location="Stadhuis, kamer 2.14",
        acting_user=manager,
    )
    work_plan_save(
        cycle,
        content={
            "expected_results": "Aanvragen bijstand binnen acht weken afhandelen; "
            "meewerken aan de nieuwe werkinstructie terugvordering.",
            "agreement_term": "Per kwartaal",
            "competences_to_develop": "Klantgerichtheid in lastige gesprekken.",
            "development_wishes": "Training gespreksvaardigheden.",
            "support_needed": "Een maatje uit het team voor de eerste twee maanden.",
        },
        expected_version=None,
        acting_user=worker,
    )
    work_plan_save(
        cycle,
        content={"remarks": "Goed plan. De training past in het opleidingsbudget van dit jaar."},
        expected_version=None,
        acting_user=manager,
    )
    conversations.conversation_mark_held(planning, held_on=planning_day, acting_user=manager)
    report = planning.report
    conversations.report_save(
        planning,
        text="We hebben het werkplan besproken en de afspraken hieronder gemaakt.",
        answers={"expected_results": "Aanvragen binnen acht weken afhandelen."},
        expected_version=report.version,
        acting_user=worker,
    )
    for kind, description, indicator, days in (
        ("work_result", "Aanvragen bijstand binnen acht weken afhandelen.", "95% op tijd", 330),
        ("development", "Training gespreksvaardigheden volgen.", "Certificaat behaald", 180),
        ("support", "Maatje uit het team voor de inwerkperiode.", "Wekelijks overleg", 60),
    ):
        agreement_create(
            conversation=planning,
            values={
                "kind": kind,
                "description": description,
                "indicator": indicator,
                "target": "",
                "deadline": planning_day + datetime.timedelta(days=days),
            },
            acting_user=manager,
        )
    conversations.report_finish(planning, acting_user=worker)
    conversations.report_approve(planning, acting_user=manager)
    version = version_for_signing(planning)
    for signer in (worker, manager):
        signature_sign(version, user=signer, password=DEMO_PASSWORD, expected_hash=version.content_hash)
    plan = cycle.work_plan
    work_plan_agree(plan, expected_version=plan.version, acting_user=worker)
    plan.refresh_from_db()
    work_plan_agree(plan, expected_version=plan.version, acting_user=manager)
    progress_day = max(today + datetime.timedelta(days=7), cycle.period_start + datetime.timedelta(days=180))
    if progress_day <= cycle.period_end:
        conversations.conversation_plan(
            cycle=cycle,
            kind="progress",
            starts_at=at(progress_day, 14),
            online_url="https://meet.lindevoort.example/voortgang",
            acting_user=manager,
        )


def _ensure_seal_certificate() -> None:
    """The demo seals archived reports with a self-signed certificate (made once)."""
    from pathlib import Path

    from django.conf import settings

    from gesprekscyclus.dossiers.seal import make_self_signed

    certificate, key = Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_PRIVATE_KEY)
    if not certificate.exists() or not key.exists():
        make_self_signed(certificate, key, common_name=ORGANISATION_NAME)


def _demo_feedback(organisation: Organisation, *, employee: User, colleague: User) -> None:
    """A question set, a compliment the demo employee received, and a request waiting
    for the colleague. Created once."""
    from django.utils import timezone

    from gesprekscyclus.feedback.models import Feedback, QuestionSet
    from gesprekscyclus.feedback.services import feedback_offer, feedback_request

    questions = QuestionSet.objects.get_or_create(
        organisation=organisation,
        name="Drie vragen",
        defaults={
            "questions": [
                "Wat doe ik goed en moet ik vooral blijven doen?",
                "Wat kan ik beter doen?",
                "Wat mis je van mij?",
            ]
        },
    )[0]
    receiver = Employee.objects.get(user=employee)
    if Feedback.objects.filter(receiver=receiver).exists():
        return
    feedback_offer(
        receiver=receiver,
        text="Dank voor je hulp bij de piek in aanvragen vorige maand; zo kon het team op tijd leveren.",
        compliment=True,
        acting_user=colleague,
    )
    feedback_request(
        givers=[Employee.objects.get(user=colleague)],
        questions=questions.questions,
        message="Ter voorbereiding op mijn volgende gesprek.",
        answer_by=timezone.localdate() + datetime.timedelta(days=14),
        acting_user=employee,
    )
