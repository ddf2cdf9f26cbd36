"""The permission model as an explicit table: every role of the cast against every kind of
object, read through ``user.has_perm(permission, obj)``.

The tables below *are* the policy. Rows are the person asking, columns the object; ``Y``
means allowed, ``N`` refused. The cast (see ``tests/conftest.py``)::

    GEM root (head: secretary)                       Gemeente Teststad
    ├── SOC sector (head + director role: director;  HR adviser role: hr_adviser)
    │   └── INK team (head: manager)   employee, colleague
    ├── FYS other_sector (head + director role: other_director)
    │   └── VER other_team (head: other_manager)   other_employee
    └── PO staff (head: secretary)   hr_adviser, hr_admin (HR admin role on the organisation)

    foreign_employee in unit X of "Gemeente Elders"; outsider: an account, nothing else.

The policy:

* view_employee = self | direct manager | director over the unit | HR adviser for the unit
  | HR admin of the organisation.
* view_orgunit = head of the unit | director over | HR adviser for | HR admin (plain members
  may not open their unit's page).
* view_departmentplan = view_orgunit of the plan's unit | member of that unit.
* change_departmentplan = head of the plan's unit | HR admin.
* import/export_organisation (and assign_roles) = HR admin of that organisation only.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import override_settings

from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.models import DepartmentPlan, Employee, OrgUnit, Role
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.conftest import cast as build_cast
from tests.factories import DepartmentPlanFactory, EmployeeFactory, OrgUnitFactory, RoleAssignmentFactory

Y, N = True, False

# The people asking: the standard cast plus the secretary (head of the root and of the
# staff unit, without any role) to show that being a head is not being a director.
ROLES = (
    "employee",
    "colleague",
    "manager",
    "other_manager",
    "director",
    "other_director",
    "hr_adviser",
    "hr_admin",
    "secretary",
    "outsider",
)

EMPLOYEES = (
    "employee",
    "colleague",
    "manager",
    "director",
    "secretary",
    "other_director",
    "other_manager",
    "other_employee",
    "hr_adviser",
    "hr_admin",
    "foreign_employee",
)

# fmt: off
# organisations.view_employee: whose employee page may each role open?
# Columns in the order of EMPLOYEES: employee, colleague, manager, director, secretary,
# other_director, other_manager, other_employee, hr_adviser, hr_admin, foreign_employee.
VIEW_EMPLOYEE = {
    #                  emp col mgr dir sec odir omgr oemp hradv hradm foreign
    "employee":       (Y,  N,  N,  N,  N,  N,   N,   N,   N,    N,    N),
    "colleague":      (N,  Y,  N,  N,  N,  N,   N,   N,   N,    N,    N),
    "manager":        (Y,  Y,  Y,  N,  N,  N,   N,   N,   N,    N,    N),
    "other_manager":  (N,  N,  N,  N,  N,  N,   Y,   Y,   N,    N,    N),
    "director":       (Y,  Y,  Y,  Y,  N,  N,   N,   N,   N,    N,    N),
    "other_director": (N,  N,  N,  N,  N,  Y,   Y,   Y,   N,    N,    N),
    "hr_adviser":     (Y,  Y,  Y,  Y,  N,  N,   N,   N,   Y,    N,    N),
    "hr_admin":       (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,   Y,    Y,    N),
    "secretary":      (N,  N,  N,  Y,  Y,  Y,   N,   N,   Y,    Y,    N),
    "outsider":       (N,  N,  N,  N,  N,  N,   N,   N,   N,    N,    N),
}
# fmt: on

UNITS = ("root", "sector", "team", "other_sector", "other_team", "staff", "foreign_unit")

# fmt: off
# organisations.view_orgunit: whose unit page may each role open?
VIEW_ORGUNIT = {
    #                  root sector team other_sector other_team staff foreign
    "employee":       (N,   N,     N,   N,           N,         N,    N),
    "colleague":      (N,   N,     N,   N,           N,         N,    N),
    "manager":        (N,   N,     Y,   N,           N,         N,    N),
    "other_manager":  (N,   N,     N,   N,           Y,         N,    N),
    "director":       (N,   Y,     Y,   N,           N,         N,    N),
    "other_director": (N,   N,     N,   Y,           Y,         N,    N),
    "hr_adviser":     (N,   Y,     Y,   N,           N,         N,    N),
    "hr_admin":       (Y,   Y,     Y,   Y,           Y,         Y,    N),
    "secretary":      (Y,   N,     N,   N,           N,         Y,    N),
    "outsider":       (N,   N,     N,   N,           N,         N,    N),
}

# organisations.view_departmentplan, for the plan of each unit (columns as VIEW_ORGUNIT).
# Differs from VIEW_ORGUNIT only where someone works in the unit: employee and colleague
# (team), hr_adviser (staff).
VIEW_DEPARTMENTPLAN = {
    #                  root sector team other_sector other_team staff foreign
    "employee":       (N,   N,     Y,   N,           N,         N,    N),
    "colleague":      (N,   N,     Y,   N,           N,         N,    N),
    "manager":        (N,   N,     Y,   N,           N,         N,    N),
    "other_manager":  (N,   N,     N,   N,           Y,         N,    N),
    "director":       (N,   Y,     Y,   N,           N,         N,    N),
    "other_director": (N,   N,     N,   Y,           Y,         N,    N),
    "hr_adviser":     (N,   Y,     Y,   N,           N,         Y,    N),
    "hr_admin":       (Y,   Y,     Y,   Y,           Y,         Y,    N),
    "secretary":      (Y,   N,     N,   N,           N,         Y,    N),
    "outsider":       (N,   N,     N,   N,           N,         N,    N),
}

# organisations.change_departmentplan, for the plan of each unit: only the head of that
# very unit (a director is not the head of the teams below) and the HR admin.
CHANGE_DEPARTMENTPLAN = {
    #                  root sector team other_sector other_team staff foreign
    "employee":       (N,   N,     N,   N,           N,         N,    N),
    "colleague":      (N,   N,     N,   N,           N,         N,    N),
    "manager":        (N,   N,     Y,   N,           N,         N,    N),
    "other_manager":  (N,   N,     N,   N,           Y,         N,    N),
    "director":       (N,   Y,     N,   N,           N,         N,    N),
    "other_director": (N,   N,     N,   Y,           N,         N,    N),
    "hr_adviser":     (N,   N,     N,   N,           N,         N,    N),
    "hr_admin":       (Y,   Y,     Y,   Y,           Y,         Y,    N),
    "secretary":      (Y,   N,     N,   N,           N,         Y,    N),
    "outsider":       (N,   N,     N,   N,           N,         N,    N),
}
# fmt: on

ORGANISATIONS = ("organisation", "foreign_organisation")

# fmt: off
# organisations.import_organisation, export_organisation and assign_roles.
ADMINISTER_ORGANISATION = {
    #                  organisation foreign
    "employee":       (N,           N),
    "colleague":      (N,           N),
    "manager":        (N,           N),
    "other_manager":  (N,           N),
    "director":       (N,           N),
    "other_director": (N,           N),
    "hr_adviser":     (N,           N),
    "hr_admin":       (Y,           N),
    "secretary":      (N,           N),
    "outsider":       (N,           N),
}
# fmt: on


def _cases(permission: str, table: dict, columns: tuple[str, ...], prefix: str = ""):
    assert set(table) == set(ROLES), "every role needs a row"
    for role, row in table.items():
        assert len(row) == len(columns), f"row {role} has {len(row)} cells, not {len(columns)}"
        for column, expected in zip(columns, row, strict=True):
            yield pytest.param(
                role,
                f"{prefix}{column}",
                permission,
                expected,
                id=f"{role}-{'may' if expected else 'may_not'}-{permission.split('.')[1]}-{prefix}{column}",
            )


MATRIX = [
    *_cases("organisations.view_employee", VIEW_EMPLOYEE, EMPLOYEES),
    *_cases("organisations.view_orgunit", VIEW_ORGUNIT, UNITS),
    *_cases("organisations.view_departmentplan", VIEW_DEPARTMENTPLAN, UNITS, prefix="plan_of_"),
    *_cases("organisations.change_departmentplan", CHANGE_DEPARTMENTPLAN, UNITS, prefix="plan_of_"),
    *_cases("organisations.import_organisation", ADMINISTER_ORGANISATION, ORGANISATIONS),
    *_cases("organisations.export_organisation", ADMINISTER_ORGANISATION, ORGANISATIONS),
    *_cases("organisations.assign_roles", ADMINISTER_ORGANISATION, ORGANISATIONS),
]


def visible_in(table: dict, columns: tuple[str, ...], role: str) -> set[str]:
    """The column names a role is allowed (for the page and selector tests)."""
    return {column for column, allowed in zip(columns, table[role], strict=True) if allowed}


def cast_object(cast, name: str):
    """An object of the cast by the column name used in the tables above (a department
    plan ``plan_of_<unit>`` is made on first use)."""
    if name.startswith("plan_of_"):
        unit = cast_object(cast, name.removeprefix("plan_of_"))
        return DepartmentPlan.objects.filter(unit=unit).first() or DepartmentPlanFactory(unit=unit)
    if name == "staff":
        return OrgUnit.objects.select_related("organisation").get(organisation=cast.organisation, code="PO")
    if name == "foreign_unit":
        return OrgUnit.objects.select_related("organisation").get(pk=cast.foreign_employee.unit_id)
    if name == "foreign_organisation":
        return cast.foreign_employee.organisation
    return getattr(cast, name)


def fresh_user(cast, role: str) -> User:
    """The user of ``role`` as a new object, so no actor is cached from an earlier test."""
    return User.objects.get(pk=cast.user(role).pk)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def shared_cast(django_db_setup, django_db_blocker):
    """The standard cast (``tests/conftest.py``), built once for the read-only matrix
    below inside a transaction that is rolled back after the module; every test still
    runs in its own savepoint through ``db``. Building it per case would cost ~50 ms
    times ~400 cases."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        cast = build_cast.__wrapped__(db=None)
        for unit in UNITS:
            cast_object(cast, f"plan_of_{unit}")
        yield cast
        transaction.set_rollback(True)


@pytest.mark.parametrize(("role", "obj", "permission", "expected"), MATRIX)
def test_permission_matrix(shared_cast, db, role, obj, permission, expected):
    user = fresh_user(shared_cast, role)
    target = cast_object(shared_cast, obj)
    assert user.has_perm(permission, target) is expected


# The department plan views ask the plan permissions with the unit as the object.


@pytest.mark.parametrize("role", ROLES)
def test_change_departmentplan_on_the_unit_is_the_head_or_the_hr_admin(shared_cast, db, role):
    user = fresh_user(shared_cast, role)
    allowed = {
        name
        for name in UNITS
        if user.has_perm("organisations.change_departmentplan", cast_object(shared_cast, name))
    }
    assert allowed == visible_in(CHANGE_DEPARTMENTPLAN, UNITS, role)


@pytest.mark.parametrize("role", ROLES)
def test_view_departmentplan_on_the_unit_is_unit_page_or_membership(shared_cast, db, role):
    user = fresh_user(shared_cast, role)
    allowed = {
        name
        for name in UNITS
        if user.has_perm("organisations.view_departmentplan", cast_object(shared_cast, name))
    }
    assert allowed == visible_in(VIEW_DEPARTMENTPLAN, UNITS, role)


@pytest.mark.parametrize("role", ROLES)
def test_role_level_administration_without_an_object_is_for_hr_admins_only(shared_cast, db, role):
    user = fresh_user(shared_cast, role)
    expected = role == "hr_admin"
    assert user.has_perm("organisations.import_organisation") is expected
    assert user.has_perm("organisations.export_organisation") is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("employee", N),
        ("colleague", N),
        ("manager", N),
        ("other_manager", N),
        ("secretary", N),
        ("outsider", N),
        ("director", Y),
        ("other_director", Y),
        ("hr_adviser", Y),
        ("hr_admin", Y),
    ],
)
def test_only_directors_hr_advisers_and_hr_admins_may_search_employees(shared_cast, db, role, expected):
    assert fresh_user(shared_cast, role).has_perm("organisations.search_employees") is expected


# Cases that change the cast: the changes are rolled back with each test's savepoint.


def test_hr_admin_of_another_organisation_sees_only_that_organisation(shared_cast, db):
    foreign = shared_cast.foreign_employee
    RoleAssignmentFactory(user=foreign.user, organisation=foreign.organisation, role=Role.HR_ADMIN, unit=None)
    user = User.objects.get(pk=foreign.user_id)
    assert user.has_perm("organisations.view_employee", foreign)
    assert user.has_perm("organisations.view_orgunit", foreign.unit)
    assert user.has_perm("organisations.import_organisation", foreign.organisation)
    for name in EMPLOYEES[:-1]:
        assert not user.has_perm("organisations.view_employee", getattr(shared_cast, name)), name
    for name in UNITS[:-1]:
        assert not user.has_perm("organisations.view_orgunit", cast_object(shared_cast, name)), name
    assert not user.has_perm("organisations.import_organisation", shared_cast.organisation)
    assert not user.has_perm("organisations.export_organisation", shared_cast.organisation)


def test_director_scope_includes_units_nested_deeper_below_the_sector(shared_cast, db):
    deep = OrgUnitFactory(organisation=shared_cast.organisation, parent=shared_cast.team)
    deeper = OrgUnitFactory(organisation=shared_cast.organisation, parent=deep)
    person = EmployeeFactory(unit=deeper)
    director, other_director = fresh_user(shared_cast, "director"), fresh_user(shared_cast, "other_director")
    assert director.has_perm("organisations.view_orgunit", deeper)
    assert director.has_perm("organisations.view_employee", person)
    assert not other_director.has_perm("organisations.view_orgunit", deeper)
    assert not other_director.has_perm("organisations.view_employee", person)


def test_director_scope_does_not_leak_to_a_sibling_whose_id_shares_a_prefix(shared_cast, db):
    """Paths are compared as prefixes: /1/2/ must not cover /1/23/."""
    sibling = OrgUnitFactory(organisation=shared_cast.organisation, parent=shared_cast.root)
    OrgUnit.objects.filter(pk=sibling.pk).update(path=f"{shared_cast.sector.path.rstrip('/')}0/")
    sibling.refresh_from_db()
    person = EmployeeFactory(unit=sibling)
    director = fresh_user(shared_cast, "director")
    assert not director.has_perm("organisations.view_orgunit", sibling)
    assert not director.has_perm("organisations.view_employee", person)


def test_explicit_manager_sees_their_report_and_the_unit_head_no_longer_does(shared_cast, db):
    Employee.objects.filter(pk=shared_cast.employee.pk).update(explicit_manager=shared_cast.other_manager)
    employees_refresh_managers(organisation=shared_cast.organisation)
    employee = Employee.objects.select_related("unit").get(pk=shared_cast.employee.pk)
    assert fresh_user(shared_cast, "other_manager").has_perm("organisations.view_employee", employee)
    assert not fresh_user(shared_cast, "manager").has_perm("organisations.view_employee", employee)
    # The director keeps seeing everyone in the sector, whoever the manager is.
    assert fresh_user(shared_cast, "director").has_perm("organisations.view_employee", employee)


def test_inactive_user_is_allowed_nothing(shared_cast, db):
    User.objects.filter(pk=shared_cast.hr_admin.user_id).update(is_active=False)
    user = User.objects.get(pk=shared_cast.hr_admin.user_id)
    assert not user.has_perm("organisations.view_employee", shared_cast.hr_admin)
    assert not user.has_perm("organisations.view_orgunit", shared_cast.team)
    assert not user.has_perm("organisations.import_organisation", shared_cast.organisation)


def test_anonymous_user_is_allowed_nothing(shared_cast, db):
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("organisations.view_employee", shared_cast.employee)
    assert not anonymous.has_perm("organisations.view_orgunit", shared_cast.team)
    assert not anonymous.has_perm(
        "organisations.view_departmentplan", cast_object(shared_cast, "plan_of_team")
    )
    assert not anonymous.has_perm("organisations.import_organisation", shared_cast.organisation)
