"""The data-subject export (AVG art. 15 and 20): everything about the person from every
app, in the documented format, as a ZIP with the files; nothing about other people beyond
the names of those who took part in the person's own records."""

import hashlib
import io
import json
import zipfile
from io import StringIO

import jsonschema
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.dossiers.models import DossierRead, ReadAction
from gesprekscyclus.organisations.models import Role
from gesprekscyclus.privacy.export import FORMAT, export_schema
from gesprekscyclus.privacy.services import personal_data_export
from tests.conversations.pages_helpers import browser
from tests.factories import EmployeeFactory, RoleAssignmentFactory
from tests.privacy.conftest import ATTACHMENT_BYTES, COLLEAGUE_TEXT, EMAIL, MARKERS, NAME


def unzip(content: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("export.json")), archive


def test_the_export_holds_the_person_s_data_from_every_app(cast, scenario):
    data = personal_data_export(scenario.employee)
    text = json.dumps(data, ensure_ascii=False)

    assert data["format"] == FORMAT == "gesprekscyclus-subject-export/1"
    assert (data["subject"]["first_name"], data["subject"]["last_name"]) == NAME
    assert data["subject"]["email"] == EMAIL
    assert data["subject"]["unit"] == {"code": "INK", "name": "Team Inkomen"}
    assert data["subject"]["manager"] == {"name": cast.manager.full_name}
    assert data["subject"]["employment_start"] == "2020-01-01"
    assert data["account"]["email"] == EMAIL
    assert "password" not in text and "md5$" not in text
    assert [cycle["year"] for cycle in data["cycles"]] == [2026]
    if apps.is_installed("django_otp"):
        assert data["two_factor_devices"] == [{"kind": "totpdevice", "name": "Telefoon", "confirmed": True}]
    if apps.all_models["accounts"].get("usersession") is not None:
        assert [session["ip_address"] for session in data["login_sessions"]] == ["192.0.2.7"]
    for marker in MARKERS.values():
        assert marker in text, marker
    planning, progress = data["conversations"]
    assert planning["conductor"] == {"name": cast.manager.full_name}
    [version] = planning["report_versions"]
    assert version["state"] == "complete"
    assert [signature["role"] for signature in version["signatures"]] == ["employee", "manager"]
    [attachment] = progress["attachments"]
    assert attachment["sha256"] == hashlib.sha256(ATTACHMENT_BYTES).hexdigest()
    assert progress["assessment"]["objections"][0]["grounds"] == MARKERS["objection"]
    assert progress["disagreements"][0]["brought_in"] == {"name": cast.hr_adviser.full_name}
    # the manager's unshared preparation is theirs
    assert [preparation["side"] for preparation in progress["preparations"]] == ["employee"]
    assert "MARKER-CONDUCTOR-PRIVATE" not in text
    assert data["agreements"][0]["history"][0]["explanation"] == MARKERS["agreement_change"]
    assert data["feedback"]["received"][0]["giver"] == {"name": cast.colleague.full_name}
    assert data["feedback"]["given"][0]["receiver"] == {"reference": "person-1"}
    [entry] = data["personnel_file"]["entries"]
    assert entry["retention_after"] == "employment_end" and entry["retention_months"] == 24
    assert entry["pdf"].startswith("files/personnel-file/") and entry["removed_at"] is None
    assert data["personnel_file"]["reads"][0]["reader"] == cast.manager.full_name
    assert [item["subject"] for item in data["notifications"]["items"]] == [MARKERS["notification"]]
    actions = {event["action"] for event in data["audit_events"]}
    assert {"conversation.planned", "dossier.appended"} <= actions
    assert all(event["about_you"] or event["details"] is None for event in data["audit_events"])


def test_the_export_tells_nothing_about_other_people(cast, scenario):
    text = json.dumps(personal_data_export(scenario.employee), ensure_ascii=False)

    assert COLLEAGUE_TEXT not in text  # another employee's conversation
    assert cast.other_employee.full_name not in text  # whom the employee gave feedback to
    assert cast.other_employee.email not in text
    assert cast.colleague.email not in text and cast.colleague.personnel_number not in text
    assert str(scenario.colleague_conversation.pk) not in [
        str(conversation["id"]) for conversation in json.loads(text)["conversations"]
    ]
    assert "Plan het gesprek met" not in text  # the manager's reminder about the employee


def test_the_zip_validates_against_the_documented_structure_and_holds_the_files(cast, scenario):
    employee = browser(cast.user("employee"))

    response = employee.get(reverse("privacy:my_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mijn-gegevens-{cast.employee.personnel_number}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    data, archive = unzip(response.content)
    jsonschema.validate(data, export_schema(), format_checker=jsonschema.FormatChecker())
    listed = {item["path"]: item for item in data["files"]}
    assert set(archive.namelist()) == {"export.json", *listed}
    for path, item in listed.items():
        content = archive.read(path)
        assert (len(content), hashlib.sha256(content).hexdigest()) == (item["size"], item["sha256"])
    [attachment] = data["conversations"][1]["attachments"]
    assert archive.read(attachment["file"]) == ATTACHMENT_BYTES
    [entry] = data["personnel_file"]["entries"]
    assert archive.read(entry["pdf"]).startswith(b"%PDF")
    assert json.loads(archive.read(entry["json"]))["format"] == "gesprekscyclus-report/1"


def test_every_export_is_recorded(cast, scenario):
    hr_admin = browser(cast.user("hr_admin"))

    hr_admin.get(reverse("privacy:employee_export", args=[cast.employee.pk]))

    event = AuditEvent.objects.get(action="privacy.export")
    assert (event.actor, event.organisation, event.object_type, event.object_id) == (
        cast.user("hr_admin"),
        cast.organisation,
        "organisations.employee",
        str(cast.employee.pk),
    )
    assert event.details["source"] == "web"
    # the personnel file's documents were in it: the file's read log says so
    assert DossierRead.objects.filter(
        employee=cast.employee, reader=cast.user("hr_admin"), action=ReadAction.EXPORT
    ).exists()


@pytest.fixture
def foreign_hr_admin(cast):
    RoleAssignmentFactory(
        user=cast.foreign_employee.user,
        organisation=cast.foreign_employee.organisation,
        role=Role.HR_ADMIN,
        unit=None,
    )
    return cast.foreign_employee.user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 200),
        ("hr_admin", 200),
        ("manager", 404),
        ("director", 404),
        ("hr_adviser", 404),
        ("colleague", 404),
        ("other_manager", 404),
        ("outsider", 404),
    ],
)
def test_who_may_download_an_employee_s_export(cast, scenario, who, status):
    response = browser(cast.user(who)).get(reverse("privacy:employee_export", args=[cast.employee.pk]))

    assert response.status_code == status
    if status == 200:
        assert unzip(response.content)[0]["subject"]["email"] == EMAIL


def test_the_hr_administrator_of_another_organisation_gets_404(cast, foreign_hr_admin):
    response = browser(foreign_hr_admin).get(reverse("privacy:employee_export", args=[cast.employee.pk]))
    assert response.status_code == 404
    # and the other way round
    response = browser(cast.user("hr_admin")).get(
        reverse("privacy:employee_export", args=[cast.foreign_employee.pk])
    )
    assert response.status_code == 404


def test_my_data_page_links_to_the_download(cast):
    page = browser(cast.user("employee")).get(reverse("privacy:mine"))
    assert page.status_code == 200
    assert reverse("privacy:my_export") in page.content.decode()
    assert browser(cast.outsider).get(reverse("privacy:mine")).status_code == 404
    assert browser(cast.outsider).get(reverse("privacy:my_export")).status_code == 404


def test_the_hr_administrator_finds_an_employee_by_personnel_number(cast):
    hr_admin = browser(cast.user("hr_admin"))

    response = hr_admin.get(reverse("privacy:admin"), {"personeelsnummer": cast.employee.personnel_number})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:employee_export", args=[cast.employee.pk])

    response = hr_admin.get(reverse("privacy:admin"), {"personeelsnummer": "nobody"})
    assert "No employee with personnel number nobody in your organisations." in response.content.decode()
    # a foreign personnel number is not found either
    response = hr_admin.get(
        reverse("privacy:admin"), {"personeelsnummer": cast.foreign_employee.personnel_number}
    )
    assert response.status_code == 200


def test_the_command_writes_the_zip(cast, scenario, tmp_path):
    output = tmp_path / "export.zip"
    stdout = StringIO()

    call_command(
        "export_personal_data",
        "--organisation",
        "Gemeente Teststad",
        "--personnel-number",
        cast.employee.personnel_number,
        "--output",
        str(output),
        stdout=stdout,
    )

    data, _archive = unzip(output.read_bytes())
    jsonschema.validate(data, export_schema())
    assert data["subject"]["personnel_number"] == cast.employee.personnel_number
    assert stdout.getvalue().startswith(f"{output}: ")
    event = AuditEvent.objects.get(action="privacy.export")
    assert event.actor is None and event.details["source"] == "command"


def test_the_command_refuses_an_unknown_person(cast):
    with pytest.raises(CommandError, match="No organisation named 'Gemeente Nergens'."):
        call_command("export_personal_data", "--organisation", "Gemeente Nergens", "--personnel-number", "1")
    with pytest.raises(CommandError, match="No employee with personnel number 'X' in Gemeente Teststad."):
        call_command("export_personal_data", "--organisation", "Gemeente Teststad", "--personnel-number", "X")


def test_a_person_without_account_or_records_exports_too(cast):
    newcomer = EmployeeFactory(unit=cast.team, without_account=True)

    data = personal_data_export(newcomer)

    jsonschema.validate(data, export_schema(), format_checker=jsonschema.FormatChecker())
    assert data["account"] is None and data["conversations"] == [] and data["files"] == []
