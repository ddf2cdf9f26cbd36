"""What management commands share."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def day_option(value: str | None, *, option: str = "--today") -> datetime.date:
    """The day an option such as ``--today 2027-01-05`` names, or today when it is not given;
    a clear CommandError naming the option for anything but YYYY-MM-DD."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option} {value!r}: expected YYYY-MM-DD.") from exc
