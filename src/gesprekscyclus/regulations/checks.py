"""Checks a JSON Schema cannot express: references between parts of the file,
duplicate ids, windows that end before they start, bounds that contradict each other.

Runs on the raw parsed YAML, next to the schema validation, so that one run reports
every problem. Each check looks only at the parts that have the expected shape and
leaves shape errors to the schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from dateutil.relativedelta import relativedelta

from gesprekscyclus.regulations.schema import Problem, format_path


def _reference_dates() -> tuple[datetime.date, ...]:
    """Window ends are compared on these anchor dates: the first, the 15th and the last
    day of every month of a common and a leap year, so that "1 month" versus "30 days"
    is judged on months of every length."""
    days: list[datetime.date] = []
    for year in (2023, 2024):
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            days += [first, first.replace(day=15), first + relativedelta(months=1, days=-1)]
    return tuple(days)


_REFERENCE_DATES = _reference_dates()


def semantic_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    kind_ids = _ids(data.get("conversation_kinds"))
    form_ids = _ids(data.get("forms"))
    problems: list[Problem] = []
    problems += _check_period(data.get("period"))
    problems += _check_kinds(data.get("conversation_kinds"), kind_ids, form_ids)
    problems += _check_probation(data.get("probation"), kind_ids)
    problems += _check_assessment(data.get("assessment"), kind_ids)
    problems += _check_forms(data.get("forms"), has_scale=_has_scale(data))
    problems += _check_archiving(data.get("archiving"), kind_ids)
    problems += _check_disagreement(data.get("disagreement"), kind_ids)
    problems += _check_work_plan(data.get("work_plan"), kind_ids, data.get("forms"))
    return problems


# -- helpers -------------------------------------------------------------------------


def _entries(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mapping entries of a list, with their index; anything else is skipped."""
    if isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                yield index, entry


def _ids(value: Any) -> set[str]:
    return {entry["id"] for _, entry in _entries(value) if isinstance(entry.get("id"), str)}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _duplicate_ids(entries: Any, path: list[str | int]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, entry in _entries(entries):
        identifier = entry.get("id")
        if not isinstance(identifier, str):
            continue
        if identifier in first_seen:
            other = format_path([*path, first_seen[identifier]])
            problems.append(
                (format_path([*path, index, "id"]), f"duplicate id {identifier!r} (also {other})")
            )
        else:
            first_seen[identifier] = index
    return problems


def _unknown_reference(
    path: list[str | int],
    value: Any,
    known: set[str],
    what: str,
) -> list[Problem]:
    if not isinstance(value, str) or value in known:
        return []
    choices = ", ".join(sorted(known)) or "none defined"
    return [(format_path(path), f"unknown {what} {value!r}; expected one of: {choices}")]


def _offset(value: Any) -> relativedelta | None:
    if not isinstance(value, dict):
        return None
    months, days = value.get("months", 0), value.get("days", 0)
    if not all(type(number) is int for number in (months, days)):  # bool is not a number here
        return None
    return relativedelta(months=months, days=days)


def _check_window(window: Any, path: list[str | int]) -> list[Problem]:
    window = _mapping(window)
    start, end = _offset(window.get("from")), _offset(window.get("to"))
    if start is None or end is None:
        return []
    if any(day + start > day + end for day in _REFERENCE_DATES):
        return [
            (
                format_path(path),
                "window starts after it ends: 'from' must not be later than 'to'",
            )
        ]
    return []


def _check_requirements(
    requirements: Any,
    path: list[str | int],
    kind_ids: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    for index, requirement in _entries(requirements):
        problems += _unknown_reference(
            [*path, index, "kind"], requirement.get("kind"), kind_ids, "conversation kind"
        )
    return problems


# -- sections ------------------------------------------------------------------------


def _check_period(period: Any) -> list[Problem]:
    period = _mapping(period)
    start = period.get("start")
    if start == "per_unit" and "start_month" not in period:
        return [("period.start_month", "required when period.start is 'per_unit'")]
    if start in ("calendar_year", "employee_start_date") and "start_month" in period:
        message = f"only allowed when period.start is 'per_unit', not {start!r}"
        return [("period.start_month", message)]
    return []


def _check_kinds(kinds: Any, kind_ids: set[str], form_ids: set[str]) -> list[Problem]:
    problems = _duplicate_ids(kinds, ["conversation_kinds"])
    for index, kind in _entries(kinds):
        problems += _check_kind(kind, ["conversation_kinds", index], kind_ids, form_ids)
    return problems


def _check_kind(
    kind: dict[str, Any], path: list[str | int], kind_ids: set[str], form_ids: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    combinable = kind.get("combinable_with")
    for position, other in enumerate(combinable if isinstance(combinable, list) else []):
        if other == kind.get("id"):
            problems.append(
                (
                    format_path([*path, "combinable_with", position]),
                    "a kind cannot combine with itself",
                )
            )
        else:
            problems += _unknown_reference(
                [*path, "combinable_with", position], other, kind_ids, "conversation kind"
            )
    recording = _mapping(kind.get("recording"))
    form = recording.get("form")
    problems += _unknown_reference([*path, "recording", "form"], form, form_ids, "form")
    if recording.get("form_required") and "form" not in recording:
        problems.append((format_path([*path, "recording", "form_required"]), "needs a form"))
    problems += _unknown_reference([*path, "agenda"], kind.get("agenda"), form_ids, "form")
    problems += _check_window(kind.get("due"), [*path, "due"])
    problems += _check_initiative(_mapping(kind.get("initiative")), [*path, "initiative"])
    problems += _check_signatures(kind.get("signatures"), [*path, "signatures"])
    frequency = _mapping(_mapping(kind.get("count")).get("agreed_frequency"))
    problems += _check_frequency(frequency, path)
    conditions = _mapping(kind.get("conditions"))
    requires_path = [*path, "conditions", "requires"]
    problems += _check_requirements(conditions.get("requires"), requires_path, kind_ids)
    return problems


def _check_initiative(initiative: dict[str, Any], path: list[str | int]) -> list[Problem]:
    takeover = _mapping(initiative.get("takeover"))
    if "by" in takeover and takeover.get("by") == initiative.get("by"):
        return [(format_path([*path, "takeover", "by"]), "must differ from initiative.by")]
    return []


def _check_signatures(signatures: Any, path: list[str | int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, signature in _entries(signatures):
        role = signature.get("role")
        if not isinstance(role, str):
            continue
        if role in seen:
            problems.append((format_path([*path, index, "role"]), f"{role!r} signs twice"))
        seen.add(role)
    return problems


def _check_frequency(frequency: dict[str, Any], path: list[str | int]) -> list[Problem]:
    numbers = [frequency.get(key) for key in ("min_per_year", "default_per_year", "max_per_year")]
    if not all(isinstance(number, int) for number in numbers):
        return []
    low, default, high = numbers
    if low <= default <= high:
        return []
    expected = "expected min_per_year <= default_per_year <= max_per_year"
    message = f"{expected}, got {low}, {default}, {high}"
    return [(format_path([*path, "count", "agreed_frequency"]), message)]


def _check_probation(probation: Any, kind_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, rule in _entries(_mapping(probation).get("kinds")):
        path: list[str | int] = ["probation", "kinds", index]
        kind = rule.get("kind")
        problems += _unknown_reference([*path, "kind"], kind, kind_ids, "conversation kind")
        if isinstance(kind, str) and kind in seen:
            other = format_path(["probation", "kinds", seen[kind]])
            message = f"{kind!r} has a rule already ({other})"
            problems.append((format_path([*path, "kind"]), message))
        elif isinstance(kind, str):
            seen[kind] = index
        problems += _check_window(rule.get("due"), [*path, "due"])
        problems += _check_requirements(rule.get("requires"), [*path, "requires"], kind_ids)
    return problems


def _check_assessment(assessment: Any, kind_ids: set[str]) -> list[Problem]:
    assessment = _mapping(assessment)
    if not assessment:
        return []
    problems = _unknown_reference(
        ["assessment", "kind"], assessment.get("kind"), kind_ids, "conversation kind"
    )
    problems += _unknown_reference(
        ["assessment", "after_kind"], assessment.get("after_kind"), kind_ids, "conversation kind"
    )
    when = assessment.get("when")
    yearly = isinstance(when, list) and "yearly_after_evaluation" in when
    if yearly and "after_kind" not in assessment:
        message = "required when 'when' has 'yearly_after_evaluation'"
        problems.append(("assessment.after_kind", message))
    problems += _duplicate_values(assessment.get("scale"))
    problems += _duplicate_ids(assessment.get("aspects"), ["assessment", "aspects"])
    return problems


def _duplicate_values(scale: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[Any] = set()
    for index, step in _entries(scale):
        value = step.get("value")
        if not isinstance(value, int):
            continue
        if value in seen:
            problems.append(
                (format_path(["assessment", "scale", index, "value"]), f"duplicate value {value!r}")
            )
        seen.add(value)
    return problems


def _has_scale(data: dict[str, Any]) -> bool:
    return isinstance(_mapping(data.get("assessment")).get("scale"), list)


def _check_forms(forms: Any, has_scale: bool) -> list[Problem]:
    problems = _duplicate_ids(forms, ["forms"])
    for form_index, form in _entries(forms):
        sections = form.get("sections")
        problems += _duplicate_ids(sections, ["forms", form_index, "sections"])
        for section_index, section in _entries(sections):
            path: list[str | int] = ["forms", form_index, "sections", section_index, "items"]
            problems += _duplicate_ids(section.get("items"), path)
            for item_index, item in _entries(section.get("items")):
                if item.get("type") == "rating" and not has_scale:
                    problems.append(
                        (
                            format_path([*path, item_index, "type"]),
                            "a rating item needs assessment.scale",
                        )
                    )
    return problems


def _check_archiving(rules: Any, kind_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    covered: list[tuple[int, str, set[str]]] = []
    for index, rule in _entries(rules):
        path: list[str | int] = ["archiving", index]
        kinds = rule.get("kinds") if isinstance(rule.get("kinds"), list) else []
        for position, kind in enumerate(kinds):
            kind_path = [*path, "kinds", position]
            problems += _unknown_reference(kind_path, kind, kind_ids, "conversation kind")
        retention = _mapping(rule.get("retention"))
        if retention and "years" not in retention and "months" not in retention:
            problems.append((format_path([*path, "retention"]), "expected years and/or months"))
        document = rule.get("document")
        scope = {kind for kind in kinds if isinstance(kind, str)}
        for other_index, other_document, other_scope in covered:
            if document == other_document and (not scope or not other_scope or scope & other_scope):
                problems.append(
                    (
                        format_path([*path, "kinds"]),
                        f"overlaps archiving[{other_index}] for document {document!r}",
                    )
                )
        covered.append((index, document, scope))
    return problems


def _check_disagreement(disagreement: Any, kind_ids: set[str]) -> list[Problem]:
    last_resort = _mapping(disagreement).get("last_resort")
    path: list[str | int] = ["disagreement", "last_resort"]
    return _unknown_reference(path, last_resort, kind_ids, "conversation kind")


def _check_work_plan(work_plan: Any, kind_ids: set[str], forms: Any) -> list[Problem]:
    plan = _mapping(work_plan)
    problems: list[Problem] = []
    problems += _unknown_reference(["work_plan", "form"], plan.get("form"), _ids(forms), "form")
    problems += _unknown_reference(
        ["work_plan", "established_in"], plan.get("established_in"), kind_ids, "conversation kind"
    )
    revised = plan.get("revised_in")
    for index, kind in enumerate(revised if isinstance(revised, list) else []):
        problems += _unknown_reference(
            ["work_plan", "revised_in", index], kind, kind_ids, "conversation kind"
        )
    sections = {
        section_id
        for _, form in _entries(forms)
        if form.get("id") == plan.get("form")
        for section_id in _ids(form.get("sections"))
    }
    manager_sections = plan.get("manager_sections")
    for index, section in enumerate(manager_sections if isinstance(manager_sections, list) else []):
        if sections:
            problems += _unknown_reference(
                ["work_plan", "manager_sections", index], section, sections, "section of the work plan form"
            )
    return problems
