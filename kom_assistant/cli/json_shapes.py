"""The JSON shapes of the command-line contract (search, chunks, ask), in one place."""

from __future__ import annotations

from typing import Any

from ..models import Answer, Chunk, Hit


def chunk_json(chunk: Chunk) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": chunk.id, "document": chunk.document_title, "document_id": chunk.document_id,
        "source": chunk.source, "section": chunk.section, "page_start": chunk.page_start,
        "page_end": chunk.page_end, "char_start": chunk.char_start, "char_end": chunk.char_end,
        "language": chunk.language, "urls": list(chunk.urls), "text": chunk.text,
    }
    if chunk.original_text:
        out["original_text"] = chunk.original_text
    return out


def hit_json(hit: Hit) -> dict[str, Any]:
    c = hit.chunk
    out: dict[str, Any] = {
        "rank": hit.rank, "chunk_id": c.id, "document": c.document_title, "source": c.source,
        "section": c.section, "page_start": c.page_start, "page_end": c.page_end,
        "score": hit.score, "text": c.text,
    }
    if c.original_text:
        out["original_text"] = c.original_text
    return out


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "answer": answer.text,
        "refused": answer.refused,
        "note": answer.note,
        "citations": [
            {"n": c.n, "chunk_id": c.chunk.id, "document": c.chunk.document_title,
             "source": c.chunk.source, "section": c.chunk.section,
             "page_start": c.chunk.page_start, "page_end": c.chunk.page_end,
             "quote": c.quote, "text": c.chunk.text}
            for c in answer.citations
        ],
    }
