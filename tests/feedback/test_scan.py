"""The development scan: twelve statements in three sections, answered 1 to 5, with the
employee's own reflection. It is the employee's: the manager gets nothing of it from any
page until the employee brings it into a conversation (then both participants see the
section averages there). Finishing needs every statement answered; the report shows a
chart with a text alternative and the same numbers as a table."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.feedback.models import ScanResponse
from gesprekscyclus.feedback.services import scan_report, scan_save, scan_share
from tests.conversations.conftest import BEFORE_TAKEOVER, PLANNING_DAY, cycle_of
from tests.conversations.pages_helpers import browser, html, load_form, messages_of, post_form, submit
from tests.feedback.conftest import conversation_page, text_of

SCAN_PAGE = "/feedback/ontwikkelscan/"
REFLECTION = "Ik wil meer ruimte voor vakinhoudelijke verdieping in wetgeving."
# Per section (Wie ben ik?, Wat wil ik?, Wat kan ik?): averages 4.5, 2.0 and 3.5.
ANSWERS = {
    "0.0": 5, "0.1": 4, "0.2": 5, "0.3": 4,
    "1.0": 2, "1.1": 2, "1.2": 2, "1.3": 2,
    "2.0": 3, "2.1": 4, "2.2": 3, "2.3": 4,
}  # fmt: skip
AVERAGES = ["Wie ben ik?: 4.5", "Wat wil ik?: 2.0", "Wat kan ik?: 3.5"]


def radio_values(answers: dict) -> dict:
    return {f"a_{key}": str(value) for key, value in answers.items()}


def fill_in(client, answers=ANSWERS, *, finish: bool = True):
    button = ("finish", "1") if finish else ("", "")
    form = load_form(client, SCAN_PAGE, having="reflection")
    return post_form(client, form, data={**radio_values(answers), "reflection": REFLECTION}, button=button)


@pytest.fixture
def finished(named):
    """The employee finished a scan (through the page)."""
    response = fill_in(browser(named.user("employee")))
    assert messages_of(response) == ["Your scan is saved. Only you see it unless you share it."]
    return ScanResponse.objects.get(employee=named.employee, completed_at__isnull=False)


def manager_pages(cast, scan, conversation=None) -> dict[str, str]:
    """Every page on which the manager might come across the employee's scan."""
    pages = {
        "my overview": reverse("core:overview"),
        "feedback": reverse("feedback:overview"),
        "own scan page": SCAN_PAGE,
        "team": reverse("cycles:team_schedule"),
        "employee's schedule": reverse("cycles:employee_schedule", args=[cast.employee.pk]),
        "employee": reverse("organisations:employee_detail", args=[cast.employee.pk]),
    }
    if conversation is not None:
        pages["conversation"] = conversation_page(conversation.pk)
    return pages


def test_finishing_shows_the_report_with_a_chart_and_the_numbers_as_a_table(named, finished):
    page = html(browser(named.user("employee")).get(SCAN_PAGE))

    svg = re.search(r"<svg\b([^>]*)>(.*?)</svg>", page, re.S)
    assert svg, "no chart"
    attributes, drawing = svg.groups()
    assert 'role="img"' in attributes
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', attributes).group(1)
    title = re.search(r'<title id="([^"]+)">([^<]+)</title>', drawing)
    assert title and title.group(1) == labelled_by
    assert "Average per section on a scale of 1 to 5" in title.group(2)
    # One bar per section, as long as its average (5 is 300 wide).
    assert re.findall(r'<rect [^>]*width="(\d+)"', drawing) == ["270", "120", "210"]

    table = re.search(r"<table\b.*?</table>", page, re.S).group(0)
    rows = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert rows[0] == ["Statement", "Answer"]
    assert ["Wie ben ik? (average 4.5)"] in rows
    assert ["Wat wil ik? (average 2.0)"] in rows
    assert ["Wat kan ik? (average 3.5)"] in rows
    assert ["Ik weet waar ik goed in ben.", "5"] in rows
    assert ["Mijn werk en privéleven zijn in balans.", "2"] in rows
    assert ["Ik houd mijn vakkennis bij.", "4"] in rows
    assert len(rows) == 1 + 3 + 12
    assert REFLECTION in text_of(browser(named.user("employee")).get(SCAN_PAGE))


def test_the_chart_is_drawn_at_its_own_size(named, finished):
    """The SVG's height must fit its drawing (three bars of 24 at 40 apart from y=10):
    a viewBox of 130 squeezed into a smaller height shrinks bars and labels."""
    page = html(browser(named.user("employee")).get(SCAN_PAGE))
    attributes = re.search(r"<svg\b([^>]*)>", page).group(1)
    width = float(re.search(r'\bwidth="([\d.]+)"', attributes).group(1))
    height = float(re.search(r'\bheight="([\d.]+)"', attributes).group(1))
    _x, _y, box_width, box_height = (
        float(part) for part in re.search(r'viewBox="([^"]+)"', attributes).group(1).split()
    )
    assert (width, height) == (box_width, box_height)


def test_the_chart_shrinks_to_fit_a_narrow_screen(named, finished):
    """At 375 pixels the 460-pixel chart made the page scroll sideways (the Wierden year
    scenario found it): it carries the class that caps its width at its container's and keeps
    its proportions (.gc-chart: max-width min(44rem, 100%), height auto)."""
    page = html(browser(named.user("employee")).get(SCAN_PAGE))
    attributes = re.search(r"<svg\b([^>]*)>", page).group(1)
    assert re.search(r'\bclass="gc-chart"', attributes), attributes
    css = (Path(settings.BASE_DIR) / "src/gesprekscyclus/core/static/css/gesprekscyclus.css").read_text()
    rule = re.search(r"\.gc-chart \{([^}]*)\}", css).group(1)
    assert "max-width: min(44rem, 100%)" in rule and "height: auto" in rule


def test_finishing_with_open_statements_is_refused_naming_how_many(named):
    employee = browser(named.user("employee"))
    open_three = {key: value for key, value in ANSWERS.items() if key not in {"0.3", "1.2", "2.0"}}

    response = fill_in(employee, open_three)

    assert messages_of(response) == [
        "Your answers are saved. Answer every statement before finishing (3 open)."
    ]
    assert not ScanResponse.objects.filter(completed_at__isnull=False).exists()
    assert "<svg" not in html(response)
    with pytest.raises(Refused, match=r"\(1 open\)"):
        scan_save(
            answers={key: value for key, value in ANSWERS.items() if key != "2.3"},
            reflection="",
            complete=True,
            acting_user=named.user("employee"),
        )


def test_answers_survive_a_refused_finish(named):
    """Clicking *Finish* with one statement open must not throw away the eleven answers
    the employee gave: the page comes back with them still ticked."""
    employee = browser(named.user("employee"))
    eleven = {key: value for key, value in ANSWERS.items() if key != "2.3"}

    response = fill_in(employee, eleven)

    assert messages_of(response) == [
        "Your answers are saved. Answer every statement before finishing (1 open)."
    ]
    form = load_form(employee, SCAN_PAGE, having="reflection")
    ticked = {name: value for name, value in form.fields if name.startswith("a_")}
    assert ticked == radio_values(eleven)


def test_saving_keeps_a_draft_that_can_be_finished_later(named):
    employee = browser(named.user("employee"))
    first_half = {key: value for key, value in ANSWERS.items() if key.startswith("0.")}
    response = fill_in(employee, first_half, finish=False)
    assert messages_of(response) == ["Your scan is saved. Only you see it unless you share it."]
    form = load_form(employee, SCAN_PAGE, having="reflection")
    assert {name: value for name, value in form.fields if name.startswith("a_")} == radio_values(first_half)

    fill_in(employee, ANSWERS)

    scan = ScanResponse.objects.get()
    assert scan.completed_at is not None
    assert [section["average"] for section in scan_report(scan)] == [4.5, 2.0, 3.5]


def test_the_manager_gets_nothing_of_the_scan_from_any_page(named, finished, planning):
    manager = browser(named.user("manager"))
    for label, url in manager_pages(named, finished, planning).items():
        response = manager.get(url)
        assert response.status_code == 200, label
        page = text_of(response)
        assert REFLECTION not in page, label
        for average in AVERAGES:
            assert average not in page, label
    # The manager cannot share it either, nor see it through the share address.
    response = manager.post(reverse("feedback:scan_share", args=[finished.pk]), {"manager": "1"})
    assert response.status_code == 404
    with pytest.raises(Refused, match="Only you decide who sees your scan."):
        scan_share(finished, with_manager=True, conversation=planning, acting_user=named.user("manager"))
    finished.refresh_from_db()
    assert (finished.shared_with_manager, finished.conversation) == (False, None)


def test_brought_into_a_conversation_both_participants_see_the_averages(named, teammate, finished, planning):
    employee = browser(named.user("employee"))
    response = submit(
        employee,
        SCAN_PAGE,
        action=reverse("feedback:scan_share", args=[finished.pk]),
        data={"gesprek": str(planning.pk)},
    )
    assert messages_of(response) == ["Who sees your scan has been saved."]

    for role in ("employee", "manager"):
        page = text_of(browser(named.user(role)).get(conversation_page(planning.pk)))
        for average in AVERAGES:
            assert average in page, role
        assert REFLECTION in page, role
    for user in (
        named.user("director"),
        named.user("hr_adviser"),
        named.user("hr_admin"),
        named.user("colleague"),
        teammate.user,
    ):
        page = text_of(browser(user).get(conversation_page(planning.pk)))
        assert REFLECTION not in page, user
        for average in AVERAGES:
            assert average not in page, user

    # Taken out again: the conversation page no longer shows it.
    submit(
        employee,
        SCAN_PAGE,
        action=reverse("feedback:scan_share", args=[finished.pk]),
        data={"gesprek": ""},
    )
    assert REFLECTION not in text_of(browser(named.user("manager")).get(conversation_page(planning.pk)))


def test_a_scan_cannot_be_brought_into_someone_elses_conversation(named, finished, plan, cycle):
    colleagues = plan(
        cycle_of(named.colleague), "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, by="colleague"
    )
    with pytest.raises(Refused, match="Bring it into a conversation you take part in."):
        scan_share(finished, with_manager=False, conversation=colleagues, acting_user=named.user("employee"))
    # Through the page the conversation is not even found: nothing changes.
    employee = browser(named.user("employee"))
    employee.post(reverse("feedback:scan_share", args=[finished.pk]), {"gesprek": str(colleagues.pk)})
    finished.refresh_from_db()
    assert finished.conversation is None
    assert REFLECTION not in text_of(browser(named.user("colleague")).get(conversation_page(colleagues.pk)))


def test_shared_with_the_manager_the_manager_can_read_it(named, finished, planning):
    """The employee ticks *My manager may see this report*. The manager should then be
    able to read it somewhere; no page shows a scan shared this way."""
    employee = browser(named.user("employee"))
    response = submit(
        employee,
        SCAN_PAGE,
        action=reverse("feedback:scan_share", args=[finished.pk]),
        data={"manager": "1", "gesprek": ""},
    )
    assert messages_of(response) == ["Who sees your scan has been saved."]
    finished.refresh_from_db()
    assert finished.shared_with_manager

    manager = browser(named.user("manager"))
    seen_on = [
        label
        for label, url in manager_pages(named, finished, planning).items()
        if REFLECTION in text_of(manager.get(url))
    ]
    assert seen_on, "the manager finds the shared scan on none of their pages"
