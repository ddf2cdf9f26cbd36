"""Reads for the privacy pages and commands: when a leaver's retention has ended, and
which leavers are due for pseudonymisation.

The rule (see ``docs/privacy.md``): a former employee may be pseudonymised the day after
the *later* of

* the end of employment plus the minimum term after employment: the longest
  ``archiving`` retention counted ``after: employment_end`` in the regulations that
  applied to them (the regulation is data), and never less than
  ``settings.PRIVACY_MINIMUM_MONTHS_AFTER_EMPLOYMENT`` (default 24 months, the Dutch DPA's
  guideline for the personnel file);
* the retention end of every entry in their personnel file (``dossiers.services.retention_end``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.services import retention_end
from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.regulations.services import RegulationResolver

DEFAULT_MINIMUM_MONTHS = 24


def minimum_months_after_employment() -> int:
    return int(getattr(settings, "PRIVACY_MINIMUM_MONTHS_AFTER_EMPLOYMENT", DEFAULT_MINIMUM_MONTHS))


def regulation_months_after_employment(version: RegulationVersion | None) -> int:
    """The longest retention a regulation counts from the end of employment (0 without one)."""
    if version is None:
        return 0
    months = [
        rule.retention.years * 12 + rule.retention.months
        for rule in version.regulation().archiving.rules
        if rule.retention.after == "employment_end"
    ]
    return max(months, default=0)


@dataclass(frozen=True)
class Retention:
    """Why and until when a leaver's data must be kept."""

    employee: Employee
    employment_end: datetime.date | None
    months_after_employment: int
    # the day after which everything may go (None: still employed, so never)
    ends_on: datetime.date | None
    # the last entry of the personnel file whose term ends latest, and its end
    last_entry_end: datetime.date | None = None

    def expired(self, today: datetime.date) -> bool:
        return self.ends_on is not None and self.ends_on < today


def _retentions(employees: list[Employee]) -> list[Retention]:
    """Retention of many employees (of any organisations) with a fixed number of queries."""
    if not employees:
        return []
    ids = [employee.pk for employee in employees]
    versions_by_employee: dict[int, set[int]] = defaultdict(set)
    for employee_id, version_id in Cycle.objects.filter(employee_id__in=ids).values_list(
        "employee_id", "regulation_version_id"
    ):
        versions_by_employee[employee_id].add(version_id)
    resolvers: dict[int, RegulationResolver] = {}
    in_force_at_end: dict[int, RegulationVersion | None] = {}
    for employee in employees:
        if employee.employment_end is None:
            continue
        resolver = resolvers.get(employee.organisation_id)
        if resolver is None:
            resolver = resolvers[employee.organisation_id] = RegulationResolver(employee.organisation_id)
        in_force_at_end[employee.pk] = resolver.version_for(
            unit_path=employee.unit.path, job_id=employee.job_id, day=employee.employment_end
        )
    version_ids = {version_id for found in versions_by_employee.values() for version_id in found}
    versions = {version.pk: version for version in RegulationVersion.objects.filter(pk__in=version_ids)}
    months_of: dict[int, int] = {}

    def months(version: RegulationVersion | None) -> int:
        if version is None:
            return 0
        if version.pk not in months_of:
            months_of[version.pk] = regulation_months_after_employment(version)
        return months_of[version.pk]

    entry_ends: dict[int, list[datetime.date | None]] = defaultdict(list)
    by_id = {employee.pk: employee for employee in employees}
    for entry in DossierEntry.objects.filter(employee_id__in=ids).only(
        "employee_id", "document_date", "retention_after", "retention_months"
    ):
        entry_ends[entry.employee_id].append(retention_end(entry, by_id[entry.employee_id]))

    minimum = minimum_months_after_employment()
    result = []
    for employee in employees:
        term = max(
            [minimum, months(in_force_at_end.get(employee.pk))]
            + [months(versions.get(version_id)) for version_id in versions_by_employee[employee.pk]]
        )
        ends = entry_ends[employee.pk]
        last_entry_end = None
        if ends and None not in ends:
            last_entry_end = max(ends)
        if employee.employment_end is None or None in ends:
            ends_on = None
        else:
            ends_on = employee.employment_end + relativedelta(months=term)
            if last_entry_end is not None:
                ends_on = max(ends_on, last_entry_end)
        result.append(
            Retention(
                employee=employee,
                employment_end=employee.employment_end,
                months_after_employment=term,
                ends_on=ends_on,
                last_entry_end=last_entry_end,
            )
        )
    return result


def retention_of(employee: Employee) -> Retention:
    return _retentions([employee])[0]


def is_pseudonymised(employee: Employee) -> bool:
    from .models import Pseudonymisation

    return Pseudonymisation.objects.filter(employee_id=employee.pk).exists()


def leavers_due_for_pseudonymisation(
    organisation: Organisation | None, today: datetime.date, *, organisation_ids: Iterable[int] | None = None
) -> list[Retention]:
    """Former employees (of one organisation, of some, or of all) whose retention ended
    before ``today`` and who are not pseudonymised yet, longest expired first."""
    # No term is shorter than the minimum, so the rest cannot be due yet.
    latest_end = today - relativedelta(months=minimum_months_after_employment())
    candidates = (
        Employee.objects.filter(employment_end__isnull=False, employment_end__lt=latest_end)
        .filter(pseudonymisation__isnull=True)
        .select_related("unit", "organisation")
        .order_by("employment_end", "pk")
    )
    if organisation is not None:
        candidates = candidates.filter(organisation=organisation)
    if organisation_ids is not None:
        candidates = candidates.filter(organisation_id__in=list(organisation_ids))
    due = []
    candidates = list(candidates)
    for start in range(0, len(candidates), 500):
        due += [
            retention
            for retention in _retentions(candidates[start : start + 500])
            if retention.expired(today)
        ]
    due.sort(key=lambda retention: (retention.ends_on, retention.employee.pk))
    return due
