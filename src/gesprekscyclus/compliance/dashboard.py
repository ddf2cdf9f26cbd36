"""What the HR dashboard shows one viewer: only the units they oversee (as director, HR
adviser or HR administrator), one unit at a time with its sub-units, in a fixed number
of queries whatever the size of the organisation:

1. the units the viewer may see (one query, tree order);
2. the figures of the chosen period per unit (one grouped query), rolled up the tree here;
3. the figures per period for the trend (one grouped query);
4. the longest overdue employees (one query, capped);
5. probation periods ending soon (one query, capped).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import Http404

from gesprekscyclus.access.selectors import units_overseen_by
from gesprekscyclus.cycles.services import with_regulation_versions
from gesprekscyclus.organisations.models import Appointment, Employee, OrgUnit
from gesprekscyclus.organisations.selectors import name_sort_key

from .services import (
    Figures,
    figures_by_unit,
    figures_by_year,
    figures_rolled_up,
    overdue_rows,
    progress_in_scope,
)

TREND_PERIODS = 5
LIST_LIMIT = 50
PROBATION_HORIZON_DAYS = 92


@dataclass
class UnitLine:
    unit: OrgUnit
    figures: Figures
    level: int = 0  # indentation below the chosen unit


@dataclass
class Dashboard:
    unit: OrgUnit | None
    year: int
    roots: list[OrgUnit]
    units: list[OrgUnit]  # every unit the viewer oversees, for choosing another
    ancestors: list[OrgUnit]
    totals: Figures = field(default_factory=Figures)
    own: Figures | None = None  # people directly in the chosen unit
    children: list[UnitLine] = field(default_factory=list)
    subtree: list[UnitLine] = field(default_factory=list)  # every unit below, for exports
    trend: list[tuple[int, Figures]] = field(default_factory=list)
    overdue: list = field(default_factory=list)
    probation: list[Employee] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)


def oversees_units(user) -> bool:
    return units_overseen_by(user).exists()


@dataclass
class _Scope:
    units: list[OrgUnit]
    roots: list[OrgUnit]
    unit: OrgUnit
    subtree: list[OrgUnit]

    @property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.subtree]

    @property
    def rows(self):
        return progress_in_scope(organisation_id=self.unit.organisation_id, unit_ids=self.unit_ids)


def _scope(user, unit_pk: int | None) -> _Scope:
    """The chosen unit (default: the viewer's topmost) and everything below it that the
    viewer oversees; ``Http404`` when the viewer oversees no unit or not this one."""
    units = list(
        units_overseen_by(user)
        .select_related("organisation")
        .only("pk", "organisation__name", "code", "name", "parent_id", "path", "depth")
        .order_by("organisation__name", "path")
    )
    if not units:
        raise Http404("no units overseen")
    by_id = {unit.pk: unit for unit in units}
    roots = [unit for unit in units if unit.parent_id not in by_id]
    unit = roots[0] if unit_pk is None else by_id.get(unit_pk)
    if unit is None:
        raise Http404("unit not overseen")
    subtree = [u for u in units if u.organisation_id == unit.organisation_id and u.path.startswith(unit.path)]
    return _Scope(units=units, roots=roots, unit=unit, subtree=subtree)


def dashboard_for(user, *, unit_pk: int | None, year: int, today: datetime.date) -> Dashboard:
    """The dashboard of ``unit_pk`` (default: the viewer's topmost unit) for ``year``."""
    scope = _scope(user, unit_pk)
    unit, rows = scope.unit, scope.rows
    by_id = {u.pk: u for u in scope.units}
    own = figures_by_unit(scope.unit_ids, year)
    totals = figures_rolled_up(scope.subtree, own)
    board = Dashboard(
        unit=unit,
        year=year,
        roots=scope.roots,
        units=scope.units,
        ancestors=[by_id[pk] for pk in unit.ancestor_ids if pk in by_id],
        totals=totals[unit.pk],
        own=own.get(unit.pk),
    )
    board.children = [
        UnitLine(u, totals[u.pk])
        for u in sorted(scope.subtree, key=lambda u: u.name)
        if u.parent_id == unit.pk
    ]
    board.subtree = [UnitLine(u, totals[u.pk], u.depth - unit.depth) for u in scope.subtree]
    periods = range(year - TREND_PERIODS + 1, year + 1)
    by_year = figures_by_year(scope.unit_ids, periods)
    board.trend = [(period, by_year.get(period, Figures())) for period in periods]
    board.periods = sorted({today.year + 1, today.year, *periods}, reverse=True)
    board.overdue = overdue_sorted(overdue_rows(rows, year)[:LIST_LIMIT])  # the 50 longest overdue
    with_regulation_versions(progress.cycle for progress in board.overdue)
    board.probation = list(
        Employee.objects.filter(
            unit_id__in=[u.pk for u in scope.subtree],
            appointment=Appointment.PROBATION,
            probation_end__gte=today,
            probation_end__lte=today + datetime.timedelta(days=PROBATION_HORIZON_DAYS),
        )
        .select_related("unit", "manager")
        .order_by("probation_end", "last_name")[:LIST_LIMIT]
    )
    return board


def overdue_in_scope(user, *, unit_pk: int | None, year: int):
    """Every overdue employee in the unit's subtree the viewer oversees (for the export)."""
    return overdue_rows(_scope(user, unit_pk).rows, year)


def overdue_sorted(rows) -> list:
    """Longest overdue first, by name within a day."""
    return sorted(rows, key=lambda p: (p.next_due_on, name_sort_key(p.cycle.employee)))
