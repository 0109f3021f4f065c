"""The one place PyYAML is used: safe loading with errors that point at the line."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser (bundled with PyYAML's wheels) reads the 160 kB glossary about ten times faster than the
# pure-Python one; both build the same safe types.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(ValueError):
    """YAML that does not parse; the message carries the line and column."""


def load_yaml(text: str, what: str, line_offset: int = 0) -> Any:
    """Parse YAML; ``line_offset`` makes reported lines count from the start of the enclosing file."""
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise YamlProblem(f"{what} is not valid YAML{where}: {problem}") from e


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
