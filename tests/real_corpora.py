"""Where the real government documents and their question sets are: ``../shared/real-corpora`` beside the
repository (CI and developer machines), or ``KLASINOV_REAL_CORPORA``. A user's clone has neither: tests skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def real_corpora() -> Path:
    for folder in (ROOT.parent / "shared" / "real-corpora", Path(os.environ.get("KLASINOV_REAL_CORPORA", "-"))):
        if folder.is_dir():
            return folder
    pytest.skip("real corpora not found: put them at ../shared/real-corpora or set KLASINOV_REAL_CORPORA")
