"""How fast a large PDF is indexed: pages per second on a real 100-page PDF made here, and what
that means for a 5,000-page one (target: under 5 minutes on this machine).

    python benchmarks/large_pdf.py [--pages 100] [--words 350]

The PDF is written with fpdf2 from the status report's own paragraphs (about --words words a
page, headings every few paragraphs, a running footer), so pypdf extracts, cleans and chunks
real Norwegian text. Each build goes into a fresh temporary corpus and index (no seed, empty
embedding cache), in-process, model loading excluded. The baseline, in the same run, is the
embedding schedule before issue #20 (batches of 32 in document order); ours sorts texts by
length into larger batches. A third row reads, cleans and chunks without embedding, to show
what the rest of the pipeline costs.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_note, markdown_table, verdict  # noqa: E402

TARGET_PAGES, TARGET_S = 5000, 300.0
SOURCE = ROOT / "corpus" / "kom-tilstandsrapport-2023.txt"


def make_large_pdf(path: Path, pages: int, words: int) -> Path:
    """`pages` pages of about `words` words each, from the status report's paragraphs."""
    from fpdf import FPDF

    text = SOURCE.read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) > 25]
    paragraphs = [p.encode("latin-1", "replace").decode("latin-1") for p in paragraphs]
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    n = 0
    for page in range(1, pages + 1):
        pdf.add_page()
        if page % 3 == 1:
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 8, f"{page // 3 + 1}.{page % 7 + 1} Kapittel om tema {page}",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        written = 0
        while written < words:
            paragraph = paragraphs[n % len(paragraphs)]
            n += 1
            pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            written += len(paragraph.split())
            if pdf.get_y() > 250:
                break
        pdf.set_y(-15)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 6, f"Tilstandsrapport - side {page}")
    pdf.output(str(path))
    return path


def old_schedule(cache: Any, embedder: Any, texts: list[str], progress: Any,
                 batch: int) -> tuple[Any, int]:
    """The embedding schedule before issue #20: batches of 32, in document order."""
    del batch
    result: tuple[Any, int] = cache.embed(embedder, texts, progress)
    return result


def time_build(pdf: Path, tmp: Path, name: str, embed: bool = True) -> dict[str, Any]:
    from kom_assistant.config import load_settings
    from kom_assistant.ingest.read import ingest_corpus
    from kom_assistant.maintain.reindex import build_index, chunk_corpus
    from kom_assistant.search.embeddings import load_embedder
    from kom_assistant.search.index import embedding_text, sentence_texts

    corpus = tmp / name / "corpus"
    corpus.mkdir(parents=True)
    shutil.copy(pdf, corpus / "stor.pdf")
    settings = load_settings(corpus_dir=corpus, index_dir=tmp / name / "index")
    if not embed:
        started = time.perf_counter()
        result = ingest_corpus(corpus, 10**10)
        chunks = chunk_corpus(result, settings)
        seconds = time.perf_counter() - started
        pages = sum(len(d.pages) for d in result.documents)
        return {"seconds": seconds, "pages": pages, "chunks": len(chunks),
                "texts": len(chunks) + len(sentence_texts(chunks)[0]),
                "chars": sum(len(embedding_text(c)) for c in chunks)}
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    started = time.perf_counter()
    report = build_index(replace(settings), embedder)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": report.extra.get("pages") or _pages(settings),
            "chunks": report.chunks, "texts": report.embedded}


def _pages(settings: Any) -> int:
    from kom_assistant.search.builds import read_meta

    meta = read_meta(settings.index_dir) or {"documents": []}
    return sum(d["pages"] for d in meta["documents"])


def row(step: str, result: dict[str, Any]) -> list[object]:
    rate = result["pages"] / result["seconds"]
    projected = TARGET_PAGES / rate
    return [step, result["pages"], result["chunks"], result["texts"], f"{result['seconds']:.1f}",
            f"{rate:.2f}", f"{projected:.0f}", f"<= {TARGET_S:.0f}",
            verdict(projected, "<=", TARGET_S)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--words", type=int, default=350, help="words per page, about")
    args = parser.parse_args(argv)
    import kom_assistant.search.index as index

    with tempfile.TemporaryDirectory(prefix="kom-bench-large-") as folder:
        tmp = Path(folder)
        pdf = make_large_pdf(tmp / "stor.pdf", args.pages, args.words)
        words = sum(len(p.split()) for p in _page_texts(pdf)) / args.pages
        text_only = time_build(pdf, tmp, "text", embed=False)
        ours_embed = index._embed
        index._embed = old_schedule  # type: ignore[assignment]
        try:
            baseline = time_build(pdf, tmp, "baseline")
        finally:
            index._embed = ours_embed  # type: ignore[assignment]
        ours = time_build(pdf, tmp, "ours")
    print(f"Indexing a generated {args.pages}-page PDF ({words:.0f} words a page as pypdf "
          f"reads them; {pdf.name}), no seed, empty cache, model loading excluded; "
          f"{load_note()}.\n")
    print(markdown_table(
        ("step", "pages", "chunks", "texts embedded", "seconds", "pages/s",
         f"projected s for {TARGET_PAGES} pages", "target", "PASS/FAIL"),
        [row("read, clean, chunk (no embedding)", text_only),
         row("baseline: full build, batches of 32 in document order", baseline),
         row("full build, length-sorted batches (48 passages, 256 sentences)", ours)]))
    chars = text_only["chars"]
    print(f"\nEmbedding is the cost: {text_only['texts']} texts ({chars / 1000:.0f}k characters "
          f"of passages, about as much again in sentences) at "
          f"{text_only['texts'] / max(1e-9, ours['seconds'] - text_only['seconds']):.1f} "
          f"texts/s.")
    return 0 if TARGET_PAGES / (ours["pages"] / ours["seconds"]) <= TARGET_S else 1


def _page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(pdf).pages]


if __name__ == "__main__":
    raise SystemExit(main())
