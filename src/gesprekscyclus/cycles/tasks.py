"""Background tasks of the cycles: opening a period (idempotent: a re-run creates nothing)."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from gesprekscyclus.jobs.queue import durable_task

logger = logging.getLogger(__name__)


@durable_task(priority=10)
def open_cycles_task(organisation_id: int, year: int, day_iso: str | None = None) -> dict:
    """What ``manage.py open_cycles --organisation NAME --period YEAR`` does for one
    organisation: open the period's cycles, close leavers' cycles, update the dashboard."""
    from gesprekscyclus.compliance.services import progress_refresh
    from gesprekscyclus.organisations.models import Organisation

    from .services import NoRegulation, cycles_open

    today = datetime.date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return {"skipped": "no such organisation"}
    try:
        result = cycles_open(organisation=organisation, year=year, today=today)
    except NoRegulation:
        logger.warning("%s: no regulation in force; no cycles opened for %s", organisation.name, year)
        return {"skipped": "no regulation in force"}
    if result.created or result.closed:
        progress_refresh(today=today, organisation=organisation, year=year)
    return {
        "organisation": organisation.name,
        "year": year,
        "created": result.created,
        "existing": result.existing,
        "closed": result.closed,
        "without_regulation": len(result.without_regulation),
    }
