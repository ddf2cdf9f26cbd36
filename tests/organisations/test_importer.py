"""The organisation import: reading CSV/XLSX, upserting, and rejecting bad files whole.

The helpers at the top (a small, complete organisation as import rows, and functions
that turn rows into CSV or XLSX bytes) are also used by the command and page tests.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils.translation import override
from openpyxl import Workbook

from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.importer import (
    EMPLOYEE_COLUMNS,
    UNIT_COLUMNS,
    ImportRejected,
    organisation_import_apply,
    organisation_import_plan,
)
from gesprekscyclus.organisations.models import Appointment, Employee, Job, Organisation, OrgUnit
from tests.factories import EmployeeFactory, OrganisationFactory, OrgUnitFactory

ORGANISATION = "Gemeente Proefdorp"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The factories set a password for every account; the default hasher is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- helpers shared with the other import tests -------------------------------------


def unit_rows() -> list[dict]:
    """ROOT > SEC > (TEAM, SPARE); SPARE has no head."""
    return [
        {"code": "ROOT", "name": "Gemeente Proefdorp", "parent_code": "", "head_personnel_number": "1001"},
        {"code": "SEC", "name": "Sector Sociaal", "parent_code": "ROOT", "head_personnel_number": "1002"},
        {"code": "TEAM", "name": "Team Inkomen", "parent_code": "SEC", "head_personnel_number": "1003"},
        {"code": "SPARE", "name": "Team Zonder Hoofd", "parent_code": "SEC", "head_personnel_number": ""},
    ]


def _employee(number, first, last, unit, job, **extra) -> dict:
    row = dict.fromkeys(EMPLOYEE_COLUMNS, "")
    row.update(
        personnel_number=number,
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@proefdorp.example",
        unit_code=unit,
        job_title=job,
        hours_per_week="36",
        employment_start="2015-01-01",
        appointment="permanent",
    )
    row.update(extra)
    return row


def employee_rows() -> list[dict]:
    return [
        _employee("1001", "Sanne", "Secretaris", "ROOT", "Gemeentesecretaris"),
        _employee("1002", "Dirk", "Directeur", "SEC", "Sectordirecteur"),
        _employee("1003", "Lotte", "Leider", "TEAM", "Teamleider"),
        _employee("1004", "Mo", "Medewerker", "TEAM", "Consulent", hours_per_week="32.5"),
        _employee(
            "1005",
            "Pim",
            "Proef",
            "TEAM",
            "Consulent",
            employment_start="2026-03-01",
            appointment="probation",
            probation_end="2027-03-01",
        ),
        _employee("1006", "Vera", "Vertrokken", "TEAM", "Consulent", employment_end="2025-06-30"),
        _employee("1007", "Eva", "Expliciet", "TEAM", "Adviseur", manager_personnel_number="1001"),
        _employee("1008", "Olaf", "Overig", "SPARE", "Adviseur", hours_per_week=""),
        _employee(
            "1009",
            "Tim",
            "Tijdelijk",
            "TEAM",
            "Consulent",
            appointment="temporary",
            employment_end="2027-12-31",
        ),
    ]


def csv_bytes(columns: list[str], rows: list[dict], *, delimiter: str = ",", bom: bool = False) -> bytes:
    """CSV as spreadsheets write it: CRLF line ends, quoted where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(columns: list[str], rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def files(units=None, employees=None, *, kind: str = "csv") -> dict:
    """Keyword arguments for ``organisation_import_plan`` (file name and bytes)."""
    units = unit_rows() if units is None else units
    employees = employee_rows() if employees is None else employees
    if kind == "xlsx":
        return {
            "units_file": ("units.xlsx", xlsx_bytes(UNIT_COLUMNS, units)),
            "employees_file": ("employees.xlsx", xlsx_bytes(EMPLOYEE_COLUMNS, employees)),
        }
    return {
        "units_file": ("units.csv", csv_bytes(UNIT_COLUMNS, units)),
        "employees_file": ("employees.csv", csv_bytes(EMPLOYEE_COLUMNS, employees)),
    }


def plan_for(units=None, employees=None, *, name: str = ORGANISATION, kind: str = "csv"):
    return organisation_import_plan(organisation_name=name, **files(units, employees, kind=kind))


def import_rows(units=None, employees=None, *, name: str = ORGANISATION, kind: str = "csv"):
    plan = plan_for(units, employees, name=name, kind=kind)
    assert plan.errors == []
    return organisation_import_apply(plan=plan)


def row_counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Organisation, OrgUnit, Employee, User, Job)}


def error_places(errors) -> set[tuple[str, int, str]]:
    return {(error.file, error.row, error.column) for error in errors}


def by_number(number: str) -> Employee:
    return Employee.objects.select_related("unit", "user", "manager", "job").get(
        organisation__name=ORGANISATION, personnel_number=number
    )


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(organisation__name=ORGANISATION, code=code)


# --- creating an organisation -------------------------------------------------------


def assert_imported_organisation() -> None:
    """The state after importing ``unit_rows()`` and ``employee_rows()``."""
    organisation = Organisation.objects.get(name=ORGANISATION)
    assert organisation.units.count() == 4
    assert organisation.employees.count() == 9

    root, sector, team, spare = unit("ROOT"), unit("SEC"), unit("TEAM"), unit("SPARE")
    assert (root.parent_id, root.depth, root.path) == (None, 0, f"/{root.pk}/")
    assert (sector.parent_id, sector.depth, sector.path) == (root.pk, 1, f"/{root.pk}/{sector.pk}/")
    assert (team.parent_id, team.depth) == (sector.pk, 2)
    assert team.path == f"/{root.pk}/{sector.pk}/{team.pk}/"
    assert (spare.parent_id, spare.depth) == (sector.pk, 2)
    assert spare.path == f"/{root.pk}/{sector.pk}/{spare.pk}/"
    assert root.name == "Gemeente Proefdorp"
    assert root.head == by_number("1001")
    assert sector.head == by_number("1002")
    assert team.head == by_number("1003")
    assert spare.head is None

    employee = by_number("1004")
    assert (employee.first_name, employee.last_name) == ("Mo", "Medewerker")
    assert employee.email == "mo.medewerker@proefdorp.example"
    assert employee.unit == team
    assert employee.job.title == "Consulent"
    assert employee.job.organisation == organisation
    assert employee.hours_per_week == Decimal("32.5")
    assert employee.employment_start == datetime.date(2015, 1, 1)
    assert employee.employment_end is None
    assert employee.appointment == Appointment.PERMANENT
    assert employee.probation_end is None

    probation = by_number("1005")
    assert probation.appointment == Appointment.PROBATION
    assert probation.probation_end == datetime.date(2027, 3, 1)
    assert by_number("1006").employment_end == datetime.date(2025, 6, 30)
    temporary = by_number("1009")
    assert (temporary.appointment, temporary.employment_end) == (
        Appointment.TEMPORARY,
        datetime.date(2027, 12, 31),
    )
    assert by_number("1008").hours_per_week is None

    assert set(Job.objects.filter(organisation=organisation).values_list("title", flat=True)) == {
        "Gemeentesecretaris",
        "Sectordirecteur",
        "Teamleider",
        "Consulent",
        "Adviseur",
    }

    # One account per employee, by e-mail address, that cannot log in yet.
    for employee in Employee.objects.filter(organisation=organisation).select_related("user"):
        assert employee.user is not None, employee.personnel_number
        assert employee.user.email == employee.email
        assert (employee.user.first_name, employee.user.last_name) == (
            employee.first_name,
            employee.last_name,
        )
        assert not employee.user.has_usable_password()


def assert_derived_managers() -> None:
    managers = {
        employee.personnel_number: employee.manager.personnel_number if employee.manager else None
        for employee in Employee.objects.filter(organisation__name=ORGANISATION).select_related("manager")
    }
    assert managers == {
        "1001": None,  # head of the root: nobody above
        "1002": "1001",  # head of SEC: the head of the parent unit
        "1003": "1002",  # head of TEAM: the head of SEC
        "1004": "1003",  # member: the head of the unit
        "1005": "1003",
        "1006": "1003",
        "1007": "1001",  # explicit manager wins over the head of TEAM
        "1008": "1002",  # unit without a head: the nearest head above
        "1009": "1003",
    }
    assert by_number("1007").explicit_manager == by_number("1001")
    assert by_number("1004").explicit_manager is None


def test_import_from_comma_separated_csv_creates_the_organisation(db):
    plan = plan_for()

    assert plan.errors == []
    assert not plan.organisation_exists
    assert plan.count("units", "create") == 4
    assert plan.count("employees", "create") == 9
    organisation_import_apply(plan=plan)

    assert_imported_organisation()
    assert_derived_managers()


def test_import_from_semicolon_separated_csv_with_bom(db):
    employees = employee_rows()
    employees[3]["hours_per_week"] = "32,5"  # a decimal comma, as Dutch Excel writes it
    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=("eenheden.csv", csv_bytes(UNIT_COLUMNS, unit_rows(), delimiter=";", bom=True)),
        employees_file=("medewerkers.csv", csv_bytes(EMPLOYEE_COLUMNS, employees, delimiter=";", bom=True)),
    )

    assert plan.errors == []
    organisation_import_apply(plan=plan)

    assert_imported_organisation()
    assert_derived_managers()


def test_import_from_xlsx_with_typed_cells(db):
    """Spreadsheets hold numbers and dates, not text; they import all the same."""
    employees = employee_rows()
    for row in employees:
        row["personnel_number"] = int(row["personnel_number"])
        if row["manager_personnel_number"]:
            row["manager_personnel_number"] = int(row["manager_personnel_number"])
        row["hours_per_week"] = float(row["hours_per_week"]) if row["hours_per_week"] else None
        for column in ("employment_start", "employment_end", "probation_end"):
            row[column] = datetime.date.fromisoformat(row[column]) if row[column] else None
    units = unit_rows()
    for row in units:
        row["head_personnel_number"] = (
            int(row["head_personnel_number"]) if row["head_personnel_number"] else None
        )
    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=("units.xlsx", xlsx_bytes(UNIT_COLUMNS, units)),
        employees_file=("employees.xlsx", xlsx_bytes(EMPLOYEE_COLUMNS, employees)),
    )

    assert plan.errors == []
    organisation_import_apply(plan=plan)

    assert_imported_organisation()
    assert_derived_managers()


def test_import_accepts_dutch_appointment_names(db):
    employees = employee_rows()
    employees[3]["appointment"] = "Vast"
    employees[4]["appointment"] = "proeftijd"
    employees[8]["appointment"] = "TIJDELIJK"

    import_rows(employees=employees)

    assert by_number("1004").appointment == Appointment.PERMANENT
    assert by_number("1005").appointment == Appointment.PROBATION
    assert by_number("1009").appointment == Appointment.TEMPORARY


def test_import_into_an_existing_organisation_keeps_its_pk(db):
    organisation = OrganisationFactory(name=ORGANISATION)

    plan = plan_for()
    assert plan.organisation_exists
    assert organisation_import_apply(plan=plan) == organisation

    assert Organisation.objects.filter(name=ORGANISATION).count() == 1


def test_import_links_an_existing_account_without_employee_by_email(db):
    """Someone who already has an account (for example a technical administrator)
    keeps it: the employee is linked to it instead of getting a second one."""
    account = User.objects.create_user(
        email="mo.medewerker@proefdorp.example", password="an existing password"
    )

    import_rows()

    assert by_number("1004").user_id == account.pk
    assert User.objects.filter(email="mo.medewerker@proefdorp.example").count() == 1
    account.refresh_from_db()
    assert account.check_password("an existing password")


def test_apply_writes_an_audit_event(db):
    from gesprekscyclus.audit.models import AuditEvent

    organisation = import_rows()

    event = AuditEvent.objects.get(action="organisation.imported")
    assert event.organisation == organisation
    assert event.details["employees_create"] == 9


# --- upsert -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reimporting_the_same_files_changes_nothing(db, kind):
    import_rows(kind=kind)
    counts = row_counts()
    employee_pks = dict(Employee.objects.values_list("personnel_number", "pk"))
    user_pks = dict(Employee.objects.values_list("personnel_number", "user_id"))
    unit_pks = dict(OrgUnit.objects.values_list("code", "pk"))
    paths = dict(OrgUnit.objects.values_list("code", "path"))

    plan = plan_for(kind=kind)

    assert plan.errors == []
    assert {change.action for change in plan.units + plan.employees} == {"unchanged"}
    assert plan.summary()["units_unchanged"] == 4
    assert plan.summary()["employees_unchanged"] == 9
    organisation_import_apply(plan=plan)
    assert row_counts() == counts
    assert dict(Employee.objects.values_list("personnel_number", "pk")) == employee_pks
    assert dict(Employee.objects.values_list("personnel_number", "user_id")) == user_pks
    assert dict(OrgUnit.objects.values_list("code", "pk")) == unit_pks
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths
    assert_derived_managers()


def test_reimporting_csv_as_xlsx_changes_nothing(db):
    import_rows(kind="csv")

    plan = plan_for(kind="xlsx")

    assert plan.errors == []
    assert {change.action for change in plan.units + plan.employees} == {"unchanged"}


def test_changing_name_unit_and_email_updates_the_employee_in_place(db):
    import_rows()
    before = by_number("1004")
    counts = row_counts()
    employees = employee_rows()
    employees[3].update(last_name="Verhuisd", unit_code="SPARE", email="mo.verhuisd@proefdorp.example")

    plan = plan_for(employees=employees)

    [change] = [change for change in plan.employees if change.action != "unchanged"]
    assert (change.action, change.key) == ("update", "1004")
    assert change.fields == {
        "last_name": ("Medewerker", "Verhuisd"),
        "email": ("mo.medewerker@proefdorp.example", "mo.verhuisd@proefdorp.example"),
        "unit_code": ("TEAM", "SPARE"),
    }
    organisation_import_apply(plan=plan)

    after = by_number("1004")
    assert after.pk == before.pk
    assert after.last_name == "Verhuisd"
    assert after.unit == unit("SPARE")
    assert after.email == "mo.verhuisd@proefdorp.example"
    assert after.user_id == before.user_id
    assert after.user.email == "mo.verhuisd@proefdorp.example"
    assert not User.objects.filter(email="mo.medewerker@proefdorp.example").exists()
    # The manager follows the new unit: SPARE has no head, so the head of SEC.
    assert after.manager == by_number("1002")
    assert row_counts() == counts


def test_a_name_change_reaches_the_account_too(db):
    """The account was named after the employee on creation and the page header shows
    that name; after a name change it must not keep showing the old one."""
    import_rows()
    employees = employee_rows()
    employees[3].update(first_name="Mohammed", last_name="Verhuisd")

    import_rows(employees=employees)

    user = by_number("1004").user
    assert (user.first_name, user.last_name) == ("Mohammed", "Verhuisd")


def test_changing_a_unit_name_head_and_parent_updates_it_in_place(db):
    import_rows()
    team_pk, counts = unit("TEAM").pk, row_counts()
    units = unit_rows()
    units[2].update(name="Team Inkomen en Schulden", parent_code="ROOT", head_personnel_number="1004")

    plan = plan_for(units=units)

    [change] = [change for change in plan.units if change.action != "unchanged"]
    assert change.fields == {
        "name": ("Team Inkomen", "Team Inkomen en Schulden"),
        "parent_code": ("SEC", "ROOT"),
        "head_personnel_number": ("1003", "1004"),
    }
    organisation_import_apply(plan=plan)

    team, root = unit("TEAM"), unit("ROOT")
    assert team.pk == team_pk
    assert team.name == "Team Inkomen en Schulden"
    assert (team.parent_id, team.depth, team.path) == (root.pk, 1, f"/{root.pk}/{team.pk}/")
    assert team.head == by_number("1004")
    # Managers follow the new head: the members report to 1004, 1004 to the head of ROOT.
    assert by_number("1003").manager == by_number("1004")
    assert by_number("1004").manager == by_number("1001")
    assert row_counts() == counts


def test_moving_a_unit_updates_the_path_and_depth_of_its_whole_subtree(db):
    import_rows()
    units = unit_rows()
    units.insert(1, {"code": "DIR", "name": "Directie", "parent_code": "ROOT", "head_personnel_number": ""})
    units[2]["parent_code"] = "DIR"  # SEC moves under the new DIR

    import_rows(units=units)

    root, directorate, sector, team = unit("ROOT"), unit("DIR"), unit("SEC"), unit("TEAM")
    assert (sector.parent_id, sector.depth) == (directorate.pk, 2)
    assert sector.path == f"/{root.pk}/{directorate.pk}/{sector.pk}/"
    assert team.depth == 3
    assert team.path == f"/{root.pk}/{directorate.pk}/{sector.pk}/{team.pk}/"
    # DIR has no head, so the head of SEC now reports to the head of ROOT.
    assert by_number("1002").manager == by_number("1001")


def test_setting_and_clearing_an_explicit_manager(db):
    import_rows()
    employees = employee_rows()
    employees[3]["manager_personnel_number"] = "1002"  # 1004 gets an explicit manager
    employees[6]["manager_personnel_number"] = ""  # 1007 loses theirs

    import_rows(employees=employees)

    assert by_number("1004").explicit_manager == by_number("1002")
    assert by_number("1004").manager == by_number("1002")
    assert by_number("1007").explicit_manager is None
    assert by_number("1007").manager == by_number("1003")


def test_employees_and_units_missing_from_a_new_file_are_kept(db):
    import_rows()
    counts = row_counts()
    olaf = by_number("1008")
    units = [row for row in unit_rows() if row["code"] != "SPARE"]
    employees = [row for row in employee_rows() if row["personnel_number"] != "1008"]

    plan = plan_for(units, employees)
    assert plan.errors == []
    organisation_import_apply(plan=plan)

    assert row_counts() == counts
    kept = by_number("1008")
    assert kept.pk == olaf.pk
    assert kept.unit == unit("SPARE")
    assert kept.user_id == olaf.user_id
    assert kept.manager == by_number("1002")


def test_an_employee_missing_from_the_file_can_still_be_named_as_manager(db):
    import_rows()
    employees = [row for row in employee_rows() if row["personnel_number"] != "1001"]

    plan = plan_for(employees=employees)

    assert plan.errors == []


def test_leavers_are_kept_on_reimport(db):
    import_rows()
    leaver = by_number("1006")
    assert leaver.is_leaver

    import_rows()
    import_rows(employees=[row for row in employee_rows() if row["personnel_number"] != "1006"])

    kept = by_number("1006")
    assert kept.pk == leaver.pk
    assert kept.employment_end == datetime.date(2025, 6, 30)
    assert kept.user_id == leaver.user_id


def test_a_new_leaver_can_be_imported_and_an_end_date_set(db):
    import_rows()
    employees = employee_rows()
    employees[3]["employment_end"] = "2026-10-31"
    employees.append(_employee("1010", "Gijs", "Geweest", "TEAM", "Consulent", employment_end="2024-12-31"))

    import_rows(employees=employees)

    assert by_number("1004").employment_end == datetime.date(2026, 10, 31)
    assert by_number("1010").is_leaver


def test_reimport_gives_an_employee_without_account_an_account(db):
    """An employee whose account was removed is linked to an account again when the
    import creates one for their e-mail address (and the plan says so)."""
    import_rows()
    employee = by_number("1004")
    User.objects.filter(pk=employee.user_id).delete()
    assert by_number("1004").user_id is None

    import_rows()

    employee = by_number("1004")
    assert employee.user is not None
    assert employee.user.email == "mo.medewerker@proefdorp.example"
    assert not User.objects.filter(employee__isnull=True, email__endswith="@proefdorp.example").exists()


def test_import_leaves_other_organisations_alone(db):
    other_unit = OrgUnitFactory(organisation=OrganisationFactory(name="Gemeente Elders"), code="ROOT")
    other = EmployeeFactory(unit=other_unit, personnel_number="1004", email="iemand@elders.example")

    import_rows()

    other.refresh_from_db()
    assert other.organisation.name == "Gemeente Elders"
    assert other.email == "iemand@elders.example"
    assert other.unit == other_unit
    assert Employee.objects.filter(personnel_number="1004").count() == 2


# --- errors: everything at once, nothing written ------------------------------------


def bad_unit_rows() -> list[dict]:
    units = unit_rows()
    units += [
        {"code": "LOOP1", "name": "Lus een", "parent_code": "LOOP2", "head_personnel_number": ""},  # row 6
        {"code": "LOOP2", "name": "Lus twee", "parent_code": "LOOP1", "head_personnel_number": ""},  # row 7
        {
            "code": "GHOST",
            "name": "Spookteam",
            "parent_code": "ROOT",
            "head_personnel_number": "9999",
        },  # row 8
        {"code": "ORPHAN", "name": "Wees", "parent_code": "NOPE", "head_personnel_number": ""},  # row 9
    ]
    return units


def bad_employee_rows() -> list[dict]:
    employees = employee_rows()  # rows 2-10 are fine
    employees += [
        _employee("2001", "Datum", "Fout", "TEAM", "", employment_start="01-02-2020"),  # row 11
        _employee("2002", "Einde", "Voor", "TEAM", "", employment_end="2014-12-31"),  # row 12
        _employee("2003", "Onbekende", "Eenheid", "NOPE", ""),  # row 13
        _employee("2004", "Onbekende", "Leider", "TEAM", "", manager_personnel_number="8888"),  # row 14
        _employee("1004", "Dubbel", "Nummer", "TEAM", ""),  # row 15
        _employee("2006", "Slecht", "Adres", "TEAM", "", email="geen-e-mailadres"),  # row 16
        _employee("2007", "Proef", "Zonder", "TEAM", "", appointment="probation"),  # row 17
        _employee("2008", "Vast", "Met", "TEAM", "", probation_end="2027-01-01"),  # row 18
        _employee("2009", "Te", "Veel", "TEAM", "", hours_per_week="61"),  # row 19
        _employee("2010", "Geen", "Getal", "TEAM", "", hours_per_week="veel"),  # row 20
        _employee("2011", "Nul", "Uren", "TEAM", "", hours_per_week="0"),  # row 21
    ]
    return employees


BAD_PLACES = {
    ("units.csv", 6, "parent_code"),
    ("units.csv", 7, "parent_code"),
    ("units.csv", 8, "head_personnel_number"),
    ("units.csv", 9, "parent_code"),
    ("employees.csv", 11, "employment_start"),
    ("employees.csv", 12, "employment_end"),
    ("employees.csv", 13, "unit_code"),
    ("employees.csv", 14, "manager_personnel_number"),
    ("employees.csv", 15, "personnel_number"),
    ("employees.csv", 16, "email"),
    ("employees.csv", 17, "probation_end"),
    ("employees.csv", 18, "probation_end"),
    ("employees.csv", 19, "hours_per_week"),
    ("employees.csv", 20, "hours_per_week"),
    ("employees.csv", 21, "hours_per_week"),
}


def test_every_bad_row_is_reported_at_once_with_file_row_and_column(db):
    plan = plan_for(bad_unit_rows(), bad_employee_rows())

    assert error_places(plan.errors) == BAD_PLACES
    assert not plan.is_valid
    assert all(error.message for error in plan.errors)


def test_errors_read_as_file_row_and_column(db):
    plan = plan_for(bad_unit_rows(), bad_employee_rows())

    with override("en"):
        texts = [str(error) for error in plan.errors]

    assert any(text.startswith("units.csv, row 8, column head_personnel_number: ") for text in texts)
    assert any(text.startswith("employees.csv, row 15, column personnel_number: ") for text in texts)
    assert any("9999" in text for text in texts)  # the unknown head is named


def test_a_rejected_plan_writes_nothing(db):
    counts = row_counts()
    plan = plan_for(bad_unit_rows(), bad_employee_rows())

    with pytest.raises(ImportRejected) as rejected:
        organisation_import_apply(plan=plan)

    assert error_places(rejected.value.errors) == BAD_PLACES
    assert row_counts() == counts
    assert not Organisation.objects.filter(name=ORGANISATION).exists()


def test_a_rejected_plan_leaves_an_existing_organisation_untouched(db):
    import_rows()
    counts = row_counts()
    names = dict(Employee.objects.values_list("personnel_number", "last_name"))
    employees = bad_employee_rows()
    employees[3]["last_name"] = "Gewijzigd"  # a valid change next to the bad rows

    plan = plan_for(bad_unit_rows(), employees)
    with pytest.raises(ImportRejected):
        organisation_import_apply(plan=plan)

    assert row_counts() == counts
    assert dict(Employee.objects.values_list("personnel_number", "last_name")) == names


def test_a_cycle_through_existing_units_is_refused(db):
    """SEC is ROOT's child in the database; a file making ROOT a child of TEAM loops."""
    import_rows()
    units = unit_rows()
    units[0]["parent_code"] = "TEAM"

    plan = plan_for(units=units)

    assert ("units.csv", 2, "parent_code") in error_places(plan.errors)
    with pytest.raises(ImportRejected):
        organisation_import_apply(plan=plan)
    assert unit("ROOT").parent_id is None


def test_a_unit_that_is_its_own_parent_is_refused(db):
    units = unit_rows()
    units[1]["parent_code"] = "SEC"

    assert error_places(plan_for(units=units).errors) == {("units.csv", 3, "parent_code")}


def test_missing_and_unknown_columns_in_both_files_are_reported_together(db):
    counts = row_counts()
    unit_columns = [column for column in UNIT_COLUMNS if column != "name"]
    employee_columns = [*EMPLOYEE_COLUMNS, "salaris"]

    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=("units.csv", csv_bytes(unit_columns, unit_rows())),
        employees_file=("employees.csv", csv_bytes(employee_columns, employee_rows())),
    )

    assert error_places(plan.errors) == {("units.csv", 1, "name"), ("employees.csv", 1, "salaris")}
    with pytest.raises(ImportRejected):
        organisation_import_apply(plan=plan)
    assert row_counts() == counts


def test_missing_required_values_are_reported_per_cell(db):
    employees = employee_rows()
    for column in ("first_name", "last_name", "email", "unit_code", "employment_start"):
        employees[3][column] = ""
    units = unit_rows()
    units[3]["name"] = ""

    plan = plan_for(units, employees)

    assert error_places(plan.errors) == {
        ("units.csv", 5, "name"),
        ("employees.csv", 5, "first_name"),
        ("employees.csv", 5, "last_name"),
        ("employees.csv", 5, "email"),
        ("employees.csv", 5, "unit_code"),
        ("employees.csv", 5, "employment_start"),
    }


def test_duplicate_codes_and_email_addresses_are_refused(db):
    units = unit_rows()
    units.append({"code": "TEAM", "name": "Nog een team", "parent_code": "SEC", "head_personnel_number": ""})
    employees = employee_rows()
    employees.append(_employee("2001", "Mo", "Medewerker", "TEAM", ""))  # same e-mail as 1004

    plan = plan_for(units, employees)

    assert error_places(plan.errors) == {("units.csv", 6, "code"), ("employees.csv", 11, "email")}


def test_an_email_address_of_an_employee_elsewhere_is_refused(db):
    EmployeeFactory(email="mo.medewerker@proefdorp.example")

    plan = plan_for()

    assert error_places(plan.errors) == {("employees.csv", 5, "email")}


def test_the_xlsx_file_name_is_used_in_errors(db):
    plan = plan_for(bad_unit_rows(), bad_employee_rows(), kind="xlsx")

    assert error_places(plan.errors) == {
        (file.replace(".csv", ".xlsx"), row, column) for file, row, column in BAD_PLACES
    }


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("units.csv", b""),
        ("units.csv", b"\r\n\r\n"),
        ("units.xlsx", b""),
        ("units.xlsx", b"this is not a spreadsheet"),
        ("units.xlsx", b"PK\x03\x04 a broken zip archive"),
    ],
    ids=["empty-csv", "blank-csv", "empty-xlsx", "garbage-xlsx", "broken-zip-xlsx"],
)
def test_an_unreadable_file_gives_an_error_not_a_crash(db, filename, content):
    counts = row_counts()

    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=(filename, content),
        employees_file=("employees.csv", csv_bytes(EMPLOYEE_COLUMNS, employee_rows())),
    )

    [error] = plan.errors
    assert (error.file, error.row) == (filename, 1)
    assert error.message
    with pytest.raises(ImportRejected):
        organisation_import_apply(plan=plan)
    assert row_counts() == counts


def test_an_xlsx_with_only_a_header_row_imports_nothing(db):
    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=("units.xlsx", xlsx_bytes(UNIT_COLUMNS, [])),
        employees_file=("employees.xlsx", xlsx_bytes(EMPLOYEE_COLUMNS, [])),
    )

    assert plan.errors == []
    assert plan.units == plan.employees == []


def test_an_organisation_name_is_required(db):
    plan = plan_for(name="   ")

    assert plan.errors
    with pytest.raises(ImportRejected):
        organisation_import_apply(plan=plan)
    assert not Organisation.objects.exists()
