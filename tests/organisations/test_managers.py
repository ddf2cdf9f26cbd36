"""Who is whose manager: the pure rule (``effective_manager_ids``) and the stored result
(``employees_refresh_managers``)."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import effective_manager_ids, employees_refresh_managers
from tests.factories import EmployeeFactory, OrgUnitFactory

# A small tree for the example tests (unit id: (parent id, head id)):
#
#   1 root (head 10)
#   └── 2 sector (head 20)
#       ├── 3 team (head 30)
#       └── 4 team without head
#           └── 5 sub-team without head
UNITS = {
    1: (None, 10),
    2: (1, 20),
    3: (2, 30),
    4: (2, None),
    5: (4, None),
}


def manager_of(employee_id: int, unit_id: int, explicit: int | None = None, units=UNITS) -> int | None:
    return effective_manager_ids(units=units, employees={employee_id: (unit_id, explicit)})[employee_id]


def test_member_of_a_team_has_the_head_of_the_team_as_manager():
    assert manager_of(31, 3) == 30


def test_explicit_manager_wins_over_the_head_of_the_unit():
    assert manager_of(31, 3, explicit=99) == 99


def test_explicit_manager_wins_for_a_head_too():
    assert manager_of(30, 3, explicit=10) == 10


def test_explicit_manager_that_is_oneself_is_ignored():
    assert manager_of(31, 3, explicit=31) == 30


def test_head_of_a_unit_has_the_nearest_head_above_as_manager():
    assert manager_of(30, 3) == 20
    assert manager_of(20, 2) == 10


def test_head_sitting_in_a_unit_they_also_head_above_skips_themselves():
    """Someone heading both the sector and the team below is managed by the head above both."""
    units = {1: (None, 10), 2: (1, 20), 3: (2, 20)}
    assert manager_of(20, 3, units=units) == 10


def test_unit_without_head_falls_back_to_the_head_above():
    assert manager_of(41, 4) == 20
    assert manager_of(51, 5) == 20


def test_head_of_the_root_has_no_manager():
    assert manager_of(10, 1) is None


def test_unit_outside_the_tree_gives_no_manager():
    assert manager_of(61, 6) is None


def test_a_cycle_in_the_units_does_not_hang_and_gives_no_manager():
    units = {1: (2, None), 2: (1, None)}
    assert manager_of(11, 1, units=units) is None


def test_everyone_is_computed_in_one_call():
    employees = {10: (1, None), 20: (2, None), 30: (3, None), 31: (3, None), 41: (4, None), 51: (5, 30)}
    assert effective_manager_ids(units=UNITS, employees=employees) == {
        10: None,
        20: 10,
        30: 20,
        31: 30,
        41: 20,
        51: 30,
    }


# Property: over random trees.


@st.composite
def trees(draw):
    """Units 1..n where every parent has a smaller id (a forest without cycles); employees
    100.. in random units; random heads (anyone, also someone outside the unit) and a few
    explicit managers."""
    unit_count = draw(st.integers(min_value=1, max_value=12))
    employee_ids = list(range(100, 100 + draw(st.integers(min_value=1, max_value=25))))
    person = st.sampled_from(employee_ids)
    units = {}
    for unit_id in range(1, unit_count + 1):
        parent = (
            draw(st.one_of(st.none(), st.integers(min_value=1, max_value=unit_id - 1)))
            if unit_id > 1
            else None
        )
        units[unit_id] = (parent, draw(st.one_of(st.none(), person)))
    employees = {
        employee_id: (
            draw(st.integers(min_value=1, max_value=unit_count)),
            draw(st.one_of(st.none(), st.none(), person)),
        )
        for employee_id in employee_ids
    }
    return units, employees


def ancestors_from(units, unit_id):
    """The unit itself, then its parent, and so on up to the root."""
    while unit_id is not None:
        yield unit_id
        unit_id = units[unit_id][0]


@hypothesis_settings(max_examples=120, database=None)
@given(tree=trees())
def test_property_no_one_is_their_own_manager(tree):
    units, employees = tree
    result = effective_manager_ids(units=units, employees=employees)
    assert set(result) == set(employees)
    assert all(manager != employee for employee, manager in result.items())


@hypothesis_settings(max_examples=120, database=None)
@given(tree=trees())
def test_property_manager_of_a_plain_employee_is_the_head_of_the_nearest_unit_with_a_head(tree):
    units, employees = tree
    result = effective_manager_ids(units=units, employees=employees)
    heads = {head for _, head in units.values() if head is not None}
    for employee_id, (unit_id, explicit) in employees.items():
        if explicit is not None or employee_id in heads:
            continue
        expected = next(
            (units[u][1] for u in ancestors_from(units, unit_id) if units[u][1] is not None), None
        )
        assert result[employee_id] == expected


@hypothesis_settings(max_examples=120, database=None)
@given(tree=trees())
def test_property_manager_of_a_head_is_the_nearest_head_above_that_is_someone_else(tree):
    units, employees = tree
    result = effective_manager_ids(units=units, employees=employees)
    for employee_id, (unit_id, explicit) in employees.items():
        if explicit is not None and explicit != employee_id:
            assert result[employee_id] == explicit
            continue
        expected = next(
            (
                units[u][1]
                for u in ancestors_from(units, unit_id)
                if units[u][1] is not None and units[u][1] != employee_id
            ),
            None,
        )
        assert result[employee_id] == expected


# The stored manager, in the database.


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored_manager_id(employee: Employee) -> int | None:
    return Employee.objects.values_list("manager_id", flat=True).get(pk=employee.pk)


def test_moving_an_employee_to_another_unit_updates_the_stored_manager(cast):
    Employee.objects.filter(pk=cast.employee.pk).update(unit=cast.other_team)
    assert employees_refresh_managers(organisation=cast.organisation) == 1
    assert stored_manager_id(cast.employee) == cast.other_manager.pk
    assert stored_manager_id(cast.colleague) == cast.manager.pk


def test_changing_the_head_of_a_unit_updates_the_stored_managers(cast):
    OrgUnit.objects.filter(pk=cast.team.pk).update(head=cast.colleague)
    # employee and the former head now report to colleague; colleague to the director.
    assert employees_refresh_managers(organisation=cast.organisation) == 3
    assert stored_manager_id(cast.employee) == cast.colleague.pk
    assert stored_manager_id(cast.manager) == cast.colleague.pk
    assert stored_manager_id(cast.colleague) == cast.director.pk


def test_removing_the_head_of_a_unit_makes_the_head_above_the_manager(cast):
    OrgUnit.objects.filter(pk=cast.team.pk).update(head=None)
    employees_refresh_managers(organisation=cast.organisation)
    for person in (cast.employee, cast.colleague, cast.manager):
        assert stored_manager_id(person) == cast.director.pk


def test_setting_an_explicit_manager_is_stored_and_clearing_it_restores_the_head(cast):
    Employee.objects.filter(pk=cast.employee.pk).update(explicit_manager=cast.other_manager)
    employees_refresh_managers(organisation=cast.organisation)
    assert stored_manager_id(cast.employee) == cast.other_manager.pk
    Employee.objects.filter(pk=cast.employee.pk).update(explicit_manager=None)
    employees_refresh_managers(organisation=cast.organisation)
    assert stored_manager_id(cast.employee) == cast.manager.pk


def test_refreshing_twice_changes_nothing_the_second_time(cast):
    EmployeeFactory(unit=cast.other_team)
    assert employees_refresh_managers(organisation=cast.organisation) == 1
    assert employees_refresh_managers(organisation=cast.organisation) == 0


def test_refreshing_one_organisation_leaves_another_alone(cast):
    foreign_unit = cast.foreign_employee.unit
    head = EmployeeFactory(unit=foreign_unit)
    OrgUnit.objects.filter(pk=foreign_unit.pk).update(head=head)
    employees_refresh_managers(organisation=cast.organisation)
    assert stored_manager_id(cast.foreign_employee) is None
    employees_refresh_managers(organisation=cast.foreign_employee.organisation)
    assert stored_manager_id(cast.foreign_employee) == head.pk


def test_stored_managers_match_the_pure_rule_for_a_deeper_tree(cast):
    deep = OrgUnitFactory(organisation=cast.organisation, parent=cast.team)
    deeper = OrgUnitFactory(organisation=cast.organisation, parent=deep)
    deep_head = EmployeeFactory(unit=deep)
    OrgUnit.objects.filter(pk=deep.pk).update(head=deep_head)
    below = EmployeeFactory(unit=deeper)
    employees_refresh_managers(organisation=cast.organisation)
    assert stored_manager_id(deep_head) == cast.manager.pk
    assert stored_manager_id(below) == deep_head.pk
