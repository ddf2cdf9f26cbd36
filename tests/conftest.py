"""The standard cast every permission test uses.

One organisation with two sectors::

    GEM (head: secretary)
    ├── SOC  sector Sociaal     (head: director; director role on SOC)
    │   └── INK  team Inkomen   (head: manager)  members: employee, colleague
    └── FYS  sector Fysiek      (head: other_director; director role on FYS)
        └── VER  team Vergunningen (head: other_manager) members: other_employee

plus an HR adviser for SOC, an HR administrator for the organisation, an outsider
with an account but no employee, and a person in another organisation.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit, Role
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.factories import (
    EmployeeFactory,
    OrganisationFactory,
    OrgUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Dutch). A request through the test client
    activates its language in the thread and Django does not reset it, so without this a
    test would see whatever language the previous test in the same worker left behind."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def seal_certificate(tmp_path_factory):
    """A self-signed sealing certificate for this test process (one per xdist worker),
    so that signing a report can archive it in the personnel file."""
    from gesprekscyclus.dossiers.seal import make_self_signed

    directory = tmp_path_factory.mktemp(f"seal-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    certificate, key = Path(directory, "certificate.pem"), Path(directory, "private-key.pem")
    make_self_signed(certificate, key, common_name="Gemeente Teststad")
    django_settings.SEAL_CERTIFICATE, django_settings.SEAL_PRIVATE_KEY = str(certificate), str(key)
    return certificate


@dataclass
class Cast:
    organisation: Organisation
    root: OrgUnit
    sector: OrgUnit
    team: OrgUnit
    other_sector: OrgUnit
    other_team: OrgUnit
    secretary: Employee
    director: Employee
    manager: Employee
    employee: Employee
    colleague: Employee
    other_director: Employee
    other_manager: Employee
    other_employee: Employee
    hr_adviser: Employee
    hr_admin: Employee
    outsider: User
    foreign_employee: Employee

    def user(self, name: str) -> User:
        member = getattr(self, name)
        return member if isinstance(member, User) else member.user


ROLE_NAMES = [
    "employee",
    "colleague",
    "manager",
    "other_manager",
    "director",
    "other_director",
    "hr_adviser",
    "hr_admin",
    "outsider",
]


@pytest.fixture
def cast(db) -> Cast:
    organisation = OrganisationFactory(name="Gemeente Teststad")
    root = OrgUnitFactory(organisation=organisation, code="GEM", name="Gemeente Teststad")
    sector = OrgUnitFactory(organisation=organisation, code="SOC", name="Sector Sociaal", parent=root)
    team = OrgUnitFactory(organisation=organisation, code="INK", name="Team Inkomen", parent=sector)
    other_sector = OrgUnitFactory(organisation=organisation, code="FYS", name="Sector Fysiek", parent=root)
    other_team = OrgUnitFactory(
        organisation=organisation, code="VER", name="Team Vergunningen", parent=other_sector
    )
    staff_unit = OrgUnitFactory(organisation=organisation, code="PO", name="Team P&O", parent=root)

    secretary = EmployeeFactory(unit=root)
    director = EmployeeFactory(unit=sector)
    manager = EmployeeFactory(unit=team)
    employee = EmployeeFactory(unit=team)
    colleague = EmployeeFactory(unit=team)
    other_director = EmployeeFactory(unit=other_sector)
    other_manager = EmployeeFactory(unit=other_team)
    other_employee = EmployeeFactory(unit=other_team)
    hr_adviser = EmployeeFactory(unit=staff_unit)
    hr_admin = EmployeeFactory(unit=staff_unit)
    for unit, head in (
        (root, secretary),
        (sector, director),
        (team, manager),
        (other_sector, other_director),
        (other_team, other_manager),
        (staff_unit, secretary),
    ):
        OrgUnit.objects.filter(pk=unit.pk).update(head=head)
    RoleAssignmentFactory(user=director.user, organisation=organisation, role=Role.DIRECTOR, unit=sector)
    RoleAssignmentFactory(
        user=other_director.user, organisation=organisation, role=Role.DIRECTOR, unit=other_sector
    )
    RoleAssignmentFactory(user=hr_adviser.user, organisation=organisation, role=Role.HR_ADVISER, unit=sector)
    RoleAssignmentFactory(user=hr_admin.user, organisation=organisation, role=Role.HR_ADMIN, unit=None)
    employees_refresh_managers(organisation=organisation)

    foreign_unit = OrgUnitFactory(organisation=OrganisationFactory(name="Gemeente Elders"), code="X")
    foreign_employee = EmployeeFactory(unit=foreign_unit)

    def fresh(employee: Employee) -> Employee:
        return Employee.objects.select_related("unit", "user").get(pk=employee.pk)

    return Cast(
        organisation=organisation,
        root=OrgUnit.objects.get(pk=root.pk),
        sector=OrgUnit.objects.get(pk=sector.pk),
        team=OrgUnit.objects.get(pk=team.pk),
        other_sector=OrgUnit.objects.get(pk=other_sector.pk),
        other_team=OrgUnit.objects.get(pk=other_team.pk),
        secretary=fresh(secretary),
        director=fresh(director),
        manager=fresh(manager),
        employee=fresh(employee),
        colleague=fresh(colleague),
        other_director=fresh(other_director),
        other_manager=fresh(other_manager),
        other_employee=fresh(other_employee),
        hr_adviser=fresh(hr_adviser),
        hr_admin=fresh(hr_admin),
        outsider=UserFactory(email="outsider@example.org"),
        foreign_employee=fresh(foreign_employee),
    )


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in (axes needs a request, so force_login)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
