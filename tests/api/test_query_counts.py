"""The API's lists cost the same number of queries however many rows a page holds: one
count, one page of rows with what they show joined in, the actor and the regulations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gesprekscyclus.agreements.models import Agreement, AgreementKind
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from tests.factories import EmployeeFactory
from tests.signatures import flow

LISTS = ["units", "employees", "regulations", "cycles", "conversations", "agreements", "dossier-entries"]


def grow(cast, count: int) -> None:
    """``count`` more people in Team Inkomen, each with a cycle, a planned conversation
    and an agreement."""
    for _ in range(count):
        EmployeeFactory(unit=cast.team, manager=cast.manager)
    cycles_open(organisation=cast.organisation, year=flow.YEAR, today=flow.CYCLES_OPENED_ON)
    for cycle in Cycle.objects.filter(employee__manager=cast.manager, conversations__isnull=True):
        conversation = flow.planned(cast, cycle)
        Agreement.objects.create(
            organisation=cast.organisation,
            employee=cycle.employee,
            cycle=cycle,
            kind=AgreementKind.WORK_RESULT,
            description="Doorlooptijd bijzondere bijstand omlaag",
            deadline=flow.PROGRESS_DAY,
            made_in=conversation,
            created_by=cast.user("manager"),
        )


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/v1/{path}/?page_size=500")
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response.json()["count"]


# What each role sees more of as the team grows (Kampen lets only the employee and the
# manager read conversations and agreements).
GROWING = {
    "manager": ["employees", "cycles", "conversations", "agreements"],
    "director": ["employees", "cycles"],
    "hr_admin": ["employees", "cycles"],
}


@pytest.mark.parametrize("role", list(GROWING))
def test_list_queries_do_not_grow_with_the_organisation(cast, as_user, role):
    flow.load_kampen(cast.organisation)
    grow(cast, 2)
    client = as_user(cast.user(role))
    small = {path: queries(client, path) for path in LISTS}
    grow(cast, 12)
    client = as_user(cast.user(role))
    large = {path: queries(client, path) for path in LISTS}
    for path in GROWING[role]:
        assert large[path][1] > small[path][1] > 0, path
    assert {path: count for path, (count, _) in large.items()} == {
        path: count for path, (count, _) in small.items()
    }
