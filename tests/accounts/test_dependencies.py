"""Every third-party package the application imports is a declared dependency: named in
requirements/base.txt, pinned in constraints.txt (the lock) and explained in the README's
"Why each dependency is there" table. A package that only arrives as a dependency of
another one (PyJWT and requests through mozilla-django-oidc) disappears when that one
stops needing it."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "gesprekscyclus"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(_normal(re.match(r"[A-Za-z0-9._-]+", line).group(0)))
    return names


def _imported_top_level_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                modules.setdefault(name.split(".")[0], path)
    return modules


def _third_party_distributions() -> dict[str, Path]:
    by_module = importlib.metadata.packages_distributions()
    found: dict[str, Path] = {}
    for module, path in _imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module == "gesprekscyclus":
            continue
        for distribution in by_module.get(module, []):
            found.setdefault(_normal(distribution), path)
    return found


@pytest.fixture(scope="module")
def imported():
    return _third_party_distributions()


def test_the_single_sign_on_code_imports_are_found(imported):
    assert {"pyjwt", "requests", "mozilla-django-oidc"} <= set(imported)


def test_every_imported_package_is_declared_in_requirements(imported):
    declared = _requirement_names(ROOT / "requirements" / "base.txt")
    missing = {name: str(path.relative_to(ROOT)) for name, path in imported.items() if name not in declared}
    assert missing == {}


def test_every_declared_package_is_pinned_in_the_lock_to_the_installed_version():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        pins[_normal(name)] = version.strip()
    for name in _requirement_names(ROOT / "requirements" / "base.txt"):
        assert name in pins, name
        assert pins[name] == importlib.metadata.version(name), name


def test_every_declared_package_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Why each dependency is there", 1)[1].split("\n## ", 1)[0]
    first_column = " ".join(row.split("|")[1] for row in table.splitlines() if row.startswith("| "))
    explained = {_normal(word) for word in re.findall(r"[\w.-]+", first_column)}
    for name in _requirement_names(ROOT / "requirements" / "base.txt"):
        assert name in explained, name
