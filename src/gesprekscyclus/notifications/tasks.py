"""Background tasks of the reminders (idempotent: one reminder per person and reason)."""

from __future__ import annotations

import datetime

from gesprekscyclus.jobs.queue import durable_task


@durable_task()
def send_reminders_task(day_iso: str) -> dict:
    """What ``manage.py send_reminders --today DAY`` does."""
    from .services import send_reminders

    new, mails = send_reminders(today=datetime.date.fromisoformat(day_iso))
    return {"new": new, "mails": mails}
