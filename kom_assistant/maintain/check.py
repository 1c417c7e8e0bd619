"""What a new build must pass before it may serve: it loads, holds every document, finds a
known passage of most of them, and answers the known questions (corpus/regression.toml) from
the kind of document that should answer them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..config import Settings
from ..errors import KomError
from ..ingest.read import IngestResult
from ..search.embeddings import Embedder
from ..search.index import LoadedIndex, load_index
from .report import Probe


def problem_list(result: IngestResult, lang: str = "nb") -> str:
    return "; ".join(e.message(lang) for _, e in result.problems) or (
        "ingen filer" if lang == "nb" else "no files")


def check_build(settings: Settings, build_id: str, embedder: Embedder,
                documents: list[dict[str, Any]], probes: Sequence[Probe] = (),
                result: IngestResult | None = None) -> tuple[LoadedIndex, list[str]]:
    """A new build must load, hold every document, find a known passage of most of them, and
    answer the known questions from the kind of document that should answer them. One
    document whose own text is not found is a warning (its id returned), not a broken
    build."""
    from ..search.retrieve import Filters, hybrid_search

    index = load_index(settings, embedder.name, build_id=build_id)
    present = {c.document_id for c in index.chunks}
    missing = [d["id"] for d in documents if d["id"] not in present]
    unfound = []
    for doc in documents:
        first = next((c for c in index.chunks if c.document_id == doc["id"]), None)
        if first is None:
            continue
        probe = " ".join(first.text.split()[:30])
        hits = hybrid_search(index, embedder, probe, k=5, filters=Filters(include_archived=True))
        if doc["id"] not in {h.chunk.document_id for h in hits}:
            unfound.append(doc["id"])
    failed_questions = []
    for known in probes:
        if known.expect_kind:
            hits = hybrid_search(index, embedder, known.question, k=5)
            if known.expect_kind not in {h.chunk.kind for h in hits}:
                failed_questions.append(f"«{known.question}»")
    broken = len(unfound) > max(1, len(documents) // 2)
    if missing or broken or failed_questions:
        failed_checks = [*(unfound if broken else []), *failed_questions]
        skipped = f" Hoppet over: {problem_list(result)}." if result and result.problems else ""
        skipped_en = (f" Skipped: {problem_list(result, 'en')}."
                      if result and result.problems else "")
        raise KomError(
            f"Den nye indeksen besto ikke kontrollen (mangler: {missing}; finner ikke egen "
            f"tekst eller kjente spørsmål: {failed_checks}).{skipped} Indeksen som var i bruk, "
            f"er beholdt.",
            f"The new index failed its check (missing: {missing}; cannot find own text or "
            f"known questions: {failed_checks}).{skipped_en} The serving index was kept.",
        )
    return index, unfound
