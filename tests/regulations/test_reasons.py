"""Reasons are data in the engine and text only in reasons.py, through the gettext catalogue."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.utils import translation

from gesprekscyclus.regulations.engine import (
    Amount,
    AnchorRef,
    EmployeeFacts,
    HeldConversation,
    PartyRef,
    Period,
    Phrase,
    compute_schedule,
)
from gesprekscyclus.regulations.loader import load_preset
from gesprekscyclus.regulations.reasons import item_reason, render_reason
from gesprekscyclus.regulations.regulation import Label
from tests.regulations.builders import preset_data, regulation_from

YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
VETERAN = EmployeeFacts(employment_start=date(2015, 3, 1))
SRC = Path(__file__).resolve().parents[2] / "src"


def _klassiek_planning(held=()):
    items = compute_schedule(load_preset("klassiek"), VETERAN, YEAR_2024, list(held), date(2024, 1, 1))
    return next(item for item in items if item.kind == "planning")


def test_the_engine_imports_without_django():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(SRC)
    code = (
        "import sys\n"
        "import gesprekscyclus.regulations.engine\n"
        "assert not [name for name in sys.modules if name.split('.')[0] == 'django'], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)  # noqa: S603 (fixed interpreter and code)


def test_the_reason_is_data():
    planning = _klassiek_planning([HeldConversation("planning", date(2023, 12, 15))])
    rule, held = planning.reason
    assert rule.msgid == (
        "%(kind)s: due from %(start)s to %(end)s (rule %(regulation)s %(version)s, %(path)s)."
    )
    params = dict(rule.params)
    assert params["kind"] == Label(nl="Planningsgesprek", en="Planning conversation")
    assert params["start"] == Phrase.of(
        "%(distance)s before %(anchor)s", distance=Amount(1, "month"), anchor=AnchorRef("period_start")
    )
    assert (params["regulation"], params["version"], params["path"]) == (
        "klassiek",
        "1.0",
        "conversation_kinds[0]",
    )
    assert held == Phrase.of("Held on %(date)s.", date=date(2023, 12, 15))


def test_amounts_use_plural_forms():
    def after(amount):
        return [Phrase.of("%(distance)s after %(anchor)s", distance=amount, anchor=AnchorRef("period_end"))]

    assert render_reason(after(Amount(1, "month")), "en") == "1 month after the period end"
    assert render_reason(after(Amount(2, "month")), "en") == "2 months after the period end"
    assert render_reason(after(Amount(1, "month")), "nl") == "1 maand na het einde van de periode"
    assert render_reason(after(Amount(2, "month")), "nl") == "2 maanden na het einde van de periode"
    assert render_reason(after(Amount(1, "day")), "nl") == "1 dag na het einde van de periode"
    assert render_reason(after(Amount(0, "day")), "en") == "0 days after the period end"


def test_months_and_days_in_both_directions():
    data = preset_data("klassiek")
    data["conversation_kinds"][1]["due"] = {
        "anchor": "period_start",
        "from": {"months": 1, "days": 2},
        "to": {"months": 12, "days": -1},
    }
    data["conversation_kinds"][2]["due"] = {
        "anchor": "employment_start",
        "from": {"days": -1},
        "to": {"days": 10},
    }
    starter = EmployeeFacts(employment_start=date(2024, 5, 1))
    items = compute_schedule(regulation_from(data), starter, YEAR_2024, [], date(2024, 5, 1))
    performance, assessment = (
        next(item for item in items if item.kind == kind) for kind in ("performance", "assessment")
    )
    assert render_reason(performance, "en").startswith(
        "Performance conversation: due from 1 month and 2 days after the period start to "
        "12 months minus 1 day after the period start"
    )
    assert render_reason(performance, "nl").startswith(
        "Functioneringsgesprek: te voeren van 1 maand en 2 dagen na het begin van de periode tot "
        "12 maanden min 1 dag na het begin van de periode"
    )
    assert render_reason(assessment, "nl").startswith(
        "Beoordelingsgesprek: te voeren van 1 dag vóór de datum van indiensttreding tot "
        "10 dagen na de datum van indiensttreding"
    )


def test_parties_and_labels_follow_the_language():
    phrases = [
        Phrase.of(
            "Follows the %(kind)s of %(date)s.",
            kind=Label(nl="jaargesprek", en="annual conversation"),
            date=date(2024, 6, 20),
        ),
        Phrase.of(
            "The %(party)s takes the initiative: nothing happened within %(days)s.",
            party=PartyRef("either"),
            days=Amount(1, "day"),
        ),
    ]
    assert render_reason(phrases, "en-gb") == (
        "Follows the annual conversation of 2024-06-20. The employee or manager takes the initiative: "
        "nothing happened within 1 day."
    )
    assert render_reason(phrases, "nl") == (
        "Volgt op het jaargesprek van 2024-06-20. De medewerker of leidinggevende neemt het initiatief: "
        "binnen 1 dag is er niets gebeurd."
    )


def test_item_reason_uses_the_active_language_and_restores_it():
    planning = _klassiek_planning()
    with translation.override("en"):
        assert item_reason(planning) == render_reason(planning, "en")
        assert item_reason(planning, "nl").startswith("Planningsgesprek: te voeren van ")
        assert translation.get_language() == "en"
    with translation.override("nl"):
        assert item_reason(planning) == render_reason(planning, "nl")
