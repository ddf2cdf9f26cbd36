"""A person with data in every app, for the export and the pseudonymisation tests.

Kampen is in force (a report is kept two years after the employment ends). The employee
("Xandrijn Quelderbosch", a name that occurs nowhere else) has: a signed and archived
planning conversation (report, both signatures, a sealed personnel-file entry), a held
progress conversation with a preparation, an attachment, an assessment with an objection
and a disagreement, agreements with history, feedback received (from the colleague) and
given (to the other employee), a development scan, notifications, a read of the file.
The colleague has a conversation of their own whose text must never leak into the
employee's export. Every text carries a marker (``MARKER-…``) so the tests can look for it.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from gesprekscyclus.agreements.models import Agreement, AgreementChange
from gesprekscyclus.assessments.models import Assessment, Objection
from gesprekscyclus.conversations.models import Attachment, Conversation, Preparation, Report
from gesprekscyclus.disagreements.models import Disagreement, DisagreementNote
from gesprekscyclus.dossiers.models import DossierRead, ReadAction
from gesprekscyclus.feedback.models import Feedback, FeedbackKind, FeedbackStatus, ScanResponse
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee
from tests.signatures import flow

NAME = ("Xandrijn", "Quelderbosch")
EMAIL = "x.quelderbosch@example.org"
EMPLOYMENT_END = datetime.date(2026, 6, 30)
RETENTION_ENDS = datetime.date(2028, 6, 30)  # Kampen: two years after the employment ended
DUE_DAY = datetime.date(2028, 7, 1)

MARKERS = {
    "report": "MARKER-REPORT-PLANNING",
    "preparation": "MARKER-PREPARATION-NOTES",
    "progress_report": "MARKER-REPORT-PROGRESS",
    "agreement": "MARKER-AGREEMENT-DESCRIPTION",
    "agreement_change": "MARKER-AGREEMENT-EXPLANATION",
    "assessment": "MARKER-ASSESSMENT-MOTIVATION",
    "objection": "MARKER-OBJECTION-GROUNDS",
    "disagreement": "MARKER-DISAGREEMENT-STATEMENT",
    "disagreement_note": "MARKER-DISAGREEMENT-NOTE",
    "feedback_received": "MARKER-FEEDBACK-RECEIVED",
    "feedback_given": "MARKER-FEEDBACK-GIVEN",
    "scan": "MARKER-SCAN-REFLECTION",
    "notification": "MARKER-NOTIFICATION",
}
COLLEAGUE_TEXT = "MARKER-COLLEAGUE-OWN-REPORT"
ATTACHMENT_BYTES = b"%PDF-1.4\nMARKER-ATTACHMENT-BYTES\n%%EOF\n"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Scenario:
    employee: Employee
    planning: Conversation
    progress: Conversation
    colleague_conversation: Conversation
    attachment: Attachment


def rename(cast) -> None:
    employee, user = cast.employee, cast.employee.user
    employee.first_name, employee.last_name = NAME
    employee.email = EMAIL
    employee.save(update_fields=["first_name", "last_name", "email"])
    user.first_name, user.last_name = NAME
    user.email = EMAIL
    user.save(update_fields=["first_name", "last_name", "email"])


@pytest.fixture
def scenario(cast, media) -> Scenario:
    rename(cast)
    flow.load_kampen(cast.organisation)
    cycle = flow.open_cycle(cast)
    colleague_cycle = cycle.__class__.objects.get(employee=cast.colleague, year=flow.YEAR)

    # the planning conversation: written, signed by both, archived in the personnel file
    planning = flow.ready_for_signing(
        cast, cycle, answers={"results": MARKERS["report"], "courses": flow.COURSES}
    )
    flow.sign_by_both(cast, planning)
    planning.refresh_from_db()

    # the progress conversation, held: preparation, report, attachment, assessment …
    progress = flow.held(cast, cycle, flow.KAMPEN_PROGRESS)
    Preparation.objects.create(conversation=progress, side="employee", notes=MARKERS["preparation"])
    Preparation.objects.create(conversation=progress, side="conductor", notes="MARKER-CONDUCTOR-PRIVATE")
    Report.objects.filter(conversation=progress).update(text=MARKERS["progress_report"])
    attachment = Attachment(
        conversation=progress,
        filename="werkplan.pdf",
        content_type="application/pdf",
        size=len(ATTACHMENT_BYTES),
        uploaded_by=cast.user("employee"),
    )
    attachment.file.save("werkplan.pdf", ContentFile(ATTACHMENT_BYTES), save=False)
    attachment.save()
    assessment = Assessment.objects.create(
        conversation=progress,
        ratings={"results": 3},
        overall=3,
        motivation=MARKERS["assessment"],
        shown_at=timezone.now(),
    )
    Objection.objects.create(
        assessment=assessment, filed_by=cast.user("employee"), grounds=MARKERS["objection"]
    )
    disagreement = Disagreement.objects.create(
        conversation=progress,
        raised_by=cast.user("employee"),
        statement=MARKERS["disagreement"],
        mediator=cast.hr_adviser,
        mediator_role="hr_adviser",
    )
    DisagreementNote.objects.create(
        disagreement=disagreement, author=cast.user("employee"), text=MARKERS["disagreement_note"]
    )

    agreement = Agreement.objects.create(
        organisation=cast.organisation,
        employee=cast.employee,
        cycle=cycle,
        kind="development",
        description=MARKERS["agreement"],
        deadline=datetime.date(2026, 12, 31),
        made_in=planning,
    )
    AgreementChange.objects.create(
        agreement=agreement,
        changed_by=cast.user("manager"),
        changes={"description": [None, MARKERS["agreement"]]},
        explanation=MARKERS["agreement_change"],
    )

    Feedback.objects.create(
        organisation=cast.organisation,
        receiver=cast.employee,
        giver=cast.colleague,
        kind=FeedbackKind.UNASKED,
        status=FeedbackStatus.GIVEN,
        text=MARKERS["feedback_received"],
        given_at=timezone.now(),
    )
    Feedback.objects.create(
        organisation=cast.organisation,
        receiver=cast.other_employee,
        giver=cast.employee,
        kind=FeedbackKind.COMPLIMENT,
        status=FeedbackStatus.GIVEN,
        text=MARKERS["feedback_given"],
        given_at=timezone.now(),
    )
    ScanResponse.objects.create(employee=cast.employee, reflection=MARKERS["scan"], answers={"1.1": 4})
    Notification.objects.create(
        user=cast.user("employee"),
        reason_key="test:employee",
        subject=MARKERS["notification"],
        reason="Plan uw gesprek.",
        url="/gesprekken/",
    )
    Notification.objects.create(
        user=cast.user("manager"),
        reason_key="test:manager",
        subject=f"Plan het gesprek met {' '.join(NAME)}",
        reason=f"{' '.join(NAME)} ({EMAIL}) heeft nog geen voortgangsgesprek.",
        url="/gesprekken/team/",
    )
    DossierRead.objects.create(
        employee=cast.employee,
        reader=cast.user("manager"),
        reader_name=cast.manager.full_name,
        action=ReadAction.VIEW,
    )

    # the account's login session and two-step device, where the accounts app keeps them
    if apps.is_installed("django_otp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=cast.user("employee"), name="Telefoon", confirmed=True)
    if apps.all_models["accounts"].get("usersession") is not None:
        apps.get_model("accounts", "UserSession").objects.create(
            user=cast.user("employee"), session_key="privacy-test-session", ip_address="192.0.2.7"
        )

    # the colleague's own conversation, with text that is not the employee's business
    colleague_conversation = flow.held(cast, colleague_cycle)
    Report.objects.filter(conversation=colleague_conversation).update(text=COLLEAGUE_TEXT)

    employee = Employee.objects.select_related("unit", "user", "organisation").get(pk=cast.employee.pk)
    return Scenario(employee, planning, progress, colleague_conversation, attachment)


def leaves(employee, day: datetime.date = EMPLOYMENT_END) -> Employee:
    Employee.objects.filter(pk=employee.pk).update(employment_end=day)
    return Employee.objects.select_related("unit", "user", "organisation").get(pk=employee.pk)
