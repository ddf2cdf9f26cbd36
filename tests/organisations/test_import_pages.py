"""The web import (upload, preview, confirm, discard) and the export download."""

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gesprekscyclus.accounts.models import User
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.organisations.exporter import organisation_export_rows
from gesprekscyclus.organisations.importer import EMPLOYEE_COLUMNS, UNIT_COLUMNS
from gesprekscyclus.organisations.models import (
    Employee,
    ImportStatus,
    Organisation,
    OrganisationImport,
    OrgUnit,
)
from tests.organisations.test_importer import _employee, csv_bytes, row_counts, xlsx_bytes

NON_ADMINS = ["employee", "manager", "director", "hr_adviser"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast sets a password for every account; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cast_rows(cast):
    """The cast organisation as import rows, with one change and one newcomer."""
    units, employees = organisation_export_rows(organisation=cast.organisation)
    for row in employees:
        if row["personnel_number"] == cast.employee.personnel_number:
            row["last_name"] = "Nieuwenaam"
    employees.append(
        _employee(
            "777777", "Nina", "Nieuwkomer", "INK", "Consulent", email="nina.nieuwkomer@teststad.example"
        )
    )
    return units, employees


def upload_files(cast, units=None, employees=None, *, kind="csv", names=("units", "employees")):
    if units is None or employees is None:
        units, employees = cast_rows(cast)
    write = xlsx_bytes if kind == "xlsx" else csv_bytes
    return {
        "organisation": cast.organisation.name,
        "units_file": SimpleUploadedFile(f"{names[0]}.{kind}", write(UNIT_COLUMNS, units)),
        "employees_file": SimpleUploadedFile(f"{names[1]}.{kind}", write(EMPLOYEE_COLUMNS, employees)),
    }


def make_upload(cast, units=None, employees=None, *, organisation_name=None) -> OrganisationImport:
    if units is None or employees is None:
        units, employees = cast_rows(cast)
    return OrganisationImport.objects.create(
        organisation_name=organisation_name or cast.organisation.name,
        uploaded_by=cast.hr_admin.user,
        units_filename="units.csv",
        units_content=csv_bytes(UNIT_COLUMNS, units),
        employees_filename="employees.csv",
        employees_content=csv_bytes(EMPLOYEE_COLUMNS, employees),
    )


def bad_rows(cast):
    units, employees = cast_rows(cast)
    employees[0]["employment_start"] = "gisteren"  # row 2
    employees[-1]["unit_code"] = "NOPE"  # the newcomer, last row
    return units, employees


def employee_state(cast) -> dict:
    return dict(
        Employee.objects.filter(organisation=cast.organisation).values_list("personnel_number", "last_name")
    )


# --- the happy path -----------------------------------------------------------------


def test_upload_page_shows_the_form_and_the_columns(cast, login):
    client = login(cast.hr_admin.user)

    response = client.get(reverse("organisations:import_upload"))

    assert response.status_code == 200
    assert response.context["form"]["organisation"].initial == cast.organisation.name
    content = response.content.decode()
    assert ",".join(UNIT_COLUMNS) in content
    assert ",".join(EMPLOYEE_COLUMNS) in content


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_upload_stores_the_files_and_redirects_to_the_preview_without_importing(cast, login, kind):
    client = login(cast.hr_admin.user)
    counts, names = row_counts(), employee_state(cast)

    response = client.post(reverse("organisations:import_upload"), upload_files(cast, kind=kind))

    upload = OrganisationImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("organisations:import_preview", args=[upload.pk])
    assert upload.status == ImportStatus.PREVIEWED
    assert upload.uploaded_by == cast.hr_admin.user
    assert (upload.units_filename, upload.employees_filename) == (f"units.{kind}", f"employees.{kind}")
    assert row_counts() == counts
    assert employee_state(cast) == names


def test_preview_shows_counts_and_changes(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)
    counts = row_counts()

    response = client.get(reverse("organisations:import_preview", args=[upload.pk]))

    assert response.status_code == 200
    summary = response.context["summary"]
    employees = cast.organisation.employees.count()
    assert summary["errors"] == 0
    assert (summary["units_create"], summary["units_update"]) == (0, 0)
    assert summary["units_unchanged"] == cast.organisation.units.count()
    assert (summary["employees_create"], summary["employees_update"]) == (1, 1)
    assert summary["employees_unchanged"] == employees - 1
    content = response.content.decode()
    assert "777777" in content
    assert "Nieuwkomer" in content
    assert cast.employee.personnel_number in content
    assert "Nieuwenaam" in content
    assert cast.employee.last_name in content  # the old value
    assert reverse("organisations:import_confirm", args=[upload.pk]) in content
    assert reverse("organisations:import_discard", args=[upload.pk]) in content
    assert row_counts() == counts


def test_confirm_applies_the_import(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)
    employees = cast.organisation.employees.count()

    response = client.post(reverse("organisations:import_confirm", args=[upload.pk]))

    assert response.status_code == 302
    assert response.url == reverse("organisations:admin_home")
    upload.refresh_from_db()
    assert upload.status == ImportStatus.APPLIED
    assert upload.summary["employees_create"] == 1
    assert cast.organisation.employees.count() == employees + 1
    assert Employee.objects.get(pk=cast.employee.pk).last_name == "Nieuwenaam"
    newcomer = Employee.objects.get(organisation=cast.organisation, personnel_number="777777")
    assert newcomer.unit == cast.team
    assert newcomer.manager == cast.manager
    assert not newcomer.user.has_usable_password()
    event = AuditEvent.objects.get(action="organisation.imported")
    assert event.actor == cast.hr_admin.user


def test_confirming_twice_imports_once(cast, login):
    """A double click on the confirm button: the second POST finds the import done."""
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)
    client.post(reverse("organisations:import_confirm", args=[upload.pk]))
    counts = row_counts()

    response = client.post(reverse("organisations:import_confirm", args=[upload.pk]))

    assert response.status_code == 302
    assert response.url == reverse("organisations:admin_home")
    assert row_counts() == counts
    assert AuditEvent.objects.filter(action="organisation.imported").count() == 1
    upload.refresh_from_db()
    assert upload.status == ImportStatus.APPLIED


def test_preview_after_confirm_no_longer_offers_to_confirm(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)
    client.post(reverse("organisations:import_confirm", args=[upload.pk]))

    response = client.get(reverse("organisations:import_preview", args=[upload.pk]))

    assert response.status_code == 200
    assert reverse("organisations:import_confirm", args=[upload.pk]) not in response.content.decode()


def test_discard_writes_nothing_and_cannot_be_confirmed_afterwards(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)
    counts, names = row_counts(), employee_state(cast)

    response = client.post(reverse("organisations:import_discard", args=[upload.pk]))

    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DISCARDED
    client.post(reverse("organisations:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DISCARDED
    assert row_counts() == counts
    assert employee_state(cast) == names
    assert not AuditEvent.objects.filter(action="organisation.imported").exists()


def test_confirm_needs_post(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)

    response = client.get(reverse("organisations:import_confirm", args=[upload.pk]))

    assert response.status_code == 405
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PREVIEWED


# --- bad files ----------------------------------------------------------------------


def test_a_bad_file_shows_the_errors_table_and_no_confirm_button(cast, login):
    client = login(cast.hr_admin.user)
    units, employees = bad_rows(cast)
    counts = row_counts()

    response = client.post(
        reverse("organisations:import_upload"), upload_files(cast, units, employees), follow=True
    )

    assert response.status_code == 200
    upload = OrganisationImport.objects.get()
    places = {(error.file, error.row, error.column) for error in response.context["plan"].errors}
    last_row = len(employees) + 1
    assert places == {("employees.csv", 2, "employment_start"), ("employees.csv", last_row, "unit_code")}
    content = response.content.decode()
    cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", content)
    assert str(last_row) in cells
    assert "2" in cells
    assert "employment_start" in content
    assert "unit_code" in content
    assert reverse("organisations:import_confirm", args=[upload.pk]) not in content
    assert row_counts() == counts


def test_confirming_a_bad_file_writes_nothing(cast, login):
    client = login(cast.hr_admin.user)
    units, employees = bad_rows(cast)
    upload = make_upload(cast, units, employees)
    counts, names = row_counts(), employee_state(cast)

    response = client.post(reverse("organisations:import_confirm", args=[upload.pk]))

    assert response.status_code == 302
    assert response.url == reverse("organisations:import_preview", args=[upload.pk])
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PREVIEWED
    assert row_counts() == counts
    assert employee_state(cast) == names


def test_a_file_with_a_wrong_extension_is_refused_with_a_message(cast, login):
    client = login(cast.hr_admin.user)
    data = upload_files(cast)
    data["units_file"] = SimpleUploadedFile("eenheden.txt", b"code,name,parent_code,head_personnel_number\n")

    response = client.post(reverse("organisations:import_upload"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["units_file"]
    assert "eenheden.txt" in errors["units_file"][0]
    assert "eenheden.txt" in response.content.decode()
    assert not OrganisationImport.objects.exists()


def test_an_unreadable_xlsx_shows_an_error_instead_of_crashing(cast, login):
    client = login(cast.hr_admin.user)
    data = upload_files(cast)
    data["units_file"] = SimpleUploadedFile("units.xlsx", b"this is not a spreadsheet")
    counts = row_counts()

    response = client.post(reverse("organisations:import_upload"), data, follow=True)

    assert response.status_code == 200
    places = {(error.file, error.row) for error in response.context["plan"].errors}
    assert places == {("units.xlsx", 1)}
    assert row_counts() == counts


def test_an_empty_csv_shows_an_error_instead_of_crashing(cast, login):
    client = login(cast.hr_admin.user)
    data = upload_files(cast)
    data["employees_file"] = SimpleUploadedFile("employees.csv", b"\n")

    response = client.post(reverse("organisations:import_upload"), data, follow=True)

    assert response.status_code == 200
    places = {(error.file, error.row) for error in response.context["plan"].errors}
    assert places == {("employees.csv", 1)}


def test_upload_into_an_organisation_not_administered_is_refused(cast, login):
    client = login(cast.hr_admin.user)
    data = upload_files(cast)
    data["organisation"] = "Gemeente Elders"

    response = client.post(reverse("organisations:import_upload"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation"]
    assert not OrganisationImport.objects.exists()


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_may_not_use_the_import_or_export(cast, login, role):
    client = login(cast.user(role))
    upload = make_upload(cast)
    counts = row_counts()

    assert client.get(reverse("organisations:import_upload")).status_code == 403
    assert client.post(reverse("organisations:import_upload"), upload_files(cast)).status_code == 403
    assert client.get(reverse("organisations:import_preview", args=[upload.pk])).status_code == 403
    assert client.post(reverse("organisations:import_confirm", args=[upload.pk])).status_code == 403
    assert client.post(reverse("organisations:import_discard", args=[upload.pk])).status_code == 403
    for file_format in ("csv", "xlsx"):
        url = reverse("organisations:export_download", args=[cast.organisation.pk, file_format])
        assert client.get(url).status_code == 403
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PREVIEWED
    assert OrganisationImport.objects.count() == 1
    assert row_counts() == counts


def test_anonymous_visitors_are_sent_to_the_login_page(cast, client):
    upload = make_upload(cast)

    for response in (
        client.get(reverse("organisations:import_upload")),
        client.get(reverse("organisations:import_preview", args=[upload.pk])),
        client.post(reverse("organisations:import_confirm", args=[upload.pk])),
        client.get(reverse("organisations:export_download", args=[cast.organisation.pk, "csv"])),
    ):
        assert response.status_code == 302
        assert "next=" in response.url
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PREVIEWED


def test_an_admin_cannot_preview_or_confirm_an_import_of_another_organisation(cast, login):
    client = login(cast.hr_admin.user)
    foreign = cast.foreign_employee.organisation
    units = [{"code": "X", "name": "Elders", "parent_code": "", "head_personnel_number": ""}]
    employees = [_employee("888888", "Eva", "Elders", "X", "", email="eva@elders.example")]
    upload = make_upload(cast, units, employees, organisation_name=foreign.name)
    counts = row_counts()

    assert client.get(reverse("organisations:import_preview", args=[upload.pk])).status_code == 404
    assert client.post(reverse("organisations:import_confirm", args=[upload.pk])).status_code == 404
    assert client.post(reverse("organisations:import_discard", args=[upload.pk])).status_code == 404

    upload.refresh_from_db()
    assert upload.status == ImportStatus.PREVIEWED
    assert row_counts() == counts
    assert not Employee.objects.filter(personnel_number="888888").exists()


def test_an_admin_cannot_confirm_an_import_that_creates_another_organisation(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast, organisation_name="Gemeente Nieuw")

    assert client.post(reverse("organisations:import_confirm", args=[upload.pk])).status_code == 404
    assert not Organisation.objects.filter(name="Gemeente Nieuw").exists()


def test_an_admin_cannot_export_another_organisation(cast, login):
    client = login(cast.hr_admin.user)
    foreign = cast.foreign_employee.organisation

    response = client.get(reverse("organisations:export_download", args=[foreign.pk, "csv"]))

    assert response.status_code == 403


# --- export -------------------------------------------------------------------------


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_download_csv_is_a_zip_with_units_and_employees(cast, login):
    client = login(cast.hr_admin.user)

    response = client.get(reverse("organisations:export_download", args=[cast.organisation.pk, "csv"]))

    archive = _zip(response)
    assert sorted(archive.namelist()) == ["employees.csv", "units.csv"]
    units = list(csv.DictReader(io.StringIO(archive.read("units.csv").decode("utf-8"))))
    employees = list(csv.DictReader(io.StringIO(archive.read("employees.csv").decode("utf-8"))))
    assert list(units[0]) == UNIT_COLUMNS
    assert list(employees[0]) == EMPLOYEE_COLUMNS
    assert {row["code"] for row in units} == set(
        OrgUnit.objects.filter(organisation=cast.organisation).values_list("code", flat=True)
    )
    assert {row["personnel_number"] for row in employees} == set(
        cast.organisation.employees.values_list("personnel_number", flat=True)
    )


def test_export_download_xlsx_is_a_zip_with_xlsx_files(cast, login):
    client = login(cast.hr_admin.user)

    response = client.get(reverse("organisations:export_download", args=[cast.organisation.pk, "xlsx"]))

    archive = _zip(response)
    assert sorted(archive.namelist()) == ["employees.xlsx", "units.xlsx"]
    workbook = load_workbook(io.BytesIO(archive.read("employees.xlsx")), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == EMPLOYEE_COLUMNS
    assert len(rows) == cast.organisation.employees.count() + 1


def test_export_download_reimports_without_changes(cast, login):
    client = login(cast.hr_admin.user)
    archive = _zip(client.get(reverse("organisations:export_download", args=[cast.organisation.pk, "xlsx"])))
    data = {
        "organisation": cast.organisation.name,
        "units_file": SimpleUploadedFile("units.xlsx", archive.read("units.xlsx")),
        "employees_file": SimpleUploadedFile("employees.xlsx", archive.read("employees.xlsx")),
    }

    response = client.post(reverse("organisations:import_upload"), data, follow=True)

    summary = response.context["summary"]
    assert summary["errors"] == 0
    assert summary["units_create"] == summary["units_update"] == 0
    assert summary["employees_create"] == summary["employees_update"] == 0


@pytest.mark.parametrize("file_format", ["pdf", "CSV", "zip"])
def test_export_download_of_an_unknown_format_is_not_found(cast, login, file_format):
    client = login(cast.hr_admin.user)

    response = client.get(reverse("organisations:export_download", args=[cast.organisation.pk, file_format]))

    assert response.status_code == 404


def test_export_download_of_an_unknown_organisation_is_not_found(cast, login):
    client = login(cast.hr_admin.user)
    missing = Organisation.objects.order_by("-pk").first().pk + 1

    response = client.get(reverse("organisations:export_download", args=[missing, "csv"]))

    assert response.status_code == 404


def test_accounts_created_through_the_web_import_cannot_log_in_yet(cast, login):
    client = login(cast.hr_admin.user)
    upload = make_upload(cast)

    client.post(reverse("organisations:import_confirm", args=[upload.pk]))

    user = User.objects.get(email="nina.nieuwkomer@teststad.example")
    assert not user.has_usable_password()
    assert user.employee.personnel_number == "777777"
