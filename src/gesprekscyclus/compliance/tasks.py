"""Background tasks of the dashboard (idempotent: the figures are recomputed, not added)."""

from __future__ import annotations

import datetime

from gesprekscyclus.jobs.queue import durable_task


@durable_task()
def refresh_dashboard_task(day_iso: str, organisation_id: int | None = None, year: int | None = None) -> dict:
    """What ``manage.py refresh_dashboard`` does."""
    from gesprekscyclus.organisations.models import Organisation

    from .services import progress_refresh

    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    count = progress_refresh(today=datetime.date.fromisoformat(day_iso), organisation=organisation, year=year)
    return {"cycles": count}
