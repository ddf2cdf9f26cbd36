"""Tasks for the queue's own tests (module level, so a worker can import them)."""

from gesprekscyclus.jobs.queue import durable_task
from gesprekscyclus.organisations.models import Organisation


@durable_task()
def create_organisation(name: str) -> int:
    """Idempotent, like every task: a second run finds the organisation."""
    return Organisation.objects.get_or_create(name=name)[0].pk


def _gave_up(name: str) -> None:
    Organisation.objects.create(name=f"gave up: {name}")


class Broken(Exception):
    pass


@durable_task(retries=2, backoff_seconds=60, on_give_up=_gave_up)
def always_fails(name: str) -> None:
    raise Broken(name)
