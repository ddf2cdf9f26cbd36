"""``manage.py check_regulation FILE_OR_PRESET_ID``."""

from io import StringIO

import pytest
from django.core.management.base import CommandError

from gesprekscyclus.regulations.loader import preset_path
from gesprekscyclus.regulations.management.commands.check_regulation import Command
from tests.regulations.builders import preset_data, write_yaml


def _run(target: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    Command(stdout=stdout, stderr=stderr, no_color=True).handle(regulation=target)
    return stdout.getvalue(), stderr.getvalue()


def test_preset_id_prints_ok_and_a_summary():
    stdout, stderr = _run("heemstede")
    assert stdout.startswith("OK heemstede\n")
    assert "period: 12 months, starting by per unit, default month 1" in stdout
    planning = "  planning: Planningsgesprek / Planning conversation [combinable with evaluation]"
    assert planning in stdout
    assert "  assessment: Beoordelingsgesprek / Assessment conversation [on request]" in stdout
    assert stderr == ""


def test_file_path_works_too():
    stdout, _ = _run(str(preset_path("zaanstad")))
    check_in = "check_in: Regulier gesprek / Regular conversation [agreed frequency 4/year (1-12)]"
    assert check_in in stdout


def test_invalid_file_prints_each_problem_and_fails(tmp_path):
    data = preset_data("kampen")
    data["conversation_kinds"][0]["due"]["anchor"] = "someday"
    data["conversation_kinds"][1]["combinable_with"] = ["lunch"]
    path = write_yaml(tmp_path, data)
    stdout, stderr = StringIO(), StringIO()
    command = Command(stdout=stdout, stderr=stderr, no_color=True)
    with pytest.raises(CommandError, match="2 problems"):
        command.handle(regulation=str(path))
    lines = stderr.getvalue().splitlines()
    assert lines[0].startswith(f"{path}: conversation_kinds[0].due.anchor: expected one of:")
    assert lines[1].startswith(f"{path}: conversation_kinds[1].combinable_with[0]: unknown")
    assert stdout.getvalue() == ""


def test_unknown_target():
    with pytest.raises(CommandError, match="no such file, and not a preset"):
        _run("atlantis")
