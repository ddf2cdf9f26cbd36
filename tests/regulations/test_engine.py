"""The cycle engine's general rules, independent of any one seed."""

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from gesprekscyclus.regulations import engine
from gesprekscyclus.regulations.engine import (
    DueItem,
    EmployeeFacts,
    HeldConversation,
    Period,
    compute_schedule,
    period_for,
)
from gesprekscyclus.regulations.loader import load_preset, preset_ids
from gesprekscyclus.regulations.reasons import render_reason, schedule_to_json
from tests.regulations.builders import preset_data, regulation_from

YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
VETERAN = EmployeeFacts(employment_start=date(2015, 3, 1))


def _by_kind(items: list[DueItem]) -> dict[str, list[DueItem]]:
    grouped: dict[str, list[DueItem]] = {}
    for item in items:
        grouped.setdefault(item.kind, []).append(item)
    return grouped


def _klassiek(as_of: date, held=(), facts=VETERAN) -> dict[str, list[DueItem]]:
    return _by_kind(compute_schedule(load_preset("klassiek"), facts, YEAR_2024, list(held), as_of))


# -- periods -----------------------------------------------------------------------------


def test_period_is_inclusive_and_has_a_midpoint():
    assert YEAR_2024.midpoint == date(2024, 7, 1)
    assert YEAR_2024.contains(date(2024, 12, 31))
    with pytest.raises(ValueError):
        Period(date(2024, 2, 1), date(2024, 1, 31))


def test_period_for_calendar_year():
    assert period_for(load_preset("klassiek"), VETERAN, 2024) == YEAR_2024


def test_period_for_per_unit_uses_the_units_month_or_the_default():
    regulation = load_preset("heemstede")
    assert period_for(regulation, VETERAN, 2024) == YEAR_2024
    september = dataclasses.replace(VETERAN, period_start_month=9)
    assert period_for(regulation, september, 2024) == Period(date(2024, 9, 1), date(2025, 8, 31))


def test_period_for_employee_start_date_uses_the_anniversary():
    data = preset_data("klassiek")
    data["period"] = {"length_months": 12, "start": "employee_start_date"}
    regulation = regulation_from(data)
    leap_day = EmployeeFacts(employment_start=date(2020, 2, 29))
    assert period_for(regulation, leap_day, 2023) == Period(date(2023, 2, 28), date(2024, 2, 27))
    assert period_for(regulation, leap_day, 2024) == Period(date(2024, 2, 29), date(2025, 2, 27))


def test_period_for_six_month_periods():
    data = preset_data("klassiek")
    data["period"]["length_months"] = 6
    half_year = Period(date(2024, 1, 1), date(2024, 6, 30))
    assert period_for(regulation_from(data), VETERAN, 2024) == half_year


# -- statuses ----------------------------------------------------------------------------


def test_statuses_follow_as_of():
    """Planning: 2023-12-01..2024-02-01; performance: 2024-06-01..2024-08-01."""
    before = _klassiek(date(2023, 11, 30))
    assert before["planning"][0].status == "not_yet"
    on_first_day = _klassiek(date(2023, 12, 1))
    assert on_first_day["planning"][0].status == "due"
    on_last_day = _klassiek(date(2024, 2, 1))
    assert on_last_day["planning"][0].status == "due"
    after = _klassiek(date(2024, 2, 2))
    assert after["planning"][0].status == "overdue"
    assert after["performance"][0].status == "not_yet"


def test_held_and_waived():
    held = [
        HeldConversation("planning", date(2024, 1, 15)),
        HeldConversation("performance", date(2024, 6, 1), status="waived"),
    ]
    schedule = _klassiek(date(2024, 9, 1), held)
    assert schedule["planning"][0].status == "done"
    assert schedule["planning"][0].held_on == date(2024, 1, 15)
    assert "Held on 2024-01-15." in render_reason(schedule["planning"][0], "en")
    assert "Gevoerd op 2024-01-15." in render_reason(schedule["planning"][0], "nl")
    assert schedule["performance"][0].status == "waived"
    assert schedule["assessment"][0].status == "not_yet"


def test_a_late_conversation_still_counts():
    schedule = _klassiek(date(2024, 9, 1), [HeldConversation("planning", date(2024, 5, 20))])
    assert schedule["planning"][0].status == "done"


def test_conversations_of_unknown_kinds_are_ignored():
    schedule = _klassiek(date(2024, 9, 1), [HeldConversation("coffee", date(2024, 1, 5))])
    assert schedule["planning"][0].status == "overdue"


# -- employment --------------------------------------------------------------------------


def test_windows_are_clamped_to_the_employment_start():
    starter = EmployeeFacts(employment_start=date(2024, 1, 15))
    planning = _klassiek(date(2024, 1, 20), facts=starter)["planning"][0]
    assert (planning.due_from, planning.due_by) == (date(2024, 1, 15), date(2024, 2, 1))
    assert "Window starts at the employment start." in render_reason(planning, "en")
    assert "Termijn begint bij de indiensttreding." in render_reason(planning, "nl")


def test_windows_wholly_before_the_employment_are_dropped():
    starter = EmployeeFacts(employment_start=date(2024, 9, 1))
    assert list(_klassiek(date(2024, 9, 1), facts=starter)) == ["assessment"]


def test_windows_are_clamped_to_the_employment_end_and_dropped_after_it():
    leaver = EmployeeFacts(employment_start=date(2015, 1, 1), employment_end=date(2024, 6, 15))
    schedule = _klassiek(date(2024, 3, 1), facts=leaver)
    assert list(schedule) == ["planning", "performance"]
    assert schedule["performance"][0].due_by == date(2024, 6, 15)
    assert "Window ends at the employment end." in render_reason(schedule["performance"][0], "en")


# -- initiative --------------------------------------------------------------------------


def test_takeover_after_the_configured_days():
    """Klassiek performance: either side starts; the manager takes over after 14 days."""
    assert _klassiek(date(2024, 6, 14))["performance"][0].initiative == "either"
    taken_over = _klassiek(date(2024, 6, 15))["performance"][0]
    assert taken_over.initiative == "manager"
    english = "The manager takes the initiative: nothing happened within 14 days."
    assert english in render_reason(taken_over, "en")
    dutch = "De leidinggevende neemt het initiatief: binnen 14 dagen is er niets gebeurd."
    assert dutch in render_reason(taken_over, "nl")


def test_no_takeover_once_held():
    held = [HeldConversation("performance", date(2024, 6, 2))]
    assert _klassiek(date(2024, 7, 1), held)["performance"][0].initiative == "either"


# -- conditions --------------------------------------------------------------------------


def test_appointment_condition_limits_a_kind():
    data = preset_data("klassiek")
    data["conversation_kinds"][1]["conditions"] = {"appointments": ["temporary", "probation"]}
    regulation = regulation_from(data)

    def kinds(facts):
        schedule = compute_schedule(regulation, facts, YEAR_2024, [], date(2024, 3, 1))
        return {item.kind for item in schedule}

    assert kinds(VETERAN) == {"planning", "assessment"}
    temporary = dataclasses.replace(VETERAN, appointment="temporary")
    assert kinds(temporary) == {"planning", "performance", "assessment"}


def test_requirement_without_flag_needs_the_kind_held_by_the_window_end():
    data = preset_data("klassiek")
    data["conversation_kinds"][2]["conditions"] = {"requires": [{"kind": "performance"}]}
    regulation = regulation_from(data)

    def kinds(held):
        schedule = compute_schedule(regulation, VETERAN, YEAR_2024, held, date(2024, 9, 1))
        return [item.kind for item in schedule]

    assert "assessment" not in kinds([])
    waived = HeldConversation("performance", date(2024, 6, 5), status="waived")
    assert "assessment" not in kinds([waived])
    assert "assessment" in kinds([HeldConversation("performance", date(2024, 6, 5))])


def test_probation_end_anchor_without_a_probation_end_gives_no_item():
    data = preset_data("klassiek")
    data["conversation_kinds"][2]["due"]["anchor"] = "probation_end"
    regulation = regulation_from(data)
    schedule = compute_schedule(regulation, VETERAN, YEAR_2024, [], date(2024, 3, 1))
    assert "assessment" not in {item.kind for item in schedule}


# -- repeated kinds ----------------------------------------------------------------------


def test_minimum_count_spreads_windows_over_the_window():
    data = preset_data("klassiek")
    data["conversation_kinds"][1]["count"] = {"min_per_period": 3}
    data["conversation_kinds"][1]["due"] = {
        "anchor": "period_start",
        "from": {"days": 0},
        "to": {"months": 12, "days": -1},
    }
    schedule = compute_schedule(regulation_from(data), VETERAN, YEAR_2024, [], date(2024, 1, 1))
    performances = _by_kind(schedule)["performance"]
    assert [(item.sequence, item.count) for item in performances] == [(1, 3), (2, 3), (3, 3)]
    assert performances[0].due_from == date(2024, 1, 1)
    assert performances[-1].due_by == date(2024, 12, 31)
    for earlier, later in zip(performances, performances[1:], strict=False):
        assert (later.due_from - earlier.due_by).days == 1
    assert render_reason(performances[1], "en").startswith("Performance conversation 2 of 3: ")
    assert render_reason(performances[1], "nl").startswith("Functioneringsgesprek 2 van 3: ")


def test_the_kth_conversation_settles_the_kth_item():
    held = [
        HeldConversation("check_in", date(2024, 5, 1)),
        HeldConversation("check_in", date(2024, 2, 1)),
    ]
    schedule = compute_schedule(load_preset("zaanstad"), VETERAN, YEAR_2024, held, date(2024, 8, 1))
    check_ins = _by_kind(schedule)["check_in"]
    assert [item.status for item in check_ins] == ["done", "done", "due", "not_yet"]
    assert [item.held_on for item in check_ins[:2]] == [date(2024, 2, 1), date(2024, 5, 1)]


# -- reasons and JSON --------------------------------------------------------------------


def test_reason_cites_the_rule_in_english_and_dutch():
    planning = _klassiek(date(2024, 1, 1))["planning"][0]
    assert render_reason(planning, "en") == (
        "Planning conversation: due from 1 month before the period start to 1 month after the "
        "period start (rule klassiek 1.0, conversation_kinds[0])."
    )
    assert render_reason(planning, "nl") == (
        "Planningsgesprek: te voeren van 1 maand vóór het begin van de periode tot 1 maand na "
        "het begin van de periode (regel klassiek 1.0, conversation_kinds[0])."
    )


def test_schedule_to_json_is_the_public_contract():
    items = compute_schedule(
        load_preset("klassiek"),
        VETERAN,
        YEAR_2024,
        [HeldConversation("planning", date(2024, 1, 10))],
        date(2024, 7, 1),
    )
    payload = schedule_to_json(items)
    assert json.loads(json.dumps(payload)) == payload
    assert payload[0] == {
        "kind": "planning",
        "sequence": 1,
        "count": 1,
        "due_from": "2023-12-01",
        "due_by": "2024-02-01",
        "status": "done",
        "initiative": "manager",
        "reason": render_reason(items[0], "en"),
        "reason_nl": render_reason(items[0], "nl"),
        "held_on": "2024-01-10",
    }
    assert [entry["kind"] for entry in payload] == ["planning", "performance", "assessment"]
    assert {"kind", "due_from", "due_by", "status", "reason"} <= set(payload[1])
    assert payload[1]["held_on"] is None


def test_items_are_sorted_by_window():
    items = compute_schedule(load_preset("zaanstad"), VETERAN, YEAR_2024, [], date(2024, 1, 1))
    keys = [(item.due_from, item.due_by) for item in items]
    assert keys == sorted(keys)


# -- regulation is data ------------------------------------------------------------------


def test_engine_never_mentions_an_organisation():
    source = Path(engine.__file__).read_text(encoding="utf-8").lower()
    for preset_id in preset_ids():
        assert preset_id not in source


@pytest.mark.parametrize("preset_id", ["heemstede", "zaanstad", "wierden"])
def test_renaming_a_regulation_changes_nothing_but_the_citation(preset_id):
    data = preset_data(preset_id)
    data["id"] = "elsewhere"
    renamed = regulation_from(data)
    facts = EmployeeFacts(
        employment_start=date(2024, 2, 1), appointment="probation", probation_end=date(2025, 2, 1)
    )
    held = [HeldConversation("progress", date(2024, 5, 10), improvement_points_recorded=True)]
    original = compute_schedule(load_preset(preset_id), facts, YEAR_2024, held, date(2024, 10, 1))
    copied = compute_schedule(renamed, facts, YEAR_2024, held, date(2024, 10, 1))
    assert [dataclasses.replace(item, reason=()) for item in original] == [
        dataclasses.replace(item, reason=()) for item in copied
    ]
