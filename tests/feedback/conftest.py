"""Shared set-up for the feedback and development-scan tests.

The conversation fixtures (Heemstede in force, the 2026 cycles open, ``planning`` planned
by the employee for 12 January 2026 with the manager conducting) come from
``tests/conversations/conftest.py``. The cast gets fixed, distinct names so that
"X is not on the page" cannot pass or fail by a chance collision of generated names.

Feedback is given with the real clock unless a test moves it (``time_machine``); requests
need an answer-by date after today, so the request and reminder tests stand still on
``TODAY``.
"""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.feedback.services import feedback_offer
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.conversations import conftest as conversations
from tests.factories import EmployeeFactory

# The conversation fixtures, shared (pytest finds fixtures by name in this module).
cycle = conversations.cycle
english = conversations.english
fast_password_hashing = conversations.fast_password_hashing
heemstede = conversations.heemstede
held_planning = conversations.held_planning
hold = conversations.hold
plan = conversations.plan
planning = conversations.planning

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2026, 3, 2)  # a Monday; the day the request tests stand still on

NAMES = {
    "employee": ("Eva", "Ermelo"),
    "colleague": ("Cor", "Coevorden"),
    "manager": ("Mila", "Maassluis"),
    "director": ("Dirk", "Doetinchem"),
    "secretary": ("Sara", "Sneek"),
    "other_director": ("Otto", "Oosterhout"),
    "other_manager": ("Olga", "Ommen"),
    "other_employee": ("Oscar", "Oldenzaal"),
    "hr_adviser": ("Hanna", "Harderwijk"),
    "hr_admin": ("Hugo", "Hengelo"),
    "foreign_employee": ("Frits", "Franeker"),
}
EMAILS = {
    "employee": "eva.ermelo@teststad.nl",
    "colleague": "cor.coevorden@teststad.nl",
    "manager": "mila.maassluis@teststad.nl",
    "other_employee": "oscar.oldenzaal@teststad.nl",
    "foreign_employee": "frits.franeker@elders.nl",
}


def name(role: str) -> str:
    return " ".join(NAMES[role])


@pytest.fixture
def named(cast):
    """The cast with fixed names and, for those who are mailed, fixed e-mail addresses."""
    for role, (first, last) in NAMES.items():
        person = getattr(cast, role)
        email = EMAILS.get(role, person.email)
        Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last, email=email)
        User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last, email=email)
        person.first_name, person.last_name, person.email = first, last, email
        person.user.first_name, person.user.last_name, person.user.email = first, last, email
    return cast


@pytest.fixture
def teammate(named):
    """A third member of Team Inkomen (the employee's and the colleague's team)."""
    person = EmployeeFactory(
        unit=named.team,
        first_name="Tom",
        last_name="Tiel",
        email="tom.tiel@teststad.nl",
    )
    employees_refresh_managers(organisation=named.organisation)
    return Employee.objects.select_related("user", "manager").get(pk=person.pk)


@pytest.fixture
def standing_still(time_machine):
    """The clock stands still on ``TODAY`` at 10:00 in Amsterdam."""
    time_machine.move_to(
        datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=AMSTERDAM), tick=False
    )
    return TODAY


def user_of(cast, role: str, teammate=None):
    if role == "teammate":
        return teammate.user
    return cast.user(role)


def offer(cast, giver: str, receiver: str, text: str, **extra):
    """``giver`` gives ``receiver`` unasked feedback through the service."""
    return feedback_offer(receiver=getattr(cast, receiver), text=text, acting_user=cast.user(giver), **extra)


# -- pages ------------------------------------------------------------------------------


def feedback_page(pk: int) -> str:
    return reverse("feedback:detail", args=[pk])


def conversation_page(pk: int) -> str:
    return reverse("conversations:detail", args=[pk])


def text_of(response) -> str:
    """The page as a reader sees its text: tags removed, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
