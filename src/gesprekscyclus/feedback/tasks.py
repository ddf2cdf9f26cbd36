"""Background tasks of feedback (idempotent: each request is reminded of once)."""

from __future__ import annotations

import datetime

from gesprekscyclus.jobs.queue import durable_task


@durable_task()
def send_feedback_reminders_task(day_iso: str) -> dict:
    """What ``manage.py send_feedback_reminders --today DAY`` does."""
    from .services import feedback_remind

    return {"sent": feedback_remind(today=datetime.date.fromisoformat(day_iso))}
