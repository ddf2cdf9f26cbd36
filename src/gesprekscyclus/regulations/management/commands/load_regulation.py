import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gesprekscyclus.organisations.models import Job, Organisation, OrgUnit
from gesprekscyclus.regulations.loader import RegulationError, preset_ids
from gesprekscyclus.regulations.services import (
    Scope,
    read_regulation_source,
    regulation_from_text,
    regulation_load,
)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--from {value!r}: expected a date as YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = (
        "Validate a regulation (a preset id or a YAML file) and put it in force for an organisation, "
        "one unit (and the units below it) or a job group. Loading the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="Organisation name.")
        parser.add_argument(
            "regulation",
            metavar="PRESET_ID_OR_FILE",
            help=f"One of {', '.join(preset_ids())}, or a YAML file.",
        )
        parser.add_argument("--unit", default="", help="Unit code: the regulation applies to this unit only.")
        parser.add_argument(
            "--job-group", default="", help="Name of a job group; list its jobs with --job (repeatable)."
        )
        parser.add_argument("--job", action="append", default=[], help="Job title in the job group.")
        parser.add_argument(
            "--from",
            dest="in_force_from",
            default=None,
            help="In force from this date (YYYY-MM-DD); default: the regulation's own effective date, "
            "else today.",
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        scope = self._scope(organisation, options)
        try:
            filename, text = read_regulation_source(options["regulation"])
            regulation = regulation_from_text(text, filename)
        except RegulationError as error:
            for line in error.lines():
                self.stderr.write(line)
            raise CommandError(f"{len(error.problems)} problem(s); nothing was loaded.") from error
        if options["in_force_from"]:
            in_force_from = _date(options["in_force_from"])
        else:
            in_force_from = regulation.source.effective_from or timezone.localdate()
        result = regulation_load(
            organisation=organisation, filename=filename, text=text, in_force_from=in_force_from, scope=scope
        )
        version = result.version
        where = version.scope_label
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{regulation.name} {regulation.version} is in force for {organisation.name} "
                    f"({where}) from {in_force_from.isoformat()}."
                )
            )
        else:
            self.stdout.write(
                f"{regulation.name} {regulation.version} was already in force for {organisation.name} "
                f"({where}) from {in_force_from.isoformat()}; nothing changed."
            )

    def _scope(self, organisation, options) -> Scope:
        if options["unit"] and (options["job_group"] or options["job"]):
            raise CommandError("Give either --unit or --job-group with --job, not both.")
        if options["unit"]:
            unit = OrgUnit.objects.filter(organisation=organisation, code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"--unit {options['unit']!r}: no such unit in {organisation.name}.")
            return Scope(unit=unit)
        if bool(options["job_group"]) != bool(options["job"]):
            raise CommandError("A job group needs both --job-group NAME and at least one --job TITLE.")
        if options["job_group"]:
            jobs = list(Job.objects.filter(organisation=organisation, title__in=options["job"]))
            missing = sorted(set(options["job"]) - {job.title for job in jobs})
            if missing:
                raise CommandError(f"--job: no such job in {organisation.name}: {', '.join(missing)}.")
            return Scope(job_group=options["job_group"], jobs=tuple(jobs))
        return Scope()
