"""Signing a report under Kampen (both sign "voor akkoord"): the password again, the hash
of what was shown, one signature per person; once both signed, the conversation is
completed and the report archived, sealed, in the personnel file.

A report that changes after someone signed gets a new version: the old signatures are
void (both sides are told by mail) and signing needs the new content's hash.

Concurrency: a double click, or the same person in two tabs, gives one signature. Real
threads are not used: the test database is SQLite in memory (shared cache), where a second
connection gets "database table is locked" at once instead of waiting for the lock, so a
threaded test would show SQLite's behaviour rather than the application's. The race the
unique constraint guards against is made by inserting the competing row between the
check and the insert.
"""

import json

import pytest
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Status
from gesprekscyclus.conversations.services import Refused, report_approve, report_finish, report_save
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.seal import check_seal
from gesprekscyclus.dossiers.services import sha256
from gesprekscyclus.signatures import services
from gesprekscyclus.signatures.content import canonical, report_content, sha256_text
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from gesprekscyclus.signatures.services import report_reopen, signature_sign, version_for_signing
from tests.conversations.pages_helpers import browser, find_form, html, messages_of, post_form
from tests.dossiers.pdftext import pdf_text
from tests.signatures import flow

pytestmark = pytest.mark.usefixtures("english")


def sign_page(conversation) -> str:
    return reverse("signatures:sign", args=[conversation.pk])


def flat(text: str) -> str:
    """Text without any whitespace (a hash may wrap over lines in the PDF)."""
    return "".join(text.split())


# -- what is signed --------------------------------------------------------------------------


def test_the_version_to_sign_is_the_canonical_content_and_its_sha256(cast, ready):
    version = version_for_signing(ready)

    assert version.number == 1
    assert version.state == VersionState.OPEN
    assert version.canonical == canonical(report_content(ready))
    assert version.content_hash == sha256_text(version.canonical)
    assert version.content["report"]["answers"][0] == {
        "item": "results",
        "label": "Resultaatafspraken over het werk",
        "answer": flow.RESULTS,
    }
    # Opening the page again shows the same version, not a new one.
    assert version_for_signing(ready).pk == version.pk


def test_a_report_that_is_not_ready_cannot_be_signed(cast, held_planning):
    with pytest.raises(Refused, match="not ready for signing"):
        version_for_signing(held_planning)
    assert not ReportVersion.objects.exists()


# -- both sign -------------------------------------------------------------------------------


def test_when_both_sign_with_their_password_the_report_is_completed_and_archived_once(cast, ready):
    version = version_for_signing(ready)

    first = flow.sign(version, cast.user("employee"), remark="Akkoord, goed gesprek.")

    ready.refresh_from_db()
    assert ready.status == Status.READY_FOR_SIGNING  # the manager has not signed yet
    assert not DossierEntry.objects.exists()
    assert (first.role, first.statement, first.content_hash) == (
        "employee",
        "voor_akkoord",
        version.content_hash,
    )

    flow.sign(version, cast.user("manager"))

    ready.refresh_from_db()
    version.refresh_from_db()
    assert ready.status == Status.COMPLETED
    assert version.state == VersionState.COMPLETE
    assert version.completed_at is not None
    [entry] = DossierEntry.objects.all()
    assert (entry.employee, entry.conversation, entry.document) == (cast.employee, ready, "report")
    assert entry.title == "Resultaatgerichte afspraken / POP-gesprek"
    assert entry.document_date == flow.PLANNING_DAY
    assert (entry.retention_after, entry.retention_months) == ("employment_end", 24)
    assert entry.pdf_hash == sha256(bytes(entry.pdf))
    assert check_seal(bytes(entry.pdf)).ok

    archived = json.loads(entry.content_json)
    assert archived["content_hash"] == version.content_hash
    assert archived["version"] == 1
    assert {key: archived[key] for key in version.content} == version.content
    assert [
        (s["role"], s["name"], s["statement"], s["content_hash"], s["refused"], s["remark"])
        for s in archived["signatures"]
    ] == [
        (
            "employee",
            cast.employee.full_name,
            "voor_akkoord",
            version.content_hash,
            False,
            "Akkoord, goed gesprek.",
        ),
        ("manager", cast.manager.full_name, "voor_akkoord", version.content_hash, False, ""),
    ]
    text = pdf_text(bytes(entry.pdf))
    assert flat(cast.employee.full_name) in flat(text) and flat(cast.manager.full_name) in flat(text)
    assert flat(flow.RESULTS) in flat(text)
    assert version.content_hash in flat(text)
    assert AuditEvent.objects.filter(action="report.signed").count() == 2


@pytest.mark.parametrize("password", ["wrong password", "", "Correct horse battery staple"])
def test_a_wrong_password_places_no_signature(cast, version, password):
    with pytest.raises(Refused, match="The password is not correct. Your signature was not placed."):
        signature_sign(
            version, user=cast.user("employee"), password=password, expected_hash=version.content_hash
        )

    assert not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action="report.signed").exists()


def test_the_last_signature_with_a_wrong_password_neither_completes_nor_archives(cast, ready, version):
    flow.sign(version, cast.user("employee"))

    with pytest.raises(Refused, match="password is not correct"):
        signature_sign(
            version, user=cast.user("manager"), password="geheim", expected_hash=version.content_hash
        )

    ready.refresh_from_db()
    version.refresh_from_db()
    assert ready.status == Status.READY_FOR_SIGNING
    assert version.state == VersionState.OPEN
    assert list(version.signatures.values_list("role", flat=True)) == ["employee"]
    assert not DossierEntry.objects.exists()


@pytest.mark.parametrize("name", ["colleague", "director", "hr_adviser", "other_manager", "outsider"])
def test_only_the_employee_and_the_manager_sign(cast, version, name):
    with pytest.raises(Refused, match="Your signature is not required on this report."):
        flow.sign(version, cast.user(name))
    assert not Signature.objects.exists()


# -- through the page ------------------------------------------------------------------------


def sign_through_the_page(client, conversation, *, password=flow.PASSWORD, remark=""):
    page = client.get(sign_page(conversation))
    assert page.status_code == 200
    form = find_form(html(page), action=reverse("signatures:sign_post", args=[conversation.pk]))
    form.page_url = sign_page(conversation)
    return post_form(client, form, data={"password": password, "remark": remark})


def test_both_sign_on_the_page_and_are_told_so(cast, ready):
    employee, manager = browser(cast.user("employee")), browser(cast.user("manager"))

    page = employee.get(sign_page(ready))
    assert version_for_signing(ready).content_hash in html(page)
    assert flow.RESULTS in html(page)

    response = sign_through_the_page(employee, ready, remark="Prima")
    assert messages_of(response) == ["You have signed the report."]
    response = sign_through_the_page(manager, ready)
    assert messages_of(response) == ["You have signed the report."]
    assert "This report is fully signed and archived in the personnel file." in html(response)

    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    assert DossierEntry.objects.filter(conversation=ready).count() == 1
    # Nothing left to sign: the forms are gone.
    assert 'name="password"' not in html(employee.get(sign_page(ready)))


def test_the_signing_page_says_optional_once_and_shows_the_day_as_a_date(cast, ready):
    """The remark's label reads 'Remark (optional)', not 'Remark (optional) (optional)', and the
    day the conversation was held reads as a date, not as the ISO text of the signed content."""
    page = html(browser(cast.user("employee")).get(sign_page(ready)))
    assert page.count("(optional)") == 1
    held_on = ready.held_on
    assert f"{held_on.day} {held_on.strftime('%B')} {held_on.year}" in page
    assert held_on.isoformat() not in page


def test_a_wrong_password_on_the_page_is_refused_with_a_message(cast, ready):
    employee = browser(cast.user("employee"))

    response = sign_through_the_page(employee, ready, password="verkeerd")

    assert messages_of(response) == ["The password is not correct. Your signature was not placed."]
    assert not Signature.objects.exists()


def test_a_sign_form_without_a_password_is_refused(cast, ready):
    employee = browser(cast.user("employee"))

    response = sign_through_the_page(employee, ready, password="")

    assert messages_of(response) == ["Enter your password to sign."]
    assert not Signature.objects.exists()


@pytest.mark.parametrize("name", ["colleague", "hr_adviser", "director", "outsider"])
def test_people_outside_kampens_report_visibility_do_not_see_the_signing_page(cast, ready, name):
    client = browser(cast.user(name))
    assert client.get(sign_page(ready)).status_code == 404
    response = client.post(
        reverse("signatures:sign_post", args=[ready.pk]),
        {"password": flow.PASSWORD, "expected_hash": version_for_signing(ready).content_hash},
    )
    assert response.status_code == 404
    assert not Signature.objects.exists()


# -- a changed report voids the signatures ---------------------------------------------------


def test_a_signature_on_a_changed_report_is_void(cast, ready, mailoutbox, django_capture_on_commit_callbacks):
    v1 = version_for_signing(ready)
    old_signature = flow.sign(v1, cast.user("employee"))

    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(ready, reason="De resultaatafspraak moet concreter.", acting_user=cast.user("manager"))

    v1.refresh_from_db()
    ready.refresh_from_db()
    assert v1.state == VersionState.VOID
    assert v1.voided_at is not None
    assert v1.void_reason == "De resultaatafspraak moet concreter."
    assert ready.status == Status.HELD
    assert ready.report.returned_comment == "De resultaatafspraak moet concreter."
    # Both sides are told, once, that the signature on version 1 no longer counts.
    [mail] = mailoutbox
    assert sorted(mail.to) == sorted([cast.employee.email, cast.manager.email])
    assert mail.subject == "Verslag heropend: Resultaatgerichte afspraken / POP-gesprek"
    assert "De resultaatafspraak moet concreter." in mail.body
    assert "versie 1 zijn gezet, zijn ongeldig" in " ".join(mail.body.split())

    # The employee changes the report, the manager approves it again.
    report_save(
        ready,
        text="",
        answers=flow.kampen_answers("planning", suffix=" Streefwaarde: 90%."),
        expected_version=ready.report.version,
        acting_user=cast.user("employee"),
    )
    report_finish(ready, acting_user=cast.user("employee"))
    report_approve(ready, acting_user=cast.user("manager"))

    v2 = version_for_signing(ready)
    assert (v2.number, v2.state) == (2, VersionState.OPEN)
    assert v2.content_hash != v1.content_hash
    assert v2.content["report"]["answers"][0]["answer"].endswith("Streefwaarde: 90%.")
    assert not v2.signatures.exists()  # the employee's signature on version 1 does not count

    # The manager signs version 2; without the employee it is not complete.
    flow.sign(v2, cast.user("manager"))
    ready.refresh_from_db()
    assert ready.status == Status.READY_FOR_SIGNING

    # What the employee saw before (version 1's hash) is not what is signed now.
    with pytest.raises(Refused, match="What you saw is not what is now to be signed"):
        signature_sign(v2, user=cast.user("employee"), password=flow.PASSWORD, expected_hash=v1.content_hash)
    with pytest.raises(Refused, match="The report was changed after you opened it"):
        signature_sign(v1, user=cast.user("employee"), password=flow.PASSWORD, expected_hash=v1.content_hash)
    assert list(v2.signatures.values_list("role", flat=True)) == ["manager"]

    flow.sign(v2, cast.user("employee"))

    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    [entry] = DossierEntry.objects.all()
    archived = json.loads(entry.content_json)
    assert (archived["version"], archived["content_hash"]) == (2, v2.content_hash)
    assert {s["content_hash"] for s in archived["signatures"]} == {v2.content_hash}
    assert old_signature.pk not in {s.pk for s in v2.signatures.all()}
    v1.refresh_from_db()
    assert v1.state == VersionState.VOID  # stays void: kept to show what happened
    assert list(v1.signatures.values_list("role", flat=True)) == ["employee"]


def test_the_old_hash_posted_from_a_stale_page_is_refused(cast, ready):
    """The employee opened the page on version 1; meanwhile the report was reopened,
    changed and approved. Posting the old page signs nothing."""
    employee = browser(cast.user("employee"))
    page = employee.get(sign_page(ready))
    stale = find_form(html(page), action=reverse("signatures:sign_post", args=[ready.pk]))
    stale.page_url = sign_page(ready)
    report_reopen(ready, reason="Aanvullen.", acting_user=cast.user("employee"))
    flow.write_and_approve(cast, ready, answers=flow.kampen_answers("planning", suffix=" (aangevuld)"))

    response = post_form(employee, stale, data={"password": flow.PASSWORD})

    assert messages_of(response) == [
        "What you saw is not what is now to be signed; reload the page and read it again."
    ]
    assert not Signature.objects.filter(version__number=2).exists()
    assert "Version 1: void since" in html(response)


def test_reopening_before_anyone_signed_mails_without_voiding_signatures(
    cast, ready, mailoutbox, django_capture_on_commit_callbacks
):
    version_for_signing(ready)

    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(ready, reason="Typfout.", acting_user=cast.user("employee"))

    [mail] = mailoutbox
    assert "ongeldig" not in mail.body
    assert ReportVersion.objects.get().state == VersionState.VOID


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(cast, ready, version, reason):
    with pytest.raises(Refused, match="Say what should change in the report."):
        report_reopen(ready, reason=reason, acting_user=cast.user("manager"))
    version.refresh_from_db()
    assert version.state == VersionState.OPEN


@pytest.mark.parametrize("name", ["colleague", "director", "outsider"])
def test_only_the_two_in_the_conversation_reopen(cast, ready, version, name):
    with pytest.raises(Refused, match="Only the employee and the person conducting the conversation"):
        report_reopen(ready, reason="Anders.", acting_user=cast.user(name))
    version.refresh_from_db()
    assert version.state == VersionState.OPEN


# -- double submits and two sessions -----------------------------------------------------------


def test_signing_twice_gives_one_signature(cast, version):
    first = flow.sign(version, cast.user("employee"))
    second = flow.sign(version, cast.user("employee"))

    assert second.pk == first.pk
    assert Signature.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.signed").count() == 1


def test_the_same_person_in_two_sessions_signs_once(cast, ready):
    """Two tabs (two sessions of one user) both show the form; both are posted."""
    tabs = [browser(cast.user("employee")), browser(cast.user("employee"))]
    forms = []
    for tab in tabs:
        form = find_form(
            html(tab.get(sign_page(ready))), action=reverse("signatures:sign_post", args=[ready.pk])
        )
        form.page_url = sign_page(ready)
        forms.append(form)

    responses = [
        post_form(tab, form, data={"password": flow.PASSWORD}) for tab, form in zip(tabs, forms, strict=True)
    ]

    assert [response.status_code for response in responses] == [200, 200]
    assert Signature.objects.filter(role="employee").count() == 1
    assert Signature.objects.count() == 1


def test_the_last_signer_double_clicking_completes_and_archives_once(cast, ready):
    flow.sign(version_for_signing(ready), cast.user("employee"))
    tabs = [browser(cast.user("manager")), browser(cast.user("manager"))]
    forms = []
    for tab in tabs:
        form = find_form(
            html(tab.get(sign_page(ready))), action=reverse("signatures:sign_post", args=[ready.pk])
        )
        form.page_url = sign_page(ready)
        forms.append(form)

    first, second = (
        post_form(tab, form, data={"password": flow.PASSWORD}) for tab, form in zip(tabs, forms, strict=True)
    )

    assert messages_of(first) == ["You have signed the report."]
    assert messages_of(second) == ["This report is already fully signed."]
    assert Signature.objects.filter(role="manager").count() == 1
    assert DossierEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="dossier.appended").count() == 1


def test_a_signature_inserted_by_a_racing_session_is_the_one_that_stands(cast, version, monkeypatch):
    """The other session's insert lands between this session's check for an existing
    signature and its own insert: the unique constraint refuses the second row and the
    signature already there is returned; there is still exactly one."""
    real_transaction = services.transaction
    competitor = []

    class Racing:
        def atomic(self, *args, **kwargs):
            if not competitor:  # the other tab commits its signature just now
                competitor.append(
                    Signature.objects.create(
                        version=version,
                        role="employee",
                        statement="voor_akkoord",
                        signer=cast.user("employee"),
                        signer_name=cast.employee.full_name,
                        content_hash=version.content_hash,
                        remark="other tab",
                    )
                )
            return real_transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(services, "transaction", Racing())

    signature = flow.sign(version, cast.user("employee"), remark="this tab")

    assert competitor, "the race was not run: signing no longer inserts inside transaction.atomic()"
    assert signature.pk == competitor[0].pk
    assert signature.remark == "other tab"
    assert Signature.objects.filter(version=version, role="employee").count() == 1
    # The session that lost the race records nothing of its own and completes nothing.
    assert not AuditEvent.objects.filter(action="report.signed").exists()
    version.refresh_from_db()
    assert version.state == VersionState.OPEN


def test_the_database_refuses_a_second_signature_for_one_role(cast, version):
    from django.db import IntegrityError, transaction

    first = flow.sign(version, cast.user("employee"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            version=version,
            role="employee",
            statement="voor_akkoord",
            signer=cast.user("employee"),
            signer_name="Tweede",
            content_hash=version.content_hash,
        )
    assert list(Signature.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_database_allows_one_open_version_per_conversation(cast, ready, version):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(
            conversation=ready, number=2, content={}, canonical="{}", content_hash=sha256_text("{}")
        )
    assert ReportVersion.objects.count() == 1
