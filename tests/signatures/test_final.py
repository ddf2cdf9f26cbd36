"""A fully signed report never changes: not through any service and not through any
page of its conversation. Each attempt is refused (with the message the user sees) and
the signed version, its hash, the archived entry, the report, its attachment, its
agreement and the preparations stay exactly as they were.

Heemstede is used here because its planning conversation takes attachments: the
employee plans it, prepares, adds an attachment and an agreement, writes the report; the
manager approves it and both sign.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gesprekscyclus.agreements.models import Agreement, AgreementStatus
from gesprekscyclus.agreements.services import agreement_create, agreement_set_status, agreement_update
from gesprekscyclus.conversations.models import Attachment, Conversation, Preparation, Report, Status
from gesprekscyclus.conversations.services import (
    Refused,
    attachment_add,
    attachment_remove,
    conversation_cancel,
    conversation_mark_held,
    conversation_reschedule,
    preparation_save,
    report_approve,
    report_finish,
    report_save,
    report_send_back,
)
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.signatures.content import canonical, report_content, sha256_text
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from gesprekscyclus.signatures.services import (
    report_reopen,
    signature_record_refusal,
    signature_refuse,
    signature_sign,
    version_for_signing,
)
from tests.conversations.pages_helpers import PDF_BYTES, browser, messages_of
from tests.signatures import flow

pytestmark = pytest.mark.usefixtures("english")

DEADLINE = datetime.date(2026, 12, 1)
AGREEMENT = {
    "kind": "work_result",
    "description": "Aanvragen bijzondere bijstand binnen acht weken afhandelen",
    "indicator": "Doorlooptijd in het zaaksysteem",
    "target": "90% binnen acht weken",
    "deadline": DEADLINE,
}


@dataclass
class Final:
    conversation: Conversation
    version: ReportVersion
    attachment: Attachment
    agreement: Agreement


def upload(name: str = "werkplan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def final(cast, media) -> Final:
    flow.load_heemstede(cast.organisation)
    cycle = flow.open_cycle(cast)
    conversation = flow.planned(cast, cycle, flow.HEEMSTEDE_PLANNING)
    preparation_save(conversation, notes="Mijn punten", topics="Werkdruk", acting_user=cast.user("employee"))
    conversation = flow.hold(cast, conversation)
    attachment = attachment_add(conversation, upload=upload(), acting_user=cast.user("employee"))
    agreement = agreement_create(
        conversation=conversation, values=AGREEMENT, acting_user=cast.user("employee")
    )
    flow.write_and_approve(cast, conversation, answers={}, text="Het werkplan is besproken en vastgesteld.")
    version = flow.sign_by_both(cast, conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert version.state == VersionState.COMPLETE
    assert [a["description"] for a in version.content["agreements"]] == [AGREEMENT["description"]]
    assert [a["filename"] for a in version.content["attachments"]] == ["werkplan.pdf"]
    return Final(conversation, version, attachment, agreement)


def snapshot(final: Final) -> dict:
    """Everything a change to the signed report could touch."""
    conversation = Conversation.objects.get(pk=final.conversation.pk)
    report = Report.objects.get(conversation=conversation)
    return {
        "status": conversation.status,
        "held_on": conversation.held_on,
        "starts_at": conversation.starts_at,
        "versions": list(
            ReportVersion.objects.filter(conversation=conversation).values_list(
                "number", "state", "content_hash", "canonical", "content"
            )
        ),
        "signatures": list(Signature.objects.values_list("pk", "role", "content_hash", "refused")),
        "report": (report.text, report.answers, report.version, report.written_at, report.returned_comment),
        "attachments": [
            (attachment.pk, attachment.filename, attachment.size, attachment.file.read())
            for attachment in Attachment.objects.filter(conversation=conversation)
        ],
        "agreements": list(
            Agreement.objects.filter(employee=conversation.employee).values_list(
                "pk", "description", "indicator", "target", "deadline", "status", "version"
            )
        ),
        "preparations": list(Preparation.objects.values_list("side", "notes", "topics", "shared_at")),
        "dossier": [
            (
                entry.pk,
                entry.entry_hash,
                entry.content_hash,
                entry.pdf_hash,
                entry.content_json,
                bytes(entry.pdf),
            )
            for entry in DossierEntry.objects.all()
        ],
    }


def assert_unchanged(final: Final, before: dict) -> None:
    after = snapshot(final)
    assert after == before
    # and the content as it would be shown today still is the signed content
    conversation = Conversation.objects.get(pk=final.conversation.pk)
    assert sha256_text(canonical(report_content(conversation))) == final.version.content_hash


# -- services ------------------------------------------------------------------------------

ATTEMPTS = {
    "report_save": (
        "employee",
        lambda f, user: report_save(
            f.conversation,
            text="Toch anders.",
            expected_version=f.conversation.report.version,
            acting_user=user,
        ),
        "The report can be written once the conversation is held, until it is finished.",
    ),
    "report_finish": (
        "employee",
        lambda f, user: report_finish(f.conversation, acting_user=user),
        "Only the report of a held conversation can be finished.",
    ),
    "report_send_back": (
        "manager",
        lambda f, user: report_send_back(f.conversation, comment="Graag aanpassen.", acting_user=user),
        "Only a finished report that is not yet ready for signing can be sent back.",
    ),
    "report_reopen by the manager": (
        "manager",
        lambda f, user: report_reopen(f.conversation, reason="Toch anders.", acting_user=user),
        "A fully signed report never changes.",
    ),
    "report_reopen by the employee": (
        "employee",
        lambda f, user: report_reopen(f.conversation, reason="Toch anders.", acting_user=user),
        "A fully signed report never changes.",
    ),
    "attachment_add": (
        "employee",
        lambda f, user: attachment_add(f.conversation, upload=upload("nog een.pdf"), acting_user=user),
        "The report is final; attachments can no longer be added.",
    ),
    "attachment_remove": (
        "manager",
        lambda f, user: attachment_remove(f.attachment, acting_user=user),
        "The report is final; attachments can no longer be removed.",
    ),
    "agreement_create": (
        "manager",
        lambda f, user: agreement_create(
            conversation=f.conversation, values=AGREEMENT | {"description": "Nieuw"}, acting_user=user
        ),
        "Agreements are made and changed in a conversation whose report is not final yet.",
    ),
    "agreement_update": (
        "employee",
        lambda f, user: agreement_update(
            f.agreement,
            conversation=f.conversation,
            values=AGREEMENT | {"target": "100%"},
            expected_version=f.agreement.version,
            acting_user=user,
        ),
        "Agreements are made and changed in a conversation whose report is not final yet.",
    ),
    "agreement_set_status": (
        "manager",
        lambda f, user: agreement_set_status(
            f.agreement, status=AgreementStatus.ACHIEVED, conversation=f.conversation, acting_user=user
        ),
        "Agreements are made and changed in a conversation whose report is not final yet.",
    ),
    "preparation_save": (
        "employee",
        lambda f, user: preparation_save(f.conversation, notes="Achteraf", acting_user=user),
        "The conversation has taken place; the preparation can no longer change.",
    ),
    "conversation_cancel": (
        "manager",
        lambda f, user: conversation_cancel(f.conversation, reason="Vergissing", acting_user=user),
        "A conversation that has taken place cannot be cancelled.",
    ),
    "conversation_reschedule": (
        "manager",
        lambda f, user: conversation_reschedule(
            f.conversation,
            starts_at=flow.at(datetime.date(2026, 1, 19)),
            duration_minutes=60,
            location="Elders",
            online_url="",
            acting_user=user,
        ),
        "Only a conversation that has not taken place yet can be moved.",
    ),
    "signature_sign": (
        "employee",
        lambda f, user: signature_sign(
            f.version, user=user, password=flow.PASSWORD, expected_hash=f.version.content_hash
        ),
        "This report is already fully signed.",
    ),
    "signature_refuse": (
        "employee",
        lambda f, user: signature_refuse(
            f.version,
            user=user,
            password=flow.PASSWORD,
            expected_hash=f.version.content_hash,
            reason="Oneens",
        ),
        "This report is already fully signed.",
    ),
    "signature_record_refusal": (
        "manager",
        lambda f, user: signature_record_refusal(
            f.version, role="employee", reason="Oneens", acting_user=user
        ),
        "This report is already fully signed.",
    ),
}


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=list(ATTEMPTS))
def test_no_service_changes_a_fully_signed_report(cast, final, attempt):
    who, change, message = ATTEMPTS[attempt]
    before = snapshot(final)

    with pytest.raises(Refused) as refused:
        change(final, cast.user(who))

    assert str(refused.value) == message
    assert_unchanged(final, before)


def test_repeating_the_steps_before_signing_changes_nothing(cast, final):
    """Marking it held again (another day) or approving it again are no-ops."""
    before = snapshot(final)

    conversation_mark_held(
        final.conversation,
        held_on=datetime.date(2026, 1, 13),
        acting_user=cast.user("manager"),
        today=datetime.date(2026, 1, 13),
    )
    report_approve(final.conversation, acting_user=cast.user("manager"))
    again = version_for_signing(final.conversation)

    assert again.pk == final.version.pk
    assert_unchanged(final, before)


def test_tracking_the_agreement_later_leaves_the_signed_content_alone(cast, final):
    """Progress on an agreement is tracked outside conversations (on track / at risk);
    the signed report keeps the status it had when it was signed."""
    before = snapshot(final)

    agreement_set_status(final.agreement, status=AgreementStatus.ON_TRACK, acting_user=cast.user("employee"))

    after = snapshot(final)
    assert after["agreements"] != before["agreements"]
    for key in ("versions", "signatures", "report", "attachments", "dossier"):
        assert after[key] == before[key]
    assert version_for_signing(final.conversation).pk == final.version.pk
    assert [a["status"] for a in final.version.content["agreements"]] == ["open"]


# -- pages -----------------------------------------------------------------------------------


def _post(final: Final, name: str):
    conversation = final.conversation
    pk = conversation.pk
    version = conversation.report.version
    return {
        "verslag/": (
            "employee",
            reverse("conversations:report", args=[pk]),
            {"version": version, "text": "Anders"},
        ),
        "verslag/ (finish)": (
            "employee",
            reverse("conversations:report", args=[pk]),
            {"version": version, "text": "Anders", "finish": "1"},
        ),
        "verslag/terugsturen/": (
            "manager",
            reverse("conversations:report_send_back", args=[pk]),
            {"comment": "Aanpassen"},
        ),
        "bijlagen/": (
            "employee",
            reverse("conversations:attachment_add", args=[pk]),
            {"file": upload("extra.pdf")},
        ),
        "bijlagen/<id>/verwijderen/": (
            "employee",
            reverse("conversations:attachment_remove", args=[pk, final.attachment.pk]),
            {},
        ),
        "afspraken/": (
            "employee",
            reverse("agreements:create", args=[pk]),
            {**AGREEMENT, "description": "Nog een afspraak", "deadline": DEADLINE.isoformat()},
        ),
        "ondertekenen/heropenen/ (manager)": (
            "manager",
            reverse("signatures:reopen", args=[pk]),
            {"reason": "Toch anders"},
        ),
        "ondertekenen/heropenen/ (employee)": (
            "employee",
            reverse("signatures:reopen", args=[pk]),
            {"reason": "Toch anders"},
        ),
        "ondertekenen/tekenen/": (
            "employee",
            reverse("signatures:sign_post", args=[pk]),
            {"password": flow.PASSWORD, "expected_hash": final.version.content_hash},
        ),
        "ondertekenen/weigeren/": (
            "employee",
            reverse("signatures:refuse", args=[pk]),
            {"password": flow.PASSWORD, "expected_hash": final.version.content_hash, "reason": "Oneens"},
        ),
        "ondertekenen/weigering/": (
            "manager",
            reverse("signatures:record_refusal", args=[pk]),
            {"reason": "Oneens"},
        ),
        "voorbereiding/": (
            "employee",
            reverse("conversations:preparation", args=[pk]),
            {"notes": "Achteraf"},
        ),
        "annuleren/": (
            "manager",
            reverse("conversations:cancel", args=[pk]),
            {"cancel-reason": "Vergissing"},
        ),
        "verzetten/": (
            "manager",
            reverse("conversations:reschedule", args=[pk]),
            {
                "move-date": "2026-01-19",
                "move-time": "10:00",
                "move-duration_minutes": "60",
                "move-location": "Elders",
            },
        ),
    }[name]


PAGE_ATTEMPTS = {
    "verslag/": "The report can be written once the conversation is held, until it is finished.",
    "verslag/ (finish)": "The report can be written once the conversation is held, until it is finished.",
    "verslag/terugsturen/": "Only a finished report that is not yet ready for signing can be sent back.",
    "bijlagen/": "The report is final; attachments can no longer be added.",
    "bijlagen/<id>/verwijderen/": "The report is final; attachments can no longer be removed.",
    "afspraken/": "Agreements are made and changed in a conversation whose report is not final yet.",
    "ondertekenen/heropenen/ (manager)": "A fully signed report never changes.",
    "ondertekenen/heropenen/ (employee)": "A fully signed report never changes.",
    "ondertekenen/tekenen/": "This report is already fully signed.",
    "ondertekenen/weigeren/": "This report is already fully signed.",
    "ondertekenen/weigering/": "This report is already fully signed.",
    "voorbereiding/": "The conversation has taken place; the preparation can no longer change.",
    "annuleren/": "A conversation that has taken place cannot be cancelled.",
    "verzetten/": "Only a conversation that has not taken place yet can be moved.",
}


@pytest.mark.parametrize("page", PAGE_ATTEMPTS, ids=list(PAGE_ATTEMPTS))
def test_no_page_changes_a_fully_signed_report(cast, final, page):
    who, url, data = _post(final, page)
    before = snapshot(final)

    response = browser(cast.user(who)).post(url, data, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [PAGE_ATTEMPTS[page]]
    assert_unchanged(final, before)


def test_editing_the_agreement_from_the_signed_conversation_is_not_offered(cast, final):
    """The agreement page does not treat the signed conversation as the place to change it."""
    employee = browser(cast.user("employee"))
    url = reverse("agreements:detail", args=[final.agreement.pk]) + f"?gesprek={final.conversation.pk}"
    before = snapshot(final)

    page = employee.get(url)
    assert page.status_code == 200
    assert 'name="description"' not in page.content.decode()
    response = employee.post(
        url,
        {**AGREEMENT, "target": "100%", "deadline": DEADLINE.isoformat(), "gesprek": final.conversation.pk},
    )
    assert response.status_code == 404
    response = employee.post(
        url, {"status": AgreementStatus.ACHIEVED, "gesprek": final.conversation.pk}, follow=True
    )
    assert messages_of(response) == ["Choose a status."]

    assert_unchanged(final, before)


def test_the_signing_page_says_the_report_is_final_and_offers_no_form(cast, final):
    for who in ("employee", "manager"):
        page = browser(cast.user(who)).get(reverse("signatures:sign", args=[final.conversation.pk]))
        text = page.content.decode()
        assert (
            "This report is fully signed and archived in the personnel file. It can no longer change." in text
        )
        assert 'name="password"' not in text
        assert 'name="reason"' not in text
