"""The permission model as database filters. Each function returns exactly the rows
the predicates in ``access.predicates`` allow, so a list never shows what a detail
page would refuse (tests check the two agree for the whole cast)."""

from django.db.models import Q, QuerySet

from gesprekscyclus.organisations.models import Employee, OrgUnit

from .actor import Actor, actor_for


def _scope_filter(actor: Actor, *, unit_prefix: str) -> Q:
    condition = Q(pk__in=[])
    for organisation_id, path in (*actor.director_scopes, *actor.hr_adviser_scopes):
        condition |= Q(organisation_id=organisation_id, **{f"{unit_prefix}path__startswith": path})
    if actor.hr_admin_organisation_ids:
        condition |= Q(organisation_id__in=actor.hr_admin_organisation_ids)
    return condition


def employees_visible_to(user) -> QuerySet[Employee]:
    """The employees ``user`` may see: themselves, their direct reports, everyone in
    the units they direct or advise (and below), everyone in an organisation they
    administer."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return Employee.objects.none()
    condition = _scope_filter(actor, unit_prefix="unit__")
    if actor.employee_id is not None:
        condition |= Q(pk=actor.employee_id) | Q(manager_id=actor.employee_id)
    return Employee.objects.filter(condition)


def units_overseen_by(user) -> QuerySet[OrgUnit]:
    """The units ``user`` directs, advises or administers (with everything below)."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(_scope_filter(actor, unit_prefix=""))


def units_visible_to(user) -> QuerySet[OrgUnit]:
    """The units whose page ``user`` may open (``organisations.view_orgunit``)."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return OrgUnit.objects.none()
    condition = _scope_filter(actor, unit_prefix="")
    if actor.employee_id is not None:
        condition |= Q(head_id=actor.employee_id)
    return OrgUnit.objects.filter(condition)
