"""Reading and writing the tables of the organisation import (CSV or XLSX)."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in an import file, pointing at the exact cell."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        place = {"file": self.file, "row": self.row, "column": self.column, "message": self.message}
        if self.column:
            return _("%(file)s, row %(row)s, column %(column)s: %(message)s") % place
        return _("%(file)s, row %(row)s: %(message)s") % place


@dataclass
class Table:
    filename: str
    columns: list[str]
    # (row number as a spreadsheet shows it, values by column)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class UnreadableFile(Exception):
    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(filename: str, content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(RowError(filename, 1, "", _("the file is not readable text (UTF-8)")))


def _read_csv(filename: str, content: bytes) -> list[list[str]]:
    text = _decode(filename, content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise UnreadableFile(
            RowError(filename, 1, "", _("not a valid CSV file: %(error)s") % {"error": exc})
        ) from exc


def _read_xlsx(filename: str, content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(
            RowError(filename, 1, "", _("not a valid XLSX file: %(error)s") % {"error": exc})
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(filename: str, content: bytes) -> Table:
    """Parse a CSV (comma, semicolon or tab separated) or XLSX file into a Table.
    Column names are lower-cased; cells are stripped; empty rows are skipped."""
    if Path(filename).suffix.lower() == ".xlsx":
        raw = _read_xlsx(filename, content)
    else:
        raw = _read_csv(filename, content)
    if not raw or not any(cell.strip() for cell in raw[0]):
        raise UnreadableFile(RowError(filename, 1, "", _("the file is empty: a header row is required")))
    columns = [cell.strip().lower() for cell in raw[0]]
    while columns and columns[-1] == "":
        columns.pop()
    table = Table(filename=filename, columns=columns)
    for index, cells in enumerate(raw[1:], start=2):
        values = [cell.strip() for cell in cells]  # both readers return text cells
        if not any(values):
            continue
        values += [""] * (len(columns) - len(values))
        table.rows.append((index, dict(zip(columns, values, strict=False))))
    return table


def write_csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_xlsx(columns: list[str], rows: list[dict[str, str]], *, title: str) -> bytes:
    return write_xlsx_sheets([(title, columns, rows)])


def write_xlsx_sheets(sheets: list[tuple[str, list[str], list[dict]]]) -> bytes:
    """One workbook with a sheet per ``(title, columns, rows)``. Text is stored as text,
    never as a formula, so a name such as ``=HYPERLINK(…)`` cannot run in a spreadsheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title)

        def cell(value, sheet=sheet):
            written = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                written.data_type = "s"
            return written

        sheet.append([cell(column) for column in columns])
        for row in rows:
            sheet.append([cell(row.get(column, "")) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (for CSV
    reports meant to be opened in Excel; the organisation exchange format keeps values
    as they are, so that it reads back unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
