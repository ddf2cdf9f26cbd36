"""``manage.py load_demo``: the fictional municipality and its demo logins."""

import datetime
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils.translation import override

from gesprekscyclus.accounts.models import User
from gesprekscyclus.agreements.models import Agreement, WorkPlanStatus
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.demo.municipality import EMAIL_DOMAIN, LOGIN_NAMES, ORGANISATION_NAME
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.services import dossier_verify
from gesprekscyclus.organisations.models import (
    Appointment,
    Competence,
    DepartmentPlan,
    Employee,
    Job,
    Organisation,
    OrgUnit,
    Role,
    RoleAssignment,
)
from gesprekscyclus.regulations.models import RegulationVersion, VersionStatus


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo sets a password for every login; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    stdout = io.StringIO()
    with override("en"):
        call_command("load_demo", "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def printed_logins(output: str) -> tuple[str, list[str]]:
    """The password and the e-mail addresses the command prints."""
    [password] = re.findall(r"\(password for all: (\S+)\)", output)
    emails = re.findall(rf"^\s+(\S+@{re.escape(EMAIL_DOMAIN)})\s", output, flags=re.MULTILINE)
    return password, emails


def snapshot() -> dict:
    models = (
        Organisation,
        OrgUnit,
        Employee,
        User,
        Job,
        Competence,
        RoleAssignment,
        DepartmentPlan,
        RegulationVersion,
        Cycle,
        Conversation,
        Agreement,
    )
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "employees": dict(Employee.objects.values_list("personnel_number", "pk")),
        "accounts": dict(Employee.objects.values_list("personnel_number", "user_id")),
        "managers": dict(Employee.objects.values_list("personnel_number", "manager_id")),
        "units": dict(OrgUnit.objects.values_list("code", "path")),
        "roles": set(RoleAssignment.objects.values_list("user_id", "role", "unit_id")),
    }


def test_load_demo_creates_a_municipality_of_realistic_size(db):
    output = load_demo()

    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    employees = Employee.objects.filter(organisation=organisation)
    assert employees.count() >= 300
    assert f"{employees.count()} employees" in output

    [root] = OrgUnit.objects.filter(organisation=organisation, parent=None)
    sectors = list(OrgUnit.objects.filter(organisation=organisation, parent=root))
    assert len(sectors) == 3
    below_sectors = OrgUnit.objects.filter(organisation=organisation, depth__gte=2)
    assert below_sectors.count() >= 10
    for unit in below_sectors:
        assert any(unit.path.startswith(sector.path) for sector in sectors), unit.code
    # Every unit has members and a head; every employee but the top one has a manager.
    assert not OrgUnit.objects.filter(organisation=organisation, members=None).exists()
    assert not OrgUnit.objects.filter(organisation=organisation, head=None).exists()
    assert list(employees.filter(manager=None)) == [root.head]


def test_load_demo_has_people_on_probation_and_leavers(db):
    load_demo()

    today = datetime.date.today()
    employees = Employee.objects.filter(organisation__name=ORGANISATION_NAME)
    on_probation = employees.filter(appointment=Appointment.PROBATION)
    assert on_probation.count() >= 3
    assert not on_probation.filter(probation_end=None).exists()
    for employee in on_probation:
        assert employee.probation_end > employee.employment_start
    leavers = employees.filter(employment_end__lt=today)
    assert leavers.count() >= 3
    assert all(employee.is_leaver for employee in leavers)
    assert employees.filter(appointment=Appointment.TEMPORARY, employment_end__gte=today).exists()


def test_load_demo_twice_changes_nothing(db):
    load_demo()
    before = snapshot()

    load_demo()

    assert snapshot() == before
    assert User.objects.values("email").distinct().count() == User.objects.count()
    assert Organisation.objects.filter(name=ORGANISATION_NAME).count() == 1


def test_load_demo_twice_does_not_rewrite_the_department_plan(db):
    """The plan of Werk en Inkomen is written once; a second run leaves it (and the
    audit log of plan changes) alone."""
    from gesprekscyclus.audit.models import AuditEvent

    load_demo()
    plan = DepartmentPlan.objects.get(unit__organisation__name=ORGANISATION_NAME)
    assert plan.unit.code == "WIZ"

    load_demo()

    assert DepartmentPlan.objects.get(pk=plan.pk).updated_at == plan.updated_at
    assert AuditEvent.objects.filter(action="department_plan.saved").count() == 1


def test_every_printed_demo_login_can_log_in_with_the_printed_password(db):
    password, emails = printed_logins(load_demo())

    assert len(emails) == len(LOGIN_NAMES)
    request = RequestFactory().post("/inloggen/")
    for email in emails:
        user = authenticate(request, username=email, password=password)
        assert user is not None, email
        assert user.email == email
        assert user.employee.organisation.name == ORGANISATION_NAME
    assert authenticate(request, username=emails[0], password=password + "x") is None


def test_demo_logins_still_work_after_loading_twice(db):
    load_demo()
    password, emails = printed_logins(load_demo())

    request = RequestFactory().post("/inloggen/")
    for email in emails:
        assert authenticate(request, username=email, password=password) is not None, email


def test_demo_logins_have_the_roles_they_claim(db):
    _, emails = printed_logins(load_demo())

    login = {role: User.objects.get(email=f"{name}@{EMAIL_DOMAIN}") for role, name in LOGIN_NAMES.items()}
    assert {user.email for user in login.values()} == set(emails)
    unit = {
        code: OrgUnit.objects.get(organisation__name=ORGANISATION_NAME, code=code)
        for code in ("INK", "WIZ", "SOC")
    }
    employee = {role: user.employee for role, user in login.items()}

    def roles(user) -> set[tuple[str, str | None]]:
        return {
            (assignment.role, assignment.unit.code if assignment.unit else None)
            for assignment in RoleAssignment.objects.filter(user=user).select_related("unit")
        }

    assert roles(login["director"]) == {(Role.DIRECTOR, "SOC")}
    assert roles(login["hr_adviser"]) == {(Role.HR_ADVISER, "SOC")}
    assert roles(login["hr_admin"]) == {(Role.HR_ADMIN, None)}
    for role in ("employee", "colleague", "manager", "skip_level_manager"):
        assert roles(login[role]) == set(), role

    # Managers are not a role: they follow from heading a unit.
    assert unit["INK"].head == employee["manager"]
    assert unit["WIZ"].head == employee["skip_level_manager"]
    assert unit["SOC"].head == employee["director"]
    assert employee["employee"].unit == employee["colleague"].unit == unit["INK"]
    assert employee["employee"].manager == employee["colleague"].manager == employee["manager"]
    assert employee["manager"].manager == employee["skip_level_manager"]
    assert employee["skip_level_manager"].manager == employee["director"]
    for role in ("employee", "colleague"):
        assert not employee[role].headed_units.exists(), role
        assert employee[role].employment_end is None
    assert employee["hr_admin"].user.has_perm(
        "organisations.import_organisation", employee["hr_admin"].organisation
    )
    assert not employee["hr_adviser"].user.has_perm(
        "organisations.import_organisation", employee["hr_adviser"].organisation
    )


def test_only_the_demo_logins_can_log_in(db):
    load_demo()

    usable = {user.email for user in User.objects.all() if user.has_usable_password()}

    assert usable == {f"{name}@{EMAIL_DOMAIN}" for name in LOGIN_NAMES.values()}


def test_the_demo_runs_the_heemstede_preset_with_this_years_cycles_open(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC))
    load_demo()
    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    [version] = RegulationVersion.objects.filter(organisation=organisation, status=VersionStatus.ACTIVE)
    assert version.regulation_id == "heemstede"
    working = Employee.objects.filter(organisation=organisation).exclude(
        employment_end__lt=datetime.date(2026, 1, 1)
    )
    assert Cycle.objects.filter(organisation=organisation, year=2026).count() == working.count()

    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "open_cycles", "--organisation", ORGANISATION_NAME, "--period", "2026", stdout=stdout, stderr=stderr
    )
    assert "0 opened" in stdout.getvalue()
    assert f"open cycles: {working.count()}/{working.count()} (100%)" in stderr.getvalue()


def test_the_demo_employee_is_halfway_through_the_year(db, time_machine):
    """The planning conversation held, its report signed by both and archived in the
    personnel file, the work plan established with three agreements, and the progress
    conversation planned."""
    time_machine.move_to(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC))
    load_demo()
    employee = Employee.objects.get(email=f"{LOGIN_NAMES['employee']}@{EMAIL_DOMAIN}")
    conversations = {c.kind: c for c in Conversation.objects.filter(employee=employee)}
    assert conversations["planning"].status == Status.COMPLETED
    [entry] = DossierEntry.objects.filter(employee=employee)
    assert entry.conversation == conversations["planning"]
    assert dossier_verify([employee]).breaks == []
    assert conversations["progress"].status == Status.PLANNED
    assert Agreement.objects.filter(employee=employee, made_in=conversations["planning"]).count() == 3
    cycle = Cycle.objects.get(employee=employee, year=2026)
    assert cycle.work_plan.status == WorkPlanStatus.ESTABLISHED
    assert cycle.work_plan.versions.count() == 1
