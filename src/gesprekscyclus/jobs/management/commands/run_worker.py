import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from gesprekscyclus.jobs.worker import DurableWorker, new_worker_id

SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue (TASKS_BACKEND=database): retried on failure, "
        "handed to another worker when this one is killed. Run one or more per installation; with "
        "--batch it runs what is due and exits. See docs/background-jobs.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            "--once",
            action="store_true",
            dest="batch",
            help="Run every task that is due, then exit (for cron, or a one-off catch-up).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to process, separated by commas; '*' (the default) for all.",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty (default 1)."
        )
        parser.add_argument("--max-tasks", type=int, help="Exit after this many tasks.")
        parser.add_argument("--worker-id", help="Unique name of this worker (default: host-pid-random).")
        parser.add_argument("--backend", default="default", help="The TASKS alias (default: 'default').")

    def handle(self, *args, **options):
        try:
            backend = task_backends[options["backend"]]
        except Exception as exc:
            raise CommandError(f"--backend {options['backend']!r}: {exc}") from exc
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"The task backend {options['backend']!r} is {type(backend).__name__}: tasks run as soon as "
                "they are enqueued and there is nothing for a worker to do. Set TASKS_BACKEND=database."
            )
        worker_id = options["worker_id"] or new_worker_id()
        if len(worker_id) > 64:
            raise CommandError("--worker-id: at most 64 characters.")
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks: at least 1.")
        worker = DurableWorker(
            queue_names=options["queue_name"].split(","),
            interval=max(options["interval"], 0.0),
            batch=options["batch"],
            backend_name=options["backend"],
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
            heartbeat_seconds=settings.TASKS_HEARTBEAT_SECONDS,
            say=self._say,
        )
        previous = {number: signal.getsignal(number) for number in SIGNALS}
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
