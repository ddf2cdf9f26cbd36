"""Reading the dashboard and its exports the way a person does: tables, numbers, files."""

from __future__ import annotations

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

from tests.compliance.scenario import STAGES, Count


def text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page(response) -> str:
    return response.content.decode()


def table(response, testid: str) -> list[tuple[str, list[str]]]:
    """The body rows of ``<table data-testid=testid>`` as (row header, cell texts)."""
    found = re.search(rf'<table[^>]*data-testid="{testid}"[^>]*>(.*?)</table>', page(response), re.S)
    assert found, f"no table {testid!r} on the page"
    return _rows(found.group(1))


def section_table(response, section: str) -> list[tuple[str, list[str]]]:
    """The body rows of the table in ``<section aria-labelledby=section>``."""
    found = re.search(rf'<section aria-labelledby="{section}">(.*?)</section>', page(response), re.S)
    assert found, f"no section {section!r} on the page"
    return _rows(found.group(1))


def section(response, name: str) -> str:
    found = re.search(rf'<section aria-labelledby="{name}">(.*?)</section>', page(response), re.S)
    assert found, f"no section {name!r} on the page"
    return found.group(1)


def _rows(fragment: str) -> list[tuple[str, list[str]]]:
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S).group(1)
    return [
        (text(header), [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
        for header, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S)
    ]


def unit_options(response) -> list[str]:
    """The names in the unit select, without the indentation."""
    select = re.search(r'<select id="id_unit" name="unit">(.*?)</select>', page(response), re.S).group(1)
    return [
        text(option).replace("\u00a0", " ").strip()
        for option in re.findall(r"<option[^>]*>(.*?)</option>", select)
    ]


def percent(part: int, whole: int) -> str:
    """What ``floatformat:0`` prints for the share, or the dash for nothing to count."""
    if not whole:
        return "—"
    return f"{(Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def figure_cells(count: Count) -> list[str]:
    """The cells ``_figure_cells.html`` shows for these numbers."""
    return [
        str(count.employees),
        str(count.with_due),
        *(percent(getattr(count, stage), count.with_due) for stage in STAGES),
        str(count.overdue),
    ]


def figures_numbers(figures) -> dict[str, int]:
    """A ``Figures`` (from the view's context) as plain numbers, to compare with a ``Count``."""
    return {name: getattr(figures, name) for name in ("employees", "with_due", *STAGES, "overdue")}


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def csv_header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8"))))


# The export's unit columns (English), in order.
STAGE_COLUMNS = {
    "planned": "planned",
    "held": "held",
    "reported": "report finished",
    "signed": "signed",
    "archived": "in the personnel file",
}
UNIT_COLUMNS = [
    "code",
    "unit",
    "level",
    "employees",
    "with conversations due",
    *(name for stage in STAGES for name in (STAGE_COLUMNS[stage], f"{STAGE_COLUMNS[stage]} %")),
    "overdue",
]
OVERDUE_COLUMNS = ["personnel number", "name", "unit", "manager", "conversation", "due by", "overdue"]


def export_numbers(row: dict) -> dict[str, int]:
    """A unit row of an export as plain numbers (the same keys as ``Count.numbers``)."""
    return {
        "employees": int(row["employees"]),
        "with_due": int(row["with conversations due"]),
        **{stage: int(row[STAGE_COLUMNS[stage]]) for stage in STAGES},
        "overdue": int(row["overdue"]),
    }


def assert_share(cell, count: Count, stage: str) -> None:
    """A share column of an export: the percentage to one decimal, empty when nothing is due."""
    if not count.with_due:
        assert cell in ("", None)
        return
    assert abs(float(cell) - 100 * getattr(count, stage) / count.with_due) <= 0.05, (stage, cell)
