import datetime

from django.core.management.base import BaseCommand

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.cycles.tasks import open_cycles_task
from gesprekscyclus.feedback.tasks import send_feedback_reminders_task
from gesprekscyclus.jobs.queue import enqueue, runs_in_background
from gesprekscyclus.notifications.tasks import send_reminders_task
from gesprekscyclus.organisations.models import Organisation
from gesprekscyclus.regulations.models import RegulationVersion, VersionStatus

# From this day of the year the next period's cycles are opened too, so that its first
# conversations (planning windows open from 1 December in the presets) are on time.
NEXT_PERIOD_FROM = (11, 1)


def periods_to_open(today: datetime.date) -> list[int]:
    """The current period and, from 1 November, the next one."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_PERIOD_FROM:
        years.append(today.year + 1)
    return years


class Command(BaseCommand):
    help = (
        "Enqueue the daily background work: open_cycles for every organisation with a regulation in force "
        "(the current period, and "
        "the next one from 1 November), then the reminders and the feedback reminders. Every task is "
        "idempotent, so running this twice a day is harmless. Schedule it once a day; `run_worker` does "
        "the work (with TASKS_BACKEND=immediate it is done right here)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        day = today.isoformat()
        queued = 0
        # Only organisations with a regulation in force can open cycles (open_cycles says so).
        active = RegulationVersion.objects.filter(status=VersionStatus.ACTIVE).values("organisation_id")
        for organisation in Organisation.objects.filter(pk__in=active).order_by("name"):
            for year in periods_to_open(today):
                enqueue(open_cycles_task, organisation.pk, year, day)
                queued += 1
                self.stdout.write(f"open_cycles {organisation.name} {year}")
        enqueue(send_reminders_task, day)
        enqueue(send_feedback_reminders_task, day)
        queued += 2
        self.stdout.write(f"send_reminders {day}")
        self.stdout.write(f"send_feedback_reminders {day}")
        where = "queued for the workers" if runs_in_background() else "done"
        self.stdout.write(f"{queued} task(s) for {day}: {where}.")
