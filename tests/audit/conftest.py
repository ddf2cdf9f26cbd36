"""The audit log's tests: the standard cast, the conversation fixtures shared from
``tests/conversations/conftest.py``, and ``json_lines``, the JSON lines the audit
logger writes (to stdout in production)."""

import io
import json
import logging

import pytest

from gesprekscyclus.audit.logging import JsonFormatter
from tests.conversations import conftest as conversations

cycle = conversations.cycle
english = conversations.english
fast_password_hashing = conversations.fast_password_hashing
heemstede = conversations.heemstede
held_planning = conversations.held_planning
hold = conversations.hold
plan = conversations.plan
planning = conversations.planning

PASSWORD = "correct horse battery staple"  # what UserFactory sets


@pytest.fixture
def json_lines():
    """``json_lines()``: the audit logger's lines so far, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("gesprekscyclus.audit")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
