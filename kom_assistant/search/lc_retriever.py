"""A LangChain retriever over the same hybrid search, so it plugs into LangChain chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from .embeddings import Embedder
from .index import LoadedIndex
from .retrieve import Filters, hybrid_search


class KomRetriever(BaseRetriever):
    """`KomRetriever(index=..., embedder=...).invoke("question")` -> LangChain documents with
    the chunk's title, section, pages and score in their metadata."""

    index: Any  # LoadedIndex (not a pydantic type)
    embedder: Any  # Embedder
    k: int = 8
    filters: Any = None  # Filters

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        index: LoadedIndex = self.index
        embedder: Embedder = self.embedder
        hits = hybrid_search(index, embedder, query, self.k, self.filters or Filters())
        return [
            LCDocument(
                page_content=h.chunk.text,
                metadata={
                    "chunk_id": h.chunk.id, "document": h.chunk.document_title,
                    "document_id": h.chunk.document_id, "source": h.chunk.source,
                    "section": h.chunk.section, "page_start": h.chunk.page_start,
                    "page_end": h.chunk.page_end, "score": h.score, "rank": h.rank,
                },
            )
            for h in hits
        ]
