"""The permission model: named predicates and the permissions built from them.

Every page, API endpoint and queryset asks these (directly, through
``user.has_perm(...)``, or through the selectors in ``access.selectors`` that express
the same rules as database filters). Each predicate answers one question about one
relation between the person asking and an object; keep each condition on its own line.

Objects understood: Organisation, OrgUnit, Employee, DepartmentPlan, and anything with an
``organisation_id`` (a RegulationVersion) for the organisation-wide predicates.
"""

import rules

from gesprekscyclus.organisations.models import DepartmentPlan, Employee, Organisation, OrgUnit

from .actor import actor_for


def _organisation_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, DepartmentPlan):
        return obj.unit.organisation_id
    return getattr(obj, "organisation_id", None)


def _unit(obj) -> OrgUnit | None:
    if isinstance(obj, OrgUnit):
        return obj
    if isinstance(obj, Employee | DepartmentPlan):
        return obj.unit
    return None


def _in_scopes(obj, scopes) -> bool:
    unit = _unit(obj)
    if unit is None:
        return False
    for organisation_id, path in scopes:
        if unit.organisation_id == organisation_id and unit.path.startswith(path):
            return True
    return False


@rules.predicate
def is_self(user, employee) -> bool:
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(employee, Employee):
        return False
    return employee.pk == actor.employee_id


@rules.predicate
def is_manager_of(user, employee) -> bool:
    """The direct manager: head of the employee's unit or their explicit manager."""
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(employee, Employee):
        return False
    return employee.manager_id == actor.employee_id


@rules.predicate
def is_head_of(user, obj) -> bool:
    """Head of the unit itself (the unit of a department plan, for a plan)."""
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(obj, OrgUnit | DepartmentPlan):
        return False
    return _unit(obj).head_id == actor.employee_id


@rules.predicate
def is_member_of(user, obj) -> bool:
    """Works in the unit itself (not in one below it)."""
    actor = actor_for(user)
    unit = _unit(obj)
    if actor.employee_unit_id is None or unit is None:
        return False
    return unit.pk == actor.employee_unit_id


@rules.predicate
def is_director_over(user, obj) -> bool:
    """Director of the unit of ``obj`` or of a unit above it."""
    return _in_scopes(obj, actor_for(user).director_scopes)


@rules.predicate
def is_hr_adviser_for(user, obj) -> bool:
    """HR adviser for the unit of ``obj`` or for a unit above it."""
    return _in_scopes(obj, actor_for(user).hr_adviser_scopes)


@rules.predicate
def is_hr_admin(user, obj=None) -> bool:
    """HR administrator (functioneel beheer) of the organisation of ``obj``; without an
    object, of any organisation."""
    actor = actor_for(user)
    if obj is None:
        return bool(actor.hr_admin_organisation_ids)
    return _organisation_id(obj) in actor.hr_admin_organisation_ids


@rules.predicate
def has_unit_oversight(user, obj=None) -> bool:
    """Director or HR adviser of at least one unit (for pages that list their units)."""
    actor = actor_for(user)
    return bool(actor.director_scopes or actor.hr_adviser_scopes)


can_view_employee = is_self | is_manager_of | is_director_over | is_hr_adviser_for | is_hr_admin
can_view_unit = is_head_of | is_director_over | is_hr_adviser_for | is_hr_admin
can_view_department_plan = can_view_unit | is_member_of
can_change_department_plan = is_head_of | is_hr_admin
can_administer_organisation = is_hr_admin

rules.add_perm("organisations.view_employee", can_view_employee)
rules.add_perm("organisations.view_orgunit", can_view_unit)
rules.add_perm("organisations.view_departmentplan", can_view_department_plan)
rules.add_perm("organisations.change_departmentplan", can_change_department_plan)
rules.add_perm("organisations.import_organisation", can_administer_organisation)
rules.add_perm("organisations.export_organisation", can_administer_organisation)
rules.add_perm("organisations.assign_roles", can_administer_organisation)
rules.add_perm("organisations.view_jobs", can_administer_organisation | has_unit_oversight)
rules.add_perm("organisations.search_employees", has_unit_oversight | is_hr_admin)

# Cycles and regulations (Step 2). What is due for someone is visible to whoever may see
# that person; regulations are managed by the organisation's HR administrators.
can_view_schedule = can_view_employee
rules.add_perm("cycles.view_schedule", can_view_schedule)
rules.add_perm("regulations.manage_regulations", can_administer_organisation)
