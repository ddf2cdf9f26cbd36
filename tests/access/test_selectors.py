"""The selectors (database filters) and the predicates (``user.has_perm``) must agree:
a list never shows someone whose page would be refused, and never hides someone whose
page would open."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gesprekscyclus.access.selectors import employees_visible_to, units_overseen_by, units_visible_to
from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit, Role, RoleAssignment
from gesprekscyclus.organisations.services import employees_refresh_managers, units_refresh_paths
from tests.access.test_predicates import EMPLOYEES, ROLES, UNITS, VIEW_EMPLOYEE, VIEW_ORGUNIT, visible_in

# Everybody with an account in the cast: the roles of the permission matrix plus the
# people who are only employees.
CAST_USERS = (*ROLES, "other_employee", "foreign_employee")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def employees_by_predicate(user) -> set[int]:
    return {
        employee.pk
        for employee in Employee.objects.select_related("unit")
        if user.has_perm("organisations.view_employee", employee)
    }


def units_by_predicate(user) -> set[int]:
    return {unit.pk for unit in OrgUnit.objects.all() if user.has_perm("organisations.view_orgunit", unit)}


def assert_selectors_agree_with_predicates(user) -> None:
    employees = list(employees_visible_to(user).values_list("pk", flat=True))
    assert len(employees) == len(set(employees)), "an employee is listed twice"
    assert set(employees) == employees_by_predicate(user)
    units = list(units_visible_to(user).values_list("pk", flat=True))
    assert len(units) == len(set(units)), "a unit is listed twice"
    assert set(units) == units_by_predicate(user)
    # The units someone oversees (overview page) are a part of the units they may open.
    assert set(units_overseen_by(user).values_list("pk", flat=True)) <= set(units)


@pytest.mark.parametrize("role", CAST_USERS)
def test_employees_visible_to_is_exactly_who_view_employee_allows(cast, role):
    user = User.objects.get(pk=cast.user(role).pk)
    visible = set(employees_visible_to(user).values_list("pk", flat=True))
    assert visible == employees_by_predicate(user)


@pytest.mark.parametrize("role", CAST_USERS)
def test_units_visible_to_is_exactly_which_unit_pages_view_orgunit_allows(cast, role):
    user = User.objects.get(pk=cast.user(role).pk)
    visible = set(units_visible_to(user).values_list("pk", flat=True))
    assert visible == units_by_predicate(user)


@pytest.mark.parametrize("role", ROLES)
def test_selectors_return_the_people_and_units_of_the_permission_matrix(cast, role):
    """Agreement alone would pass if both sides were wrong the same way: pin the
    selectors to the explicit policy table too."""
    user = User.objects.get(pk=cast.user(role).pk)
    staff = OrgUnit.objects.get(organisation=cast.organisation, code="PO")
    unit_pks = {
        **{name: getattr(cast, name).pk for name in UNITS if hasattr(cast, name)},
        "staff": staff.pk,
        "foreign_unit": cast.foreign_employee.unit_id,
    }
    expected_employees = {getattr(cast, name).pk for name in visible_in(VIEW_EMPLOYEE, EMPLOYEES, role)}
    expected_units = {unit_pks[name] for name in visible_in(VIEW_ORGUNIT, UNITS, role)}
    assert set(employees_visible_to(user).values_list("pk", flat=True)) == expected_employees
    assert set(units_visible_to(user).values_list("pk", flat=True)) == expected_units


def test_anonymous_and_inactive_users_see_nothing_in_lists(cast):
    assert not employees_visible_to(AnonymousUser()).exists()
    assert not units_visible_to(AnonymousUser()).exists()
    User.objects.filter(pk=cast.hr_admin.user_id).update(is_active=False)
    inactive = User.objects.get(pk=cast.hr_admin.user_id)
    assert not employees_visible_to(inactive).exists()
    assert not units_visible_to(inactive).exists()
    assert_selectors_agree_with_predicates(inactive)


def test_selectors_agree_for_an_hr_admin_of_two_organisations_and_a_director_in_both(cast):
    foreign = cast.foreign_employee.organisation
    user = cast.user("hr_admin")
    RoleAssignment.objects.create(user=user, organisation=foreign, role=Role.HR_ADMIN)
    RoleAssignment.objects.create(
        user=cast.user("other_director"),
        organisation=foreign,
        role=Role.DIRECTOR,
        unit=cast.foreign_employee.unit,
    )
    for name in ("hr_admin", "other_director"):
        fresh = User.objects.get(pk=cast.user(name).pk)
        assert_selectors_agree_with_predicates(fresh)
    hr_admin = User.objects.get(pk=user.pk)
    assert cast.foreign_employee.pk in set(employees_visible_to(hr_admin).values_list("pk", flat=True))


# A property test over random organisations: whatever the tree, the heads, the explicit
# managers and the roles, the selectors and the predicates agree for everybody.


@st.composite
def random_organisations(draw):
    unit_count = draw(st.integers(min_value=1, max_value=7))
    # Each unit's parent comes earlier in the list, so the tree has no cycle; several
    # roots are allowed.
    parents = [None] + [
        draw(st.one_of(st.none(), st.integers(min_value=0, max_value=index - 1)))
        for index in range(1, unit_count)
    ]
    employee_count = draw(st.integers(min_value=1, max_value=9))
    person = st.integers(min_value=0, max_value=employee_count - 1)
    units_of_employees = [
        draw(st.integers(min_value=0, max_value=unit_count - 1)) for _ in range(employee_count)
    ]
    heads = [draw(st.one_of(st.none(), person)) for _ in range(unit_count)]
    explicit_managers = [draw(st.one_of(st.none(), person)) for _ in range(employee_count)]
    # A role targets a unit of the organisation, or (index == unit_count) the unit of the
    # other organisation.
    roles = draw(
        st.sets(
            st.tuples(
                person,
                st.sampled_from([Role.DIRECTOR, Role.HR_ADVISER, Role.HR_ADMIN]),
                st.integers(min_value=0, max_value=unit_count),
            ),
            max_size=5,
        )
    )
    return parents, units_of_employees, heads, explicit_managers, roles


def _build(parents, units_of_employees, heads, explicit_managers, roles) -> list[User]:
    organisation = Organisation.objects.create(name="Gemeente Eigenschap")
    other = Organisation.objects.create(name="Gemeente Ander")
    units: list[OrgUnit] = []
    for index, parent in enumerate(parents):
        units.append(
            OrgUnit.objects.create(
                organisation=organisation,
                code=f"P{index}",
                name=f"Eenheid {index}",
                parent=units[parent] if parent is not None else None,
            )
        )
    units_refresh_paths(organisation=organisation)
    other_unit = OrgUnit.objects.create(organisation=other, code="A0", name="Andere eenheid")
    units_refresh_paths(organisation=other)

    def employee(organisation, unit, number):
        user = User.objects.create_user(f"prop{number}@example.org")  # no password: no hashing
        return Employee.objects.create(
            organisation=organisation,
            unit=unit,
            personnel_number=str(number),
            first_name="Persoon",
            last_name=str(number),
            email=user.email,
            user=user,
            employment_start=datetime.date(2020, 1, 1),
        )

    people = [employee(organisation, units[unit], number) for number, unit in enumerate(units_of_employees)]
    strangers = [employee(other, other_unit, 900 + number) for number in range(2)]
    OrgUnit.objects.filter(pk=other_unit.pk).update(head=strangers[0])
    for unit, head in zip(units, heads, strict=True):
        if head is not None:
            OrgUnit.objects.filter(pk=unit.pk).update(head=people[head])
    for person, explicit in zip(people, explicit_managers, strict=True):
        if explicit is not None:
            Employee.objects.filter(pk=person.pk).update(explicit_manager=people[explicit])
    employees_refresh_managers(organisation=organisation)
    employees_refresh_managers(organisation=other)
    for person, role, unit_index in roles:
        in_other = unit_index == len(units)
        RoleAssignment.objects.get_or_create(
            user=people[person].user,
            organisation=other if in_other else organisation,
            role=role,
            unit=None if role == Role.HR_ADMIN else (other_unit if in_other else units[unit_index]),
        )
    outsider = User.objects.create_user("prop-outsider@example.org")
    return [*(p.user for p in people), *(s.user for s in strangers), outsider]


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(organisation=random_organisations())
def test_selectors_agree_with_predicates_for_random_organisations(db, organisation):
    with transaction.atomic():
        users = _build(*organisation)
        for user in users:
            assert_selectors_agree_with_predicates(User.objects.get(pk=user.pk))
        transaction.set_rollback(True)
