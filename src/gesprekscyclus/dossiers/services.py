"""Appending to, verifying, reading and purging the personnel file.

``dossier_append`` is the only code path that creates entries and ``dossier_purge`` the
only one that changes them (to a tombstone). ``dossier_verify`` recomputes everything.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.organisations.models import Employee

from .models import GENESIS, DossierEntry, DossierHead, DossierRead, ReadAction
from .seal import check_seal


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_header(entry: DossierEntry) -> str:
    """The canonical header an entry's hash covers (everything but the bytes themselves,
    which are covered through their hashes)."""
    return json.dumps(
        {
            "employee": entry.employee_id,
            "sequence": entry.sequence,
            "document": entry.document,
            "title": entry.title,
            "document_date": entry.document_date.isoformat(),
            "content_hash": entry.content_hash,
            "pdf_hash": entry.pdf_hash,
            "retention": [entry.retention_after, entry.retention_months],
            "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(),
            "previous": entry.previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def entry_hash(entry: DossierEntry) -> str:
    return sha256(entry_header(entry).encode("utf-8"))


@transaction.atomic
def dossier_append(
    *,
    employee: Employee,
    document: str,
    title: str,
    document_date: datetime.date,
    content_json: str,
    pdf: bytes,
    retention_after: str,
    retention_months: int,
    conversation=None,
    acting_user=None,
    once: bool = False,
) -> DossierEntry:
    """Add an entry at the end of the employee's chain (under a lock on its head).

    With ``once``, when the chain already holds an entry with the same content (same
    ``content_hash``, also after it was purged), that entry is returned and nothing is
    added, so archiving the same document twice (a retried background task) files it once.
    """
    head, _created = DossierHead.objects.select_for_update(of=("self",)).get_or_create(employee=employee)
    if once:
        existing = dossier_entry_with_content(employee=employee, content_json=content_json)
        if existing is not None:
            return existing
    entry = DossierEntry(
        organisation_id=employee.organisation_id,
        employee=employee,
        sequence=head.length + 1,
        document=document,
        title=title,
        document_date=document_date,
        conversation=conversation,
        content_json=content_json,
        content_hash=sha256(content_json.encode("utf-8")),
        pdf=pdf,
        pdf_hash=sha256(pdf),
        retention_after=retention_after,
        retention_months=retention_months,
        previous_hash=head.head_hash,
        created_at=timezone.now().replace(microsecond=0),
    )
    entry.entry_hash = entry_hash(entry)
    entry.save()
    head.length = entry.sequence
    head.head_hash = entry.entry_hash
    head.save()
    audit_record(
        action="dossier.appended",
        actor=acting_user,
        organisation=employee.organisation,
        obj=entry,
        details={"sequence": entry.sequence, "entry_hash": entry.entry_hash, "document": document},
    )
    return entry


def dossier_entry_with_content(*, employee: Employee, content_json: str) -> DossierEntry | None:
    """The employee's entry with exactly this content, if it was archived already."""
    content_hash = sha256(content_json.encode("utf-8"))
    return (
        DossierEntry.objects.filter(employee=employee, content_hash=content_hash).order_by("sequence").first()
    )


# -- verification ------------------------------------------------------------------------------


@dataclass
class Break:
    employee_id: int
    personnel_number: str
    sequence: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.sequence}" if self.sequence is not None else "the file"
        return f"employee {self.personnel_number}: {where}: {self.problem}"


@dataclass
class VerifyReport:
    employees: int = 0
    entries: int = 0
    breaks: list[Break] = field(default_factory=list)


def _verify_employee(
    employee: Employee, entries: list[DossierEntry], head: DossierHead | None
) -> list[Break]:
    breaks: list[Break] = []

    def broken(sequence, problem):
        breaks.append(Break(employee.pk, employee.personnel_number, sequence, problem))

    previous = GENESIS
    for expected, entry in enumerate(entries, start=1):
        if entry.sequence != expected:
            broken(entry.sequence, f"expected entry #{expected} here: an entry is missing or out of order")
        if entry.previous_hash != previous:
            broken(
                entry.sequence, "the link to the previous entry does not match (entries removed or reordered)"
            )
        recomputed = entry_hash(entry)
        if recomputed != entry.entry_hash:
            broken(
                entry.sequence,
                f"the entry's details were changed (hash {recomputed[:12]}… ≠ {entry.entry_hash[:12]}…)",
            )
        if entry.is_purged:
            end = retention_end(entry, employee)
            if end is None or end >= timezone.localtime(entry.purged_at).date():
                broken(entry.sequence, "the entry was emptied although its retention term had not ended")
        else:
            if sha256(entry.content_json.encode("utf-8")) != entry.content_hash:
                broken(entry.sequence, "the JSON content was changed")
            pdf = bytes(entry.pdf)
            if sha256(pdf) != entry.pdf_hash:
                broken(entry.sequence, "the PDF bytes were changed")
            seal = check_seal(pdf)
            if not seal.ok:
                broken(entry.sequence, f"the PDF seal does not verify: {seal.problem}")
        previous = entry.entry_hash
    length = head.length if head else 0
    if length != len(entries):
        broken(None, f"the file should hold {length} entries but holds {len(entries)}")
    if head is not None and entries and head.head_hash != entries[-1].entry_hash:
        broken(None, "the newest entry is not the one last recorded (an entry was removed or replaced)")
    return breaks


def dossier_verify(
    employees: Iterable[Employee], *, progress: Callable[[str, int, int], None] | None = None
) -> VerifyReport:
    """Recompute every chain and seal; every break is reported with its entry. Reads the
    entries of 200 employees per query."""
    report = VerifyReport()
    employees = list(employees)
    done = 0
    for start in range(0, len(employees), 200):
        chunk = employees[start : start + 200]
        ids = [employee.pk for employee in chunk]
        heads = {head.employee_id: head for head in DossierHead.objects.filter(employee_id__in=ids)}
        entries: dict[int, list[DossierEntry]] = {employee_id: [] for employee_id in ids}
        for entry in DossierEntry.objects.filter(employee_id__in=ids).order_by(
            "employee_id", "sequence", "id"
        ):
            entries[entry.employee_id].append(entry)
        for employee in chunk:
            if entries[employee.pk] or employee.pk in heads:
                report.employees += 1
                report.entries += len(entries[employee.pk])
                report.breaks += _verify_employee(employee, entries[employee.pk], heads.get(employee.pk))
            done += 1
            if progress:
                progress("verify personnel files", done, len(employees))
    return report


# -- retention -----------------------------------------------------------------------------------


def retention_end(entry: DossierEntry, employee: Employee) -> datetime.date | None:
    """The day after which the entry may be removed; None while it must stay."""
    if entry.retention_after == "employment_end":
        if employee.employment_end is None:
            return None
        start = employee.employment_end
    else:
        start = entry.document_date
    return start + relativedelta(months=entry.retention_months)


@transaction.atomic
def dossier_purge(*, today: datetime.date, organisation=None, acting_user=None) -> list[DossierEntry]:
    """Empty the entries whose retention has passed, leaving a tombstone: what it was,
    when and why it was removed; its hashes stay so the chain still verifies."""
    entries = (
        DossierEntry.objects.select_for_update(of=("self",))
        .filter(purged_at__isnull=True)
        .select_related("employee")
    )
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    purged = []
    # The moment the purge takes effect: now, or the start of ``today`` when that lies ahead.
    purged_at = timezone.now()
    if today > timezone.localdate():
        purged_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    for entry in entries:
        end = retention_end(entry, entry.employee)
        if end is None or end >= today:
            continue
        basis = "employment end" if entry.retention_after == "employment_end" else "completion"
        entry.content_json = ""
        entry.pdf = b""
        entry.purged_at = purged_at
        entry.purge_reason = (
            f"retention of {entry.retention_months} months after {basis} ended on {end.isoformat()}"
        )
        entry.save(update_fields=["content_json", "pdf", "purged_at", "purge_reason"])
        audit_record(
            action="dossier.purged",
            actor=acting_user,
            organisation=entry.organisation,
            obj=entry,
            details={"sequence": entry.sequence, "reason": entry.purge_reason},
        )
        purged.append(entry)
    return purged


# -- reading ---------------------------------------------------------------------------------------


def dossier_log_read(*, employee: Employee, user, action: str, entry: DossierEntry | None = None) -> None:
    DossierRead.objects.create(
        employee=employee,
        entry=entry,
        reader=user,
        reader_name=user.get_full_name() or user.email,
        action=action,
    )


def dossier_export(employee: Employee, entries: list[DossierEntry], *, user) -> bytes:
    """Everything in the file as a zip: each entry's PDF and JSON, and an index."""
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            stem = f"{entry.sequence:03d}-{entry.document}-{entry.document_date.isoformat()}"
            record = {
                "sequence": entry.sequence,
                "title": entry.title,
                "document": entry.document,
                "date": entry.document_date.isoformat(),
                "entry_hash": entry.entry_hash,
                "content_hash": entry.content_hash,
                "pdf_hash": entry.pdf_hash,
            }
            if entry.is_purged:
                record["removed"] = entry.purge_reason
            else:
                archive.writestr(f"{stem}.pdf", bytes(entry.pdf))
                archive.writestr(f"{stem}.json", entry.content_json)
            index.append(record)
        archive.writestr(
            "index.json",
            json.dumps(
                {
                    "employee": employee.full_name,
                    "personnel_number": employee.personnel_number,
                    "entries": index,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
    dossier_log_read(employee=employee, user=user, action=ReadAction.EXPORT)
    return buffer.getvalue()
