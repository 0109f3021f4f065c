"""The baseline a user would build in ten minutes: a llama-index ``VectorStoreIndex`` over the same chunks
(chunk text only) and the same embedder, queried with the default retriever. The only module of the eval
suite that imports llama-index."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from pydantic import PrivateAttr

from assistant.index.embedders import Embedder
from assistant.types import Chunk

METADATA_KEYS = ["doc_id", "section", "page"]


class ProjectEmbedding(BaseEmbedding):
    """llama-index embedding over the project's embedder; e5's "query: " / "passage: " prefixes are applied
    by the embedder itself (``embed_query`` vs ``embed_passages``)."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=16, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "ProjectEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_query(query)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_passages([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed_passages(texts)]


def node_for(chunk: Chunk) -> TextNode:
    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        metadata={"doc_id": chunk.doc_id, "section": chunk.section_path, "page": chunk.page_start or -1},
        excluded_embed_metadata_keys=METADATA_KEYS,
        excluded_llm_metadata_keys=METADATA_KEYS,
    )


@dataclass
class LlamaIndexBaseline:
    index: VectorStoreIndex
    top_k: int
    build_seconds: float

    @classmethod
    def build(cls, chunks: Sequence[Chunk], embedder: Embedder, top_k: int = 10) -> LlamaIndexBaseline:
        started = time.perf_counter()
        index = VectorStoreIndex([node_for(c) for c in chunks], embed_model=ProjectEmbedding(embedder))
        return cls(index, top_k, time.perf_counter() - started)

    def search(self, query: str) -> list[Mapping[str, Any]]:
        """The default retriever, as the llama-index quick start uses it."""
        nodes = self.index.as_retriever(similarity_top_k=self.top_k).retrieve(query)
        return [
            {
                "doc_id": n.node.metadata.get("doc_id"),
                "chunk_id": n.node.node_id,
                "section": n.node.metadata.get("section"),
                "page": None if n.node.metadata.get("page", -1) == -1 else n.node.metadata.get("page"),
                "score": round(float(n.score or 0.0), 6),
            }
            for n in nodes
        ]
