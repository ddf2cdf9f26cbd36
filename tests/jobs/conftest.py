"""The database queue for the tests in this directory (the suite runs tasks immediately)."""

import pytest

from tests.jobs.helpers import DATABASE_QUEUE
from tests.signatures import conftest as signing

# The signing fixtures, shared (pytest finds fixtures by name in this module).
fast_password_hashing = signing.fast_password_hashing
kampen = signing.kampen
cycle = signing.cycle
ready = signing.ready


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database for ``run_worker`` (TASKS_BACKEND=database)."""
    settings.TASKS = DATABASE_QUEUE
