"""The runtime dependencies in pyproject.toml are the ones the code imports: none unused, and no test tool
(pytest) imported by the package, the eval suite or the app."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_BUILDERS = {ROOT / "eval" / "check_cases" / "build.py"}  # writes the committed drafts; a dev tool
RUNTIME = [
    *sorted((ROOT / "assistant").rglob("*.py")),
    *sorted(p for p in (ROOT / "eval").rglob("*.py") if p not in FIXTURE_BUILDERS),
    ROOT / "app.py",
]
# pinned but not imported: the CPU build of torch keeps sentence-transformers from pulling the CUDA one
PINS_ONLY = {"torch"}
DEV_TOOLS = {"pytest", "ruff", "playwright", "fpdf"}


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in RUNTIME:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def _runtime_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=!~ \[;]", spec, maxsplit=1)[0] for spec in project["dependencies"]]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_imported() -> None:
    imported = _imported_top_levels()
    providers = packages_distributions()
    used = {_canonical(dist) for name in imported for dist in providers.get(name, [])}
    unused = [req for req in _runtime_requirements() if _canonical(req) not in used | PINS_ONLY]
    assert not unused, f"declared in [project] dependencies but never imported: {unused}; drop them"


def test_runtime_code_imports_no_test_tool() -> None:
    found = _imported_top_levels() & DEV_TOOLS
    assert not found, f"runtime modules import {sorted(found)}: dev extra only (pip install '.[dev]')"
    assert "pytest" not in {_canonical(req) for req in _runtime_requirements()}
