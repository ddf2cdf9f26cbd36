"""The exports: the unit table as CSV, units and overdue employees as XLSX (two sheets),
the overdue employees as CSV; the same numbers as the page, for the same units only."""

import io

import openpyxl
import pytest

from gesprekscyclus.organisations.models import Employee
from tests.compliance.conftest import dashboard_url, export_url
from tests.compliance.pages import (
    OVERDUE_COLUMNS,
    STAGE_COLUMNS,
    UNIT_COLUMNS,
    assert_share,
    csv_header,
    csv_rows,
    export_numbers,
)
from tests.compliance.scenario import STAGES, TODAY, count_directly, overdue_by_engine, subtree

OVERDUE = [  # (name, unit, manager, conversation, due by, conversations overdue)
    ("Anna Aalders", "Gemeente Teststad", "", "planning", "2026-02-01", 2),
    ("Lars Lammers", "Team P&O", "Anna Aalders", "planning", "2026-02-01", 2),
    ("Olga Oosterhuis", "Sector Fysiek", "Anna Aalders", "planning", "2026-02-01", 2),
    ("Rik Rutten", "Team P&O", "Anna Aalders", "planning", "2026-02-01", 2),
    ("Tim Tromp", "Team Noord", "Mila Mulder", "planning", "2026-02-01", 2),
    ("Daan Dekker", "Sector Sociaal", "Anna Aalders", "progress", "2026-08-02", 1),
    ("Noor Nijhuis", "Team Vergunningen", "Sven Smit", "progress", "2026-08-02", 1),
    ("Puck Prins", "Team Noord", "Tim Tromp", "progress", "2026-08-02", 1),
]
LABELS = {
    "planning": "Result-oriented agreements / development plan conversation",
    "progress": "Progress conversation",
}


def check_unit_rows(rows: list[dict], top) -> None:
    """One row per unit of ``top``'s subtree, ``top`` first; numbers and shares as counted."""
    units = subtree(top)
    assert len(rows) == len(units)
    assert rows[0]["code"] == top.code
    by_code = {unit.code: unit for unit in units}
    assert sorted(row["code"] for row in rows) == sorted(by_code)
    for row in rows:
        unit = by_code[row["code"]]
        assert row["unit"] == unit.name
        assert int(row["level"]) == unit.depth - top.depth
        count = count_directly(subtree(unit), TODAY)
        assert export_numbers(row) == count.numbers(), unit.code
        for stage in STAGES:
            assert_share(row[f"{STAGE_COLUMNS[stage]} %"], count, stage)


def test_the_csv_has_a_header_and_a_row_per_unit_with_the_page_numbers(full, viewer):
    cast = full.cast
    client = viewer(cast.user("hr_admin"))
    response = client.get(export_url("csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-GEM-2026.csv"'
    assert csv_header(response) == UNIT_COLUMNS
    rows = csv_rows(response)
    check_unit_rows(rows, cast.root)
    assert [row["code"] for row in rows if row["level"] == "1"] == ["SOC", "FYS", "PO"]
    assert next(row for row in rows if row["code"] == "NRD")["level"] == "3"
    # The same numbers as the page's lines.
    board = client.get(dashboard_url()).context["board"]
    for line in board.children:
        row = next(row for row in rows if row["code"] == line.unit.code)
        assert export_numbers(row) == {name: getattr(line.figures, name) for name in export_numbers(row)}

    # A director's export: their sector and below, levels counted from the sector.
    response = viewer(cast.user("director")).get(export_url("csv"))
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-SOC-2026.csv"'
    rows = csv_rows(response)
    assert [(row["code"], row["level"]) for row in rows] == [("SOC", "0"), ("INK", "1"), ("NRD", "2")]
    check_unit_rows(rows, cast.sector)


def test_the_overdue_csv_lists_everyone_overdue_longest_overdue_first(full, viewer):
    cast = full.cast
    response = viewer(cast.user("hr_admin")).get(export_url("csv", table="overdue"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-GEM-2026-overdue.csv"'
    assert csv_header(response) == OVERDUE_COLUMNS
    rows = csv_rows(response)
    numbers = {person.full_name: person.personnel_number for person in full.people.values()}
    assert [
        (row["name"], row["unit"], row["manager"], row["conversation"], row["due by"], int(row["overdue"]))
        for row in rows
    ] == [(name, unit, manager, LABELS[kind], due, n) for name, unit, manager, kind, due, n in OVERDUE]
    assert [row["personnel number"] for row in rows] == [numbers[name] for name, *_ in OVERDUE]
    assert [(row["due by"], row["name"], int(row["overdue"])) for row in rows] == [
        (due.isoformat(), name, n) for due, name, n in overdue_by_engine(subtree(cast.root))
    ]

    # For one unit: only its people.
    response = viewer(cast.user("hr_admin")).get(export_url("csv", unit=cast.sector.pk, table="overdue"))
    assert [row["name"] for row in csv_rows(response)] == ["Tim Tromp", "Daan Dekker", "Puck Prins"]


def test_the_xlsx_has_a_units_sheet_and_an_overdue_sheet_with_the_same_numbers(full, viewer):
    cast = full.cast
    client = viewer(cast.user("hr_admin"))
    response = client.get(export_url("xlsx", unit=cast.sector.pk, period=2026))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-SOC-2026.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Units", "Overdue"]

    header, *values = list(workbook["Units"].values)
    assert list(header) == UNIT_COLUMNS
    rows = [dict(zip(header, row, strict=True)) for row in values]
    assert [(row["code"], row["level"]) for row in rows] == [("SOC", 0), ("INK", 1), ("NRD", 2)]
    check_unit_rows(rows, cast.sector)
    assert isinstance(rows[0]["employees"], int)  # numbers, not text, for the spreadsheet
    csv_numbers = [
        export_numbers(row) for row in csv_rows(client.get(export_url("csv", unit=cast.sector.pk)))
    ]
    assert [export_numbers(row) for row in rows] == csv_numbers

    header, *values = list(workbook["Overdue"].values)
    assert list(header) == OVERDUE_COLUMNS
    overdue = [dict(zip(header, row, strict=True)) for row in values]
    assert [(row["name"], row["due by"], row["overdue"]) for row in overdue] == [
        ("Tim Tromp", "2026-02-01", 2),
        ("Daan Dekker", "2026-08-02", 1),
        ("Puck Prins", "2026-08-02", 1),
    ]


def test_the_xlsx_of_the_whole_organisation_lists_every_unit_and_everyone_overdue(full, viewer):
    workbook = openpyxl.load_workbook(
        io.BytesIO(viewer(full.cast.user("hr_admin")).get(export_url("xlsx")).content)
    )
    header, *values = list(workbook["Units"].values)
    check_unit_rows([dict(zip(header, row, strict=True)) for row in values], full.cast.root)
    header, *values = list(workbook["Overdue"].values)
    assert [row[header.index("name")] for row in values] == [name for name, *_ in OVERDUE]


@pytest.mark.parametrize(
    "url",
    [
        lambda cast: export_url("csv", unit=cast.other_sector.pk),
        lambda cast: export_url("xlsx", unit=cast.other_team.pk),
        lambda cast: export_url("csv", unit=cast.root.pk, table="overdue"),
        lambda cast: export_url("pdf"),
        lambda cast: export_url("csv", table="everything"),
    ],
    ids=["csv-other-sector", "xlsx-other-team", "overdue-csv-top-unit", "unknown-format", "unknown-table"],
)
def test_an_export_outside_the_viewers_units_or_of_an_unknown_kind_is_not_found(refreshed, viewer, url):
    client = viewer(refreshed.cast.user("director"))
    assert client.get(export_url("csv")).status_code == 200
    assert client.get(url(refreshed.cast)).status_code == 404


def test_a_name_that_looks_like_a_formula_stays_text_in_both_exports(refreshed, viewer):
    """A name such as =HYPERLINK(…) must not become a live formula in Excel (CSV
    injection): the CSV report quotes it with an apostrophe, the XLSX stores it as text."""
    person = refreshed.people["employee"]
    Employee.objects.filter(pk=person.pk).update(first_name='=HYPERLINK("http://x"', last_name='"a")')
    client = viewer(refreshed.cast.user("hr_admin"))

    csv_text = client.get(export_url("csv", table="overdue")).content.decode()
    assert "'=HYPERLINK" in csv_text

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(export_url("xlsx")).content))
    overdue_sheet = workbook[workbook.sheetnames[1]]
    cells = [cell for row in overdue_sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert named
    assert all(cell.data_type == "s" for cell in named)
