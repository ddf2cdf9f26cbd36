"""Writes to the organisation. Views, API and commands call these, never the models'
internals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gesprekscyclus.audit.services import audit_record

from .models import DepartmentPlan, Employee, Organisation, OrgUnit, Role, RoleAssignment
from .signals import managers_changed


def units_refresh_paths(*, organisation: Organisation) -> int:
    """Recompute the materialised path and depth of every unit of ``organisation``.
    Returns the number of units changed. Raises ValidationError on a cycle."""
    units = list(OrgUnit.objects.filter(organisation=organisation).only("id", "parent_id", "path", "depth"))
    by_id = {unit.pk: unit for unit in units}
    computed: dict[int, tuple[str, int]] = {}

    def path_of(unit: OrgUnit, seen: frozenset[int] = frozenset()) -> tuple[str, int]:
        if unit.pk in computed:
            return computed[unit.pk]
        if unit.pk in seen:
            raise ValidationError(_("The units form a cycle."))
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        if parent is None:
            result = (f"/{unit.pk}/", 0)
        else:
            parent_path, parent_depth = path_of(parent, seen | {unit.pk})
            result = (f"{parent_path}{unit.pk}/", parent_depth + 1)
        computed[unit.pk] = result
        return result

    changed = []
    for unit in units:
        path, depth = path_of(unit)
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)
    return len(changed)


def effective_manager_ids(
    *,
    units: dict[int, tuple[int | None, int | None]],
    employees: dict[int, tuple[int, int | None]],
) -> dict[int, int | None]:
    """The manager of each employee, as a pure function.

    ``units`` maps unit id to (parent id, head id); ``employees`` maps employee id to
    (unit id, explicit manager id). The explicit manager wins; otherwise the head of
    the unit, or for the head itself the nearest head above that is someone else.
    """
    result: dict[int, int | None] = {}
    for employee_id, (unit_id, explicit_manager_id) in employees.items():
        if explicit_manager_id is not None and explicit_manager_id != employee_id:
            result[employee_id] = explicit_manager_id
            continue
        manager_id = None
        current = unit_id
        seen = set()
        while current is not None and current not in seen:
            seen.add(current)
            parent_id, head_id = units.get(current, (None, None))
            if head_id is not None and head_id != employee_id:
                manager_id = head_id
                break
            current = parent_id
        result[employee_id] = manager_id
    return result


def employees_refresh_managers(*, organisation: Organisation) -> int:
    """Store the effective manager of every employee of ``organisation`` (bulk).
    Returns the number of employees whose manager changed."""
    units = {
        pk: (parent_id, head_id)
        for pk, parent_id, head_id in OrgUnit.objects.filter(organisation=organisation).values_list(
            "id", "parent_id", "head_id"
        )
    }
    rows = list(
        Employee.objects.filter(organisation=organisation).values_list(
            "id", "unit_id", "explicit_manager_id", "manager_id"
        )
    )
    managers = effective_manager_ids(
        units=units, employees={pk: (unit_id, explicit) for pk, unit_id, explicit, _ in rows}
    )
    changes = [(pk, current, managers[pk]) for pk, _, _, current in rows if managers[pk] != current]
    Employee.objects.bulk_update(
        [Employee(pk=pk, manager_id=new) for pk, _old, new in changes], ["manager_id"], batch_size=1000
    )
    if changes:
        managers_changed.send(sender=Employee, organisation=organisation, changes=changes)
    return len(changes)


@transaction.atomic
def role_assign(
    *, user, organisation: Organisation, role: str, unit: OrgUnit | None = None, acting_user=None
) -> RoleAssignment:
    """Give ``user`` a role; returns the existing assignment when it is already there."""
    if role == Role.HR_ADMIN:
        unit = None
    elif unit is None:
        raise ValidationError(_("A director or HR adviser needs a unit."))
    elif unit.organisation_id != organisation.pk:
        raise ValidationError(_("The unit belongs to another organisation."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"organisation": organisation}
    )
    if created:
        audit_record(
            action="role.assigned",
            actor=acting_user,
            organisation=organisation,
            obj=assignment,
            details={"user_id": user.pk, "role": role, "unit": unit.code if unit else None},
        )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, acting_user=None) -> None:
    audit_record(
        action="role.revoked",
        actor=acting_user,
        organisation=assignment.organisation,
        obj=assignment,
        details={"user_id": assignment.user_id, "role": assignment.role},
    )
    assignment.delete()


@transaction.atomic
def department_plan_save(
    *, unit: OrgUnit, year: int, text: str, attachment=None, acting_user
) -> DepartmentPlan:
    """Create or update the plan of ``unit`` for ``year``."""
    plan = DepartmentPlan.objects.select_for_update(of=("self",)).filter(unit=unit, year=year).first()
    if plan is None:
        plan = DepartmentPlan(unit=unit, year=year)
    plan.text = text
    if attachment is not None:
        plan.attachment = attachment
    plan.updated_by = acting_user
    plan.full_clean()
    plan.save()
    audit_record(
        action="department_plan.saved",
        actor=acting_user,
        organisation=unit.organisation,
        obj=plan,
        details={"unit": unit.code, "year": year},
    )
    return plan


@transaction.atomic
def competence_save(
    *,
    organisation: Organisation,
    name: str,
    description: str,
    levels: dict,
    competence=None,
    acting_user=None,
):
    """Create or change a competence of the organisation's library."""
    from .models import Competence

    name = name.strip()
    clash = Competence.objects.filter(organisation=organisation, name__iexact=name)
    if competence is not None:
        clash = clash.exclude(pk=competence.pk)
    if clash.exists():
        raise ValidationError(_("A competence with this name already exists."))
    competence = competence or Competence(organisation=organisation)
    competence.name = name
    competence.description = description.strip()
    competence.level_indicators = levels
    competence.save()
    audit_record(
        action="competence.saved",
        actor=acting_user,
        organisation=organisation,
        obj=competence,
        details={"name": name},
    )
    return competence


@transaction.atomic
def job_profile_set(*, job, competences, acting_user=None):
    """The competence profile of a job: competences of the same organisation only."""
    competences = list(competences)
    if any(competence.organisation_id != job.organisation_id for competence in competences):
        raise ValidationError(_("A job profile uses competences of its own organisation."))
    job.competences.set(competences)
    audit_record(
        action="job.profile_changed",
        actor=acting_user,
        organisation=job.organisation,
        obj=job,
        details={"competences": sorted(competence.pk for competence in competences)},
    )
    return job
