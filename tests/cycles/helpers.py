"""Shared set-up for the cycle tests: regulations loaded through the services, the
management commands run with captured output, and fixed dates (never today)."""

import datetime
from io import StringIO

from django.core.management import call_command

from gesprekscyclus.regulations.services import (
    ORGANISATION_WIDE,
    Scope,
    read_regulation_source,
    regulation_load,
)

ORGANISATION = "Gemeente Teststad"  # the cast's organisation
PERIOD = 2026
# Heemstede's own in-force date (001: "treedt in werking met ingang van 1 oktober 2013").
HEEMSTEDE_IN_FORCE = datetime.date(2013, 10, 1)
# The day cycles are opened in most tests: early in the period.
OPENED_ON = datetime.date(2026, 1, 5)


def load(
    organisation, preset="heemstede", *, in_force_from=HEEMSTEDE_IN_FORCE, scope: Scope = ORGANISATION_WIDE
):
    """Put a preset in force (upload + activate) and return the version."""
    filename, text = read_regulation_source(preset)
    return regulation_load(
        organisation=organisation, filename=filename, text=text, in_force_from=in_force_from, scope=scope
    ).version


def run(name: str, *args: str) -> tuple[str, str]:
    """Run a management command; ``(stdout, stderr)``."""
    stdout, stderr = StringIO(), StringIO()
    call_command(name, *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def open_cycles(*args: str, organisation=ORGANISATION, period=PERIOD, today=OPENED_ON) -> tuple[str, str]:
    return run(
        "open_cycles",
        "--organisation",
        organisation,
        "--period",
        str(period),
        "--today",
        today.isoformat(),
        *args,
    )
