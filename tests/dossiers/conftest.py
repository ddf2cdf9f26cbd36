"""Fixtures for the personnel-file tests.

The signing fixtures (Kampen in force, the 2026 cycles open, ``ready`` and ``signed``)
are shared from ``tests/signatures/conftest.py``. For files with several entries,
``append`` adds entries through ``dossier_append`` with a real sealed PDF (rendered by
``archive.render_pdf`` and sealed by ``seal.seal_pdf`` with this test process's
certificate), cached per content so that the same document is rendered once per process.
"""

import datetime
import json

import pytest

from gesprekscyclus.dossiers.archive import render_pdf
from gesprekscyclus.dossiers.seal import seal_pdf
from gesprekscyclus.dossiers.services import dossier_append
from gesprekscyclus.signatures.content import canonical
from tests.signatures import conftest as signing

# The signing fixtures, shared (pytest finds fixtures by name in this module).
fast_password_hashing = signing.fast_password_hashing
english = signing.english
kampen = signing.kampen
cycle = signing.cycle
held_planning = signing.held_planning
ready = signing.ready
version = signing.version
signed = signing.signed

_SEALED: dict[str, bytes] = {}


def document(employee, title: str, day: datetime.date) -> dict:
    """The JSON of a small archived report (the shape the PDF template reads)."""
    return {
        "format": "gesprekscyclus-report/1",
        "organisation": employee.organisation.name,
        "regulation": {"id": "kampen", "version": "2012.1", "name": "Kampen"},
        "conversation": {"label": title, "held_on": day.isoformat(), "period": [], "combined_with": []},
        "employee": {"name": employee.full_name, "personnel_number": employee.personnel_number},
        "conductor": {"name": "Leidinggevende"},
        "report": {"text": f"Verslag: {title}", "answers": [], "improvement_points": False},
        "agreements": [],
        "attachments": [],
        "signatures": [],
        "version": 1,
        "content_hash": "",
    }


def sealed(content: dict) -> bytes:
    key = canonical(content)
    if key not in _SEALED:
        _SEALED[key] = seal_pdf(
            render_pdf(content), reason=f"Personeelsdossier: {content['conversation']['label']}"
        )
    return _SEALED[key]


def append(
    employee,
    title: str,
    day: datetime.date,
    *,
    retention_after: str = "employment_end",
    retention_months: int = 24,
    document_kind: str = "report",
):
    content = document(employee, title, day)
    return dossier_append(
        employee=employee,
        document=document_kind,
        title=title,
        document_date=day,
        content_json=canonical(content),
        pdf=sealed(content),
        retention_after=retention_after,
        retention_months=retention_months,
    )


def content_of(entry) -> dict:
    return json.loads(entry.content_json)


@pytest.fixture
def files(cast):
    """Four entries in the employee's file (#1..#4, one a year) and two in the colleague's."""
    entries = [
        append(cast.employee, f"Planningsgesprek {year}", datetime.date(year, 1, 15))
        for year in (2023, 2024, 2025, 2026)
    ]
    others = [
        append(cast.colleague, f"Voortgangsgesprek {year}", datetime.date(year, 6, 15))
        for year in (2025, 2026)
    ]
    return entries, others
