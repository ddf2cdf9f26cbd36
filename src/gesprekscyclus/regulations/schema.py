"""The JSON Schema of a regulation file and readable messages for its violations.

The schema itself lives next to this module in ``regulation.schema.json`` (draft 2020-12).
``schema_problems(data)`` returns every violation as ``(key_path, message)``, where
``key_path`` looks like ``conversation_kinds[2].due.anchor``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).with_name("regulation.schema.json")

Problem = tuple[str, str]

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


@cache
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def format_path(parts: Iterable[str | int]) -> str:
    """``['conversation_kinds', 2, 'due']`` -> ``conversation_kinds[2].due``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def schema_problems(data: Any) -> list[Problem]:
    problems: list[Problem] = []
    for error in _validator().iter_errors(data):
        for problem in _describe(error):
            if problem not in problems:  # "required" reports once per missing key
                problems.append(problem)
    return problems


def _describe(error: ValidationError) -> list[Problem]:
    path = list(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(key for key in error.instance if key not in allowed)
        return [
            (format_path([*path, key]), f"unknown key; expected one of: {', '.join(allowed)}")
            for key in extra
        ]
    if validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [(format_path([*path, key]), "required key is missing") for key in missing]
    return [(format_path(path), _message(error))]


def _message(error: ValidationError) -> str:
    validator, expected, value = error.validator, error.validator_value, error.instance
    got = _show(value)
    if validator == "type":
        actual = " ".join(part for part in (_kind_of(value), got) if part)
        message = f"expected {_TYPE_NAMES.get(expected, expected)}, got {actual}"
        if expected == "string" and isinstance(value, int | float):
            message += " (put it in quotes)"
        return message
    if validator == "enum":
        return f"expected one of: {', '.join(map(str, expected))}; got {got}"
    if validator == "pattern":
        return f"expected text matching {expected}, got {got}"
    if validator == "format":
        return f"expected a {expected} (YYYY-MM-DD), got {got}"
    if validator == "minimum":
        return f"expected a number >= {expected}, got {got}"
    if validator == "maximum":
        return f"expected a number <= {expected}, got {got}"
    if validator == "minItems":
        return f"expected at least {expected} item(s), got {len(value)}"
    if validator == "uniqueItems":
        return f"expected every item once, got duplicates in {got}"
    if validator == "minLength":
        return "expected a non-empty text"
    if validator == "minProperties":
        keys = ", ".join(sorted(error.schema.get("properties", {})))
        return f"expected at least one of: {keys}"
    return error.message


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return _TYPE_NAMES["boolean"]
    if isinstance(value, int):
        return _TYPE_NAMES["integer"]
    if isinstance(value, float):
        return _TYPE_NAMES["number"]
    if isinstance(value, str):
        return "the text"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        text = json.dumps(value, default=str)
        return f"a list {text}" if len(text) < 60 else "a list"
    if isinstance(value, str):
        return repr(value)
    return str(value)
