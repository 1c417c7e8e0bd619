"""Files -> pages: read PDFs, text and Markdown, recover pages, clean, repair OCR damage.

A file that cannot be read, or whose text is no language once cleaned, raises IngestError (with
a message naming the file and the fix); `ingest_corpus` collects those as problems so the rest of
the corpus still ingests. Whatever else goes wrong while reading one file is that file's
problem too, never the corpus's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import IngestError, KomNotice
from ..models import Document, Page
from .cleaning import (
    Block,
    clean_page_text,
    find_repeated_lines,
    join_blocks,
    normalise_unicode,
    statute_boxes,
)
from .encoding import decode_text
from .manifest import MANIFEST_NAME, Corpus, load_corpus
from .ocr import RepairResult, needs_ocr_repair, repair_text
from .paging import split_into_pages
from .pdf import PageCallback, read_pdf_pages
from .quality import check_language
from .spelling import build_vocabulary
from .word_model import repair_vocabulary

__all__ = ["IngestResult", "IngestedDocument", "decode_text", "ingest_corpus", "ingest_file",
           "page_cache_key", "read_raw_pages", "write_page_cache"]

# (file name, pages read, pages in the file): how far reading has come, for progress lines.
StepCallback = Callable[[str, int, int], Any]


@dataclass(frozen=True)
class IngestedDocument:
    document: Document
    pages: tuple[Page, ...]
    repaired_tokens: int = 0


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[IngestedDocument, ...]
    problems: tuple[tuple[str, IngestError], ...] = ()  # (file name, error)
    warnings: tuple[KomNotice, ...] = ()


def read_raw_pages(path: Path, max_bytes: int, first_page: int = 1,
                   on_page: PageCallback | None = None) -> list[tuple[int, str]]:
    """(page number, raw text) for one source file; raises IngestError on bad input."""
    if not path.exists():
        raise IngestError(f"Fant ikke filen {path}.", f"File not found: {path}.")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(
            f"{path.name} er tom. Legg inn en fil med tekst, eller fjern den fra corpus/.",
            f"{path.name} is empty. Add a file with text, or remove it from corpus/.",
        )
    if size > max_bytes:
        mb = max_bytes / 1_000_000
        raise IngestError(
            f"{path.name} er {size / 1_000_000:.1f} MB, over grensen på {mb:g} MB. "
            f"Del opp dokumentet eller øk KOM_MAX_FILE_MB.",
            f"{path.name} is {size / 1_000_000:.1f} MB, over the {mb:g} MB limit. "
            f"Split the document or raise KOM_MAX_FILE_MB.",
        )
    if path.suffix.lower() == ".pdf":
        return read_pdf_pages(path, on_page)
    text = decode_text(path.read_bytes(), path.name)
    spans = split_into_pages(text, first_page=first_page)
    return [(span.number, text[span.start : span.end]) for span in spans]


def build_pages(
    document: Document,
    raw_pages: list[tuple[int, str]],
    repair: Callable[[str], RepairResult] | None = None,
) -> tuple[list[Page], int]:
    """Clean each raw page; with `repair`, users see repaired text and the original is kept."""
    repeated = find_repeated_lines([normalise_unicode(text) for _, text in raw_pages])
    pages, repaired = [], 0
    parent: Block | None = None  # the last heading so far: a section runs on across pages
    for number, raw in raw_pages:
        blocks, urls = clean_page_text(raw, repeated)
        if not blocks:
            continue
        blocks = statute_boxes(blocks, parent)
        parent = next((b for b in reversed(blocks) if b.kind == "heading"), parent)
        original, _ = join_blocks(blocks)
        if repair is not None:
            results = [repair(b.text) for b in blocks]
            repaired += sum(len(r.repairs) for r in results)
            blocks = [
                type(b)(b.kind, r.text, b.level) for b, r in zip(blocks, results, strict=True)
            ]
        text, headings = join_blocks(blocks)
        pages.append(
            Page(
                document_id=document.id,
                number=number,
                text=text,
                original_text=original if original != text else "",
                urls=tuple(urls),
                headings=tuple(headings),
            )
        )
    return pages, repaired


def ingest_file(path: Path, document: Document, max_bytes: int,
                on_page: PageCallback | None = None) -> IngestedDocument:
    """One source file as the document's cleaned (and, where OCR-damaged, repaired) pages.
    Raises IngestError when the file cannot be read or holds no language once cleaned; any
    other failure while reading it becomes an IngestError naming the file too."""
    try:
        raw = read_raw_pages(path, max_bytes, document.first_page, on_page)
        text = "\n".join(t for _, t in raw)
        # OCR-damaged documents are repaired against a fixed word model, so that the repair
        # of one document never depends on which other documents the corpus holds.
        repair = None
        if needs_ocr_repair(text, build_vocabulary([])):
            repair = partial(repair_text, vocabulary=repair_vocabulary())
        pages, repaired = build_pages(document, raw, repair)
        check_language("\n".join(p.text for p in pages), path.name)
    except IngestError:
        raise
    except Exception as e:  # a bug or a file nobody foresaw: this file's problem alone
        raise IngestError(
            f"{path.name} kunne ikke leses ({type(e).__name__}: {e}). Resten av korpuset er "
            f"lest. Meld fra om feilen, gjerne med filen.",
            f"{path.name} could not be read ({type(e).__name__}: {e}). The rest of the corpus "
            f"was read. Please report the error, with the file if you can.",
        ) from e
    return IngestedDocument(document, tuple(pages), repaired)


def ingest_corpus(corpus_dir: Path, max_bytes: int, only: str | None = None,
                  cache_dir: Path | None = None, salt: str = "",
                  on_step: StepCallback | None = None,
                  corpus: Corpus | None = None) -> IngestResult:
    """Every document of the corpus (`corpus`, or as load_corpus lists it) as pages; bad files
    become problems, not failures.

    With `cache_dir`, a document whose file, manifest entry and pipeline (`salt`) are
    unchanged is not read again."""
    corpus = corpus or load_corpus(corpus_dir)
    problems: list[tuple[str, IngestError]] = []
    ingested = []
    for doc in corpus.documents:
        if only and doc.id != only:
            continue
        path = corpus_dir / doc.file
        if not path.exists():
            problems.append((doc.file, _missing_file(doc, corpus_dir)))
            continue
        key = page_cache_key(doc, path, max_bytes, salt)
        cached = _read_cached(cache_dir, key, doc)
        if cached is None:
            step = (lambda n, total, name=doc.file: on_step(name, n, total)) if on_step else None
            try:
                cached = ingest_file(path, doc, max_bytes, step)
            except IngestError as e:
                problems.append((doc.file, e))
                continue
            write_page_cache(cache_dir, key, cached)
        ingested.append(cached)
    return IngestResult(tuple(ingested), tuple(problems), corpus.warnings)


def _missing_file(doc: Document, corpus_dir: Path) -> IngestError:
    return IngestError(
        f"{MANIFEST_NAME}: dokumentet «{doc.id}» peker på {doc.file}, som ikke finnes i "
        f"{corpus_dir}/. Legg filen dit eller fjern oppføringen.",
        f"{MANIFEST_NAME}: document '{doc.id}' points at {doc.file}, which is not in "
        f"{corpus_dir}/. Add the file or remove the entry.",
    )


def page_cache_key(doc: Document, path: Path, max_bytes: int, salt: str) -> str:
    """What a document's cached pages depend on: its manifest entry, its file, the size limit
    and the pipeline (`salt`)."""
    return _digest(salt, repr(doc), str(max_bytes), _file_digest(path))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_cached(cache_dir: Path | None, key: str, doc: Document) -> IngestedDocument | None:
    path = cache_dir / f"{key}.json" if cache_dir else None
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = tuple(Page(**{**p, "urls": tuple(p["urls"]),
                              "headings": tuple(tuple(h) for h in p["headings"])})
                      for p in data["pages"])
        return IngestedDocument(doc, pages, int(data["repaired"]))
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is rebuilt, never trusted


def write_page_cache(cache_dir: Path | None, key: str, doc: IngestedDocument) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = {"pages": [asdict(p) for p in doc.pages], "repaired": doc.repaired_tokens}
    tmp = cache_dir / f"{key}.json.{id(data)}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache_dir / f"{key}.json")
