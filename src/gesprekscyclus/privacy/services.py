"""The AVG (GDPR) duties: the data-subject export and the pseudonymisation of former
employees whose retention has ended. See ``docs/privacy.md``.

* ``personal_data_export(employee)``: everything about one person as a dictionary
  (format ``gesprekscyclus-subject-export/1``); ``personal_data_export_zip`` puts it in a
  ZIP with the files (attachments, archived PDFs) and records who made it.
* ``leaver_pseudonymise(employee, acting_user=...)``: once the retention has ended
  (``selectors.retention_of``), replaces the person's name, e-mail and personnel number by
  a pseudonym everywhere, erases the free text about them, closes the account and keeps
  the skeleton (which conversation, when, how far it got) so that the dashboard's figures
  stay what they were. Idempotent.
"""

from __future__ import annotations

import datetime
import io
import secrets
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.agreements.models import Agreement, AgreementChange, WorkPlan, WorkPlanVersion
from gesprekscyclus.assessments.models import Assessment, Objection, ObjectionAttachment
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import Attachment, Conversation, Preparation, Report
from gesprekscyclus.disagreements.models import Delegation, Disagreement, DisagreementNote
from gesprekscyclus.dossiers.models import DossierEntry, DossierRead, ReadAction
from gesprekscyclus.dossiers.services import dossier_log_read, dossier_purge
from gesprekscyclus.feedback.models import Feedback, ScanResponse
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee, RoleAssignment
from gesprekscyclus.signatures.models import ReportVersion, Signature

from . import export
from .models import Pseudonymisation
from .selectors import retention_of

PSEUDONYM_FIRST_NAME = "Pseudoniem"
PSEUDONYM_EMAIL_DOMAIN = "pseudoniem.invalid"


class Refused(Exception):
    """The change is not allowed; the message is for the person who asked."""


# -- the data-subject export -------------------------------------------------------------------


def personal_data_export(employee: Employee) -> dict:
    """Everything about ``employee``, as the ``export.json`` of the ZIP (without the files)."""
    return export.collect(employee).data


def export_filename(employee: Employee) -> str:
    return f"mijn-gegevens-{employee.personnel_number}.zip"


def personal_data_export_zip(employee: Employee, *, acting_user=None, source: str = "web") -> bytes:
    """The export as a ZIP (``export.json`` and ``files/…``); recorded in the audit log and,
    when it holds personnel-file documents, in the file's read log."""
    result = export.collect(employee)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in result.zip_members():
            archive.writestr(name, data)
    audit_record(
        action="privacy.export",
        actor=acting_user,
        organisation=employee.organisation,
        obj=employee,
        details={"format": export.FORMAT, "files": len(result.files), "source": source},
    )
    has_file_documents = any(entry["pdf"] for entry in result.data["personnel_file"]["entries"])
    if acting_user is not None and acting_user.is_authenticated and has_file_documents:
        dossier_log_read(employee=employee, user=acting_user, action=ReadAction.EXPORT)
    return buffer.getvalue()


# -- pseudonymisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    record: Pseudonymisation
    changed: bool  # False: it had been done before, nothing changed now


def _new_pseudonym(employee: Employee) -> str:
    while True:
        token = secrets.token_hex(3).upper()
        organisation_id = employee.organisation_id
        taken = (
            Pseudonymisation.objects.filter(organisation_id=organisation_id, pseudonym=token).exists()
            or Employee.objects.filter(
                organisation_id=organisation_id, personnel_number=f"PSEUDO-{token}"
            ).exists()
        )
        if not taken:
            return token


def _delete_files(rows) -> int:
    count = 0
    for row in rows:
        if row.file:
            row.file.delete(save=False)
        row.delete()
        count += 1
    return count


def _replace_everywhere(text: str, old: list[str], new: str) -> str:
    for value in old:
        text = text.replace(value, new)
    return text


@transaction.atomic
def leaver_pseudonymise(
    employee: Employee, *, acting_user=None, today: datetime.date | None = None
) -> Outcome:
    """Pseudonymise a former employee whose retention has ended (see ``docs/privacy.md``).

    Refuses (``Refused``) while the retention runs; a second call changes nothing."""
    today = today or timezone.localdate()
    employee = (
        Employee.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit", "user")
        .get(pk=employee.pk)
    )
    done = Pseudonymisation.objects.filter(employee=employee).first()
    if done is not None:
        return Outcome(done, changed=False)
    retention = retention_of(employee)
    if employee.employment_end is None or employee.employment_end >= today:
        raise Refused(
            _("%(name)s is still employed: only former employees can be pseudonymised.")
            % {"name": employee.full_name}
        )
    if not retention.expired(today):
        raise Refused(
            _(
                "The retention of the data of %(name)s has not ended yet: it ends on %(date)s. "
                "Nothing was changed."
            )
            % {"name": employee.full_name, "date": retention.ends_on.strftime("%d-%m-%Y")}
        )

    # The personnel file first: the same purge the daily purge_dossiers would do.
    dossier_purge(today=today, organisation=employee.organisation, acting_user=acting_user)
    if DossierEntry.objects.filter(employee=employee, purged_at__isnull=True).exists():
        raise Refused(_("The personnel file still holds documents whose retention has not ended."))

    user = employee.user
    token = _new_pseudonym(employee)
    pseudonym_name = f"{PSEUDONYM_FIRST_NAME} {token}"
    pseudonym_email = f"{token.lower()}@{PSEUDONYM_EMAIL_DOMAIN}"
    old_texts = sorted(
        {
            value
            for value in (
                employee.full_name,
                employee.email,
                user.get_full_name() if user else "",
                user.email if user else "",
            )
            if value and value.strip()
        },
        key=len,
        reverse=True,
    )
    summary: dict[str, int] = {}

    def count(key: str, number: int) -> None:
        summary[key] = summary.get(key, 0) + number

    # The person.
    Employee.objects.filter(pk=employee.pk).update(
        first_name=PSEUDONYM_FIRST_NAME,
        last_name=token,
        email=pseudonym_email,
        personnel_number=f"PSEUDO-{token}",
        explicit_manager=None,
        updated_at=timezone.now(),
    )
    if user is not None:
        old_email = user.email
        user.email = pseudonym_email
        user.first_name = PSEUDONYM_FIRST_NAME
        user.last_name = token
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()
        user.save(
            update_fields=[
                "email",
                "first_name",
                "last_name",
                "is_active",
                "is_staff",
                "is_superuser",
                "last_login",
                "password",
            ]
        )
        count("roles removed", RoleAssignment.objects.filter(user=user).delete()[0])
        count("notifications removed", Notification.objects.filter(user=user).delete()[0])
        _forget_login_attempts(old_email)
        for model in export.otp_device_models():
            count("two-factor devices removed", model.objects.filter(user=user).delete()[0])
        # Reads of other people's files stay in their read logs, under the pseudonym.
        DossierRead.objects.filter(reader=user).update(reader_name=pseudonym_name)
        # Signatures on the person's own reports (others' signatures stay with their records).
        Signature.objects.filter(signer=user, version__conversation__employee=employee).update(
            signer_name=pseudonym_name
        )

    # Conversations about the person: the skeleton stays (kind, dates, status), the text goes.
    conversations = Conversation.objects.filter(employee=employee)
    count("conversations", conversations.update(location="", online_url="", cancel_reason=""))
    Preparation.objects.filter(conversation__in=conversations).update(
        notes="", topics="", self_reflection="", answers={}
    )
    Report.objects.filter(conversation__in=conversations).update(
        text="", answers={}, returned_comment="", withheld_items=[]
    )
    count(
        "report versions emptied",
        ReportVersion.objects.filter(conversation__in=conversations).update(
            content={}, canonical="", void_reason=""
        ),
    )
    Signature.objects.filter(version__conversation__in=conversations).update(remark="", refusal_reason="")
    count("attachments removed", _delete_files(Attachment.objects.filter(conversation__in=conversations)))
    assessments = Assessment.objects.filter(conversation__in=conversations)
    assessments.update(ratings={}, overall=None, motivation="", response="")
    objections = Objection.objects.filter(assessment__in=assessments)
    objections.update(grounds="", hearing_notes="", decision_motivation="")
    count(
        "attachments removed",
        _delete_files(ObjectionAttachment.objects.filter(objection__in=objections)),
    )
    disagreements = Disagreement.objects.filter(conversation__in=conversations)
    disagreements.update(statement="", outcome="")
    DisagreementNote.objects.filter(disagreement__in=disagreements).update(text="")
    Delegation.objects.filter(employee=employee).update(reason="")

    # Agreements and the work plan.
    agreements = Agreement.objects.filter(employee=employee)
    count("agreements", agreements.update(description="", indicator="", target=""))
    AgreementChange.objects.filter(agreement__in=agreements).update(changes={}, explanation="")
    plans = WorkPlan.objects.filter(employee=employee)
    plans.update(content={})
    WorkPlanVersion.objects.filter(work_plan__in=plans).update(content={}, changes={})

    # Feedback about the person goes; feedback they gave others is the receiver's, and now
    # shows the pseudonym as its giver.
    count(
        "feedback emptied",
        Feedback.objects.filter(receiver=employee).update(message="", questions=[], answers=[], text=""),
    )
    count("development scans removed", ScanResponse.objects.filter(employee=employee).delete()[0])

    # Reminders to others that named the person.
    named = Q()
    for value in old_texts:
        named |= Q(subject__contains=value) | Q(reason__contains=value)
    for notification in Notification.objects.filter(named):
        notification.subject = _replace_everywhere(notification.subject, old_texts, pseudonym_name)
        notification.reason = _replace_everywhere(notification.reason, old_texts, pseudonym_name)
        notification.save(update_fields=["subject", "reason"])
        count("reminders of others reworded", 1)

    record = Pseudonymisation.objects.create(
        employee=employee,
        organisation=employee.organisation,
        pseudonym=token,
        performed_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        retention_ended_on=retention.ends_on,
        summary=summary,
    )
    employee.refresh_from_db()
    audit_record(
        action="privacy.pseudonymise",
        actor=acting_user,
        organisation=employee.organisation,
        obj=employee,
        details={
            "pseudonym": token,
            "retention_ended_on": retention.ends_on.isoformat(),
            "employment_end": employee.employment_end.isoformat(),
            **summary,
        },
    )
    return Outcome(record, changed=True)


def _forget_login_attempts(email: str) -> None:
    """django-axes keeps failed and successful logins by user name (the e-mail address)."""
    try:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    except ImportError:  # pragma: no cover - axes is always installed here
        return
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()
