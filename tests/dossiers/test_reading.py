"""Reading the personnel file: the employee reads and downloads their whole file; others
read what the regulation's ``visibility`` gives them for the document's kind (Kampen: a
report is for the employee and the manager; Heemstede adds the director). Everyone else
gets a 404. Every download (PDF, JSON, the zip) is logged and the employee sees, on
their own page, who else read what."""

import io
import json
import re
import zipfile
from html import unescape

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse

from gesprekscyclus.dossiers.models import DossierEntry, DossierRead, ReadAction
from gesprekscyclus.dossiers.seal import check_seal
from tests.conversations.pages_helpers import browser
from tests.signatures import flow

TITLE = "Resultaatgerichte afspraken / POP-gesprek"


def text(response) -> str:
    return unescape(response.content.decode())


def who_read(page: str) -> list[str]:
    """The lines under "Who read my file", without their time."""
    section = page.split('id="reads"', 1)[1]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [" ".join(item.split(" — ", 1)[1].split()) for item in items]


@pytest.fixture
def entry(signed) -> DossierEntry:
    return DossierEntry.objects.get()


def pdf_url(entry) -> str:
    return reverse("dossiers:entry_pdf", args=[entry.pk])


def json_url(entry) -> str:
    return reverse("dossiers:entry_json", args=[entry.pk])


def file_url(employee) -> str:
    return reverse("dossiers:employee", args=[employee.pk])


# -- the employee --------------------------------------------------------------------------


def test_the_employee_sees_their_file_and_downloads_the_sealed_pdf(cast, entry):
    employee = browser(cast.user("employee"))

    page = text(employee.get(reverse("dossiers:mine")))
    assert TITLE in page
    assert pdf_url(entry) in page and json_url(entry) in page
    assert "Nobody else has read your file." in page

    response = employee.get(pdf_url(entry))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dossier-001-report.pdf"'
    assert response.content == bytes(entry.pdf)
    assert check_seal(response.content).ok

    response = employee.get(json_url(entry))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == json.loads(entry.content_json)

    assert list(DossierRead.objects.order_by("id").values_list("reader", "action", "entry", "employee")) == [
        (cast.user("employee").pk, ReadAction.DOWNLOAD, entry.pk, cast.employee.pk),
        (cast.user("employee").pk, ReadAction.VIEW, entry.pk, cast.employee.pk),
    ]
    # The employee's own reads are logged, but the page lists only what others read.
    assert "Nobody else has read your file." in text(employee.get(reverse("dossiers:mine")))


def test_the_manager_reads_under_kampen_and_the_employee_sees_who_read_what(cast, entry):
    manager = browser(cast.user("manager"))

    page = manager.get(file_url(cast.employee))
    assert page.status_code == 200
    assert TITLE in text(page)
    assert manager.get(pdf_url(entry)).content == bytes(entry.pdf)
    assert manager.get(json_url(entry)).status_code == 200

    reads = DossierRead.objects.filter(employee=cast.employee).order_by("id")
    assert [(read.reader, read.reader_name, read.action) for read in reads] == [
        (cast.user("manager"), cast.manager.full_name, ReadAction.DOWNLOAD),
        (cast.user("manager"), cast.manager.full_name, ReadAction.VIEW),
    ]
    page = text(browser(cast.user("employee")).get(reverse("dossiers:mine")))
    assert sorted(who_read(page)) == sorted(
        [f"{cast.manager.full_name} downloaded: {TITLE}", f"{cast.manager.full_name} viewed: {TITLE}"]
    )


@pytest.mark.parametrize("name", ["director", "hr_adviser", "hr_admin"])
def test_under_kampen_others_who_may_see_the_employee_do_not_read_the_report(cast, entry, name):
    client = browser(cast.user(name))

    page = client.get(file_url(cast.employee))
    assert page.status_code == 200  # they may see the employee ...
    assert TITLE not in text(page)  # ... but not this document
    assert "There is nothing in this file that you may read." in text(page)
    assert client.get(pdf_url(entry)).status_code == 404
    assert client.get(json_url(entry)).status_code == 404
    assert not DossierRead.objects.exists()


@pytest.mark.parametrize(
    "name", ["colleague", "other_manager", "other_employee", "outsider", "foreign_employee"]
)
def test_people_without_a_role_towards_the_employee_get_404(cast, entry, name):
    client = browser(cast.user(name))

    assert client.get(file_url(cast.employee)).status_code == 404
    assert client.get(pdf_url(entry)).status_code == 404
    assert client.get(json_url(entry)).status_code == 404
    assert not DossierRead.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(cast, entry, client, settings):
    login = resolve_url(settings.LOGIN_URL)
    for url in (reverse("dossiers:mine"), pdf_url(entry), json_url(entry), reverse("dossiers:export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
    assert not DossierRead.objects.exists()


def test_someone_without_an_employee_record_has_no_file(cast):
    outsider = browser(cast.user("outsider"))
    assert outsider.get(reverse("dossiers:mine")).status_code == 404
    assert outsider.get(reverse("dossiers:export")).status_code == 404


def test_under_heemstede_the_director_reads_the_report_too(cast):
    """The same document kind, another regulation: Heemstede lets the director read reports."""
    flow.load_heemstede(cast.organisation)
    cycle = flow.open_cycle(cast)
    flow.completed(cast, cycle, flow.HEEMSTEDE_PLANNING, answers={}, text="Het werkplan is vastgesteld.")
    entry = DossierEntry.objects.get()
    director = browser(cast.user("director"))

    assert "Planningsgesprek" in text(director.get(file_url(cast.employee)))
    assert director.get(pdf_url(entry)).content == bytes(entry.pdf)
    assert browser(cast.user("other_director")).get(pdf_url(entry)).status_code == 404
    assert browser(cast.user("hr_adviser")).get(pdf_url(entry)).status_code == 404
    page = text(browser(cast.user("employee")).get(reverse("dossiers:mine")))
    assert who_read(page) == [f"{cast.director.full_name} downloaded: Planningsgesprek"]


# -- the whole file as a zip ---------------------------------------------------------------


def test_the_zip_export_holds_every_pdf_and_json_and_an_index_and_is_logged(cast, entry):
    from tests.dossiers.conftest import append

    second = append(cast.employee, "Voortgangsgesprek", entry.document_date.replace(month=6))
    employee = browser(cast.user("employee"))

    response = employee.get(reverse("dossiers:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="personeelsdossier-{cast.employee.personnel_number}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    first_stem = f"001-report-{entry.document_date.isoformat()}"
    second_stem = f"002-report-{second.document_date.isoformat()}"
    assert sorted(archive.namelist()) == sorted(
        [f"{first_stem}.pdf", f"{first_stem}.json", f"{second_stem}.pdf", f"{second_stem}.json", "index.json"]
    )
    assert archive.read(f"{first_stem}.pdf") == bytes(entry.pdf)
    assert archive.read(f"{first_stem}.json").decode() == entry.content_json
    assert archive.read(f"{second_stem}.pdf") == bytes(second.pdf)
    assert check_seal(archive.read(f"{second_stem}.pdf")).ok
    index = json.loads(archive.read("index.json"))
    assert (index["employee"], index["personnel_number"]) == (
        cast.employee.full_name,
        cast.employee.personnel_number,
    )
    assert [(e["sequence"], e["title"], e["entry_hash"], e["pdf_hash"]) for e in index["entries"]] == [
        (1, TITLE, entry.entry_hash, entry.pdf_hash),
        (2, "Voortgangsgesprek", second.entry_hash, second.pdf_hash),
    ]
    [read] = DossierRead.objects.all()
    assert (read.reader, read.action, read.entry, read.employee) == (
        cast.user("employee"),
        ReadAction.EXPORT,
        None,
        cast.employee,
    )


def test_the_export_is_always_the_users_own_file(cast, entry):
    """The manager's export is the manager's own (empty) file, never the employee's."""
    archive = zipfile.ZipFile(
        io.BytesIO(browser(cast.user("manager")).get(reverse("dossiers:export")).content)
    )

    assert archive.namelist() == ["index.json"]
    index = json.loads(archive.read("index.json"))
    assert (index["personnel_number"], index["entries"]) == (cast.manager.personnel_number, [])
    assert DossierRead.objects.get().employee == cast.manager


def test_the_employee_on_their_file_by_number_also_sees_who_read_it(cast, entry):
    """BUG: ``views.employee_file`` sets ``is_own`` for the employee's own record but
    passes no ``reads``, so ``/dossier/medewerkers/<own pk>/`` says "Nobody else has
    read your file." although the manager downloaded the report."""
    browser(cast.user("manager")).get(pdf_url(entry))

    page = text(browser(cast.user("employee")).get(file_url(cast.employee)))

    assert "Nobody else has read your file." not in page
    assert who_read(page) == [f"{cast.manager.full_name} downloaded: {TITLE}"]
