"""``manage.py import_organisation`` and ``manage.py export_organisation``."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override

from gesprekscyclus.organisations.importer import EMPLOYEE_COLUMNS, UNIT_COLUMNS, organisation_import_plan
from gesprekscyclus.organisations.models import Employee, Organisation
from tests.organisations.test_importer import (
    BAD_PLACES,
    ORGANISATION,
    _employee,
    assert_derived_managers,
    assert_imported_organisation,
    bad_employee_rows,
    bad_unit_rows,
    by_number,
    csv_bytes,
    employee_rows,
    import_rows,
    row_counts,
    unit_rows,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast sets a password for every account; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def write_files(directory, units=None, employees=None, *, kind: str = "csv") -> tuple[str, str]:
    units = unit_rows() if units is None else units
    employees = employee_rows() if employees is None else employees
    write = xlsx_bytes if kind == "xlsx" else csv_bytes
    units_path = directory / f"units.{kind}"
    employees_path = directory / f"employees.{kind}"
    units_path.write_bytes(write(UNIT_COLUMNS, units))
    employees_path.write_bytes(write(EMPLOYEE_COLUMNS, employees))
    return str(units_path), str(employees_path)


def run(command: str, *args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with override("en"):
        call_command(command, *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_import_command_creates_the_organisation(db, tmp_path):
    units, employees = write_files(tmp_path)

    stdout, _ = run("import_organisation", "--organisation", ORGANISATION, units, employees, "--no-progress")

    assert "Import complete." in stdout
    assert ORGANISATION in stdout
    assert_imported_organisation()
    assert_derived_managers()


def test_import_command_reads_xlsx(db, tmp_path):
    units, employees = write_files(tmp_path, kind="xlsx")

    run("import_organisation", "--organisation", ORGANISATION, units, employees, "--no-progress")

    assert_imported_organisation()


def test_import_command_run_twice_changes_nothing(db, tmp_path):
    units, employees = write_files(tmp_path)
    run("import_organisation", "--organisation", ORGANISATION, units, employees, "--no-progress")
    counts = row_counts()
    pks = dict(Employee.objects.values_list("personnel_number", "pk"))

    stdout, _ = run("import_organisation", "--organisation", ORGANISATION, units, employees, "--no-progress")

    assert "0 new, 0 changed, 4 unchanged" in stdout
    assert "0 new, 0 changed, 9 unchanged" in stdout
    assert row_counts() == counts
    assert dict(Employee.objects.values_list("personnel_number", "pk")) == pks


def test_dry_run_prints_the_changes_and_writes_nothing(db, tmp_path):
    counts = row_counts()
    units, employees = write_files(tmp_path)

    stdout, _ = run("import_organisation", "--organisation", ORGANISATION, units, employees, "--dry-run")

    assert row_counts() == counts
    assert not Organisation.objects.filter(name=ORGANISATION).exists()
    assert "4 new" in stdout
    assert "9 new" in stdout
    for code in ("ROOT", "SEC", "TEAM", "SPARE"):
        assert f" {code} " in stdout
    for row in employee_rows():
        assert f" {row['personnel_number']} " in stdout
    assert "nothing was written" in stdout


def test_dry_run_on_an_existing_organisation_shows_old_and_new_values(db, tmp_path):
    import_rows()
    counts = row_counts()
    changed = employee_rows()
    changed[3]["last_name"] = "Verhuisd"
    changed.append(_employee("1010", "Nina", "Nieuw", "TEAM", "Consulent"))
    units, employees = write_files(tmp_path, employees=changed)

    stdout, _ = run("import_organisation", "--organisation", ORGANISATION, units, employees, "--dry-run")

    [update_line] = [line for line in stdout.splitlines() if " 1004 " in line]
    assert "Medewerker" in update_line
    assert "Verhuisd" in update_line
    assert any(" 1010 " in line for line in stdout.splitlines())
    # Unchanged rows are not listed.
    assert not any(" 1003 " in line for line in stdout.splitlines())
    assert row_counts() == counts
    assert by_number("1004").last_name == "Medewerker"
    assert not Employee.objects.filter(personnel_number="1010").exists()


def test_bad_rows_raise_command_error_list_every_error_and_write_nothing(db, tmp_path):
    counts = row_counts()
    units, employees = write_files(tmp_path, bad_unit_rows(), bad_employee_rows())
    stderr = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command(
            "import_organisation",
            "--organisation",
            ORGANISATION,
            units,
            employees,
            stdout=io.StringIO(),
            stderr=stderr,
        )

    lines = stderr.getvalue().splitlines()
    for file, row, column in BAD_PLACES:
        assert any(line.startswith(f"{file}, row {row}, column {column}: ") for line in lines), (
            file,
            row,
            column,
        )
    assert row_counts() == counts


def test_bad_rows_in_a_dry_run_raise_command_error_too(db, tmp_path):
    units, employees = write_files(tmp_path, bad_unit_rows(), bad_employee_rows())

    with override("en"), pytest.raises(CommandError):
        call_command(
            "import_organisation",
            "--organisation",
            ORGANISATION,
            units,
            employees,
            "--dry-run",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_a_missing_file_raises_command_error(db, tmp_path):
    units, _ = write_files(tmp_path)

    with pytest.raises(CommandError, match="no-such-file.csv"):
        call_command(
            "import_organisation",
            "--organisation",
            ORGANISATION,
            units,
            str(tmp_path / "no-such-file.csv"),
            stdout=io.StringIO(),
        )
    assert not Organisation.objects.exists()


def test_an_unreadable_xlsx_raises_command_error_not_a_traceback(db, tmp_path):
    units, employees = write_files(tmp_path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a spreadsheet")
    stderr = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command(
            "import_organisation",
            "--organisation",
            ORGANISATION,
            str(broken),
            employees,
            stdout=io.StringIO(),
            stderr=stderr,
        )

    assert "broken.xlsx" in stderr.getvalue()
    assert not Organisation.objects.exists()


def test_a_real_import_prints_progress_on_stderr(db, tmp_path, capsys):
    units, employees = write_files(tmp_path)

    stdout, command_stderr = run("import_organisation", "--organisation", ORGANISATION, units, employees)

    # Progress goes to stderr (the command's or the process's), never to stdout.
    stderr = command_stderr + capsys.readouterr().err
    assert "employees: 9/9 (100%)" in stderr
    assert "units: 4/4 (100%)" in stderr
    assert "employees:" not in stdout


def test_no_progress_prints_no_progress(db, tmp_path, capsys):
    units, employees = write_files(tmp_path)

    _, command_stderr = run(
        "import_organisation", "--organisation", ORGANISATION, units, employees, "--no-progress"
    )

    assert command_stderr + capsys.readouterr().err == ""


# --- export --------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_writes_files_that_reimport_without_changes(db, tmp_path, file_format):
    import_rows()
    counts = row_counts()
    output = tmp_path / "export"
    arguments = ["--organisation", ORGANISATION, "--output", str(output)]
    if file_format == "xlsx":
        arguments += ["--format", "xlsx"]

    stdout, _ = run("export_organisation", *arguments)

    units, employees = output / f"units.{file_format}", output / f"employees.{file_format}"
    assert sorted(path.name for path in output.iterdir()) == sorted([units.name, employees.name])
    assert str(units) in stdout
    plan = organisation_import_plan(
        organisation_name=ORGANISATION,
        units_file=(units.name, units.read_bytes()),
        employees_file=(employees.name, employees.read_bytes()),
    )
    assert plan.errors == []
    assert len(plan.units) == 4
    assert len(plan.employees) == 9
    assert {change.action for change in plan.units + plan.employees} == {"unchanged"}

    stdout, _ = run(
        "import_organisation", "--organisation", ORGANISATION, str(units), str(employees), "--no-progress"
    )
    assert "0 new, 0 changed, 9 unchanged" in stdout
    assert row_counts() == counts
    assert_imported_organisation()
    assert_derived_managers()


def test_export_round_trip_of_the_cast_organisation(cast, tmp_path):
    output = tmp_path / "export"
    run("export_organisation", "--organisation", cast.organisation.name, "--output", str(output))

    plan = organisation_import_plan(
        organisation_name=cast.organisation.name,
        units_file=("units.csv", (output / "units.csv").read_bytes()),
        employees_file=("employees.csv", (output / "employees.csv").read_bytes()),
    )

    assert plan.errors == []
    assert plan.count("units", "unchanged") == cast.organisation.units.count()
    assert plan.count("employees", "unchanged") == cast.organisation.employees.count()
    assert plan.count("units", "unchanged") + plan.count("employees", "unchanged") == len(
        plan.units + plan.employees
    )
    # Only this organisation is exported.
    exported = {
        row["personnel_number"] for row in csv.DictReader(io.StringIO((output / "employees.csv").read_text()))
    }
    assert exported == set(cast.organisation.employees.values_list("personnel_number", flat=True))
    assert cast.foreign_employee.personnel_number not in exported


def test_export_of_an_unknown_organisation_raises_command_error(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_organisation", "--organisation", "Bestaat Niet", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
