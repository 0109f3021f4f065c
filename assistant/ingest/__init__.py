"""Corpus ingestion: files -> SourceDoc -> Chunk, kept in step with the store by sync."""
