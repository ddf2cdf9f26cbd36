from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.regulations.loader import (
    RegulationError,
    load_preset,
    load_regulation,
    preset_ids,
)
from gesprekscyclus.regulations.regulation import Regulation

_PERIOD_STARTS = {
    "calendar_year": "calendar year",
    "per_unit": "per unit",
    "employee_start_date": "employment start date",
}


class Command(BaseCommand):
    help = (
        "Validate a regulation file (or a preset id) and print a short summary; "
        "print every problem and exit non-zero when it is not valid."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "regulation",
            metavar="FILE_OR_PRESET_ID",
            help=f"A regulation YAML file, or one of the presets: {', '.join(preset_ids())}.",
        )

    def handle(self, *args, **options):
        target = options["regulation"]
        try:
            regulation = self._load(target)
        except RegulationError as error:
            for line in error.lines():
                self.stderr.write(line)
            count = len(error.problems)
            plural = "" if count == 1 else "s"
            raise CommandError(f"{error.filename}: {count} problem{plural}") from None
        self.stdout.write(self.style.SUCCESS(f"OK {target}"))
        for line in summary(regulation):
            self.stdout.write(line)

    @staticmethod
    def _load(target: str) -> Regulation:
        if Path(target).is_file():
            return load_regulation(target)
        if target in preset_ids():
            return load_preset(target)
        presets = ", ".join(preset_ids())
        raise CommandError(f"{target}: no such file, and not a preset (presets: {presets})")


def summary(regulation: Regulation) -> list[str]:
    period = regulation.period
    start = _PERIOD_STARTS[period.start]
    if period.start_month:
        start += f", default month {period.start_month}"
    lines = [
        f"{regulation.id} {regulation.version}: {regulation.name}",
        f"source: {regulation.source.title} ({regulation.source.seed})",
        f"period: {period.length_months} months, starting by {start}",
        "kinds:",
    ]
    for kind in regulation.conversation_kinds:
        notes = []
        if kind.count.agreed_frequency:
            frequency = kind.count.agreed_frequency
            notes.append(
                f"agreed frequency {frequency.default_per_year}/year "
                f"({frequency.min_per_year}-{frequency.max_per_year})"
            )
        elif kind.count.min_per_period > 1:
            notes.append(f"at least {kind.count.min_per_period} per period")
        if kind.conditions.on_request:
            notes.append("on request")
        if kind.combinable_with:
            notes.append(f"combinable with {', '.join(kind.combinable_with)}")
        suffix = f" [{'; '.join(notes)}]" if notes else ""
        lines.append(f"  {kind.id}: {kind.label.nl} / {kind.label.en}{suffix}")
    if regulation.probation:
        kinds = ", ".join(rule.kind for rule in regulation.probation.kinds)
        lines.append(f"probation rules for: {kinds}")
    if regulation.assessment:
        assessment = regulation.assessment
        lines.append(
            f"assessment: {', '.join(assessment.when)}; {assessment.objection.route} "
            f"within {assessment.objection.term_days} days"
        )
    return lines
