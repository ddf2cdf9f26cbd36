from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.dossiers.services import dossier_verify
from gesprekscyclus.organisations.models import Employee


class Command(BaseCommand):
    help = (
        "Recompute every personnel file's hash chain and every PDF seal; print each break "
        "(which entry, what differs) and exit non-zero when there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employee", metavar="PERSONNEL_NUMBER", help="Only this employee's file.")
        parser.add_argument(
            "--organisation", help="Organisation name (with --employee, or to limit the run)."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        employees = Employee.objects.select_related("organisation").order_by(
            "organisation_id", "personnel_number"
        )
        if options["organisation"]:
            employees = employees.filter(organisation__name=options["organisation"])
        if options["employee"]:
            employees = employees.filter(personnel_number=options["employee"])
            if not employees.exists():
                raise CommandError(f"No employee with personnel number {options['employee']!r}.")
        with_files = employees.filter(
            Q(dossier_head__isnull=False) | Q(dossier_entries__isnull=False)
        ).distinct()
        report = dossier_verify(
            with_files,
            progress=ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"]),
        )
        for problem in report.breaks:
            self.stdout.write(str(problem))
        summary = f"{report.entries} entries in {report.employees} personnel files checked"
        if report.breaks:
            raise CommandError(f"{summary}: {len(report.breaks)} break(s).")
        self.stdout.write(self.style.SUCCESS(f"{summary}: every chain and seal is intact."))
