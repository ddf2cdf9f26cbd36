"""Everything the application holds about one person, as a dictionary (``collect``) and
the files that belong to it (attachments, archived PDFs).

Format ``gesprekscyclus-subject-export/1``, described in ``docs/privacy.md`` and checked
by ``export.schema.json``. Dates and times are ISO 8601 (times in UTC offset notation of
the installation's time zone). Other people appear by name only where they took part in
this person's own records (manager, conductor, signers, the person brought in, feedback
givers: the source of that feedback); people this person gave feedback *to*, or whose
conversations they conducted, appear as a reference (``person-1``) without their data.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from gesprekscyclus.agreements.models import Agreement, WorkPlan
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.audit.models import AuditEvent, ListedSubject
from gesprekscyclus.conversations.models import Conversation, Side
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.disagreements.models import Delegation, Disagreement
from gesprekscyclus.dossiers.models import DossierEntry, DossierRead
from gesprekscyclus.dossiers.services import retention_end
from gesprekscyclus.feedback.models import Feedback, ScanResponse
from gesprekscyclus.notifications.models import Notification, NotificationPreference
from gesprekscyclus.organisations.models import Employee, RoleAssignment
from gesprekscyclus.signatures.models import ReportVersion, Signature

FORMAT = "gesprekscyclus-subject-export/1"


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return value.isoformat()


def _decimal(value: decimal.Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _name(person) -> dict | None:
    """Another person, by name only."""
    if person is None:
        return None
    if isinstance(person, Employee):
        return {"name": person.full_name}
    return {"name": person.get_full_name() or ""}


def _safe_filename(name: str) -> str:
    cleaned = "".join(char if char.isalnum() or char in "._- " else "_" for char in name).strip(" .")
    return PurePosixPath(cleaned or "file").name[:120]


@dataclass
class ExportFile:
    path: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Export:
    data: dict
    files: list[ExportFile] = field(default_factory=list)

    def zip_members(self) -> Iterator[tuple[str, bytes]]:
        yield "export.json", json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=False).encode()
        for item in self.files:
            yield item.path, item.data


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def otp_device_models() -> list:
    """The installed django-otp device models (TOTP, static recovery codes, …)."""
    if not apps.is_installed("django_otp"):
        return []
    from django_otp.models import Device

    return [model for model in apps.get_models() if issubclass(model, Device) and not model._meta.abstract]


class _References:
    """Stable references for people who must not be named in this export."""

    def __init__(self):
        self._by_key: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk: int) -> dict:
        key = (kind, pk)
        if key not in self._by_key:
            self._by_key[key] = f"person-{len(self._by_key) + 1}"
        return {"reference": self._by_key[key]}


def _read_file(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _own_details(event: AuditEvent, *, listed: bool) -> dict:
    """An event's details for the person it is about; of a list read that showed them, not
    which others it showed (the ids of the rows and the people)."""
    if not listed:
        return event.details
    return {key: value for key, value in event.details.items() if key not in ("subjects", "ids")}


class _Collector:
    def __init__(self, employee: Employee):
        self.employee = Employee.objects.select_related(
            "organisation", "unit", "job", "manager", "explicit_manager", "user"
        ).get(pk=employee.pk)
        self.user = self.employee.user
        self.files: list[ExportFile] = []
        self.reference = _References()
        self._paths: set[str] = set()

    def add_file(self, folder: str, name: str, data: bytes) -> ExportFile:
        path = f"files/{folder}/{_safe_filename(name)}"
        stem, dot, suffix = path.rpartition(".")
        number = 2
        while path in self._paths:
            path = f"{stem}-{number}.{suffix}" if dot else f"{path}-{number}"
            number += 1
        self._paths.add(path)
        item = ExportFile(path, data)
        self.files.append(item)
        return item

    # -- the parts ------------------------------------------------------------------------

    def subject(self) -> dict:
        employee = self.employee
        return {
            "personnel_number": employee.personnel_number,
            "first_name": employee.first_name,
            "last_name": employee.last_name,
            "email": employee.email,
            "organisation": employee.organisation.name,
            "unit": {"code": employee.unit.code, "name": employee.unit.name},
            "job": {"title": employee.job.title, "description": employee.job.description}
            if employee.job
            else None,
            "hours_per_week": _decimal(employee.hours_per_week),
            "employment_start": iso(employee.employment_start),
            "employment_end": iso(employee.employment_end),
            "appointment": employee.appointment,
            "probation_end": iso(employee.probation_end),
            "manager": _name(employee.manager),
            "explicit_manager": _name(employee.explicit_manager),
            "updated_at": iso(employee.updated_at),
        }

    def account(self) -> dict | None:
        user = self.user
        if user is None:
            return None
        return {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        }

    def login_sessions(self) -> list[dict]:
        """The account's live login sessions (when the accounts app keeps them)."""
        model = _model("accounts", "UserSession")
        if self.user is None or model is None:
            return []
        return [
            {
                "logged_in_at": iso(session.created_at),
                "last_active_at": iso(session.last_seen_at),
                "ip_address": session.ip_address,
                "browser": session.user_agent,
            }
            for session in model.objects.filter(user=self.user).order_by("created_at", "pk")
        ]

    def two_factor(self) -> list[dict]:
        """Two-step verification devices (django-otp): kind, name, confirmed; never secrets."""
        if self.user is None:
            return []
        return [
            {"kind": model._meta.model_name, "name": device.name, "confirmed": bool(device.confirmed)}
            for model in otp_device_models()
            for device in model.objects.filter(user=self.user).order_by("pk")
        ]

    def roles(self) -> list[dict]:
        if self.user is None:
            return []
        return [
            {
                "role": assignment.role,
                "organisation": assignment.organisation.name,
                "unit": {"code": assignment.unit.code, "name": assignment.unit.name}
                if assignment.unit
                else None,
                "since": iso(assignment.created_at),
            }
            for assignment in RoleAssignment.objects.filter(user=self.user)
            .select_related("organisation", "unit")
            .order_by("created_at", "pk")
        ]

    def cycles(self) -> list[dict]:
        return [
            {
                "id": cycle.pk,
                "year": cycle.year,
                "period_start": iso(cycle.period_start),
                "period_end": iso(cycle.period_end),
                "regulation": {
                    "id": cycle.regulation_version.regulation_id,
                    "name": cycle.regulation_version.name,
                    "version": cycle.regulation_version.version,
                },
                "agreed_frequency_per_year": cycle.agreed_frequency_per_year,
                "requested_kinds": list(cycle.requested_kinds),
                "status": cycle.status,
                "close_reason": cycle.close_reason,
                "opened_at": iso(cycle.opened_at),
                "closed_at": iso(cycle.closed_at),
            }
            for cycle in Cycle.objects.filter(employee=self.employee)
            .select_related("regulation_version")
            .order_by("year", "pk")
        ]

    def _signature(self, signature: Signature) -> dict:
        return {
            "role": signature.role,
            "statement": signature.statement,
            "name": signature.signer_name,
            "content_hash": signature.content_hash,
            "signed_at": iso(signature.signed_at),
            "refused": signature.refused,
            "remark": signature.remark,
            "refusal_reason": signature.refusal_reason,
            "recorded_by_someone_else": signature.recorded_by_id is not None
            and signature.recorded_by_id != signature.signer_id,
        }

    def _assessment(self, conversation: Conversation) -> dict | None:
        assessment = Assessment.objects.filter(conversation=conversation).first()
        if assessment is None:
            return None
        if assessment.shown_at is None:
            # The manager's draft: shown to the employee (and exported) once it is ready.
            return {"shown_at": None, "status": "in preparation"}
        objections = []
        for objection in assessment.objections.select_related("decided_by").prefetch_related("attachments"):
            attachments = []
            for attachment in objection.attachments.all():
                attachments.append(self._attachment_record("objections", attachment))
            objections.append(
                {
                    "filed_at": iso(objection.filed_at),
                    "grounds": objection.grounds,
                    "status": objection.status,
                    "heard_at": iso(objection.heard_at),
                    "hearing_notes": objection.hearing_notes,
                    "decision": objection.decision,
                    "decision_motivation": objection.decision_motivation,
                    "decided_at": iso(objection.decided_at),
                    "decided_by": _name(objection.decided_by),
                    "attachments": attachments,
                }
            )
        return {
            "shown_at": iso(assessment.shown_at),
            "ratings": assessment.ratings,
            "overall": assessment.overall,
            "motivation": assessment.motivation,
            "response": assessment.response,
            "responded_at": iso(assessment.responded_at),
            "replaces_assessment_of_conversation": assessment.replaces.conversation_id
            if assessment.replaces_id
            else None,
            "objections": objections,
        }

    def _attachment_record(self, folder: str, attachment) -> dict:
        data = _read_file(attachment.file)
        record = {
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": None,
            "file": None,
        }
        if data is not None:
            item = self.add_file(folder, f"{attachment.pk}-{attachment.filename}", data)
            record["sha256"] = item.sha256
            record["file"] = item.path
        if hasattr(attachment, "uploaded_at"):
            record["uploaded_at"] = iso(attachment.uploaded_at)
        return record

    def conversations(self) -> list[dict]:
        result = []
        conversations = (
            Conversation.objects.filter(employee=self.employee)
            .select_related("cycle", "conductor", "report")
            .prefetch_related("preparations", "attachments", "feedback_selections")
            .order_by("starts_at", "pk")
        )
        for conversation in conversations:
            preparations = [
                {
                    "side": preparation.side,
                    "notes": preparation.notes,
                    "topics": preparation.topics,
                    "self_reflection": preparation.self_reflection,
                    "answers": preparation.answers,
                    "shared_at": iso(preparation.shared_at),
                    "updated_at": iso(preparation.updated_at),
                }
                for preparation in conversation.preparations.all()
                # the conductor's notes are theirs until they share them
                if preparation.side == Side.EMPLOYEE or preparation.shared_at is not None
            ]
            report = getattr(conversation, "report", None)
            versions = []
            for version in (
                ReportVersion.objects.filter(conversation=conversation)
                .prefetch_related("signatures")
                .order_by("number")
            ):
                versions.append(
                    {
                        "number": version.number,
                        "state": version.state,
                        "content_hash": version.content_hash,
                        "content": version.content,
                        "created_at": iso(version.created_at),
                        "completed_at": iso(version.completed_at),
                        "voided_at": iso(version.voided_at),
                        "void_reason": version.void_reason,
                        "signatures": [self._signature(signature) for signature in version.signatures.all()],
                    }
                )
            disagreements = []
            for disagreement in (
                Disagreement.objects.filter(conversation=conversation)
                .select_related("raised_by", "mediator")
                .prefetch_related("notes__author")
                .order_by("raised_at")
            ):
                disagreements.append(
                    {
                        "raised_at": iso(disagreement.raised_at),
                        "raised_by": _name(disagreement.raised_by),
                        "statement": disagreement.statement,
                        "brought_in": _name(disagreement.mediator),
                        "brought_in_as": disagreement.mediator_role,
                        "outcome": disagreement.outcome,
                        "resolved_at": iso(disagreement.resolved_at),
                        "notes": [
                            {
                                "author": _name(note.author),
                                "text": note.text,
                                "created_at": iso(note.created_at),
                            }
                            for note in disagreement.notes.all()
                        ],
                    }
                )
            result.append(
                {
                    "id": conversation.pk,
                    "cycle_year": conversation.cycle.year,
                    "kind": conversation.kind,
                    "combined_with": list(conversation.combined_with),
                    "status": conversation.status,
                    "starts_at": iso(conversation.starts_at),
                    "duration_minutes": conversation.duration_minutes,
                    "location": conversation.location,
                    "online_url": conversation.online_url,
                    "held_on": iso(conversation.held_on),
                    "cancel_reason": conversation.cancel_reason,
                    "conductor": _name(conversation.conductor),
                    "follow_up_of": conversation.follow_up_of_id,
                    "created_at": iso(conversation.created_at),
                    "preparations": preparations,
                    "report": {
                        "text": report.text,
                        "answers": report.answers,
                        "improvement_points": report.improvement_points,
                        "version": report.version,
                        "written_at": iso(report.written_at),
                        "returned_comment": report.returned_comment,
                        "withheld_items": list(report.withheld_items),
                        "updated_at": iso(report.updated_at),
                    }
                    if report is not None
                    else None,
                    "report_versions": versions,
                    "attachments": [
                        self._attachment_record("attachments", attachment)
                        for attachment in conversation.attachments.all()
                    ],
                    "feedback_brought_in": sorted(
                        selection.feedback_id for selection in conversation.feedback_selections.all()
                    ),
                    "assessment": self._assessment(conversation),
                    "disagreements": disagreements,
                }
            )
        return result

    def conducted(self) -> list[dict]:
        """Conversations this person conducted for others: when and what, not whose."""
        return [
            {
                "id": conversation.pk,
                "employee": self.reference("employee", conversation.employee_id),
                "kind": conversation.kind,
                "status": conversation.status,
                "starts_at": iso(conversation.starts_at),
                "held_on": iso(conversation.held_on),
            }
            for conversation in Conversation.objects.filter(conductor=self.employee)
            .exclude(employee=self.employee)
            .order_by("starts_at", "pk")
        ]

    def signatures_placed(self) -> list[dict]:
        """Signatures this person placed or recorded, on any report (own or others')."""
        if self.user is None:
            return []
        signatures = (
            Signature.objects.filter(Q(signer=self.user) | Q(recorded_by=self.user))
            .select_related("version")
            .order_by("signed_at", "pk")
        )
        return [
            {
                "conversation": signature.version.conversation_id,
                "version": signature.version.number,
                "role": signature.role,
                "statement": signature.statement,
                "content_hash": signature.content_hash,
                "signed_at": iso(signature.signed_at),
                "refused": signature.refused,
                "remark": signature.remark if signature.signer_id == self.user.pk else "",
                "refusal_reason": signature.refusal_reason if signature.signer_id == self.user.pk else "",
                "as_signer": signature.signer_id == self.user.pk,
            }
            for signature in signatures
        ]

    def agreements(self) -> list[dict]:
        result = []
        for agreement in (
            Agreement.objects.filter(employee=self.employee)
            .select_related("cycle")
            .prefetch_related("competences", "changes__changed_by")
            .order_by("deadline", "pk")
        ):
            result.append(
                {
                    "id": agreement.pk,
                    "cycle_year": agreement.cycle.year,
                    "kind": agreement.kind,
                    "description": agreement.description,
                    "indicator": agreement.indicator,
                    "target": agreement.target,
                    "deadline": iso(agreement.deadline),
                    "status": agreement.status,
                    "made_in_conversation": agreement.made_in_id,
                    "competences": sorted(competence.name for competence in agreement.competences.all()),
                    "created_at": iso(agreement.created_at),
                    "updated_at": iso(agreement.updated_at),
                    "history": [
                        {
                            "changed_at": iso(change.changed_at),
                            "changed_by": _name(change.changed_by),
                            "conversation": change.conversation_id,
                            "changes": change.changes,
                            "explanation": change.explanation,
                        }
                        for change in agreement.changes.all()
                    ],
                }
            )
        return result

    def work_plans(self) -> list[dict]:
        return [
            {
                "cycle_year": plan.cycle.year,
                "status": plan.status,
                "content": plan.content,
                "competences": sorted(competence.name for competence in plan.competences.all()),
                "agreed_by_employee_at": iso(plan.agreed_by_employee_at),
                "agreed_by_manager_at": iso(plan.agreed_by_manager_at),
                "updated_at": iso(plan.updated_at),
                "versions": [
                    {
                        "number": version.number,
                        "content": version.content,
                        "changes": version.changes,
                        "established_in_conversation": version.established_in_id,
                        "established_at": iso(version.established_at),
                    }
                    for version in plan.versions.all()
                ],
            }
            for plan in WorkPlan.objects.filter(employee=self.employee)
            .select_related("cycle")
            .prefetch_related("competences", "versions")
            .order_by("cycle__year")
        ]

    def delegations(self) -> list[dict]:
        return [
            {
                "delegate": _name(delegation.delegate),
                "conversation": delegation.conversation_id,
                "starts_on": iso(delegation.starts_on),
                "ends_on": iso(delegation.ends_on),
                "reason": delegation.reason,
                "granted_at": iso(delegation.granted_at),
                "revoked_at": iso(delegation.revoked_at),
            }
            for delegation in Delegation.objects.filter(employee=self.employee)
            .select_related("delegate")
            .order_by("granted_at", "pk")
        ]

    def feedback(self) -> dict:
        received = [
            {
                "id": item.pk,
                "kind": item.kind,
                "status": item.status,
                "giver": _name(item.giver),
                "message": item.message,
                "questions": item.questions,
                "answers": item.answers,
                "text": item.text,
                "answer_by": iso(item.answer_by),
                "created_at": iso(item.created_at),
                "given_at": iso(item.given_at),
            }
            for item in Feedback.objects.filter(receiver=self.employee)
            .select_related("giver")
            .order_by("created_at", "pk")
        ]
        given = [
            {
                "id": item.pk,
                "kind": item.kind,
                "status": item.status,
                "receiver": self.reference("employee", item.receiver_id),
                "questions": item.questions,
                "answers": item.answers,
                "text": item.text,
                "answer_by": iso(item.answer_by),
                "created_at": iso(item.created_at),
                "given_at": iso(item.given_at),
            }
            for item in Feedback.objects.filter(giver=self.employee).order_by("created_at", "pk")
        ]
        scans = [
            {
                "created_at": iso(scan.created_at),
                "completed_at": iso(scan.completed_at),
                "sections": scan.sections,
                "answers": scan.answers,
                "reflection": scan.reflection,
                "shared_with_manager": scan.shared_with_manager,
                "conversation": scan.conversation_id,
            }
            for scan in ScanResponse.objects.filter(employee=self.employee).order_by("created_at", "pk")
        ]
        return {"received": received, "given": given, "development_scans": scans}

    def notifications(self) -> dict:
        if self.user is None:
            return {"delivery": None, "items": []}
        preference = NotificationPreference.objects.filter(user=self.user).first()
        return {
            "delivery": preference.delivery if preference else None,
            "items": [
                {
                    "subject": notification.subject,
                    "reason": notification.reason,
                    "url": notification.url,
                    "created_at": iso(notification.created_at),
                    "emailed_at": iso(notification.emailed_at),
                    "read_at": iso(notification.read_at),
                }
                for notification in Notification.objects.filter(user=self.user).order_by("created_at", "pk")
            ],
        }

    def personnel_file(self) -> dict:
        entries = []
        for entry in DossierEntry.objects.filter(employee=self.employee).order_by("sequence"):
            record = {
                "sequence": entry.sequence,
                "document": entry.document,
                "title": entry.title,
                "document_date": iso(entry.document_date),
                "conversation": entry.conversation_id,
                "archived_at": iso(entry.created_at),
                "retention_after": entry.retention_after,
                "retention_months": entry.retention_months,
                "retention_ends_on": iso(retention_end(entry, self.employee)),
                "content_hash": entry.content_hash,
                "pdf_hash": entry.pdf_hash,
                "entry_hash": entry.entry_hash,
                "removed_at": iso(entry.purged_at),
                "removed_because": entry.purge_reason or None,
                "pdf": None,
                "json": None,
            }
            if not entry.is_purged:
                stem = f"{entry.sequence:03d}-{entry.document}-{entry.document_date.isoformat()}"
                record["pdf"] = self.add_file("personnel-file", f"{stem}.pdf", bytes(entry.pdf)).path
                record["json"] = self.add_file(
                    "personnel-file", f"{stem}.json", entry.content_json.encode("utf-8")
                ).path
            entries.append(record)
        reads = [
            {
                "reader": read.reader_name,
                "action": read.action,
                "entry": read.entry.sequence if read.entry_id else None,
                "read_at": iso(read.read_at),
            }
            for read in DossierRead.objects.filter(employee=self.employee)
            .select_related("entry")
            .order_by("read_at", "pk")
        ]
        return {"entries": entries, "reads": reads}

    def _own_objects(self) -> list[tuple[str, list[str]]]:
        """The (object_type, ids) of the records that are about this person."""
        employee = self.employee

        def ids(queryset) -> list:
            return list(queryset.values_list("pk", flat=True))

        conversation_ids = ids(Conversation.objects.filter(employee=employee))
        return [
            ("organisations.employee", [employee.pk]),
            ("accounts.user", [self.user.pk] if self.user else []),
            ("cycles.cycle", ids(Cycle.objects.filter(employee=employee))),
            ("conversations.conversation", conversation_ids),
            ("agreements.agreement", ids(Agreement.objects.filter(employee=employee))),
            ("agreements.workplan", ids(WorkPlan.objects.filter(employee=employee))),
            ("assessments.assessment", ids(Assessment.objects.filter(conversation_id__in=conversation_ids))),
            ("dossiers.dossierentry", ids(DossierEntry.objects.filter(employee=employee))),
            ("feedback.feedback", ids(Feedback.objects.filter(receiver=employee))),
        ]

    def audit_events(self) -> list[dict]:
        about = Q()
        for object_type, ids in self._own_objects():
            if ids:
                about |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
        field_names = {field.name for field in AuditEvent._meta.get_fields()}
        if "subject" in field_names:  # the audit log may name the person an event is about
            about |= Q(subject=self.employee)
        about_ids = set(AuditEvent.objects.filter(about).values_list("pk", flat=True))
        # List reads (a team overview, the employee search, an export) that showed the person.
        listed_ids = set(
            ListedSubject.objects.filter(employee=self.employee).values_list("event_id", flat=True)
        )
        about_ids |= listed_ids
        query = Q(pk__in=about_ids)
        if self.user is not None:
            query |= Q(actor=self.user)
        events = []
        for event in AuditEvent.objects.filter(query).order_by("at", "pk"):
            is_about = event.pk in about_ids
            events.append(
                {
                    "at": iso(event.at),
                    "action": event.action,
                    "object_type": event.object_type,
                    "object_id": event.object_id,
                    "as_actor": self.user is not None and event.actor_id == self.user.pk,
                    "about_you": bool(is_about),
                    # what happened to someone else's record is not part of this export
                    "details": _own_details(event, listed=event.pk in listed_ids) if is_about else None,
                }
            )
        return events

    def collect(self) -> dict:
        data = {
            "format": FORMAT,
            "generated_at": iso(timezone.now()),
            "subject": self.subject(),
            "account": self.account(),
            "login_sessions": self.login_sessions(),
            "two_factor_devices": self.two_factor(),
            "roles": self.roles(),
            "cycles": self.cycles(),
            "conversations": self.conversations(),
            "conversations_conducted": self.conducted(),
            "signatures_placed": self.signatures_placed(),
            "agreements": self.agreements(),
            "work_plans": self.work_plans(),
            "delegations": self.delegations(),
            "feedback": self.feedback(),
            "notifications": self.notifications(),
            "personnel_file": self.personnel_file(),
            "audit_events": self.audit_events(),
        }
        data["files"] = [
            {"path": item.path, "size": len(item.data), "sha256": item.sha256} for item in self.files
        ]
        return data


def collect(employee: Employee) -> Export:
    collector = _Collector(employee)
    data = collector.collect()
    return Export(data=data, files=collector.files)


SCHEMA_PATH = PurePosixPath(__file__).parent / "export.schema.json"


def export_schema() -> dict:
    """The JSON Schema of ``export.json`` (``export.schema.json`` next to this module)."""
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)
