"""The worker behind ``manage.py run_worker``: django-tasks-db's ``Worker`` plus a
heartbeat and the reclaiming of tasks whose worker stopped (docs/background-jobs.md).

django-tasks-db marks a claimed task RUNNING and runs it outside a transaction; a worker
that is killed (SIGKILL, OOM, a node that disappears) leaves the row RUNNING for ever.
Here every worker keeps a ``WorkerHeartbeat`` row fresh, and every worker, at start and
then periodically, hands the RUNNING tasks of workers whose heartbeat is older than
``TASKS_STALE_AFTER_SECONDS`` (or gone) back to the queue (READY), or records them FAILED
once they were claimed more often than the task's retry limit.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import WorkerHeartbeat
from .queue import DEFAULT_RETRIES, WorkerLost, give_up

logger = logging.getLogger(__name__)

Say = Callable[[str], None]


def new_worker_id() -> str:
    """Host, process and a random suffix: readable in the admin, unique across the pool."""
    suffix = f"-{os.getpid()}-{get_random_string(6)}"
    return socket.gethostname()[: 64 - len(suffix)] + suffix


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS)


@dataclass
class Reclaimed:
    requeued: int = 0
    failed: int = 0


def reclaim_interrupted(*, backend_name: str = "default", say: Say | None = None) -> Reclaimed:
    """Hand back the RUNNING tasks whose worker is no longer alive.

    A task counts as interrupted when the worker that claimed it last has a heartbeat
    older than the stale limit, or has none and the task started longer ago than that.
    It goes back to READY (another worker runs it again; tasks are idempotent), unless it
    was claimed more often than its retry limit: then it is FAILED with ``WorkerLost``.
    """
    say = say or (lambda line: None)
    now = timezone.now()
    cutoff = now - stale_after()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "last_seen"))
    result = Reclaimed()
    with exclusive_transaction(DBTaskResult.objects.db):
        running = DBTaskResult.objects.running().filter(backend_name=backend_name)
        for row in running.select_for_update(skip_locked=True):
            worker = row.worker_ids[-1] if row.worker_ids else None
            last_seen = beats.get(worker)
            if last_seen is not None and last_seen >= cutoff:
                continue  # its worker is alive
            if last_seen is None and row.started_at and row.started_at >= cutoff:
                continue  # no heartbeat known, but it only just started
            retries = _retries_of(row)
            claims = len(row.worker_ids)
            if claims > retries:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                row.traceback = (
                    f"WorkerLost: the worker running this task stopped {claims} time(s) "
                    f"(last: {worker}); given up after {retries} retries."
                )
                row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                result.failed += 1
                say(f"Task {row.task_name} {row.id}: worker {worker} lost it {claims}x; recorded failed.")
                logger.error(
                    "Task %s %s failed for good: worker lost %d time(s)", row.task_name, row.id, claims
                )
                _give_up(row)
            else:
                row.status = TaskResultStatus.READY
                row.save(update_fields=["status"])
                result.requeued += 1
                say(f"Task {row.task_name} {row.id}: worker {worker} stopped; queued again.")
                logger.warning("Task %s %s reclaimed from worker %s", row.task_name, row.id, worker)
    # Heartbeats of workers long gone, with nothing left running, are dropped.
    still_running = {
        worker_ids[-1]
        for worker_ids in DBTaskResult.objects.running().values_list("worker_ids", flat=True)
        if worker_ids
    }
    WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).exclude(worker_id__in=still_running).delete()
    return result


def _retries_of(row: DBTaskResult) -> int:
    try:
        return int(getattr(row.task.func, "job_retries", DEFAULT_RETRIES))
    except Exception:  # the task's code is gone or broken: the default limit
        return DEFAULT_RETRIES


def _give_up(row: DBTaskResult) -> None:
    try:
        task = row.task
    except Exception:
        return
    give_up(task, row.args_kwargs["args"], row.args_kwargs["kwargs"])


class DurableWorker(Worker):
    """django-tasks-db's worker with a heartbeat and reclaiming; ``say`` prints progress."""

    def __init__(self, *, heartbeat_seconds: float, say: Say, **kwargs) -> None:
        super().__init__(**kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.say = say
        self.last_beat = 0.0
        self.last_reclaim = 0.0
        self.done = 0
        self.failed = 0

    # -- heartbeat ---------------------------------------------------------------------

    def beat(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self.last_beat < self.heartbeat_seconds:
            return
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(last_seen=now):
            WorkerHeartbeat.objects.create(worker_id=self.worker_id, started_at=now, last_seen=now)
        self.last_beat = time.monotonic()

    def _beat_while_running(self, stop: threading.Event) -> None:
        """Runs in a thread while a task runs, so a long task keeps its worker alive. It
        touches the database only when the task takes longer than one interval."""
        used = False
        try:
            while not stop.wait(self.heartbeat_seconds):
                used = True
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(last_seen=timezone.now())
        except Exception:
            logger.exception("Heartbeat of worker %s failed", self.worker_id)
        finally:
            if used:
                connection.close()

    def reclaim(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self.last_reclaim < self.heartbeat_seconds:
            return
        try:
            reclaim_interrupted(backend_name=self.backend_name, say=self.say)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
        self.last_reclaim = time.monotonic()

    # -- the loop ------------------------------------------------------------------------

    def _close_old_connections(self) -> None:
        # Inside a transaction (a test) the connection is the caller's: leave it alone.
        if not connection.in_atomic_block:
            close_old_connections()

    def run(self) -> None:
        self.say(f"Worker {self.worker_id} started (queues: {', '.join(self.queue_names)}).")
        self.beat(force=True)
        self.reclaim(force=True)
        try:
            self._loop()
        finally:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            self.say(f"Worker {self.worker_id} stopped: {self.done} task(s) done, {self.failed} failed.")

    def _loop(self) -> None:
        while self.running:
            self._close_old_connections()
            self.beat()
            self.reclaim()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as exc:
                    if not is_locked_database_exception(exc):
                        raise
                    task_result, retrieved = None, False
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            self._close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        name = db_task_result.task_name
        kwargs = db_task_result.args_kwargs.get("kwargs", {})
        attempt = kwargs.get("job_attempt", 0) + 1
        self.say(f"Task {name} {db_task_result.id} started (attempt {attempt}).")
        started = time.monotonic()
        stop = threading.Event()
        heartbeat = threading.Thread(target=self._beat_while_running, args=(stop,), daemon=True)
        heartbeat.start()
        try:
            super().run_task(db_task_result)
        finally:
            stop.set()
            heartbeat.join()
        self.beat(force=True)
        seconds = time.monotonic() - started
        if db_task_result.status == TaskResultStatus.SUCCESSFUL:
            self.done += 1
            self.say(f"Task {name} {db_task_result.id} done in {seconds:.1f} s.")
        else:
            self.failed += 1
            self.say(
                f"Task {name} {db_task_result.id} failed after {seconds:.1f} s: "
                f"{db_task_result.exception_class_path}."
            )
