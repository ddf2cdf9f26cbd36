"""The five presets: they validate, and every seed quote in them is real."""

import re

import pytest

from gesprekscyclus.regulations.loader import load_preset, preset_ids, preset_path
from tests.regulations.builders import SEEDS_DIR

PRESETS = ["heemstede", "kampen", "klassiek", "wierden", "zaanstad"]
KNOWN_KIND_IDS = {
    "planning",
    "progress",
    "evaluation",
    "assessment",
    "performance",
    "annual",
    "check_in",
}


def test_the_five_presets_are_there():
    assert preset_ids() == PRESETS


@pytest.mark.parametrize("preset_id", PRESETS)
def test_preset_validates(preset_id):
    regulation = load_preset(preset_id)
    assert regulation.id == preset_id
    assert regulation.name
    assert re.fullmatch(r"\d+(\.\d+)*", regulation.version)
    assert re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", regulation.source.seed)


@pytest.mark.parametrize("preset_id", PRESETS)
def test_preset_uses_the_agreed_conversation_ids(preset_id):
    assert set(load_preset(preset_id).kind_ids) <= KNOWN_KIND_IDS


@pytest.mark.parametrize("preset_id", PRESETS)
def test_every_kind_is_archived_somewhere(preset_id):
    regulation = load_preset(preset_id)
    for kind in regulation.conversation_kinds:
        assert regulation.archiving.rule_for("report", kind.id) is not None, kind.id


@pytest.mark.parametrize("preset_id", PRESETS)
def test_no_preset_lets_the_hr_administrator_read_content(preset_id):
    visibility = load_preset(preset_id).visibility
    assert all("hr_admin" not in rule.readers for rule in visibility.rules)


# -- traceability ----------------------------------------------------------------------

_QUOTE_MARKS = str.maketrans({"“": "'", "”": "'", "‘": "'", "’": "'", '"': "'"})


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MARKS)).strip()


def _comment_blocks(text: str) -> list[str]:
    blocks, current = [], []
    for line in text.splitlines():
        match = re.match(r"\s*#\s?(.*)$", line)
        if match:
            current.append(match.group(1))
        elif current:
            blocks.append(" ".join(current))
            current = []
    return blocks


def _quoted_fragments(text: str) -> list[str]:
    """Every double-quoted text in a comment, split at "..." elisions."""
    fragments = []
    for block in _comment_blocks(text):
        for quote in re.findall(r'"([^"]+)"', block):
            for fragment in quote.split("..."):
                fragment = _normalise(fragment).strip(" .,:;-")
                if len(fragment) >= 4:
                    fragments.append(fragment)
    return fragments


@pytest.mark.parametrize("preset_id", PRESETS)
def test_preset_cites_its_seed_often(preset_id):
    text = preset_path(preset_id).read_text(encoding="utf-8")
    seed_number = load_preset(preset_id).source.seed[:3]
    assert len(re.findall(rf"# {seed_number}\b", text)) >= 10
    assert len(_quoted_fragments(text)) >= 20


@pytest.mark.parametrize("preset_id", PRESETS)
def test_every_quote_in_a_preset_is_verbatim_from_its_seed(preset_id):
    """Double quotes in a preset comment mean a literal quote from the seed document."""
    seed = SEEDS_DIR / load_preset(preset_id).source.seed
    assert seed.is_file(), f"seed document {seed} not found"
    seed_text = _normalise(seed.read_text(encoding="utf-8"))
    text = preset_path(preset_id).read_text(encoding="utf-8")
    missing = [fragment for fragment in _quoted_fragments(text) if fragment not in seed_text]
    assert missing == []


@pytest.mark.parametrize("preset_id", PRESETS)
def test_vague_numbers_are_marked_as_our_choice(preset_id):
    text = preset_path(preset_id).read_text(encoding="utf-8")
    assert "Our choice" in text
