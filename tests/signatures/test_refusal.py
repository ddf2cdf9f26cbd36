"""Not signing: the employee refuses with a reason (and their password), or the manager
records that the employee refused outside the system. Either way the role is done, the
conversation completes once the manager signed, and the archived PDF and JSON show the
refusal, its reason and who recorded it."""

import json
from html import unescape

import pytest
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Status
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.seal import check_seal
from gesprekscyclus.signatures.models import Signature, VersionState
from gesprekscyclus.signatures.services import signature_record_refusal, signature_refuse
from tests.conversations.pages_helpers import browser, find_form, html, messages_of, post_form
from tests.dossiers.pdftext import pdf_text
from tests.signatures import flow

pytestmark = pytest.mark.usefixtures("english")

REASON = "Ik kan de afgesproken doorlooptijd niet halen met de huidige bezetting."


def refuse(version, user, *, reason=REASON, password=flow.PASSWORD, expected_hash=None):
    return signature_refuse(
        version,
        user=user,
        password=password,
        expected_hash=expected_hash or version.content_hash,
        reason=reason,
    )


def flat(text: str) -> str:
    """Text without whitespace: the PDF wraps long lines in its narrow columns."""
    return "".join(text.split())


def archived(conversation) -> tuple[dict, str]:
    entry = DossierEntry.objects.get(conversation=conversation)
    assert check_seal(bytes(entry.pdf)).ok
    return json.loads(entry.content_json), pdf_text(bytes(entry.pdf))


def test_the_employee_refuses_with_a_reason_and_the_report_completes(cast, ready, version):
    flow.sign(version, cast.user("manager"))

    refusal = refuse(version, cast.user("employee"), reason=f"  {REASON}  ")

    assert (refusal.role, refusal.refused, refusal.refusal_reason) == ("employee", True, REASON)
    assert refusal.signer == cast.user("employee")
    assert refusal.recorded_by is None
    assert refusal.content_hash == version.content_hash
    ready.refresh_from_db()
    version.refresh_from_db()
    assert ready.status == Status.COMPLETED
    assert version.state == VersionState.COMPLETE
    assert AuditEvent.objects.filter(action="report.refused").count() == 1

    content, text = archived(ready)
    [employee] = [s for s in content["signatures"] if s["role"] == "employee"]
    assert employee | {"signed_at": None} == {
        "role": "employee",
        "statement": "voor_akkoord",
        "name": cast.employee.full_name,
        "signed_at": None,
        "content_hash": version.content_hash,
        "remark": "",
        "refused": True,
        "refusal_reason": REASON,
        "recorded_by": None,
    }
    assert flat("weigert te ondertekenen") in flat(text)
    assert flat(f"Reden: {REASON}") in flat(text)
    assert flat("vastgelegd door") not in flat(text)


def test_a_refusal_before_the_manager_signed_waits_for_the_manager(cast, ready, version):
    refuse(version, cast.user("employee"))

    ready.refresh_from_db()
    assert ready.status == Status.READY_FOR_SIGNING
    assert not DossierEntry.objects.exists()

    flow.sign(version, cast.user("manager"))

    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    content, _text = archived(ready)
    assert [(s["role"], s["refused"]) for s in content["signatures"]] == [
        ("employee", True),
        ("manager", False),
    ]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_refusing_needs_a_reason(cast, version, reason):
    with pytest.raises(
        Refused, match="Give the reason why you do not sign; it goes into the personnel file."
    ):
        refuse(version, cast.user("employee"), reason=reason)
    assert not Signature.objects.exists()


@pytest.mark.parametrize("password", ["", "geheim"])
def test_refusing_needs_the_password(cast, version, password):
    with pytest.raises(Refused, match="The password is not correct"):
        refuse(version, cast.user("employee"), password=password)
    assert not Signature.objects.exists()


def test_refusing_what_was_not_shown_is_refused(cast, version):
    with pytest.raises(Refused, match="What you saw is not what is now to be signed"):
        refuse(version, cast.user("employee"), expected_hash="0" * 64)
    assert not Signature.objects.exists()


def test_the_manager_records_the_employees_refusal_and_the_report_completes(cast, ready, version):
    flow.sign(version, cast.user("manager"))

    refusal = signature_record_refusal(
        version, role="employee", reason=f" {REASON} ", acting_user=cast.user("manager")
    )

    assert (refusal.role, refusal.refused, refusal.refusal_reason) == ("employee", True, REASON)
    assert refusal.signer == cast.user("employee")
    assert refusal.recorded_by == cast.user("manager")
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    event = AuditEvent.objects.get(action="report.refused")
    assert event.actor == cast.user("manager")

    content, text = archived(ready)
    [employee] = [s for s in content["signatures"] if s["role"] == "employee"]
    assert (employee["refused"], employee["refusal_reason"], employee["recorded_by"]) == (
        True,
        REASON,
        cast.manager.full_name,
    )
    assert flat(f"Reden: {REASON}") in flat(text)
    assert flat(f"(vastgelegd door {cast.manager.full_name})") in flat(text)


@pytest.mark.parametrize("reason", ["", "  "])
def test_recording_a_refusal_needs_the_reason(cast, version, reason):
    with pytest.raises(Refused, match="Give the reason the employee gave for not signing."):
        signature_record_refusal(version, role="employee", reason=reason, acting_user=cast.user("manager"))
    assert not Signature.objects.exists()


@pytest.mark.parametrize("name", ["employee", "colleague", "director", "hr_admin"])
def test_only_the_manager_records_a_refusal(cast, version, name):
    with pytest.raises(Refused, match="Only the manager or the person who conducted the conversation"):
        signature_record_refusal(version, role="employee", reason=REASON, acting_user=cast.user(name))
    assert not Signature.objects.exists()


def test_the_manager_cannot_record_a_refusal_for_themselves(cast, version):
    with pytest.raises(Refused, match="Only the employee's refusal can be recorded by someone else."):
        signature_record_refusal(version, role="manager", reason=REASON, acting_user=cast.user("manager"))
    assert not Signature.objects.exists()


# -- through the page ------------------------------------------------------------------------


def sign_url(conversation) -> str:
    return reverse("signatures:sign", args=[conversation.pk])


def test_the_employee_refuses_on_the_page(cast, ready, version):
    flow.sign(version, cast.user("manager"))
    employee = browser(cast.user("employee"))
    form = find_form(
        html(employee.get(sign_url(ready))), action=reverse("signatures:refuse", args=[ready.pk])
    )
    form.page_url = sign_url(ready)

    response = post_form(employee, form, data={"reason": REASON, "password": flow.PASSWORD})

    assert messages_of(response) == ["Your refusal and its reason are recorded."]
    assert REASON in html(response)
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED


def test_the_refuse_form_without_a_reason_is_refused_on_the_page(cast, ready, version):
    employee = browser(cast.user("employee"))
    form = find_form(
        html(employee.get(sign_url(ready))), action=reverse("signatures:refuse", args=[ready.pk])
    )
    form.page_url = sign_url(ready)

    response = post_form(employee, form, data={"reason": "", "password": flow.PASSWORD})

    assert messages_of(response) == ["Give your reason and your password."]
    assert not Signature.objects.exists()


def test_the_manager_records_the_refusal_on_the_page(cast, ready, version):
    manager = browser(cast.user("manager"))
    action = reverse("signatures:record_refusal", args=[ready.pk])
    form = find_form(html(manager.get(sign_url(ready))), action=action)
    form.page_url = sign_url(ready)

    response = post_form(manager, form, data={"reason": REASON})

    assert messages_of(response) == ["The employee's refusal is recorded."]
    assert f"recorded by {cast.manager.full_name}" in unescape(html(response))
    # The employee's part is done: the employee is not asked to sign any more.
    assert 'name="password"' not in html(browser(cast.user("employee")).get(sign_url(ready)))
    signature = Signature.objects.get(role="employee")
    assert (signature.refused, signature.recorded_by) == (True, cast.user("manager"))


def test_the_employee_does_not_get_the_form_to_record_their_own_refusal(cast, ready, version):
    page = html(browser(cast.user("employee")).get(sign_url(ready)))
    assert reverse("signatures:record_refusal", args=[ready.pk]) not in page


# -- a refusal after signing (two tabs) ---------------------------------------------------------


def test_a_refusal_after_the_employee_signed_is_refused(cast, version):
    """BUG: the employee signed in one tab and refuses in another. ``signature_refuse``
    returns the existing (signed, not refused) signature without an error, so the page
    says "Your refusal and its reason are recorded." while nothing was recorded."""
    signed = flow.sign(version, cast.user("employee"))

    with pytest.raises(Refused):
        refuse(version, cast.user("employee"))

    signed.refresh_from_db()
    assert (signed.refused, signed.refusal_reason) == (False, "")


def test_recording_a_refusal_after_the_employee_signed_is_refused(cast, ready, version):
    """BUG: the manager's page still showed the form to record the employee's refusal,
    but the employee has signed meanwhile. ``signature_record_refusal`` returns the
    employee's signature without an error and the page says "The employee's refusal is
    recorded." although the signature stands and no refusal exists."""
    manager = browser(cast.user("manager"))
    action = reverse("signatures:record_refusal", args=[ready.pk])
    form = find_form(html(manager.get(sign_url(ready))), action=action)
    form.page_url = sign_url(ready)
    flow.sign(version, cast.user("employee"))

    response = post_form(manager, form, data={"reason": REASON})

    signature = Signature.objects.get(role="employee")
    assert (signature.refused, signature.recorded_by) == (False, None)
    assert messages_of(response) != ["The employee's refusal is recorded."]


@pytest.mark.parametrize("action", ["signatures:sign_post", "signatures:refuse", "signatures:record_refusal"])
def test_a_form_posted_for_a_report_not_up_for_signing_is_answered_with_a_message(
    cast, held_planning, action
):
    """A signing form posted from an old page (the report was reopened, or is not approved yet)
    answers with the reason on the conversation page, not a server error, and records nothing."""
    manager = browser(cast.user("manager"))
    response = manager.post(
        reverse(action, args=[held_planning.pk]),
        {"password": flow.PASSWORD, "reason": REASON, "expected_hash": "0" * 64},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("conversations:detail", args=[held_planning.pk])
    assert messages_of(response) == ["The report is not ready for signing."]
    assert not Signature.objects.filter(version__conversation=held_planning).exists()
