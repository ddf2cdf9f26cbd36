"""Export of an organisation in exactly the format ``importer`` reads."""

from .importer import EMPLOYEE_COLUMNS, EMPLOYEE_FIELDS, UNIT_COLUMNS, existing_employees
from .models import Organisation, OrgUnit
from .tabular import write_csv, write_xlsx


def organisation_export_rows(*, organisation: Organisation) -> tuple[list[dict], list[dict]]:
    """Units (parents before children) and employees as import rows."""
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
    employees = [
        {"personnel_number": number, **{column: row[column] for column in EMPLOYEE_FIELDS}}
        for number, row in sorted(existing_employees(organisation).items())
    ]
    return units, employees


def organisation_export_files(*, organisation: Organisation, file_format: str = "csv") -> dict[str, bytes]:
    """``{"units.csv": ..., "employees.csv": ...}`` (or ``.xlsx``)."""
    units, employees = organisation_export_rows(organisation=organisation)
    if file_format == "xlsx":
        return {
            "units.xlsx": write_xlsx(UNIT_COLUMNS, units, title="units"),
            "employees.xlsx": write_xlsx(EMPLOYEE_COLUMNS, employees, title="employees"),
        }
    return {
        "units.csv": write_csv(UNIT_COLUMNS, units),
        "employees.csv": write_csv(EMPLOYEE_COLUMNS, employees),
    }
