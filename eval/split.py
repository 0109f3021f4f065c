"""Calibration and holdout: every fitted number is fitted on calibration questions, quality is reported on holdout.

The split is stratified by language, category and answerability, so each part holds the same mix; a follow-up
goes with its first turn (a chat is one example). Assignment follows a hash of the first turn's id and is
recorded in the question file as ``split:``; a question that has a split keeps it, so adding questions later
never moves one from holdout into calibration.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from eval.dataset import DatasetError, Question, chain_of, load_questions

HOLDOUT_SHARE = 0.4


def _order(qid: str) -> str:
    return hashlib.sha256(qid.encode("utf-8")).hexdigest()


def assign_splits(questions: Sequence[Question], holdout_share: float = HOLDOUT_SHARE) -> dict[str, str]:
    """Question id -> split. Questions that already have a split keep it; the others are dealt out per stratum
    (language, category, answerable; unanswerable ones by language only) in hash order, so that each stratum's
    holdout share is ``holdout_share``."""
    by_id = {q.id: q for q in questions}
    roots: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        chain = chain_of(q, by_id)
        roots[(chain[0] if chain else q).id].append(q)
    strata: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for root_id in roots:
        root = by_id[root_id]
        # unanswerable questions are few and spread over categories: they are stratified by language alone
        strata[(root.lang, root.category if root.answerable else "", root.answerable)].append(root_id)
    assigned: dict[str, str] = {}
    for members in strata.values():
        fixed = [r for r in members if by_id[r].split]
        held = sum(by_id[r].split == "holdout" for r in fixed)
        for count, root_id in enumerate(sorted((r for r in members if not by_id[r].split), key=_order), start=1):
            # deal so that the running holdout share stays at or below the target, rounding half up
            due = round((len(fixed) + count) * holdout_share + 1e-9)
            split = "holdout" if held < due else "calibration"
            held += split == "holdout"
            for q in roots[root_id]:
                assigned[q.id] = split
        for root_id in fixed:
            for q in roots[root_id]:
                assigned[q.id] = by_id[root_id].split or "calibration"
    return assigned


ID_LINE = re.compile(r"^(\s*)- id:\s*(\S+)\s*$")


def write_splits(path: Path, holdout_share: float = HOLDOUT_SHARE) -> dict[str, str]:
    """Add ``split:`` under each question's id line of a YAML question file that has none; comments and order are
    kept. Returns the splits of every question."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise DatasetError(f"{path}: splits can be written into a YAML question file only; add `split:` by hand")
    questions = load_questions(path)
    splits = assign_splits(questions, holdout_share)
    has_split = {q.id for q in questions if q.split}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        out.append(line)
        match = ID_LINE.match(line)
        if match and match.group(2).strip("'\"") in splits and match.group(2).strip("'\"") not in has_split:
            out.append(f"{match.group(1)}  split: {splits[match.group(2).strip(chr(39) + chr(34))]}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    load_questions(path)  # the file still validates
    return splits
