"""The durable task queue (docs/background-jobs.md).

Background work is a function decorated with ``durable_task`` in an app's ``tasks.py``
and put on the queue with ``enqueue``. Both stand on Django's tasks API (the
django-tasks backport); ``settings.TASKS`` picks the backend:

* **database** (production): ``enqueue`` inserts a row in the caller's transaction, so
  a worker (``manage.py run_worker``) sees it exactly when the business change commits
  and a rollback removes it; nothing can be lost between the commit and the enqueue.
* **immediate** (the demo, the tests): ``enqueue`` runs the task right away, inside the
  caller's transaction, and a failure raises the task's own exception, as an inline call
  would.

A failing task is enqueued again ``backoff_seconds * 2**attempt`` later until
``retries`` retries are used up; the attempt travels as the keyword argument
``job_attempt`` (0 for the first run), which the wrapper takes off before calling the
function. Every attempt that failed stays as a FAILED result with its traceback; the last
one is also logged as an error. Tasks must therefore be idempotent: a retry, or a run
after a worker was killed (``reclaim``), may do the same work again.
"""

from __future__ import annotations

import datetime
import functools
import logging
import threading
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task as django_task
from django_tasks.base import Task, TaskResult, TaskResultStatus

logger = logging.getLogger(__name__)

ATTEMPT = "job_attempt"
DEFAULT_RETRIES = 3

_immediate = threading.local()


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped (killed, crashed) too often while running it."""


def durable_task(
    *,
    retries: int = DEFAULT_RETRIES,
    backoff_seconds: float = 60,
    queue_name: str = "default",
    priority: int = 0,
    on_give_up: Callable | None = None,
) -> Callable[[Callable], Task]:
    """A task that is retried with exponential backoff when it raises.

    ``on_give_up(*args, **kwargs)`` (optional) is called with the task's arguments when
    the last attempt failed, so the task can record the failure where users see it.
    """

    def decorate(function: Callable) -> Task:
        @functools.wraps(function)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 0)
            try:
                return function(*args, **kwargs)
            except BaseException as exc:
                _failed(task, attempt, args, kwargs, exc)
                raise

        run.job_retries = retries
        run.job_on_give_up = on_give_up
        task = django_task(run, priority=priority, queue_name=queue_name)

        def _failed(task: Task, attempt: int, args: tuple, kwargs: dict, exc: BaseException) -> None:
            if not task.get_backend().supports_defer:
                # Immediate backend: no queue to come back to; ``enqueue`` raises it.
                _immediate.exception = exc
                return
            if attempt < retries:
                delay = datetime.timedelta(seconds=backoff_seconds * 2**attempt)
                retry = task.using(run_after=timezone.now() + delay).enqueue(
                    *args, **{**kwargs, ATTEMPT: attempt + 1}
                )
                logger.warning(
                    "Task %s failed (attempt %d of %d, %s); retry %s in %s",
                    task.name,
                    attempt + 1,
                    retries + 1,
                    type(exc).__name__,
                    retry.id,
                    delay,
                )
                return
            logger.error(
                "Task %s failed for good after %d attempt(s): %s: %s",
                task.name,
                attempt + 1,
                type(exc).__name__,
                exc,
            )
            give_up(task, args, kwargs)

        return task

    return decorate


def give_up(task: Task, args, kwargs: dict) -> None:
    """Call the task's ``on_give_up`` hook, if any (never raising)."""
    hook = getattr(task.func, "job_on_give_up", None)
    if hook is None:
        return
    kwargs = {key: value for key, value in kwargs.items() if key != ATTEMPT}
    try:
        hook(*args, **kwargs)
    except Exception:
        logger.exception("The give-up hook of task %s failed", task.name)


def enqueue(task: Task, *args, **kwargs) -> TaskResult:
    """Put ``task(*args, **kwargs)`` on the queue.

    With the database backend the row joins the caller's transaction (enqueued on
    commit, gone on rollback). With the immediate backend the task runs now and its
    exception, if any, is raised here.
    """
    _immediate.exception = None
    result = task.enqueue(*args, **kwargs)
    if result.status == TaskResultStatus.FAILED:
        exception, _immediate.exception = _immediate.exception, None
        if exception is not None:
            raise exception
    return result


def runs_in_background() -> bool:
    """True when enqueued work waits for a worker (the database backend)."""
    from django_tasks import default_task_backend

    return bool(default_task_backend.supports_defer)
