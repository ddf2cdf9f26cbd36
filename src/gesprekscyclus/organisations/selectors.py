"""Reads of the organisation for pages and API. Every list is narrowed by the access
selectors, so nobody is shown a person or unit they may not see."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.selectors import (
    employees_visible_to,
    units_overseen_by,
    units_visible_to,
)

from .models import Employee, OrgUnit

# Dutch surnames sort on the name itself, not on the prefix: "de Jong" under J.
NAME_PREFIXES = frozenset(
    {"van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "la", "le", "d'", "von", "zu"}
)


def name_sort_key(person) -> tuple[str, str]:
    """The key to list people by surname as Dutch readers expect ("van Dijk" under D)."""
    words = person.last_name.casefold().split()
    while len(words) > 1 and words[0] in NAME_PREFIXES:
        words.pop(0)
    return " ".join(words), person.first_name.casefold()


def employee_for_user(user) -> Employee | None:
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    return (
        Employee.objects.select_related("unit", "job", "manager", "manager__unit", "organisation")
        .filter(pk=actor.employee_id)
        .first()
    )


def team_of(user) -> QuerySet[Employee]:
    """The direct reports of ``user`` (employed now or later; leavers excluded)."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return Employee.objects.none()
    today = timezone.localdate()
    return (
        Employee.objects.filter(manager_id=actor.employee_id)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=today))
        .select_related("unit", "job")
        .order_by("last_name", "first_name")
    )


def oversight_units(user) -> QuerySet[OrgUnit]:
    """Units the user directs, advises or administers, with the number of people in each
    (directly in the unit), in tree order."""
    return (
        units_overseen_by(user)
        .select_related("head", "organisation")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("organisation__name", "path")
    )


def unit_members(user, unit: OrgUnit) -> QuerySet[Employee]:
    """The people in ``unit`` that ``user`` may see."""
    return (
        employees_visible_to(user)
        .filter(unit=unit)
        .select_related("unit", "job", "manager")
        .order_by("last_name", "first_name")
    )


def unit_children(user, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return units_visible_to(user).filter(parent=unit).select_related("head").order_by("name")


def unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    ancestors = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit.ancestor_ids)}
    return [ancestors[pk] for pk in unit.ancestor_ids if pk in ancestors]


def employee_search(user, *, query: str = "", unit_code: str = "") -> QuerySet[Employee]:
    employees = employees_visible_to(user).select_related("unit", "job", "manager", "organisation")
    for word in query.split():
        employees = employees.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(personnel_number__iexact=word)
            | Q(email__icontains=word)
        )
    if unit_code:
        employees = employees.filter(unit__code=unit_code)
    return employees.order_by("last_name", "first_name")
