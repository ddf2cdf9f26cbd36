from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.organisations.models import Organisation
from gesprekscyclus.privacy.selectors import leavers_due_for_pseudonymisation
from gesprekscyclus.privacy.services import Refused, leaver_pseudonymise


class Command(BaseCommand):
    help = (
        "Pseudonymise the former employees whose retention has ended (every personnel-file "
        "document past its term, and the minimum term after the end of employment); daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="Organisation name; default: every organisation.")
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--dry-run", action="store_true", help="Only list who is due; change nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Do not print progress to stderr.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation named {options['organisation']!r}.")
        due = leavers_due_for_pseudonymisation(organisation, today)
        if options["dry_run"]:
            for retention in due:
                employee = retention.employee
                self.stdout.write(
                    f"{employee.organisation.name} {employee.personnel_number}: due "
                    f"(employment ended {retention.employment_end.isoformat()}, "
                    f"retention ended {retention.ends_on.isoformat()})"
                )
            self.stdout.write(
                self.style.SUCCESS(f"{len(due)} former employees due; nothing changed (dry run).")
            )
            return
        progress = ProgressPrinter(self.stderr, enabled=not options["no_progress"])
        done = 0
        refused = 0
        for number, retention in enumerate(due, start=1):
            employee = retention.employee
            label = f"{employee.organisation.name} {employee.personnel_number}"
            try:
                outcome = leaver_pseudonymise(employee, acting_user=None, today=today)
            except Refused as refusal:
                refused += 1
                self.stdout.write(f"{label}: refused ({refusal})")
            else:
                if outcome.changed:
                    done += 1
                    self.stdout.write(f"{label}: pseudonymised as PSEUDO-{outcome.record.pseudonym}")
            progress("pseudonymise", number, len(due))
        self.stdout.write(self.style.SUCCESS(f"{done} former employees pseudonymised; {refused} refused."))
