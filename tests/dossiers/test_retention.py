"""Retention: ``manage.py purge_dossiers`` empties the entries whose term has passed
(Kampen: a report is kept two years after the employment ended) and leaves a tombstone
(what it was, when and why it was removed, its hashes), so the chain still verifies.
Before the end nothing is removed; the file of someone still employed is kept whole.
"""

import datetime
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.organisations.models import Employee
from tests.conversations.pages_helpers import browser
from tests.dossiers.conftest import append

EMPLOYMENT_END = datetime.date(2026, 6, 30)
RETENTION_END = datetime.date(2028, 6, 30)  # two years later
REASON = "retention of 24 months after employment end ended on 2028-06-30"


def purge(*args: str) -> list[str]:
    stdout = StringIO()
    call_command("purge_dossiers", *args, stdout=stdout)
    return stdout.getvalue().splitlines()


def verify() -> list[str]:
    stdout = StringIO()
    call_command("verify_dossiers", "--no-progress", stdout=stdout, stderr=StringIO())
    return stdout.getvalue().splitlines()


def leaves(employee, day: datetime.date = EMPLOYMENT_END) -> None:
    Employee.objects.filter(pk=employee.pk).update(employment_end=day)


def test_after_the_retention_end_the_entry_is_a_tombstone_and_the_file_still_verifies(cast, signed):
    [entry] = DossierEntry.objects.all()
    assert (entry.retention_after, entry.retention_months) == ("employment_end", 24)
    leaves(cast.employee)

    lines = purge("--today", "2028-07-01")

    assert lines == [
        f"{cast.employee.personnel_number} #1 Resultaatgerichte afspraken / POP-gesprek: removed ({REASON})",
        "1 entries removed; tombstones keep the chains intact.",
    ]
    tombstone = DossierEntry.objects.get(pk=entry.pk)
    assert tombstone.is_purged and tombstone.purged_at is not None
    assert tombstone.purge_reason == REASON
    assert (tombstone.content_json, bytes(tombstone.pdf)) == ("", b"")
    # what it was stays: title, date and every hash
    assert (tombstone.title, tombstone.document_date, tombstone.conversation_id) == (
        entry.title,
        entry.document_date,
        entry.conversation_id,
    )
    assert (tombstone.content_hash, tombstone.pdf_hash, tombstone.entry_hash, tombstone.previous_hash) == (
        entry.content_hash,
        entry.pdf_hash,
        entry.entry_hash,
        entry.previous_hash,
    )
    assert verify() == ["1 entries in 1 personnel files checked: every chain and seal is intact."]
    event = AuditEvent.objects.get(action="dossier.purged")
    assert event.details == {"sequence": 1, "reason": REASON}


def test_the_employee_sees_the_tombstone_and_cannot_download_it(cast, signed):
    [entry] = DossierEntry.objects.all()
    leaves(cast.employee)
    purge("--today", "2028-07-01")
    employee = browser(cast.user("employee"))

    page = employee.get(reverse("dossiers:mine")).content.decode()
    assert "Resultaatgerichte afspraken / POP-gesprek" in page
    assert "(retention term ended)" in page
    assert reverse("dossiers:entry_pdf", args=[entry.pk]) not in page
    assert employee.get(reverse("dossiers:entry_pdf", args=[entry.pk])).status_code == 404
    assert employee.get(reverse("dossiers:entry_json", args=[entry.pk])).status_code == 404

    export = zipfile.ZipFile(io.BytesIO(employee.get(reverse("dossiers:export")).content))
    assert export.namelist() == ["index.json"]
    [record] = json.loads(export.read("index.json"))["entries"]
    assert record["removed"] == REASON
    assert record["entry_hash"] == entry.entry_hash


@pytest.mark.parametrize("today", ["2026-07-01", "2027-06-30", "2028-06-30"])
def test_until_the_retention_end_nothing_is_removed(cast, signed, today):
    [entry] = DossierEntry.objects.all()
    leaves(cast.employee)

    assert purge("--today", today) == ["0 entries removed; tombstones keep the chains intact."]

    kept = DossierEntry.objects.get(pk=entry.pk)
    assert not kept.is_purged
    assert (kept.content_json, bytes(kept.pdf)) == (entry.content_json, bytes(entry.pdf))


def test_an_employee_still_employed_keeps_everything(cast, signed):
    [entry] = DossierEntry.objects.all()
    assert cast.employee.employment_end is None

    assert purge("--today", "2099-12-31") == ["0 entries removed; tombstones keep the chains intact."]

    assert DossierEntry.objects.get(pk=entry.pk).content_json == entry.content_json


def test_only_the_leavers_entries_go_and_every_file_still_verifies(cast, files):
    entries, others = files
    leaves(cast.employee)

    lines = purge("--today", "2028-07-01")

    assert lines[-1] == "4 entries removed; tombstones keep the chains intact."
    assert [entry.is_purged for entry in DossierEntry.objects.filter(employee=cast.employee)] == [True] * 4
    assert [entry.is_purged for entry in DossierEntry.objects.filter(employee=cast.colleague)] == [False] * 2
    assert verify() == ["6 entries in 2 personnel files checked: every chain and seal is intact."]
    # The file goes on after a purge (someone who returns): the chain still links up.
    fifth = append(cast.employee, "Planningsgesprek 2029", datetime.date(2029, 1, 15))
    assert fifth.previous_hash == entries[3].entry_hash
    assert verify() == ["7 entries in 2 personnel files checked: every chain and seal is intact."]


def test_purging_twice_removes_nothing_more(cast, signed):
    leaves(cast.employee)
    purge("--today", "2028-07-01")
    purged_at = DossierEntry.objects.get().purged_at

    assert purge("--today", "2030-01-01") == ["0 entries removed; tombstones keep the chains intact."]
    assert DossierEntry.objects.get().purged_at == purged_at


def test_a_term_counted_from_the_document_date_ends_while_still_employed(cast):
    """A rule "kept N months after completion" does not wait for the employment to end."""
    entry = append(
        cast.employee,
        "Verzuimgesprek",
        datetime.date(2026, 3, 1),
        retention_after="completion",
        retention_months=12,
    )

    assert purge("--today", "2027-03-01") == ["0 entries removed; tombstones keep the chains intact."]
    lines = purge("--today", "2027-03-02")

    assert lines[0].endswith("removed (retention of 12 months after completion ended on 2027-03-01)")
    assert DossierEntry.objects.get(pk=entry.pk).is_purged


def test_purging_one_organisation_leaves_the_others(cast, files):
    elsewhere = append(cast.foreign_employee, "Planningsgesprek", datetime.date(2025, 1, 15))
    leaves(cast.employee)
    leaves(cast.foreign_employee)

    lines = purge("--organisation", "Gemeente Teststad", "--today", "2028-07-01")

    assert lines[-1] == "4 entries removed; tombstones keep the chains intact."
    assert not DossierEntry.objects.get(pk=elsewhere.pk).is_purged


def test_the_command_refuses_a_bad_day_or_organisation(cast):
    with pytest.raises(CommandError, match="--today '1-7-2028': expected YYYY-MM-DD."):
        purge("--today", "1-7-2028")
    with pytest.raises(CommandError, match="No organisation named 'Gemeente Nergens'."):
        purge("--organisation", "Gemeente Nergens")
