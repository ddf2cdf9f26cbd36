"""Broken regulation files: every problem names the file, the key path and what was expected."""

import pytest

from gesprekscyclus.regulations.loader import (
    RegulationError,
    load_regulation,
    load_regulation_text,
    validate,
)
from gesprekscyclus.regulations.schema import format_path, load_schema
from tests.regulations.builders import preset_data, write_yaml


def _problems(tmp_path, data) -> tuple[str, list[tuple[str, str]], list[str]]:
    path = write_yaml(tmp_path, data)
    with pytest.raises(RegulationError) as caught:
        load_regulation(path)
    assert caught.value.filename == str(path)
    return str(path), caught.value.problems, caught.value.lines()


def _paths(problems) -> list[str]:
    return [path for path, _ in problems]


def test_schema_is_draft_2020_12_and_closed():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False

    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    assert all(node.get("additionalProperties") is False for node in objects(schema))


def test_format_path():
    path = format_path(["conversation_kinds", 2, "due", "anchor"])
    assert path == "conversation_kinds[2].due.anchor"
    assert format_path([]) == ""


def test_unknown_key_is_an_error_with_its_path(tmp_path):
    data = preset_data("heemstede")
    data["conversation_kinds"][1]["colour"] = "blue"
    data["favourite"] = True
    filename, problems, lines = _problems(tmp_path, data)
    assert "conversation_kinds[1].colour" in _paths(problems)
    assert "favourite" in _paths(problems)
    assert any(
        line.startswith(f"{filename}: conversation_kinds[1].colour: unknown key; expected one of:")
        for line in lines
    )


def test_wrong_type(tmp_path):
    data = preset_data("zaanstad")
    data["period"]["length_months"] = "twelve"
    _, problems, _ = _problems(tmp_path, data)
    assert ("period.length_months", "expected an integer, got the text 'twelve'") in problems


def test_bad_anchor(tmp_path):
    data = preset_data("heemstede")
    data["conversation_kinds"][2]["due"]["anchor"] = "end_of_year"
    filename, problems, lines = _problems(tmp_path, data)
    assert _paths(problems) == ["conversation_kinds[2].due.anchor"]
    assert lines[0] == (
        f"{filename}: conversation_kinds[2].due.anchor: expected one of: period_start, "
        "period_midpoint, period_end, employment_start, probation_end; got 'end_of_year'"
    )


def test_duplicate_conversation_id(tmp_path):
    data = preset_data("kampen")
    data["conversation_kinds"][2]["id"] = "planning"
    _, problems, _ = _problems(tmp_path, data)
    assert (
        "conversation_kinds[2].id",
        "duplicate id 'planning' (also conversation_kinds[0])",
    ) in problems


def test_dangling_combinable_with(tmp_path):
    data = preset_data("heemstede")
    data["conversation_kinds"][2]["combinable_with"] = ["planning", "lunch"]
    _, problems, _ = _problems(tmp_path, data)
    assert _paths(problems) == ["conversation_kinds[2].combinable_with[1]"]
    assert problems[0][1].startswith("unknown conversation kind 'lunch'; expected one of:")


def test_kind_cannot_combine_with_itself(tmp_path):
    data = preset_data("heemstede")
    data["conversation_kinds"][0]["combinable_with"] = ["planning"]
    _, problems, _ = _problems(tmp_path, data)
    assert problems == [
        ("conversation_kinds[0].combinable_with[0]", "a kind cannot combine with itself"),
    ]


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: heemstede\nname: [unclosed\nversion: '1'\n", encoding="utf-8")
    with pytest.raises(RegulationError) as caught:
        load_regulation(path)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}: invalid YAML: ")
    assert "line 3" in line


def test_duplicate_yaml_key_is_an_error(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("id: a\nid: b\n", encoding="utf-8")
    with pytest.raises(RegulationError) as caught:
        load_regulation(path)
    assert caught.value.lines() == [f"{path}: invalid YAML: duplicate key 'id' (line 2, column 1)"]


def test_yes_is_not_a_boolean():
    data = preset_data("kampen")
    data["archiving"][0]["personnel_file"] = "yes"
    assert (
        "archiving[0].personnel_file",
        "expected true or false, got the text 'yes'",
    ) in validate(data)


def test_unquoted_version_gets_a_hint():
    data = preset_data("kampen")
    data["version"] = 1.5
    assert validate(data) == [("version", "expected a string, got a number 1.5 (put it in quotes)")]


def test_empty_file_and_non_mapping():
    for text in ("", "- a\n- b\n", "just text"):
        with pytest.raises(RegulationError) as caught:
            load_regulation_text(text, "x.yaml")
        assert caught.value.lines() == ["x.yaml: expected a mapping at the top of the file"]


def test_missing_file():
    with pytest.raises(RegulationError) as caught:
        load_regulation("/nonexistent/regulation.yaml")
    assert caught.value.lines()[0].startswith("/nonexistent/regulation.yaml: cannot read file")


def test_missing_required_keys_reported_once_each():
    problems = validate({"id": "x"})
    assert problems == [
        ("name", "required key is missing"),
        ("version", "required key is missing"),
        ("source", "required key is missing"),
        ("period", "required key is missing"),
        ("conversation_kinds", "required key is missing"),
        ("visibility", "required key is missing"),
        ("archiving", "required key is missing"),
    ]


def test_negative_takeover_days():
    data = preset_data("wierden")
    data["conversation_kinds"][0]["initiative"]["takeover"]["after_days"] = -3
    assert validate(data) == [
        ("conversation_kinds[0].initiative.takeover.after_days", "expected a number >= 0, got -3")
    ]


def test_takeover_by_the_same_party():
    data = preset_data("wierden")
    data["conversation_kinds"][0]["initiative"]["takeover"]["by"] = "employee"
    assert validate(data) == [
        ("conversation_kinds[0].initiative.takeover.by", "must differ from initiative.by")
    ]


def test_window_from_after_to():
    data = preset_data("heemstede")
    data["conversation_kinds"][1]["due"] = {
        "anchor": "period_midpoint",
        "from": {"months": 1},
        "to": {"days": 10},
    }
    assert validate(data) == [
        (
            "conversation_kinds[1].due",
            "window starts after it ends: 'from' must not be later than 'to'",
        )
    ]


def test_window_one_month_versus_thirty_days_is_judged_on_every_month():
    """{months: 1} is later than {days: 30} in a 31-day month, so the window can be empty."""
    data = preset_data("heemstede")
    data["conversation_kinds"][1]["due"] = {
        "anchor": "period_start",
        "from": {"months": 1},
        "to": {"days": 30},
    }
    assert _paths(validate(data)) == ["conversation_kinds[1].due"]


def test_probation_window_from_after_to():
    data = preset_data("heemstede")
    data["probation"]["kinds"][3]["due"]["from"] = {"months": -2}
    assert _paths(validate(data)) == ["probation.kinds[3].due"]


def test_empty_offset():
    data = preset_data("klassiek")
    data["conversation_kinds"][0]["due"]["from"] = {}
    assert validate(data) == [
        ("conversation_kinds[0].due.from", "expected at least one of: days, months"),
    ]


def test_unknown_form_reference():
    data = preset_data("wierden")
    data["conversation_kinds"][0]["recording"]["form"] = "missing_form"
    data["conversation_kinds"][0]["agenda"] = "missing_agenda"
    assert _paths(validate(data)) == [
        "conversation_kinds[0].recording.form",
        "conversation_kinds[0].agenda",
    ]


def test_requirement_on_unknown_kind():
    data = preset_data("heemstede")
    data["probation"]["kinds"][3]["requires"][0]["kind"] = "coffee"
    assert _paths(validate(data)) == ["probation.kinds[3].requires[0].kind"]


def test_unknown_flag():
    data = preset_data("heemstede")
    data["probation"]["kinds"][3]["requires"][0]["flag"] = "late"
    assert _paths(validate(data)) == ["probation.kinds[3].requires[0].flag"]


def test_agreed_frequency_bounds():
    data = preset_data("zaanstad")
    data["conversation_kinds"][0]["count"]["agreed_frequency"] = {
        "default_per_year": 20,
        "min_per_year": 1,
        "max_per_year": 12,
    }
    assert validate(data) == [
        (
            "conversation_kinds[0].count.agreed_frequency",
            "expected min_per_year <= default_per_year <= max_per_year, got 1, 20, 12",
        )
    ]


def test_per_unit_period_needs_a_start_month():
    data = preset_data("heemstede")
    del data["period"]["start_month"]
    assert validate(data) == [("period.start_month", "required when period.start is 'per_unit'")]


def test_start_month_only_for_per_unit():
    data = preset_data("zaanstad")
    data["period"]["start_month"] = 3
    assert _paths(validate(data)) == ["period.start_month"]


def test_assessment_references():
    data = preset_data("kampen")
    data["assessment"]["kind"] = "judgement"
    del data["assessment"]["after_kind"]
    data["assessment"]["scale"][1]["value"] = 1
    assert _paths(validate(data)) == [
        "assessment.kind",
        "assessment.after_kind",
        "assessment.scale[1].value",
    ]


def test_rating_item_needs_a_scale():
    data = preset_data("kampen")
    del data["assessment"]
    problems = validate(data)
    assert (
        "forms[2].sections[0].items[0].type",
        "a rating item needs assessment.scale",
    ) in problems


def test_duplicate_form_section_and_item_ids():
    data = preset_data("klassiek")
    data["forms"][1]["id"] = "planning_agenda"
    data["forms"][0]["sections"][1]["items"][1]["id"] = "work_and_development"
    assert _paths(validate(data)) == [
        "conversation_kinds[0].recording.form",  # planning_form is gone now
        "forms[1].id",
        "forms[0].sections[1].items[1].id",
    ]


def test_archiving_rules_must_not_overlap():
    data = preset_data("zaanstad")
    data["archiving"].append(
        {
            "document": "report",
            "kinds": ["evaluation"],
            "personnel_file": False,
            "retention": {"years": 1, "after": "completion"},
        }
    )
    assert validate(data) == [("archiving[5].kinds", "overlaps archiving[1] for document 'report'")]


def test_retention_needs_a_duration():
    data = preset_data("wierden")
    data["archiving"][0]["retention"] = {"after": "completion"}
    assert validate(data) == [("archiving[0].retention", "expected years and/or months")]


def test_bad_role_in_visibility():
    data = preset_data("heemstede")
    data["visibility"]["report"].append("mayor")
    data["visibility"]["payslip"] = ["employee"]
    assert _paths(validate(data)) == ["visibility.payslip", "visibility.report[4]"]


def test_work_plan_references_must_exist():
    data = preset_data("heemstede")
    data["work_plan"] = {
        "form": "individual_work_plan",
        "manager_sections": ["manager_remarks", "salary"],
        "established_in": "kick_off",
        "revised_in": ["progress", "coffee"],
    }
    problems = validate(data)
    assert _paths(problems) == [
        "work_plan.established_in",
        "work_plan.revised_in[1]",
        "work_plan.manager_sections[1]",
    ]
    assert "unknown section of the work plan form 'salary'" in problems[2][1]


def test_work_plan_needs_a_known_form_and_no_unknown_keys():
    data = preset_data("heemstede")
    data["work_plan"] = {"form": "pop", "established_in": "planning", "signed": True}
    assert _paths(validate(data)) == ["work_plan.signed", "work_plan.form"]


def test_all_problems_are_reported_at_once(tmp_path):
    data = preset_data("heemstede")
    kinds = data["conversation_kinds"]
    kinds[0]["colour"] = "red"
    kinds[1]["count"]["min_per_period"] = "two"
    kinds[2]["due"]["anchor"] = "start"
    kinds[2]["combinable_with"] = ["nonexistent"]
    kinds[3]["id"] = "progress"
    filename, problems, lines = _problems(tmp_path, data)
    paths = _paths(problems)
    for expected in (
        "conversation_kinds[0].colour",
        "conversation_kinds[1].count.min_per_period",
        "conversation_kinds[2].due.anchor",
        "conversation_kinds[2].combinable_with[0]",
        "conversation_kinds[3].id",
    ):
        assert expected in paths
    assert all(line.startswith(f"{filename}: ") for line in lines)
    assert str(RegulationError(filename, problems)) == "\n".join(lines)
