"""Agreements and work plans are made in conversations: the conversation fixtures
(Heemstede in force, the 2026 cycles open, ``planning``/``progress`` and their held
versions, ``zaanstad``) are shared from ``tests/conversations/conftest.py``.

``agreement`` is one agreement made by the employee in the held planning conversation."""

import datetime

import pytest

from gesprekscyclus.agreements.services import agreement_create
from tests.conversations import conftest as conversations

# The conversation fixtures, shared (pytest finds fixtures by name in this module).
cycle = conversations.cycle
cycle_2027 = conversations.cycle_2027
english = conversations.english
fast_password_hashing = conversations.fast_password_hashing
heemstede = conversations.heemstede
held_planning = conversations.held_planning
held_progress = conversations.held_progress
hold = conversations.hold
media = conversations.media
plan = conversations.plan
planning = conversations.planning
progress = conversations.progress
zaanstad = conversations.zaanstad
zaanstad_cycle = conversations.zaanstad_cycle

DEADLINE = datetime.date(2026, 12, 1)


def agreement_values(**overrides) -> dict:
    """What the agreement form delivers."""
    return {
        "kind": "work_result",
        "description": "Aanvragen bijzondere bijstand binnen acht weken afhandelen",
        "indicator": "Doorlooptijd in het zaaksysteem",
        "target": "90% binnen acht weken",
        "deadline": DEADLINE,
    } | overrides


@pytest.fixture
def agreement(cast, held_planning):
    return agreement_create(
        conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
    )
