"""A Zaanstad check-in through the pages: free-form report with a PDF attachment.

Zaanstad (``presets/zaanstad.yaml``): regular conversations ("Regulier gesprek", four a
year by default, each in its own quarter of the calendar year); the employee takes the
initiative, the manager after 21 days; either side writes; recording is free-form
("vormvrij") and optional; attachments allowed. Reports and attachments are read by the
employee and the manager only: not by the director, not by HR.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.conversations.models import Attachment, Conversation
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.signatures.models import ReportVersion, VersionState
from tests.conversations.pages_helpers import (
    PDF_BYTES,
    approve,
    browser,
    detail_page,
    find_form,
    html,
    mark_held,
    messages_of,
    my_page,
    plan_links,
    plan_on_page,
    schedule_page,
    status_classes,
    submit,
    travel,
    write_report,
)
from tests.cycles.helpers import load, open_cycles

ZAANSTAD_IN_FORCE = datetime.date(2019, 1, 1)
CHECK_IN_DAY = datetime.date(2026, 1, 27)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def zaanstad(cast, time_machine, upload_dir):
    """Zaanstad in force; the 2026 cycles opened on 5 January; today is 20 January."""
    for person, (first, last) in ((cast.employee, ("Eva", "Jansen")), (cast.manager, ("Mark", "Bakker"))):
        Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
        User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last)
        person.refresh_from_db()
    load(cast.organisation, "zaanstad", in_force_from=ZAANSTAD_IN_FORCE)
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(period=2026, today=datetime.date(2026, 1, 5), organisation=cast.organisation.name)
    travel(time_machine, datetime.date(2026, 1, 20))
    return cast


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def attach(client, pk: int, name: str, content: bytes, content_type: str = "application/octet-stream"):
    return submit(
        client,
        detail_page(pk),
        action=reverse("conversations:attachment_add", args=[pk]),
        data={"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def attachment_urls(page: str, pk: int) -> dict[str, str]:
    """``file name -> download URL`` of the attachments listed on the conversation page."""
    return {
        name: url
        for url, name in re.findall(rf'<a href="(/gesprekken/gesprek/{pk}/bijlagen/\d+/)">([^<]+)</a>', page)
    }


@pytest.fixture
def held_check_in(zaanstad, time_machine):
    """The employee planned the first check-in for 27 January; it took place."""
    employee = browser(zaanstad.user("employee"))
    pk = plan_on_page(
        employee,
        my_page(),
        "check_in",
        datetime.datetime(2026, 1, 27, 14, 0),
        location="",
        online_url="https://meet.example.org/eva-mark",
    )
    travel(time_machine, CHECK_IN_DAY, 15, 30, browsers=(employee,))
    mark_held(employee, pk, CHECK_IN_DAY)
    return pk


def test_the_employee_plans_the_check_in_the_manager_only_after_three_weeks(zaanstad, time_machine):
    employee = browser(zaanstad.user("employee"))
    manager = browser(zaanstad.user("manager"))

    page = html(employee.get(my_page()))
    assert "Regular conversation (1/4)" in page and "Regular conversation (4/4)" in page
    assert "check_in" in plan_links(page)
    manager_page = html(manager.get(schedule_page(zaanstad.employee)))
    assert "check_in" not in plan_links(manager_page)
    # Posting the plan form anyway is refused with the regulation's reason; nothing is planned.
    response = submit(
        manager,
        plan_links(page)["check_in"],
        action="",
        data={"date": "2026-01-27", "time": "14:00", "location": "Kamer 1"},
    )
    assert "Under this regulation the employee takes the initiative for the regular conversation." in html(
        response
    )
    assert not Conversation.objects.exists()

    # 1 January + 21 days: the manager takes over the first check-in.
    travel(time_machine, datetime.date(2026, 1, 22), browsers=(employee, manager))
    assert "check_in" in plan_links(html(manager.get(schedule_page(zaanstad.employee))))


def test_a_free_form_check_in_with_a_pdf_through_the_pages(held_check_in, zaanstad, upload_dir):
    pk = held_check_in
    employee = browser(zaanstad.user("employee"))
    manager = browser(zaanstad.user("manager"))

    # Free text: one text field, no structured items.
    report_form = find_form(
        html(employee.get(detail_page(pk))), action=reverse("conversations:report", args=[pk])
    )
    assert not [name for name in report_form.names if name.startswith("item_")]
    assert "text" in report_form.names
    response = write_report(employee, pk, text="Werkvoorraad besproken; zie de bijlage met de planning.")
    assert messages_of(response) == ["The report is saved."]

    response = attach(employee, pk, "Planning Q1.pdf", PDF_BYTES, "application/pdf")
    assert messages_of(response) == ["Planning Q1.pdf is attached."]
    urls = attachment_urls(html(response), pk)
    assert list(urls) == ["Planning Q1.pdf"]
    assert len(stored_files(upload_dir)) == 1

    # The manager reads the report and downloads the attachment through its URL.
    manager_page = html(manager.get(detail_page(pk)))
    assert "Werkvoorraad besproken; zie de bijlage met de planning." in manager_page
    assert attachment_urls(manager_page, pk) == urls
    download = manager.get(urls["Planning Q1.pdf"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Planning Q1.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert employee.get(urls["Planning Q1.pdf"]).status_code == 200

    # The employee finishes (free text, so no form items are required); the manager approves.
    response = write_report(employee, pk, finish=True)
    assert messages_of(response) == ["The report is finished. The other side reads it now."]
    # Zaanstad asks no signatures on a check-in (check_in.signatures: []): the approved report is
    # final at once, not left waiting for signatures nobody can place; it stays out of the
    # personnel file (archiving: check_in personnel_file false).
    response = approve(manager, pk)
    assert messages_of(response) == ["The report is final."]
    assert Conversation.objects.get(pk=pk).status == "completed"
    version = ReportVersion.objects.get(conversation_id=pk)
    assert version.state == VersionState.COMPLETE and not version.signatures.exists()
    assert not DossierEntry.objects.filter(conversation_id=pk).exists()
    assert "needs no signatures" in html(employee.get(detail_page(pk)))
    page = html(employee.get(my_page()))
    assert status_classes(page)[0] == "done"
    # Final: no more attachments, and the file is still there to download.
    assert "attachment_form" not in employee.get(detail_page(pk)).context
    response = employee.post(
        reverse("conversations:attachment_add", args=[pk]),
        {"file": SimpleUploadedFile("extra.pdf", PDF_BYTES)},
        follow=True,
    )
    assert messages_of(response) == ["The report is final; attachments can no longer be added."]
    assert Attachment.objects.filter(conversation_id=pk).count() == 1
    assert manager.get(urls["Planning Q1.pdf"]).status_code == 200


@pytest.mark.parametrize(
    "role", ["colleague", "other_manager", "director", "other_director", "hr_adviser", "hr_admin", "outsider"]
)
def test_nobody_else_gets_the_attachment_or_the_conversation(held_check_in, zaanstad, role):
    """Zaanstad lets only the employee and the manager read reports and attachments; for
    anyone else the conversation and its file do not exist (404)."""
    pk = held_check_in
    employee = browser(zaanstad.user("employee"))
    attach(employee, pk, "notities.pdf", PDF_BYTES)
    url = attachment_urls(html(employee.get(detail_page(pk))), pk)["notities.pdf"]

    other = browser(zaanstad.user(role))
    assert other.get(url).status_code == 404
    assert other.get(detail_page(pk)).status_code == 404
    response = other.post(
        reverse("conversations:attachment_remove", args=[pk, int(url.rstrip("/").split("/")[-1])])
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(conversation_id=pk).count() == 1


def test_a_foreign_employee_gets_404_for_the_attachment(held_check_in, zaanstad):
    pk = held_check_in
    employee = browser(zaanstad.user("employee"))
    attach(employee, pk, "notities.pdf", PDF_BYTES)
    url = attachment_urls(html(employee.get(detail_page(pk))), pk)["notities.pdf"]
    assert browser(zaanstad.foreign_employee.user).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "planning.exe",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "planning.exe: this type of file is not accepted; use PDF, an Office document or an image",
        ),
        (
            "planning.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00 this is a program",
            "planning.pdf does not contain what its name says (.pdf); it was not accepted.",
        ),
        # check_document has its own message for this; the page should show it.
        ("leeg.pdf", b"", "leeg.pdf is empty."),
    ],
    ids=["exe", "fake-pdf", "empty"],
)
def test_a_program_or_a_fake_pdf_is_refused_on_the_page_and_nothing_is_stored(
    held_check_in, zaanstad, upload_dir, name, content, message
):
    pk = held_check_in
    employee = browser(zaanstad.user("employee"))

    response = attach(employee, pk, name, content)

    assert response.status_code == 200
    shown = messages_of(response)
    assert len(shown) == 1 and shown[0].startswith(message), shown
    assert "gc-alert--error" in html(response)
    assert not Attachment.objects.exists()
    assert stored_files(upload_dir) == []
    assert attachment_urls(html(response), pk) == {}


def test_the_manager_may_write_the_check_in_report_too_and_remove_an_attachment(held_check_in, zaanstad):
    """Zaanstad: "Medewerker en leidinggevende spreken af in hoeverre ze de inhoud ...
    vastleggen": either side writes; either participant may remove an attachment before
    the report is final."""
    pk = held_check_in
    employee = browser(zaanstad.user("employee"))
    manager = browser(zaanstad.user("manager"))
    attach(employee, pk, "oud.pdf", PDF_BYTES)
    response = write_report(manager, pk, text="Kort: alles loopt.")
    assert messages_of(response) == ["The report is saved."]

    page = html(manager.get(detail_page(pk)))
    (attachment_url,) = attachment_urls(page, pk).values()
    response = submit(manager, detail_page(pk), action=f"{attachment_url}verwijderen/")
    assert messages_of(response) == ["oud.pdf is removed."]
    assert not Attachment.objects.exists()
    assert employee.get(attachment_url).status_code == 404
