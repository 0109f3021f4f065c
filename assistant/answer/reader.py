"""The passage reader: the blocks of the top retrieved chunks, scored by a fitted logistic model.

Candidates are the paragraphs, whole lists and whole tables (or, in a long table, single rows with their header)
of the top ``max_hits`` chunks. Each gets the features of ``assistant.answer.features``; the model fitted on the
calibration questions (``python -m eval fit``) turns them into the probability that the block answers. Block and
heading vectors come from the ingest-time cache, so reading costs one or two query embeddings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.features import Candidate, Reading, reader_vector
from assistant.answer.fitted import LogisticModel
from assistant.answer.question import QuestionRecord
from assistant.index.analysis import tokenize
from assistant.index.embedders import Embedder
from assistant.types import Chunk, Hit
from assistant.units import block_vector_texts, heading_embed_text, pooled_rows, split_blocks


def heading_terms(chunk: Chunk) -> frozenset[str]:
    """Analysed terms of a chunk's document title and section path."""
    return frozenset(tokenize(f"{chunk.title} {' '.join(chunk.section)}"))


@dataclass
class Reader:
    embedder: Embedder
    max_hits: int = 4

    def candidates(self, question: QuestionRecord, hits: Sequence[Hit]) -> list[Candidate]:
        pairs = []
        texts: list[str | None] = []  # what each block's vector is read from (None: pooled from its rows)
        pooled: dict[int, list[int]] = {}  # a long table's part -> its rows (positions in pairs)
        for rank, h in enumerate(hits[: self.max_hits], start=1):
            blocks = split_blocks(h.chunk)
            first, rows_of = len(pairs), pooled_rows(blocks)
            pooled |= {first + i: [first + j for j in rows] for i, rows in rows_of.items()}
            texts += block_vector_texts(h.chunk, blocks, rows_of)
            pairs += [(rank, h.chunk, order, b) for order, b in enumerate(blocks)]
        if not pairs:
            return []
        headings = list(dict.fromkeys(heading_embed_text(c) for _, c, _, _ in pairs))
        vectors = self._vectors(texts, pooled, headings)
        query = self._query_similarity(question, vectors)
        by_heading = dict(zip(headings, query[len(pairs) :], strict=True))
        best = float(query[: len(pairs)].max())
        out = []
        for (rank, chunk, order, block), dense in zip(pairs, query[: len(pairs)], strict=True):
            out.append(
                Candidate(
                    chunk=chunk,
                    block=block,
                    rank=rank,
                    order=order,
                    dense=float(dense),
                    dense_heading=float(by_heading[heading_embed_text(chunk)]),
                    dense_best=best,
                    tokens=frozenset(tokenize(block.scored_text)),
                    heading_tokens=heading_terms(chunk),
                )
            )
        return out

    def _vectors(self, texts: list[str | None], pooled: dict[int, list[int]], headings: list[str]) -> np.ndarray:
        """Block vectors (then heading vectors) from the cache; a long table's part is the mean of its rows."""
        own = [i for i, text in enumerate(texts) if text is not None]
        embedded = self.embedder.embed_passages([texts[i] for i in own] + headings)  # type: ignore[misc]
        vectors = np.zeros((len(texts) + len(headings), embedded.shape[1]), dtype=np.float32)
        vectors[own] = embedded[: len(own)]
        vectors[len(texts) :] = embedded[len(own) :]
        for part, rows in pooled.items():
            mean = vectors[rows].mean(axis=0)
            vectors[part] = mean / (np.linalg.norm(mean) or 1.0)
        return vectors

    def _query_similarity(self, question: QuestionRecord, vectors: np.ndarray) -> np.ndarray:
        similarity = vectors @ np.asarray(self.embedder.embed_query(question.query), dtype=np.float32)
        if question.context:
            # a follow-up: the carried-over topic alone would pick the previous answer again; the turn's own words
            # ("kalau honorariumnya?") say what is asked now, so both queries count equally
            own = vectors @ np.asarray(self.embedder.embed_query(question.text), dtype=np.float32)
            similarity = (similarity + own) / 2
        return similarity


def read(question: QuestionRecord, candidates: Sequence[Candidate], model: LogisticModel) -> Reading:
    """Candidates with their probability of answering, best first."""
    if not candidates:
        return Reading((), ())
    probabilities = model.probabilities([reader_vector(question, c) for c in candidates])
    order = sorted(range(len(candidates)), key=lambda i: -probabilities[i])
    return Reading(tuple(candidates[i] for i in order), tuple(float(probabilities[i]) for i in order))


def choose(question: QuestionRecord, reading: Reading, same_chunk: float, other_section: float) -> list[Candidate]:
    """The lead block; the other blocks of its chunk that the model rates at least ``same_chunk`` (quoted with it
    as one passage); and at most one block of another section rated at least ``other_section`` that holds
    question terms the blocks chosen so far lack (another asked fact, not the same one again)."""
    if not reading.candidates:
        return []
    lead = reading.lead
    chosen = [lead]
    ranked = list(zip(reading.candidates[1:], reading.probabilities[1:], strict=True))
    for candidate, p in ranked:
        if p >= same_chunk and candidate.chunk.chunk_id == lead.chunk.chunk_id and not _repeats(candidate, chosen):
            chosen.append(candidate)
    covered = set().union(*(c.tokens | c.heading_tokens for c in chosen))
    for candidate, p in ranked:
        if p < other_section:
            break
        if candidate.section_key == lead.section_key or _repeats(candidate, chosen):
            continue
        if question.own & (candidate.tokens - covered):
            chosen.append(candidate)
            break
    return chosen


def _repeats(candidate: Candidate, chosen: Sequence[Candidate]) -> bool:
    return any(_same_text(candidate, c) for c in chosen)


def _same_text(a: Candidate, b: Candidate) -> bool:
    x, y = " ".join(a.block.text.split()), " ".join(b.block.text.split())
    return x in y or y in x
