"""Export of an organisation in exactly the format ``importer`` reads."""

from .importer import EMPLOYEE_COLUMNS, EMPLOYEE_FIELDS, UNIT_COLUMNS, existing_employees
from .models import Organisation, OrgUnit
from .tabular import write_csv, write_xlsx


def organisation_export_rows(*, organisation: Organisation) -> tuple[list[dict], list[dict]]:
    """Units (parents before children) and employees as import rows."""
    units, employees, _ids = _export_rows(organisation)
    return units, employees


def _export_rows(organisation: Organisation) -> tuple[list[dict], list[dict], list[int]]:
    units = [
        {
            "code": row["code"],
            "name": row["name"],
            "parent_code": row["parent__code"] or "",
            "head_personnel_number": row["head__personnel_number"] or "",
        }
        for row in OrgUnit.objects.filter(organisation=organisation)
        .order_by("depth", "code")
        .values("code", "name", "parent__code", "head__personnel_number")
    ]
    existing = sorted(existing_employees(organisation).items())
    employees = [
        {"personnel_number": number, **{column: row[column] for column in EMPLOYEE_FIELDS}}
        for number, row in existing
    ]
    return units, employees, [row["id"] for _number, row in existing]


def organisation_export(
    *, organisation: Organisation, file_format: str = "csv"
) -> tuple[dict[str, bytes], list[int]]:
    """The files (``{"units.csv": ..., "employees.csv": ...}``, or ``.xlsx``) and the ids of
    the employees in them (for the audit log)."""
    units, employees, employee_ids = _export_rows(organisation)
    if file_format == "xlsx":
        files = {
            "units.xlsx": write_xlsx(UNIT_COLUMNS, units, title="units"),
            "employees.xlsx": write_xlsx(EMPLOYEE_COLUMNS, employees, title="employees"),
        }
    else:
        files = {
            "units.csv": write_csv(UNIT_COLUMNS, units),
            "employees.csv": write_csv(EMPLOYEE_COLUMNS, employees),
        }
    return files, employee_ids


def organisation_export_files(*, organisation: Organisation, file_format: str = "csv") -> dict[str, bytes]:
    """``{"units.csv": ..., "employees.csv": ...}`` (or ``.xlsx``)."""
    return organisation_export(organisation=organisation, file_format=file_format)[0]
