"""Helpers shared by the regulation tests: raw preset data to break, and writers."""

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gesprekscyclus.regulations.loader import build_regulation, preset_path, validate
from gesprekscyclus.regulations.regulation import Regulation

# The seed documents, copied into the repository next to the presets.
SEEDS_DIR = Path(__file__).resolve().parents[2] / "src" / "gesprekscyclus" / "regulations" / "seeds"


@cache
def _preset_data(preset_id: str) -> dict[str, Any]:
    return yaml.safe_load(preset_path(preset_id).read_text(encoding="utf-8"))


def preset_data(preset_id: str) -> dict[str, Any]:
    """A fresh, mutable copy of a preset's parsed YAML."""
    return copy.deepcopy(_preset_data(preset_id))


def write_yaml(directory: Path, data: Any, name: str = "regulation.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def regulation_from(data: dict[str, Any]) -> Regulation:
    problems = validate(data)
    assert problems == [], problems
    return build_regulation(data)
