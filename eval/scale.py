"""The synthetic 10,000-chunk corpus of the scale run.

Each synthetic chunk recombines 3–6 real answer units (sentences, list blocks, table rows) of the shipped
corpus, with numbers and region names varied, under a synthetic document and section. Its vector is the
normalised mean of its units' vectors: the units were embedded (and cached) at ingest, so 10,000 chunk vectors
cost no model call. Embedding 10,000 passages with the real model would take about 40 minutes, too long for a
benchmark; the vectors are close enough to real ones for the store's and BM25's search costs, which is what
the scale run measures. The real chunks (with their real vectors) are part of the 10,000.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import numpy as np

from assistant.index.embedders import Embedder
from assistant.types import Chunk
from assistant.units import block_embed_text, split_blocks

REGIONS = (
    "Aceh", "Sumatera Barat", "Riau", "Jambi", "Bengkulu", "Lampung", "Banten", "Jawa Barat", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Sulawesi Utara", "Sulawesi Tengah",
    "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Maluku", "Maluku Utara", "Papua", "Papua Barat",
)  # fmt: skip
PRODUCTS = ("kopi", "kakao", "rumput laut", "madu", "tenun", "rotan", "garam", "sagu", "pala", "ikan", "jagung")
DOC_TYPES = ("panduan", "kak", "berita", "ketentuan", "ringkasan")
CHUNKS_PER_DOC = 40
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class UnitPool:
    texts: tuple[str, ...]  # the unit texts as quoted
    vectors: np.ndarray  # their cached vectors (embedded as block_embed_text at ingest)


def unit_pool(chunks: list[Chunk], embedder: Embedder) -> UnitPool:
    pairs = [(b.text, block_embed_text(c, b)) for c in chunks for b in split_blocks(c)]
    vectors = embedder.embed_passages([embedded for _, embedded in pairs])
    return UnitPool(tuple(text for text, _ in pairs), vectors)


def _vary(text: str, rng: random.Random) -> str:
    """Other numbers and another region, so the synthetic texts do not repeat the real ones word for word."""

    def number(match: re.Match[str]) -> str:
        value = int(match.group(0))
        if 1990 <= value <= 2030:
            return str(rng.randint(2015, 2025))
        return str(max(1, int(value * rng.uniform(0.5, 1.5))))

    text = NUMBER.sub(number, text)
    for region in REGIONS:
        if region in text:
            text = text.replace(region, rng.choice(REGIONS))
    return text


def synthetic_chunks(
    real: list[Chunk], real_vectors: np.ndarray, pool: UnitPool, total: int, seed: int = 7
) -> tuple[list[Chunk], np.ndarray]:
    """``total`` chunks: the real ones plus synthetic ones, with their vectors."""
    rng = random.Random(seed)
    chunks = list(real)
    vectors = [real_vectors]
    synthetic_vectors = []
    for i in range(max(total - len(real), 0)):
        doc = i // CHUNKS_PER_DOC
        picks = [rng.randrange(len(pool.texts)) for _ in range(rng.randint(3, 6))]
        text = "\n".join(_vary(pool.texts[p], rng) for p in picks)
        mean = pool.vectors[picks].mean(axis=0)
        synthetic_vectors.append(mean / (np.linalg.norm(mean) or 1.0))
        region, product = REGIONS[doc % len(REGIONS)], PRODUCTS[doc % len(PRODUCTS)]
        chunks.append(
            Chunk(
                chunk_id=f"sintetis-{doc:03d}#{i:06d}",
                doc_id=f"sintetis-{doc:03d}",
                text=text,
                section=(f"Klaster {product} {region}", f"Bagian {i % CHUNKS_PER_DOC // 4 + 1}"),
                ordinal=i % CHUNKS_PER_DOC,
                title=f"Laporan Klaster {product.title()} {region} (sintetis {doc:03d})",
                year=2015 + doc % 10,
                doc_type=DOC_TYPES[doc % len(DOC_TYPES)],
                status="berlaku",
            )
        )
    if synthetic_vectors:
        vectors.append(np.asarray(synthetic_vectors, dtype=np.float32))
    return chunks, np.vstack(vectors).astype(np.float32)
