"""Reads a regulation YAML file, validates it and returns a ``Regulation``.

Validation runs the JSON Schema (``regulation.schema.json``) and the semantic checks
(``checks.py``) and reports every problem at once in a ``RegulationError``::

    heemstede.yaml: conversation_kinds[2].due.anchor: expected one of: ...; got 'start'

YAML is read strictly: duplicate keys are an error, dates stay text (the schema checks
them) and only ``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` are text).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import yaml

from gesprekscyclus.regulations.checks import semantic_problems
from gesprekscyclus.regulations.regulation import (
    AgreedFrequency,
    ArchiveRule,
    Archiving,
    Aspect,
    AssessmentRules,
    Conditions,
    ConversationKind,
    Count,
    Disagreement,
    DueWindow,
    Form,
    FormItem,
    FormSection,
    Initiative,
    Label,
    ObjectionRules,
    Offset,
    PeriodRules,
    ProbationKindRule,
    ProbationRules,
    Recording,
    Regulation,
    Reminders,
    Requirement,
    Retention,
    ScaleValue,
    Signature,
    Source,
    Takeover,
    Visibility,
    VisibilityRule,
    WorkPlan,
)
from gesprekscyclus.regulations.schema import Problem, schema_problems

PRESETS_DIR = Path(__file__).with_name("presets")


class RegulationError(Exception):
    """A regulation file that cannot be used; ``problems`` lists ``(key_path, message)``."""

    def __init__(self, filename: str, problems: Sequence[Problem]):
        self.filename = filename
        self.problems: list[Problem] = list(problems)
        super().__init__(self.format())

    def lines(self) -> list[str]:
        return [
            f"{self.filename}: {path}: {message}" if path else f"{self.filename}: {message}"
            for path, message in self.problems
        ]

    def format(self) -> str:
        return "\n".join(self.lines())


# -- reading -------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without timestamps and YAML 1.1 yes/no booleans; rejects duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # SafeLoader reports unhashable keys itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def parse_yaml(text: str, filename: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 -- a SafeLoader subclass
    except yaml.YAMLError as error:
        raise RegulationError(filename, [("", f"invalid YAML: {_yaml_message(error)}")]) from None


def _yaml_message(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return problem
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"


# -- public API ----------------------------------------------------------------------


def validate(data: Any) -> list[Problem]:
    """Every problem of already-parsed regulation data; empty when it is usable."""
    if not isinstance(data, dict):
        return [("", "expected a mapping at the top of the file")]
    return schema_problems(data) + semantic_problems(data)


def load_regulation_text(text: str, filename: str = "<string>") -> Regulation:
    data = parse_yaml(text, filename)
    problems = validate(data)
    if problems:
        raise RegulationError(filename, problems)
    return build_regulation(data)


def load_regulation(path: str | Path) -> Regulation:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RegulationError(str(path), [("", f"cannot read file: {error}")]) from None
    return load_regulation_text(text, filename=str(path))


def preset_ids() -> list[str]:
    return sorted(path.stem for path in PRESETS_DIR.glob("*.yaml"))


def preset_path(preset_id: str) -> Path:
    if preset_id not in preset_ids():
        raise KeyError(preset_id)
    return PRESETS_DIR / f"{preset_id}.yaml"


def load_preset(preset_id: str) -> Regulation:
    return load_regulation(preset_path(preset_id))


# -- building the dataclass tree -----------------------------------------------------


def build_regulation(data: dict[str, Any]) -> Regulation:
    """Turns validated data into a ``Regulation``; call ``validate`` first."""
    return Regulation(
        id=data["id"],
        name=data["name"],
        version=data["version"],
        description=_label(data.get("description")),
        source=_source(data["source"]),
        period=PeriodRules(**data["period"]),
        conversation_kinds=tuple(_kind(kind) for kind in data["conversation_kinds"]),
        probation=_probation(data.get("probation")),
        assessment=_assessment(data.get("assessment")),
        forms=tuple(_form(form) for form in data.get("forms", [])),
        visibility=Visibility(
            tuple(
                VisibilityRule(document=document, readers=tuple(roles))
                for document, roles in data["visibility"].items()
            )
        ),
        reminders=_reminders(data.get("reminders", {})),
        archiving=Archiving(tuple(_archive_rule(rule) for rule in data["archiving"])),
        disagreement=_disagreement(data.get("disagreement")),
        work_plan=_work_plan(data.get("work_plan")),
    )


def _label(data: dict[str, str] | None) -> Label | None:
    return Label(nl=data["nl"], en=data["en"]) if data else None


def _source(data: dict[str, Any]) -> Source:
    effective = data.get("effective_from")
    return Source(
        title=data["title"],
        organisation=data["organisation"],
        seed=data["seed"],
        effective_from=datetime.date.fromisoformat(effective) if effective else None,
        url=data.get("url"),
    )


def _offset(data: dict[str, int]) -> Offset:
    return Offset(months=data.get("months", 0), days=data.get("days", 0))


def _window(data: dict[str, Any]) -> DueWindow:
    return DueWindow(
        anchor=data["anchor"],
        offset_from=_offset(data["from"]),
        offset_to=_offset(data["to"]),
    )


def _requirements(data: list[dict[str, str]] | None) -> tuple[Requirement, ...]:
    return tuple(Requirement(kind=item["kind"], flag=item.get("flag")) for item in data or [])


def _kind(data: dict[str, Any]) -> ConversationKind:
    initiative = data["initiative"]
    takeover = initiative.get("takeover")
    count = data.get("count", {})
    frequency = count.get("agreed_frequency")
    conditions = data.get("conditions", {})
    return ConversationKind(
        id=data["id"],
        label=_label(data["label"]),
        description=_label(data.get("description")),
        initiative=Initiative(
            by=initiative["by"],
            takeover=Takeover(**takeover) if takeover else None,
        ),
        conducted_by=tuple(data["conducted_by"]),
        report_by=data["report_by"],
        signatures=tuple(
            Signature(
                role=item["role"],
                statement=item["statement"],
                declaration=_label(item.get("declaration")),
            )
            for item in data["signatures"]
        ),
        recording=Recording(**data["recording"]),
        agenda=data.get("agenda"),
        combinable_with=tuple(data.get("combinable_with", [])),
        count=Count(
            min_per_period=count.get("min_per_period", 1),
            agreed_frequency=AgreedFrequency(**frequency) if frequency else None,
        ),
        due=_window(data["due"]),
        conditions=Conditions(
            appointments=tuple(conditions.get("appointments", [])),
            on_request=conditions.get("on_request", False),
            requires=_requirements(conditions.get("requires")),
        ),
    )


def _probation(data: dict[str, Any] | None) -> ProbationRules | None:
    if data is None:
        return None
    return ProbationRules(
        period_start=data["period_start"],
        kinds=tuple(
            ProbationKindRule(
                kind=rule["kind"],
                due=_window(rule["due"]),
                requires=_requirements(rule.get("requires")),
            )
            for rule in data["kinds"]
        ),
    )


def _assessment(data: dict[str, Any] | None) -> AssessmentRules | None:
    if data is None:
        return None
    scale = data["scale"]
    return AssessmentRules(
        kind=data["kind"],
        when=tuple(data["when"]),
        after_kind=data.get("after_kind"),
        recorded_by=data["recorded_by"],
        scale=tuple(ScaleValue(value=step["value"], label=_label(step["label"])) for step in scale),
        aspects=tuple(
            Aspect(
                id=aspect["id"],
                label=_label(aspect["label"]),
                description=_label(aspect.get("description")),
            )
            for aspect in data["aspects"]
        ),
        objection=ObjectionRules(**data["objection"]),
    )


def _form(data: dict[str, Any]) -> Form:
    return Form(
        id=data["id"],
        label=_label(data["label"]),
        description=_label(data.get("description")),
        sections=tuple(
            FormSection(
                id=section["id"],
                label=_label(section["label"]),
                help=_label(section.get("help")),
                items=tuple(
                    FormItem(
                        id=item["id"],
                        label=_label(item["label"]),
                        help=_label(item.get("help")),
                        type=item["type"],
                        required=item.get("required", False),
                        personal=item.get("personal", False),
                    )
                    for item in section["items"]
                ),
            )
            for section in data["sections"]
        ),
    )


def _reminders(data: dict[str, Any]) -> Reminders:
    return Reminders(
        before_due_days=tuple(sorted(data.get("before_due_days", []), reverse=True)),
        after_due_days=tuple(sorted(data.get("after_due_days", []))),
        escalate_after_days=data.get("escalate_after_days"),
        escalate_to=tuple(data.get("escalate_to", [])),
    )


def _archive_rule(data: dict[str, Any]) -> ArchiveRule:
    return ArchiveRule(
        document=data["document"],
        kinds=tuple(data.get("kinds", [])),
        personnel_file=data["personnel_file"],
        retention=Retention(**data["retention"]),
    )


def _disagreement(data: dict[str, Any] | None) -> Disagreement | None:
    if data is None:
        return None
    return Disagreement(escalate_to=tuple(data["escalate_to"]), last_resort=data.get("last_resort"))


def _work_plan(data: dict[str, Any] | None) -> WorkPlan | None:
    if not data:
        return None
    return WorkPlan(
        form=data["form"],
        established_in=data["established_in"],
        manager_sections=tuple(data.get("manager_sections", ())),
        revised_in=tuple(data.get("revised_in", ())),
    )
