"""``manage.py verify_dossiers`` finds every change made behind the application's back,
straight in the database: it exits non-zero (``CommandError``) and prints, per break,
the employee, the entry and what differs. An intact file passes with a summary.

The employee's file holds four entries (#1..#4), the colleague's two; the tampering is
always in the employee's file, so the colleague's file shows what an untouched file
looks like in the same run.
"""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gesprekscyclus.dossiers.models import DossierEntry, DossierHead
from gesprekscyclus.dossiers.services import entry_hash
from tests.dossiers.conftest import append


def verify(*args: str) -> tuple[CommandError | None, list[str]]:
    """Run the command; the error it ended with (None when it passed) and its output lines."""
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("verify_dossiers", "--no-progress", *args, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return error, stdout.getvalue().splitlines()
    return None, stdout.getvalue().splitlines()


def breaks_of(lines: list[str], employee) -> list[str]:
    """The problems printed for ``employee``'s file, without the employee prefix."""
    prefix = f"employee {employee.personnel_number}: "
    return [line.removeprefix(prefix) for line in lines if line.startswith(prefix)]


def refused(error: CommandError | None, *, breaks: int, entries: int = 6, files: int = 2) -> None:
    assert error is not None, "verify_dossiers passed a tampered file"
    assert error.returncode != 0
    assert str(error) == f"{entries} entries in {files} personnel files checked: {breaks} break(s)."


def test_intact_files_pass_with_a_summary(cast, files):
    error, lines = verify()

    assert error is None
    assert lines == ["6 entries in 2 personnel files checked: every chain and seal is intact."]


def test_an_intact_file_of_a_completed_conversation_passes(cast, signed):
    error, lines = verify()

    assert error is None
    assert lines == ["1 entries in 1 personnel files checked: every chain and seal is intact."]


def test_changed_json_text_is_found(cast, files):
    entries, _others = files
    second = entries[1]
    DossierEntry.objects.filter(pk=second.pk).update(
        content_json=second.content_json.replace("Planningsgesprek 2024", "Planningsgesprek 2O24")
    )

    error, lines = verify()

    refused(error, breaks=1)
    assert breaks_of(lines, cast.employee) == ["entry #2: the JSON content was changed"]
    assert breaks_of(lines, cast.colleague) == []


def test_a_flipped_byte_in_the_pdf_is_found(cast, files):
    entries, _others = files
    pdf = bytearray(DossierEntry.objects.get(pk=entries[2].pk).pdf)
    pdf[len(pdf) // 3] ^= 0x01
    DossierEntry.objects.filter(pk=entries[2].pk).update(pdf=bytes(pdf))

    error, lines = verify()

    refused(error, breaks=2)
    found = breaks_of(lines, cast.employee)
    assert found[0] == "entry #3: the PDF bytes were changed"
    assert found[1].startswith("entry #3: the PDF seal does not verify: ")
    assert len(found) == 2


def test_a_damaged_cross_reference_stream_in_the_pdf_is_reported_not_a_crash(cast, files):
    """BUG: flipping a byte inside the PDF's compressed cross-reference stream makes
    ``check_seal`` raise ``zlib.error`` (seal.py does not catch it around
    ``PdfFileReader``), so ``verify_dossiers`` stops with a traceback instead of printing
    the break and the summary; the breaks of every other file go unreported too."""
    entries, _others = files
    pdf = bytes(DossierEntry.objects.get(pk=entries[1].pk).pdf)
    position = pdf.index(b"stream\n", re.search(rb"/Type\s*/XRef", pdf).start()) + len(b"stream\n") + 5
    damaged = bytearray(pdf)
    damaged[position] ^= 0x01
    DossierEntry.objects.filter(pk=entries[1].pk).update(pdf=bytes(damaged))

    error, lines = verify()

    refused(error, breaks=2)
    found = breaks_of(lines, cast.employee)
    assert found[0] == "entry #2: the PDF bytes were changed"
    assert found[1].startswith("entry #2: the PDF seal does not verify: ")


def test_a_changed_pdf_with_its_stored_hash_recomputed_is_still_found(cast, files):
    """Whoever changes the PDF and writes its new SHA-256 next to it breaks the entry's
    own hash (the PDF hash is part of it) and the seal."""
    from gesprekscyclus.dossiers.services import sha256

    entries, _others = files
    pdf = bytearray(DossierEntry.objects.get(pk=entries[0].pk).pdf)
    pdf[len(pdf) // 3] ^= 0x01
    DossierEntry.objects.filter(pk=entries[0].pk).update(pdf=bytes(pdf), pdf_hash=sha256(bytes(pdf)))

    error, lines = verify()

    refused(error, breaks=2)
    found = breaks_of(lines, cast.employee)
    assert found[0].startswith("entry #1: the entry's details were changed (hash ")
    assert found[1].startswith("entry #1: the PDF seal does not verify: the sealed content was changed")


def test_swapped_entries_are_found(cast, files):
    entries, _others = files
    second, third = entries[1], entries[2]
    DossierEntry.objects.filter(pk=second.pk).update(sequence=99)
    DossierEntry.objects.filter(pk=third.pk).update(sequence=2)
    DossierEntry.objects.filter(pk=second.pk).update(sequence=3)

    error, lines = verify()

    refused(error, breaks=5)
    assert breaks_of(lines, cast.employee) == [
        "entry #2: the link to the previous entry does not match (entries removed or reordered)",
        f"entry #2: the entry's details were changed (hash {entry_hash(swapped(third, 2))[:12]}… ≠ "
        f"{third.entry_hash[:12]}…)",
        "entry #3: the link to the previous entry does not match (entries removed or reordered)",
        f"entry #3: the entry's details were changed (hash {entry_hash(swapped(second, 3))[:12]}… ≠ "
        f"{second.entry_hash[:12]}…)",
        "entry #4: the link to the previous entry does not match (entries removed or reordered)",
    ]


def swapped(entry: DossierEntry, sequence: int) -> DossierEntry:
    entry = DossierEntry.objects.get(pk=entry.pk)
    entry.sequence = sequence
    return entry


def test_a_deleted_entry_in_the_middle_is_found(cast, files):
    entries, _others = files
    DossierEntry.objects.filter(pk=entries[1].pk).delete()

    error, lines = verify()

    refused(error, breaks=4, entries=5)
    assert breaks_of(lines, cast.employee) == [
        "entry #3: expected entry #2 here: an entry is missing or out of order",
        "entry #3: the link to the previous entry does not match (entries removed or reordered)",
        "entry #4: expected entry #3 here: an entry is missing or out of order",
        "the file: the file should hold 4 entries but holds 3",
    ]


def test_a_deleted_last_entry_is_found(cast, files):
    entries, _others = files
    DossierEntry.objects.filter(pk=entries[3].pk).delete()

    error, lines = verify()

    refused(error, breaks=2, entries=5)
    assert breaks_of(lines, cast.employee) == [
        "the file: the file should hold 4 entries but holds 3",
        "the file: the newest entry is not the one last recorded (an entry was removed or replaced)",
    ]


def test_a_file_emptied_entirely_is_found(cast, files):
    entries, _others = files
    DossierEntry.objects.filter(employee=cast.employee).delete()

    error, lines = verify()

    refused(error, breaks=1, entries=2)
    assert breaks_of(lines, cast.employee) == ["the file: the file should hold 4 entries but holds 0"]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Planningsgesprek 2024 (herzien)"},
        {"document_date": datetime.date(2024, 2, 15)},
        {"document": "assessment"},
        {"retention_months": 1},
        {"retention_after": "completion"},
    ],
    ids=["title", "date", "document kind", "retention term", "retention basis"],
)
def test_changed_entry_details_are_found(cast, files, change):
    entries, _others = files
    DossierEntry.objects.filter(pk=entries[1].pk).update(**change)

    error, lines = verify()

    refused(error, breaks=1)
    [problem] = breaks_of(lines, cast.employee)
    assert problem.startswith("entry #2: the entry's details were changed (hash ")
    assert entries[1].entry_hash[:12] in problem


def test_a_changed_title_with_its_entry_hash_recomputed_breaks_the_next_link(cast, files):
    entries, _others = files
    entry = DossierEntry.objects.get(pk=entries[1].pk)
    entry.title = "Iets anders"
    DossierEntry.objects.filter(pk=entry.pk).update(title=entry.title, entry_hash=entry_hash(entry))

    error, lines = verify()

    refused(error, breaks=1)
    assert breaks_of(lines, cast.employee) == [
        "entry #3: the link to the previous entry does not match (entries removed or reordered)"
    ]


def test_an_entry_added_behind_the_chains_back_is_found(cast, files):
    """A copy of the newest entry written straight into the table as #5."""
    entries, _others = files
    fake = DossierEntry.objects.get(pk=entries[3].pk)
    fake.pk = None
    fake.sequence = 5
    fake.previous_hash = entries[3].entry_hash
    fake.entry_hash = entry_hash(fake)
    fake.save()

    error, lines = verify()

    refused(error, breaks=2, entries=7)
    assert breaks_of(lines, cast.employee) == [
        "the file: the file should hold 4 entries but holds 5",
        "the file: the newest entry is not the one last recorded (an entry was removed or replaced)",
    ]


def test_only_the_named_employee_is_checked(cast, files):
    entries, _others = files
    DossierEntry.objects.filter(pk=entries[0].pk).update(title="Anders")

    error, lines = verify("--employee", cast.colleague.personnel_number)
    assert error is None
    assert lines == ["2 entries in 1 personnel files checked: every chain and seal is intact."]

    error, lines = verify("--employee", cast.employee.personnel_number)
    refused(error, breaks=1, entries=4, files=1)


def test_an_unknown_employee_is_an_error(cast, files):
    with pytest.raises(CommandError, match="No employee with personnel number 'X999'"):
        call_command("verify_dossiers", "--no-progress", "--employee", "X999", stdout=StringIO())


def test_appending_continues_the_chain_after_verification(cast, files):
    entries, _others = files
    fifth = append(cast.employee, "Planningsgesprek 2027", datetime.date(2027, 1, 15))

    assert (fifth.sequence, fifth.previous_hash) == (5, entries[3].entry_hash)
    assert DossierHead.objects.get(employee=cast.employee).head_hash == fifth.entry_hash
    error, _lines = verify()
    assert error is None


def test_an_entry_emptied_as_if_purged_while_the_employee_is_still_employed_is_found(cast, files):
    """BUG: ``purged_at`` and ``purge_reason`` are not part of the entry hash, and
    ``_verify_employee`` skips the content checks for any entry with ``purged_at`` set
    without checking that its retention term had ended. So emptying an entry in the
    database and marking it purged — for an employee who is still employed, whose file
    must be kept — passes verification unnoticed."""
    from django.utils import timezone

    entries, _others = files
    assert cast.employee.employment_end is None
    DossierEntry.objects.filter(pk=entries[1].pk).update(
        content_json="", pdf=b"", purged_at=timezone.now(), purge_reason="retention ended"
    )

    error, lines = verify()

    assert error is not None, "an entry removed before its retention term ended passed verification"
    assert any(problem.startswith("entry #2: ") for problem in breaks_of(lines, cast.employee))
