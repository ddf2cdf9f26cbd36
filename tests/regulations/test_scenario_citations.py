"""The year scenarios (tests/browser/test_year_*.py) cite the seed rules they prove with
``year.proves(rule, how)``; docs/tour.md prints those citations. This test holds the citations to
the seed documents without running a browser: every single-quoted text in a rule is a literal
quote from the preset's seed (``...`` marks an elision), and every Kampen article number names
an article that exists. Labels and preset keys are written in backticks, never in quotes."""

import ast
import re
from pathlib import Path

import pytest

from gesprekscyclus.regulations.loader import load_preset
from tests.regulations.builders import SEEDS_DIR

SCENARIOS = Path(__file__).resolve().parents[1] / "browser"
PRESETS = ["heemstede", "kampen", "klassiek", "wierden", "zaanstad"]
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MARKS)).strip()


def cited_rules(preset: str) -> list[tuple[int, str]]:
    """(line, rule) of every ``proves`` call in the preset's scenario."""
    tree = ast.parse((SCENARIOS / f"test_year_{preset}.py").read_text(encoding="utf-8"))
    rules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "proves":
            argument = node.args[0]
            assert isinstance(argument, ast.Constant), f"line {node.lineno}: cite a rule as plain text"
            rules.append((node.lineno, argument.value))
    return rules


def quoted_fragments(rule: str) -> list[str]:
    """The single-quoted texts of a rule, split at '...' elisions. An apostrophe inside a word
    ("zo'n") is not a quote mark."""
    fragments = []
    for quote in re.findall(r"(?<![\w])'(.+?)'(?![\w])", _normalise(rule)):
        for fragment in quote.split("..."):
            fragment = fragment.strip(" .,:;-")
            if fragment:
                fragments.append(fragment)
    return fragments


def seed_text(preset: str) -> str:
    return _normalise((SEEDS_DIR / load_preset(preset).source.seed).read_text(encoding="utf-8"))


@pytest.mark.parametrize("preset", PRESETS)
def test_every_quote_a_scenario_cites_is_verbatim_from_its_seed(preset):
    seed = seed_text(preset)
    rules = cited_rules(preset)
    assert len(rules) >= 8, f"the {preset} scenario cites only {len(rules)} rules"
    quotes = [(line, fragment) for line, rule in rules for fragment in quoted_fragments(rule)]
    missing = [f"line {line}: '{fragment}'" for line, fragment in quotes if fragment not in seed]
    assert not missing, f"not in the {preset} seed:\n" + "\n".join(missing)


@pytest.mark.parametrize("preset", ["heemstede", "klassiek", "wierden", "zaanstad"])
def test_the_scenarios_quote_their_seed_not_only_name_it(preset):
    quotes = [fragment for _, rule in cited_rules(preset) for fragment in quoted_fragments(rule)]
    assert len(quotes) >= 4, f"the {preset} scenario quotes its seed only {len(quotes)} times"


def kampen_articles() -> set[str]:
    """Article numbers of the Kampen seed: section letter ('A Regeling ...') and item ('- 8 ...')."""
    articles, section = set(), None
    for line in (SEEDS_DIR / load_preset("kampen").source.seed).read_text(encoding="utf-8").splitlines():
        heading = re.match(r"([A-Z]) Regeling\b", line)
        if heading:
            section = heading.group(1)
        item = re.match(r"- (\d+) ", line)
        if item and section:
            articles.add(f"{section}{item.group(1)}")
    return articles


def test_every_kampen_article_the_scenario_cites_exists():
    articles = kampen_articles()
    assert {"A1", "A9", "B1"} <= articles
    cited = {article for _, rule in cited_rules("kampen") for article in re.findall(r"\b([AB]\d+)\b", rule)}
    assert len(cited) >= 5, f"the Kampen scenario names only the articles {sorted(cited)}"
    unknown = cited - articles
    assert not unknown, f"the Kampen seed has no article {sorted(unknown)}"
