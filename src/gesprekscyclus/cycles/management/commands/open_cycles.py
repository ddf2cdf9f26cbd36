from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.core.commands import day_option
from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.cycles.services import NoRegulation, cycles_open
from gesprekscyclus.cycles.tasks import open_cycles_task
from gesprekscyclus.jobs.queue import enqueue
from gesprekscyclus.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Open a period's cycle for every employee (joiners included) and close the open cycles of "
        "leavers. Safe to run again: existing cycles are kept, with their history and regulation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="Organisation name; default: every organisation.")
        parser.add_argument(
            "--period", type=int, required=True, help="The year the period starts in, e.g. 2027."
        )
        parser.add_argument(
            "--today", help="Treat this day (YYYY-MM-DD) as today when closing leavers' cycles."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not print progress.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the work on the background queue (one task per organisation) instead of doing it now.",
        )

    def handle(self, *args, **options):
        year = options["period"]
        if not 1900 <= year <= 2999:
            raise CommandError(f"--period {year}: expected a year such as 2027.")
        today = day_option(options["today"])
        organisations = Organisation.objects.order_by("name")
        if options["organisation"]:
            organisations = organisations.filter(name=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation named {options['organisation']!r}.")
        if options["enqueue"]:
            for organisation in organisations:
                enqueue(open_cycles_task, organisation.pk, year, today.isoformat())
                self.stdout.write(f"{organisation.name} {year}: queued.")
            return
        progress = ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        failed = []
        for organisation in organisations:
            try:
                result = cycles_open(organisation=organisation, year=year, today=today, progress=progress)
            except NoRegulation:
                self.stderr.write(
                    f"{organisation.name}: no regulation is in force; load one first "
                    f"(manage.py load_regulation --organisation {organisation.name!r} PRESET_ID)."
                )
                failed.append(organisation.name)
                continue
            if result.created or result.closed:
                progress_refresh(today=today, organisation=organisation, year=year, progress=progress)
            self.stdout.write(
                f"{organisation.name} {year}: {result.created} opened, {result.existing} already open, "
                f"{result.closed} closed (employment ended), "
                f"{result.not_employed} not employed in the period."
            )
            if result.without_regulation:
                shown = ", ".join(result.without_regulation[:10])
                more = (
                    f" and {len(result.without_regulation) - 10} more"
                    if len(result.without_regulation) > 10
                    else ""
                )
                self.stderr.write(
                    f"{organisation.name}: {len(result.without_regulation)} employee(s) have no "
                    f"regulation in force for their unit or job: {shown}{more}."
                )
        if failed:
            raise CommandError(
                f"No cycles opened for: {', '.join(failed)} (no regulation in force; see load_regulation)."
            )
