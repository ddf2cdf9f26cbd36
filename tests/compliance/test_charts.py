"""The charts are images with a text alternative, drawn from the same numbers as the
tables next to them."""

import datetime
import re

import pytest

from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.cycles.services import cycles_open
from tests.compliance import scenario
from tests.compliance.conftest import dashboard_url
from tests.compliance.pages import page, percent, section, section_table, table, text
from tests.factories import EmployeeFactory

STAGE_LABELS = ["planned", "held", "report finished", "signed", "in the personnel file"]
STAGE_NAMES = ["Planned", "Held", "Report finished", "Signed", "In the personnel file"]
# Employees of the scenario's organisation per stage, of the 13 with something due.
STAGE_COUNTS = [7, 5, 3, 2, 1]


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def labels_and_bars(svg: str) -> tuple[list[str], list[float], list[str]]:
    """The labels left of the bars, the bar widths and the texts after the bars."""
    labels = re.findall(r'<text[^>]*text-anchor="end"[^>]*>([^<]*)</text>', svg)
    widths = [
        float(width) for width in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="18"', svg)
    ]
    values = re.findall(r'<text[^>]*font-size="12" fill="#222">([^<]*)</text>', svg)
    return labels, widths, values


def test_the_charts_are_labelled_images_with_the_numbers_of_the_tables(full, viewer):
    response = viewer(full.cast.user("hr_admin")).get(dashboard_url())
    html = page(response)
    stage_svg, trend_svg = svgs(html)
    for svg, chart_id in ((stage_svg, "stage-chart"), (trend_svg, "trend-chart")):
        assert 'role="img"' in svg.split(">", 1)[0]
        assert f'aria-labelledby="{chart_id}-title"' in svg.split(">", 1)[0]
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
    title = "Share of employees per stage, 2026 (the numbers are in the table below)"
    assert f'<title id="stage-chart-title">{title}</title>' in stage_svg

    # One bar per stage, as long as its share, with the share printed after it.
    labels, widths, values = labels_and_bars(stage_svg)
    assert labels == STAGE_LABELS
    assert values == [percent(count, 13) for count in STAGE_COUNTS]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] / widths[-1] == pytest.approx(7)  # 7 of 13 planned, 1 of 13 archived

    # Each stage label is in the stage table (with the same shares) and the column headers.
    assert section_table(response, "stages") == [
        (name, [f"{count} / 13", percent(count, 13)])
        for name, count in zip(STAGE_NAMES, STAGE_COUNTS, strict=True)
    ]
    for testid in ("units", "trend"):
        headers = re.search(rf'data-testid="{testid}".*?<thead>(.*?)</thead>', html, re.S).group(1)
        assert [text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", headers)][3:8] == STAGE_NAMES

    # The trend: a held and a signed bar per period, a legend saying which is which, a dash
    # for the periods without figures.
    labels, widths, values = labels_and_bars(trend_svg)
    assert labels == ["2022", "2023", "2024", "2025", "2026"]
    assert values == ["—"] * 8 + [percent(5, 13), percent(2, 13)]
    assert re.findall(r'<text x="[\d.]+" y="16" font-size="13" fill="#222">([^<]*)</text>', trend_svg) == [
        "held",
        "signed",
    ]
    assert [row[0] for row in table(response, "trend")] == ["2022", "2023", "2024", "2025", "2026"]


def test_a_period_without_figures_draws_empty_bars_and_says_so(refreshed, viewer):
    response = viewer(refreshed.cast.user("hr_admin")).get(dashboard_url(period=2027))
    assert response.status_code == 200
    stage_svg = svgs(page(response))[0]
    labels, widths, values = labels_and_bars(stage_svg)
    assert labels == STAGE_LABELS
    assert values == ["—"] * 5
    assert widths == [0.0] * 5
    assert "There are no figures for this period yet" in text(page(response))
    assert [row[1] for row in section_table(response, "stages")] == [["0 / 0", "—"]] * 5
    assert "Nobody is overdue." in section(response, "overdue")


def test_a_share_reads_the_same_in_the_chart_and_in_every_table(world, viewer):
    """One of eight people in Sector Sociaal held the planning conversation: 12.5%."""
    EmployeeFactory(unit=world.north)
    cycles_open(organisation=world.cast.organisation, year=2026, today=scenario.CYCLES_OPENED_ON)
    scenario.held(world.people["employee"], scenario.PLANNING)
    day = datetime.date(2026, 1, 20)  # the planning window is open
    progress_refresh(today=day)
    response = viewer(world.cast.user("director"), day).get(dashboard_url())
    totals = response.context["board"].totals
    assert (totals.with_due, totals.held) == (8, 1)

    in_stage_table = dict(section_table(response, "stages"))["Held"][1]
    _, _, in_chart = labels_and_bars(svgs(page(response))[0])
    in_trend_table = dict(table(response, "trend"))["2026"][3]  # employees, due so far, planned, held
    assert in_stage_table == in_chart[1] == in_trend_table
