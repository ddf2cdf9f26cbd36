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
    in_subtree,
    overdue_rows,
    progress_in_scope,
)

TREND_PERIODS = 5
LIST_LIMIT = 50
PROBATION_HORIZON_DAYS = 92
CHOOSER_LEVELS = 2  # levels below each top unit that the unit chooser always offers


@dataclass
class UnitLine:
    unit: UnitNode
    figures: Figures
    level: int = 0  # indentation below the chosen unit


@dataclass
class Dashboard:
    unit: UnitNode | None
    year: int
    roots: list[UnitNode]
    units: list[UnitNode]  # every unit the viewer oversees
    ancestors: list[UnitNode]
    choosable: list[UnitNode] = field(default_factory=list)  # what the unit chooser offers
    totals: Figures = field(default_factory=Figures)
    own: Figures | None = None  # people directly in the chosen unit
    children: list[UnitLine] = field(default_factory=list)
    subtree_lines: object = None  # () -> every unit below with its figures, for exports
    trend: list[tuple[int, Figures]] = field(default_factory=list)
    overdue: list = field(default_factory=list)
    probation: list[Employee] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)


def oversees_units(user) -> bool:
    return units_overseen_by(user).exists()


class UnitNode:
    """A unit as the dashboard needs it: the fields of ``UnitNode`` it shows and walks the
    tree by, read as plain rows (an organisation has ten thousand units and more)."""

    __slots__ = ("pk", "organisation_id", "code", "name", "parent_id", "path", "depth")

    def __init__(self, pk, organisation_id, code, name, parent_id, path, depth):
        self.pk, self.organisation_id, self.code, self.name = pk, organisation_id, code, name
        self.parent_id, self.path, self.depth = parent_id, path, depth

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def __eq__(self, other) -> bool:
        """The same unit as another node or as the ``OrgUnit`` itself."""
        if isinstance(other, UnitNode | OrgUnit):
            return other.pk == self.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)

    def __repr__(self) -> str:
        return f"<UnitNode {self.name} ({self.code})>"


@dataclass
class _Scope:
    units: list[UnitNode]
    roots: list[UnitNode]
    unit: UnitNode
    subtree: list[UnitNode]

    @property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.subtree]

    @property
    def rows(self):
        return progress_in_scope(
            organisation_id=self.unit.organisation_id, path=self.unit.path, unit_ids=self.unit_ids
        )


def _scope(user, unit_pk: int | None) -> _Scope:
    """The chosen unit (default: the viewer's topmost) and everything below it that the
    viewer oversees; ``Http404`` when the viewer oversees no unit or not this one. (The
    viewer oversees whole subtrees, so "below the chosen unit" is a path prefix.)"""
    units = [
        UnitNode(*row)
        for row in units_overseen_by(user)
        .order_by("organisation__name", "path")
        .values_list("pk", "organisation_id", "code", "name", "parent_id", "path", "depth")
    ]
    if not units:
        raise Http404("no units overseen")
    by_id = {unit.pk: unit for unit in units}
    roots = [unit for unit in units if unit.parent_id not in by_id]
    unit = roots[0] if unit_pk is None else by_id.get(unit_pk)
    if unit is None:
        raise Http404("unit not overseen")
    subtree = [u for u in units if u.organisation_id == unit.organisation_id and u.path.startswith(unit.path)]
    return _Scope(units=units, roots=roots, unit=unit, subtree=subtree)


def _choosable(scope: _Scope, children: list[UnitLine]) -> list[UnitNode]:
    """The units the chooser offers: the top ``CHOOSER_LEVELS`` levels below each of the
    viewer's top units, and the chosen unit's ancestors, itself and its children. So the
    list stays a few hundred long in an organisation of ten thousand units; the table of
    sub-units drills deeper."""
    root_depths = {root.pk: root.depth for root in scope.roots}
    keep = {*scope.unit.ancestor_ids, scope.unit.pk, *(line.unit.pk for line in children)}

    def near_the_top(unit: UnitNode) -> bool:
        root = next((pk for pk in (*unit.ancestor_ids, unit.pk) if pk in root_depths), None)
        return root is not None and unit.depth - root_depths[root] <= CHOOSER_LEVELS

    return [unit for unit in scope.units if unit.pk in keep or near_the_top(unit)]


def _subtree_lines(scope: _Scope, own: dict, by_id: dict) -> list[UnitLine]:
    """Every unit below the chosen one with its rolled-up figures (for the export)."""
    totals = figures_rolled_up(scope.subtree, own, by_id)
    return [UnitLine(u, totals[u.pk], u.depth - scope.unit.depth) for u in scope.subtree]


def dashboard_for(user, *, unit_pk: int | None, year: int, today: datetime.date) -> Dashboard:
    """The dashboard of ``unit_pk`` (default: the viewer's topmost unit) for ``year``."""
    scope = _scope(user, unit_pk)
    unit, rows = scope.unit, scope.rows
    by_id = {u.pk: u for u in scope.units}
    unit_ids = scope.unit_ids
    own = figures_by_unit(organisation_id=unit.organisation_id, path=unit.path, year=year, unit_ids=unit_ids)
    children = sorted((u for u in scope.subtree if u.parent_id == unit.pk), key=lambda u: u.name)
    totals = figures_rolled_up([unit, *children], own, by_id)
    board = Dashboard(
        unit=unit,
        year=year,
        roots=scope.roots,
        units=scope.units,
        ancestors=[by_id[pk] for pk in unit.ancestor_ids if pk in by_id],
        totals=totals[unit.pk],
        own=own.get(unit.pk),
    )
    board.children = [UnitLine(u, totals[u.pk]) for u in children]
    board.subtree_lines = lambda: _subtree_lines(scope, own, by_id)
    board.choosable = _choosable(scope, board.children)
    periods = range(year - TREND_PERIODS + 1, year + 1)
    by_year = figures_by_year(
        organisation_id=unit.organisation_id, path=unit.path, years=periods, unit_ids=unit_ids
    )
    board.trend = [(period, by_year.get(period, Figures())) for period in periods]
    board.periods = sorted({today.year + 1, today.year, *periods}, reverse=True)
    board.overdue = overdue_sorted(overdue_rows(rows, year)[:LIST_LIMIT])  # the 50 longest overdue
    with_regulation_versions(progress.cycle for progress in board.overdue)
    board.probation = list(
        Employee.objects.filter(
            in_subtree(unit.organisation_id, unit.path, unit_ids),
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
