"""Fitted numbers: logistic models and thresholds, read from one versioned file written by ``python -m eval fit``.

The logistic regression is a small numpy implementation (Newton steps with an L2 penalty on standardised
features) rather than scikit-learn: it takes soft labels (the share of a question's facts a block holds), it adds
no dependency to the query path, and the fitted model is a handful of numbers in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import AssistantError

FORMAT = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "fitted.json"


class FittedError(AssistantError):
    """The fitted-model file is missing or does not match the code's features."""


@dataclass(frozen=True)
class LogisticModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    bias: float

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = (np.asarray(rows, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.bias)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LogisticModel:
        return cls(
            tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]), float(data["bias"])
        )


def fit_logistic(
    features: Sequence[str],
    rows: Sequence[Sequence[float]],
    labels: Sequence[float],
    weights: Sequence[float] | None = None,
    l2: float = 1.0,
    steps: int = 50,
) -> LogisticModel:
    """Weighted logistic regression on labels in [0, 1] by Newton's method; ``l2`` penalises the coefficients of
    the standardised features (not the bias)."""
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (w * (p - y)) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return LogisticModel(tuple(features), tuple(mean), tuple(scale), tuple(beta[:-1]), float(beta[-1]))


@dataclass(frozen=True)
class Fitted:
    reader: LogisticModel
    same_chunk: float  # probability another block of the lead block's chunk needs to be quoted with it
    other_section: float  # probability a block of another section needs to join the answer
    answerability: LogisticModel
    answer_threshold: float  # below this probability that the passages answer, the answer is a refusal
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "provenance": dict(self.provenance),
            "reader": self.reader.to_json()
            | {"same_chunk": round(self.same_chunk, 6), "other_section": round(self.other_section, 6)},
            "answerability": self.answerability.to_json() | {"threshold": round(self.answer_threshold, 6)},
        }


def load_fitted(path: Path | None, reader_features: Sequence[str], answer_features: Sequence[str]) -> Fitted:
    path = path or DEFAULT_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        fitted = Fitted(
            LogisticModel.from_json(data["reader"]),
            float(data["reader"]["same_chunk"]),
            float(data["reader"]["other_section"]),
            LogisticModel.from_json(data["answerability"]),
            float(data["answerability"]["threshold"]),
            data.get("provenance", {}),
        )
    except FileNotFoundError as e:
        raise FittedError(f"fitted-model file {path} does not exist; create it with `python -m eval fit`") from e
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise FittedError(
            f"fitted-model file {path} cannot be read ({e!r}); write it again with `python -m eval fit`"
        ) from e
    for name, model, expected in (
        ("reader", fitted.reader, reader_features),
        ("answerability", fitted.answerability, answer_features),
    ):
        if tuple(model.features) != tuple(expected):
            raise FittedError(
                f"fitted-model file {path}: the {name} features {list(model.features)!r} differ from the code's "
                f"{list(expected)!r}; fit again with `python -m eval fit`"
            )
    return fitted


def save_fitted(path: Path, fitted: Fitted) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fitted.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
