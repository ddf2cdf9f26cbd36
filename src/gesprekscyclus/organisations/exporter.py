"""Export of an organisation in exactly the format ``importer`` reads."""

from .importer import EMPLOYEE_COLUMNS, UNIT_COLUMNS, _text
from .models import Employee, Organisation, OrgUnit
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
        {
            "personnel_number": row["personnel_number"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "email": row["email"],
            "unit_code": row["unit__code"],
            "job_title": row["job__title"] or "",
            "manager_personnel_number": row["explicit_manager__personnel_number"] or "",
            "hours_per_week": _text(row["hours_per_week"]),
            "employment_start": _text(row["employment_start"]),
            "employment_end": _text(row["employment_end"]),
            "appointment": row["appointment"],
            "probation_end": _text(row["probation_end"]),
        }
        for row in Employee.objects.filter(organisation=organisation)
        .order_by("personnel_number")
        .values(
            "personnel_number",
            "first_name",
            "last_name",
            "email",
            "unit__code",
            "job__title",
            "explicit_manager__personnel_number",
            "hours_per_week",
            "employment_start",
            "employment_end",
            "appointment",
            "probation_end",
        )
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
