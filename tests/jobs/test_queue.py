"""The durable queue: enqueued with the business change, retried, reclaimed from a dead worker."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gesprekscyclus.jobs.models import WorkerHeartbeat
from gesprekscyclus.jobs.queue import enqueue
from gesprekscyclus.organisations.models import Organisation
from tests.jobs import sample_tasks
from tests.jobs.helpers import run_worker

pytestmark = pytest.mark.django_db


def test_immediate_backend_runs_the_task_when_enqueued():
    enqueue(sample_tasks.create_organisation, "Gemeente Direct")

    assert Organisation.objects.filter(name="Gemeente Direct").exists()
    assert not DBTaskResult.objects.exists()


def test_immediate_backend_raises_the_tasks_own_exception_as_an_inline_call_would():
    with pytest.raises(sample_tasks.Broken):
        enqueue(sample_tasks.always_fails, "Gemeente Stuk")

    assert not DBTaskResult.objects.exists()


def test_a_task_enqueued_in_a_transaction_that_rolls_back_is_gone(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.create(name="Gemeente Teruggedraaid")
        enqueue(sample_tasks.create_organisation, "Gemeente Nooit")
        raise RuntimeError("the business change fails")

    assert not DBTaskResult.objects.exists()
    run_worker()
    assert not Organisation.objects.filter(name__startswith="Gemeente ").exists()


def test_a_committed_task_waits_for_the_worker_and_runs_once(database_queue):
    with transaction.atomic():
        enqueue(sample_tasks.create_organisation, "Gemeente Later")

    assert not Organisation.objects.filter(name="Gemeente Later").exists()
    output = run_worker()

    assert Organisation.objects.filter(name="Gemeente Later").count() == 1
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == Organisation.objects.get(name="Gemeente Later").pk
    assert "create_organisation" in output and "done" in output
    assert not WorkerHeartbeat.objects.exists()  # a worker that stopped cleanly leaves no heartbeat
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_task_is_retried_with_growing_backoff_then_recorded_failed(database_queue, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    enqueue(sample_tasks.always_fails, "Gemeente Wankel")

    run_worker()  # attempt 1 fails: again in 60 s
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == start + datetime.timedelta(seconds=60)
    assert retry.args_kwargs["kwargs"] == {"job_attempt": 1}
    run_worker()  # not due yet: nothing happens
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1

    time_machine.move_to(start + datetime.timedelta(seconds=61), tick=False)
    run_worker()  # attempt 2 fails: again in 120 s
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == start + datetime.timedelta(seconds=61 + 120)

    time_machine.move_to(start + datetime.timedelta(seconds=61 + 121), tick=False)
    run_worker()  # attempt 3 (the second retry) fails: given up

    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.count() == 3
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    assert all("Broken: Gemeente Wankel" in row.traceback for row in failed)
    assert Organisation.objects.filter(name="gave up: Gemeente Wankel").count() == 1


def _interrupted(worker_id: str, *, claims: int, seen_ago: datetime.timedelta | None) -> DBTaskResult:
    """A task a worker claimed and never finished (killed with SIGKILL)."""
    result = enqueue(sample_tasks.create_organisation, "Gemeente Hersteld")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = "RUNNING"
    row.started_at = timezone.now() - datetime.timedelta(minutes=30)
    row.worker_ids = [f"{worker_id}-{n}" for n in range(claims - 1)] + [worker_id]
    row.save()
    if seen_ago is not None:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            started_at=timezone.now() - datetime.timedelta(hours=1),
            last_seen=timezone.now() - seen_ago,
        )
    return row


def test_a_task_of_a_killed_worker_is_run_again_by_another(database_queue):
    row = _interrupted("killed-worker", claims=1, seen_ago=datetime.timedelta(minutes=5))

    output = run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert len(row.worker_ids) == 2 and row.worker_ids[0] == "killed-worker"
    assert Organisation.objects.filter(name="Gemeente Hersteld").count() == 1
    assert "killed-worker stopped; queued again" in output
    assert not WorkerHeartbeat.objects.filter(worker_id="killed-worker").exists()


def test_a_task_whose_worker_left_no_heartbeat_is_run_again(database_queue):
    row = _interrupted("vanished-worker", claims=1, seen_ago=None)

    run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"


def test_a_task_of_a_live_worker_is_left_alone(database_queue):
    row = _interrupted("busy-worker", claims=1, seen_ago=datetime.timedelta(seconds=5))

    run_worker()

    row.refresh_from_db()
    assert row.status == "RUNNING"
    assert not Organisation.objects.filter(name="Gemeente Hersteld").exists()


def test_a_task_that_lost_its_worker_more_often_than_its_retries_is_recorded_failed(database_queue):
    row = _interrupted("crashing-worker", claims=4, seen_ago=datetime.timedelta(minutes=5))  # retries=3

    output = run_worker()

    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "gesprekscyclus.jobs.queue.WorkerLost"
    assert "stopped 4 time(s)" in row.traceback
    assert not Organisation.objects.filter(name="Gemeente Hersteld").exists()
    assert "recorded failed" in output


def test_the_stale_limit_is_a_setting(database_queue, settings):
    settings.TASKS_STALE_AFTER_SECONDS = 3600
    row = _interrupted("slow-worker", claims=1, seen_ago=datetime.timedelta(minutes=5))

    run_worker()

    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_run_worker_refuses_without_the_database_backend():
    with pytest.raises(CommandError, match="TASKS_BACKEND=database"):
        call_command("run_worker", "--batch")
