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


@durable_task()
def wait_for_go(folder: str) -> int:
    """Counts its runs in ``folder/runs``, says ``started``, then waits for ``go`` (so a
    test can kill the worker in the middle of it) and says ``done``."""
    import time
    from pathlib import Path

    path = Path(folder)
    runs = path / "runs"
    count = int(runs.read_text()) + 1 if runs.exists() else 1
    runs.write_text(str(count))
    (path / "started").touch()
    while not (path / "go").exists():
        time.sleep(0.05)
    (path / "done").touch()
    return count
