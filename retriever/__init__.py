"""Hybrid retrieval over the clause index: BM25 + dense, fused by reciprocal rank fusion."""
from retriever.hybrid import Hit, Retriever

__all__ = ["Hit", "Retriever"]
