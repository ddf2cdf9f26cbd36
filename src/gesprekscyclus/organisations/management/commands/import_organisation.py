from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.organisations.importer import organisation_import_apply, organisation_import_plan


class Command(BaseCommand):
    help = (
        "Create or update an organisation's units and employees from two files (CSV or XLSX). "
        "Upserts by unit code and personnel number; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="Organisation name (created when new).")
        parser.add_argument("units", help="units.csv or units.xlsx")
        parser.add_argument("employees", help="employees.csv or employees.xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Do not print progress.")

    def handle(self, *args, **options):
        files = []
        for name in (options["units"], options["employees"]):
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            files.append((path.name, path.read_bytes()))
        plan = organisation_import_plan(
            organisation_name=options["organisation"], units_file=files[0], employees_file=files[1]
        )
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} error(s); nothing was written.")

        summary = plan.summary()
        verb = "Would" if options["dry_run"] else "Will"
        action = "create" if summary["organisation_created"] else "update"
        self.stdout.write(
            f"{verb} {action} organisation {plan.organisation_name}: "
            f"units {summary['units_create']} new, {summary['units_update']} changed, "
            f"{summary['units_unchanged']} unchanged; employees {summary['employees_create']} new, "
            f"{summary['employees_update']} changed, {summary['employees_unchanged']} unchanged."
        )
        if options["dry_run"]:
            for kind in ("units", "employees"):
                for change in getattr(plan, kind):
                    if change.action == "unchanged":
                        continue
                    fields = ", ".join(
                        f"{name}: {old!r} -> {new!r}" for name, (old, new) in change.fields.items()
                    )
                    self.stdout.write(f"  {change.action} {kind[:-1]} {change.key} {change.label}: {fields}")
            self.stdout.write("Dry run: nothing was written.")
            return
        organisation_import_apply(
            plan=plan, progress=ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        )
        self.stdout.write(self.style.SUCCESS("Import complete."))
