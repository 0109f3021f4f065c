"""Thresholds (``eval/thresholds.yaml``) and the gate that compares measured metrics with them.

Keys are dotted paths into ``metrics.json`` (``overall.mrr``, ``by_lang.en.hit_at_5``,
``retrieval.hybrid.overall.mrr``). ``min`` values are floors, ``max`` values ceilings, ``better_than`` pairs
require the first metric to be strictly higher than the second. ``bench`` holds the targets that
``python -m eval bench`` reports (timings are machine-dependent, so they never gate ``run``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.yaml_io import YamlProblem, load_yaml
from eval.dataset import DatasetError


@dataclass(frozen=True)
class Thresholds:
    minimum: Mapping[str, float] = field(default_factory=dict)
    maximum: Mapping[str, float] = field(default_factory=dict)
    better_than: tuple[tuple[str, str], ...] = ()
    bench_minimum: Mapping[str, float] = field(default_factory=dict)
    bench_maximum: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    path: str
    op: str  # ">=", "<=" or ">"
    target: float | str
    value: float | None
    passed: bool | None  # None: not measured (no question the metric applies to)

    @property
    def status(self) -> str:
        return {True: "pass", False: "FAIL", None: "not measured"}[self.passed]


def _numbers(data: Any, where: str) -> dict[str, float]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DatasetError(f"{where} must be a mapping of metric path to number")
    out = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DatasetError(f"{where}.{key}: {value!r} must be a number")
        out[str(key)] = float(value)
    return out


def load_thresholds(path: Path) -> Thresholds:
    if not path.is_file():
        raise DatasetError(f"thresholds file {path} does not exist; pass --thresholds FILE")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except YamlProblem as e:
        raise DatasetError(f"{e}; fix the thresholds file") from e
    if not isinstance(data, dict):
        raise DatasetError(f"{path} must be a mapping with min:, max:, better_than: and bench:")
    unknown = sorted(set(data) - {"min", "max", "better_than", "bench"})
    if unknown:
        raise DatasetError(f"{path}: unknown key {unknown[0]!r}; use min, max, better_than, bench")
    pairs = []
    for i, pair in enumerate(data.get("better_than") or [], start=1):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise DatasetError(f"{path}: better_than item {i} must be [HIGHER_PATH, LOWER_PATH], got {pair!r}")
        pairs.append((pair[0], pair[1]))
    bench = data.get("bench") or {}
    if not isinstance(bench, dict):
        raise DatasetError(f"{path}: bench must be a mapping with min: and max:")
    return Thresholds(
        _numbers(data.get("min"), f"{path}: min"),
        _numbers(data.get("max"), f"{path}: max"),
        tuple(pairs),
        _numbers(bench.get("min"), f"{path}: bench.min"),
        _numbers(bench.get("max"), f"{path}: bench.max"),
    )


def lookup(metrics: Mapping[str, Any], path: str) -> float | None:
    node: Any = metrics
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def _bound(metrics: Mapping[str, Any], path: str, target: float, op: str) -> Check:
    value = lookup(metrics, path)
    if value is None:
        return Check(path, op, target, None, None)
    return Check(path, op, target, value, value >= target if op == ">=" else value <= target)


def check(thresholds: Thresholds, metrics: Mapping[str, Any]) -> list[Check]:
    checks = [_bound(metrics, p, t, ">=") for p, t in thresholds.minimum.items()]
    checks += [_bound(metrics, p, t, "<=") for p, t in thresholds.maximum.items()]
    for higher, lower in thresholds.better_than:
        a, b = lookup(metrics, higher), lookup(metrics, lower)
        passed = None if a is None or b is None else a > b
        checks.append(Check(higher, ">", lower, a, passed))
    return checks


def check_bench(thresholds: Thresholds, bench: Mapping[str, Any]) -> list[Check]:
    return [_bound(bench, p, t, ">=") for p, t in thresholds.bench_minimum.items()] + [
        _bound(bench, p, t, "<=") for p, t in thresholds.bench_maximum.items()
    ]


def passed(checks: list[Check]) -> bool:
    return all(c.passed is not False for c in checks)
