"""``manage.py schedule``: what is due for one employee, as text or as the JSON contract.

The Heemstede tests cite the seed document (001_6a145d970164611e.txt) the way
tests/regulations/test_schedules.py does."""

import datetime
import json

import pytest
from django.core.management.base import CommandError

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.regulations.services import (
    read_regulation_source,
    regulation_version_activate,
    regulation_version_upload,
)
from tests.cycles.helpers import ORGANISATION, load, open_cycles, run
from tests.factories import EmployeeFactory

JSON_KEYS = {
    "kind",
    "sequence",
    "count",
    "due_from",
    "due_by",
    "status",
    "initiative",
    "reason",
    "reason_nl",
    "held_on",
}


def schedule(employee, *args: str, as_of: str = "2026-01-20") -> tuple[str, str]:
    return run(
        "schedule",
        "--organisation",
        ORGANISATION,
        "--employee",
        employee.personnel_number,
        "--as-of",
        as_of,
        *args,
    )


def schedule_json(employee, as_of: str = "2026-01-20") -> list[dict]:
    stdout, _ = schedule(employee, "--format", "json", as_of=as_of)
    return json.loads(stdout)


def by_kind(items: list[dict]) -> dict[str, dict]:
    return {item["kind"]: item for item in items}


@pytest.fixture
def opened(cast, heemstede):
    open_cycles()
    return cast


def test_json_is_a_list_of_items_with_exactly_the_documented_keys(opened):
    items = schedule_json(opened.employee)

    assert isinstance(items, list)
    assert [item["kind"] for item in items] == ["planning", "progress", "evaluation"]
    for item in items:
        assert set(item) == JSON_KEYS
        assert (item["sequence"], item["count"]) == (1, 1)
        datetime.date.fromisoformat(item["due_from"])
        datetime.date.fromisoformat(item["due_by"])
        assert item["held_on"] is None
        assert item["reason"]
        assert item["reason_nl"]
    planning = by_kind(items)["planning"]
    # Heemstede planning: one month either side of the period start (1 January 2026).
    assert (planning["due_from"], planning["due_by"]) == ("2025-12-01", "2026-02-01")
    assert planning["status"] == "due"
    # The employee starts; after 14 days without a conversation the manager takes over.
    assert planning["initiative"] == "manager"
    assert "The manager takes the initiative: nothing happened within 14 days." in planning["reason"]


def test_heemstede_probation_has_its_own_planning_progress_and_evaluation(opened):
    """001_6a145d970164611e.txt: "Voor nieuwe medewerkers met een tijdelijke aanstelling bij
    wijze van proef is het van belang dat het planningsgesprek vroeg in het eerste jaar
    plaatsvindt." "Een aantal maanden na indiensttreding kan dan het voortgangsgesprek
    plaatsvinden." "Aan het einde van het jaar wordt het evaluatiegesprek gevoerd." The
    first period runs from the employment start (1 March 2026)."""
    newcomer = EmployeeFactory(unit=opened.team, on_probation=True)
    open_cycles(today=datetime.date(2026, 3, 2))
    cycle = Cycle.objects.get(employee=newcomer)
    assert (cycle.period_start, cycle.period_end) == (datetime.date(2026, 3, 1), datetime.date(2027, 2, 28))

    items = schedule_json(newcomer, as_of="2026-03-10")

    assert [item["kind"] for item in items] == ["planning", "progress", "evaluation"]
    windows = {item["kind"]: (item["due_from"], item["due_by"], item["status"]) for item in items}
    assert windows == {
        "planning": ("2026-03-01", "2026-04-01", "due"),  # within the first month
        "progress": ("2026-06-01", "2026-07-01", "not_yet"),  # in the fourth month
        "evaluation": ("2027-02-01", "2027-02-28", "not_yet"),  # the last month of the first year
    }
    # Each reason cites the version and the key path of the probation rule it follows.
    for index, (item, label) in enumerate(
        zip(items, ("Planningsgesprek", "Voortgangsgesprek", "Evaluatiegesprek"), strict=True)
    ):
        assert f"heemstede 2013.1, probation.kinds[{index}])" in item["reason"]
        assert "Probation rule." in item["reason"]
        assert item["reason_nl"].startswith(f"{label}: ")
        assert f"heemstede 2013.1, probation.kinds[{index}])" in item["reason_nl"]


def test_as_of_moves_a_conversation_from_not_yet_to_due_to_overdue(opened):
    """001_6a145d970164611e.txt: one progress conversation "halverwege de looptijd";
    Heemstede's window is one month either side of the midpoint (2 July 2026)."""
    statuses = {
        as_of: by_kind(schedule_json(opened.employee, as_of=as_of))["progress"]["status"]
        for as_of in ("2026-06-01", "2026-06-02", "2026-08-02", "2026-08-03")
    }
    assert statuses == {
        "2026-06-01": "not_yet",
        "2026-06-02": "due",
        "2026-08-02": "due",
        "2026-08-03": "overdue",
    }


def test_the_text_format_prints_a_header_and_one_line_per_item(opened):
    stdout, stderr = schedule(opened.employee, as_of="2026-06-15")

    lines = stdout.splitlines()
    header, items = lines[0], lines[1:]
    assert opened.employee.full_name in header
    assert opened.employee.personnel_number in header
    assert "Heemstede — Cyclus van jaargesprekken 2013.1" in header
    assert "period 2026-01-01 to 2026-12-31" in header
    assert "as of 2026-06-15" in header
    assert len(items) == 3
    assert items[0].split()[:5] == ["2025-12-01", "..", "2026-02-01", "overdue", "planning"]
    assert items[1].split()[:5] == ["2026-06-02", "..", "2026-08-02", "due", "progress"]
    assert items[2].split()[:5] == ["2026-11-30", "..", "2027-01-31", "not_yet", "evaluation"]
    assert stderr == ""  # the cycle is open: no note
    # Dutch by default: the reason starts with the regulation's Dutch label.
    assert "Planningsgesprek: " in items[0]
    assert "(rule heemstede 2013.1, conversation_kinds[0])" not in items[0]


def test_the_text_format_can_give_the_reasons_in_english(opened):
    stdout, _ = schedule(opened.employee, "--language", "en", as_of="2026-06-15")

    planning = stdout.splitlines()[1]
    assert "Planning conversation: " in planning
    assert "(rule heemstede 2013.1, conversation_kinds[0])" in planning


def test_before_the_cycle_is_opened_the_schedule_is_shown_with_a_note(cast, heemstede):
    stdout, stderr = schedule(cast.employee, "--format", "json")

    assert "the 2026 cycle has not been opened yet" in stderr
    assert [item["kind"] for item in json.loads(stdout)] == ["planning", "progress", "evaluation"]


def test_an_open_cycle_keeps_its_regulation_after_a_new_version_replaces_it(opened):
    filename, text = read_regulation_source("klassiek")
    newer = regulation_version_upload(
        organisation=opened.organisation,
        filename=filename,
        text=text,
        in_force_from=datetime.date(2013, 10, 1),
    )
    regulation_version_activate(newer)

    stdout, _ = schedule(opened.employee)

    assert "Heemstede — Cyclus van jaargesprekken 2013.1" in stdout.splitlines()[0]
    # Someone without a cycle yet gets the new one.
    joiner = EmployeeFactory(unit=opened.team, employment_start=datetime.date(2026, 1, 2))
    stdout, _ = schedule(joiner)
    assert "Klassiek" in stdout.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--organisation", ORGANISATION, "--employee", "999999", "--as-of", "2026-01-20"],
            "No employee with personnel number '999999' in Gemeente Teststad",
        ),
        (
            ["--organisation", "Gemeente Nergens", "--employee", "100000", "--as-of", "2026-01-20"],
            "No organisation named 'Gemeente Nergens'",
        ),
        (
            ["--organisation", ORGANISATION, "--employee", "100000", "--as-of", "20-01-2026"],
            "--as-of '20-01-2026': expected YYYY-MM-DD",
        ),
    ],
)
def test_bad_arguments_give_a_clear_error(opened, args, message):
    with pytest.raises(CommandError, match=message):
        run("schedule", *args)


def test_someone_of_another_organisation_is_not_found(opened):
    with pytest.raises(CommandError, match="No employee with personnel number"):
        schedule(opened.foreign_employee)


def test_without_any_regulation_the_error_says_to_load_one(cast):
    with pytest.raises(CommandError, match="No regulation is in force for .* on 2026-01-20; load one"):
        schedule(cast.employee)


def test_before_the_only_regulation_is_in_force_the_error_says_so(cast):
    load(cast.organisation, "kampen", in_force_from=datetime.date(2027, 1, 1))

    with pytest.raises(
        CommandError, match=f"No regulation is in force for {cast.employee.full_name} on 2026-01-20"
    ):
        schedule(cast.employee)
    # From its in-force date on, it works.
    stdout, _ = schedule(cast.employee, as_of="2027-01-20")
    assert "Kampen" in stdout.splitlines()[0]
