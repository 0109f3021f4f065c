"""The answering layer: extractive composer (default), optional LLM generation, citations, drafts."""
