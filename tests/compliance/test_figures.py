"""The dashboard's numbers are the numbers a person would count by hand.

The organisation of ``scenario`` (four levels, fourteen people with a 2026 cycle in every
stage, a joiner with nothing due yet and a leaver without a cycle) is refreshed on
10 August 2026. Each figure on the page, in the view's context and in the CSV export is
compared with ``scenario.count_directly``, which asks the engine what is due and looks up
the conversations and the personnel file one employee at a time, and, so that a mistake
shared by both cannot hide, with the numbers the scenario was built to have. This module
runs on SQLite and, in CI, again on PostgreSQL."""

import re

from tests.compliance.conftest import dashboard_url, export_url
from tests.compliance.pages import (
    csv_rows,
    export_numbers,
    figure_cells,
    figures_numbers,
    page,
    percent,
    section_table,
    table,
)
from tests.compliance.scenario import STAGES, TODAY, count_directly, subtree

# What the scenario was built to have (see its docstring).
ORGANISATION = {
    "employees": 14,
    "with_due": 13,
    "planned": 7,
    "held": 5,
    "reported": 3,
    "signed": 2,
    "archived": 1,
    "overdue": 8,
}
SOCIAAL = {
    "employees": 7,
    "with_due": 7,
    "planned": 5,
    "held": 4,
    "reported": 2,
    "signed": 1,
    "archived": 1,
    "overdue": 3,
}
STAGE_NAMES = ["Planned", "Held", "Report finished", "Signed", "In the personnel file"]


def test_the_organisation_totals_and_its_sectors_match_a_direct_count(full, viewer):
    cast = full.cast
    response = viewer(cast.user("hr_admin")).get(dashboard_url())
    assert response.status_code == 200
    board = response.context["board"]
    assert board.unit == cast.root
    assert board.year == 2026

    everyone = count_directly(subtree(cast.root), TODAY)
    assert everyone.numbers() == ORGANISATION
    assert figures_numbers(board.totals) == ORGANISATION
    assert board.totals.computed_from == board.totals.computed_until == TODAY

    # The key figures and the stage table on the page.
    assert re.findall(r'<span class="gc-kpi">(\d+)</span>', page(response)) == ["14", "13", "8"]
    assert section_table(response, "stages") == [
        (name, [f"{everyone.numbers()[stage]} / 13", percent(everyone.numbers()[stage], 13)])
        for name, stage in zip(STAGE_NAMES, STAGES, strict=True)
    ]

    # One line per sector (by name), each counting everything below it.
    expected_children = [cast.other_sector, cast.sector, full.cast.hr_admin.unit]
    assert [line.unit for line in board.children] == expected_children
    for line in board.children:
        assert figures_numbers(line.figures) == count_directly(subtree(line.unit), TODAY).numbers(), line.unit
    sociaal = next(line for line in board.children if line.unit == cast.sector)
    assert figures_numbers(sociaal.figures) == SOCIAAL  # Sector Sociaal itself has one person
    assert count_directly([cast.sector], TODAY).employees == 1

    # The secretary is the only one directly in the organisation's top unit.
    own = count_directly([cast.root], TODAY)
    assert figures_numbers(board.own) == own.numbers()
    assert table(response, "units") == [
        ("Gemeente Teststad itself", figure_cells(own)),
        *(
            (line.unit.name, figure_cells(count_directly(subtree(line.unit), TODAY)))
            for line in board.children
        ),
    ]


def test_drilling_down_shows_a_sector_and_its_teams_including_the_teams_below_them(full, viewer):
    cast = full.cast
    client = viewer(cast.user("hr_admin"))
    response = client.get(dashboard_url(unit=cast.sector.pk))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.unit == cast.sector
    assert board.ancestors == [cast.root]
    assert figures_numbers(board.totals) == SOCIAAL == count_directly(subtree(cast.sector), TODAY).numbers()
    assert figures_numbers(board.own) == count_directly([cast.sector], TODAY).numbers()

    # Team Inkomen's line includes Team Noord below it (three people each).
    [inkomen] = board.children
    assert inkomen.unit == cast.team
    with_noord = count_directly(subtree(cast.team), TODAY)
    assert with_noord.employees == 6
    assert count_directly([cast.team], TODAY).employees == 3
    assert figures_numbers(inkomen.figures) == with_noord.numbers()
    assert table(response, "units") == [
        ("Sector Sociaal itself", figure_cells(count_directly([cast.sector], TODAY))),
        ("Team Inkomen", figure_cells(with_noord)),
    ]
    assert f'href="?unit={cast.root.pk}&amp;period=2026"' in page(response)  # the way back up

    # One level further: Team Inkomen, with Team Noord as its child.
    response = client.get(dashboard_url(unit=cast.team.pk, period=2026))
    board = response.context["board"]
    assert figures_numbers(board.totals) == with_noord.numbers()
    assert [line.unit for line in board.children] == [full.north]
    assert figures_numbers(board.children[0].figures) == count_directly([full.north], TODAY).numbers()
    assert board.ancestors == [cast.root, cast.sector]

    # The director of Sector Sociaal lands on the same numbers.
    response = viewer(cast.user("director")).get(dashboard_url())
    assert response.context["board"].unit == cast.sector
    assert figures_numbers(response.context["board"].totals) == SOCIAAL


def test_the_csv_export_has_the_same_numbers_for_every_unit(full, viewer):
    cast = full.cast
    client = viewer(cast.user("hr_admin"))
    rows = {row["code"]: row for row in csv_rows(client.get(export_url("csv")))}
    units = subtree(cast.root)
    assert sorted(rows) == sorted(unit.code for unit in units)
    for unit in units:
        assert export_numbers(rows[unit.code]) == count_directly(subtree(unit), TODAY).numbers(), unit.code
    assert export_numbers(rows["GEM"]) == ORGANISATION
    assert export_numbers(rows["SOC"]) == SOCIAAL
