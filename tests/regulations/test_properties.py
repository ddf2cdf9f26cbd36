"""Properties of the engine over random employees, periods, conversations and dates."""

import json
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from gesprekscyclus.regulations.engine import (
    STATUSES,
    EmployeeFacts,
    HeldConversation,
    compute_schedule,
    period_for,
)
from gesprekscyclus.regulations.loader import load_preset, preset_ids
from gesprekscyclus.regulations.reasons import render_reason, schedule_to_json
from gesprekscyclus.regulations.regulation import Regulation

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)
# Words of the English reasons that a Dutch reason never contains.
ENGLISH_IN_REASONS = ("due from", "month", " day", "Held on", "Waived on", "the period", "initiative")


@cache
def _preset(preset_id: str) -> Regulation:
    return load_preset(preset_id)


@st.composite
def employees(draw, regulation: Regulation) -> EmployeeFacts:
    start = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
    end = draw(st.none() | st.integers(0, 4000).map(lambda days: start + timedelta(days=days)))
    appointment = draw(st.sampled_from(["permanent", "temporary", "probation"]))
    days_later = st.integers(0, 900).map(lambda days: start + timedelta(days=days))
    probation_end = draw(st.none() | days_later)
    return EmployeeFacts(
        employment_start=start,
        employment_end=end,
        appointment=appointment,
        probation_end=probation_end,
        agreed_frequency_per_year=draw(st.none() | st.integers(0, 60)),
        period_start_month=draw(st.none() | st.integers(1, 12)),
        requested_kinds=frozenset(draw(st.sets(st.sampled_from(regulation.kind_ids)))),
    )


@st.composite
def conversations(draw, regulation: Regulation, around: date) -> list[HeldConversation]:
    kinds = st.sampled_from(regulation.kind_ids)
    return draw(
        st.lists(
            st.builds(
                HeldConversation,
                kind=kinds,
                date=st.integers(-400, 800).map(lambda days: around + timedelta(days=days)),
                status=st.sampled_from(["held", "waived"]),
                improvement_points_recorded=st.booleans(),
                combined_with=st.lists(kinds, max_size=2, unique=True).map(tuple),
            ),
            max_size=6,
        )
    )


@st.composite
def scenarios(draw):
    regulation = _preset(draw(st.sampled_from(preset_ids())))
    facts = draw(employees(regulation))
    year = draw(st.integers(facts.employment_start.year - 1, facts.employment_start.year + 4))
    period = period_for(regulation, facts, year)
    held = draw(conversations(regulation, period.start))
    as_of = draw(st.integers(-500, 900).map(lambda days: period.start + timedelta(days=days)))
    return regulation, facts, period, held, as_of


@PROPERTY_SETTINGS
@given(scenarios())
def test_windows_stay_inside_the_employment(scenario):
    regulation, facts, period, held, as_of = scenario
    for item in compute_schedule(regulation, facts, period, held, as_of):
        assert item.due_from <= item.due_by
        assert item.due_from >= facts.employment_start
        if facts.employment_end is not None:
            assert item.due_by <= facts.employment_end


@PROPERTY_SETTINGS
@given(scenarios())
def test_statuses_are_consistent_with_as_of(scenario):
    regulation, facts, period, held, as_of = scenario
    for item in compute_schedule(regulation, facts, period, held, as_of):
        assert item.status in STATUSES
        if item.status in ("done", "waived"):
            assert item.held_on is not None
        elif as_of < item.due_from:
            assert item.status == "not_yet"
        elif as_of > item.due_by:
            assert item.status == "overdue"
        else:
            assert item.status == "due"


@PROPERTY_SETTINGS
@given(scenarios())
def test_nothing_is_done_without_a_conversation(scenario):
    regulation, facts, period, _, as_of = scenario
    for item in compute_schedule(regulation, facts, period, [], as_of):
        assert item.status in ("not_yet", "due", "overdue")
        assert item.held_on is None


@PROPERTY_SETTINGS
@given(scenarios())
def test_sequences_number_each_kind_from_one(scenario):
    regulation, facts, period, held, as_of = scenario
    items = compute_schedule(regulation, facts, period, held, as_of)
    for kind_id in regulation.kind_ids:
        of_kind = sorted((item for item in items if item.kind == kind_id), key=lambda i: i.sequence)
        assert [item.sequence for item in of_kind] == list(range(1, len(of_kind) + 1))
        assert all(item.count == len(of_kind) for item in of_kind)


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_item_explains_itself_and_serialises(scenario):
    regulation, facts, period, held, as_of = scenario
    items = compute_schedule(regulation, facts, period, held, as_of)
    for item in items:
        assert item.initiative in ("employee", "manager", "either")
        assert f"{regulation.id} {regulation.version}" in render_reason(item, "en")
        dutch = render_reason(item, "nl")
        assert f"{regulation.id} {regulation.version}" in dutch
        assert [word for word in ENGLISH_IN_REASONS if word in dutch] == [], dutch
    payload = schedule_to_json(items)
    assert json.loads(json.dumps(payload)) == payload
    for entry, item in zip(payload, items, strict=True):
        assert date.fromisoformat(entry["due_from"]) == item.due_from
        assert date.fromisoformat(entry["due_by"]) == item.due_by


@PROPERTY_SETTINGS
@given(scenarios())
def test_period_is_as_long_as_the_regulation_says(scenario):
    regulation, _, period, _, _ = scenario
    assert period.end + timedelta(days=1) == period.start + relativedelta(
        months=regulation.period.length_months
    )


@st.composite
def probationers(draw):
    start = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
    months, days = draw(st.integers(6, 24)), draw(st.integers(0, 27))
    probation_end = start + relativedelta(months=months, days=days)
    after_probation = st.integers(0, 2000).map(lambda days: probation_end + timedelta(days=days))
    end = draw(st.none() | after_probation)
    return EmployeeFacts(
        employment_start=start,
        employment_end=end,
        appointment="probation",
        probation_end=probation_end,
    )


@PROPERTY_SETTINGS
@given(probationers(), st.integers(-30, 800))
def test_heemstede_probation_assessment_is_due_three_months_before_the_end(facts, as_of_days):
    """001_6a145d970164611e.txt: "3 maanden voor de beëindiging van tijdelijke aanstelling bij
    wijze van proef wordt het beoordelingsgesprek gevoerd."."""
    regulation = _preset("heemstede")
    period = period_for(regulation, facts, facts.employment_start.year)
    held = [
        HeldConversation(
            "progress",
            facts.employment_start + relativedelta(months=1),
            improvement_points_recorded=True,
        )
    ]
    as_of = facts.employment_start + timedelta(days=as_of_days)
    items = compute_schedule(regulation, facts, period, held, as_of)
    (assessment,) = [item for item in items if item.kind == "assessment"]
    assert assessment.due_by == facts.probation_end - relativedelta(months=3)


@PROPERTY_SETTINGS
@given(probationers(), st.integers(-30, 800))
def test_heemstede_no_probation_assessment_without_improvement_points(facts, as_of_days):
    """001_6a145d970164611e.txt: "Om een beoordelingsgesprek te kunnen voeren moeten
    verbeterpunten voor de medewerker duidelijk in het voortgangsgesprek aan de orde zijn
    geweest."."""
    regulation = _preset("heemstede")
    period = period_for(regulation, facts, facts.employment_start.year)
    held = [HeldConversation("progress", facts.employment_start + relativedelta(months=1))]
    as_of = facts.employment_start + timedelta(days=as_of_days)
    items = compute_schedule(regulation, facts, period, held, as_of)
    assert "assessment" not in [item.kind for item in items]
