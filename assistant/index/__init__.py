"""Embedders, the vector store and the BM25 index."""
