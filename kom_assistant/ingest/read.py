"""Files -> pages: read PDFs, text and Markdown, recover pages, clean, repair OCR damage.

A file that cannot be read raises IngestError (with a message naming the file and the fix);
`ingest_corpus` collects those as problems so the rest of the corpus still ingests.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..models import Document, Page
from .cleaning import Block, clean_page_text, find_repeated_lines, join_blocks, statute_boxes
from .manifest import Corpus, load_corpus
from .ocr import RepairResult, needs_ocr_repair, repair_text
from .paging import split_into_pages
from .spelling import Vocabulary, build_vocabulary

log = logging.getLogger(__name__)

# A PDF page with less text than this is taken as a scanned image.
_MIN_CHARS_PER_PDF_PAGE = 20


@dataclass(frozen=True)
class IngestedDocument:
    document: Document
    pages: tuple[Page, ...]
    repaired_tokens: int = 0


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[IngestedDocument, ...]
    problems: tuple[tuple[str, IngestError], ...] = ()  # (file name, error)
    warnings: tuple[str, ...] = ()
    vocabulary: Vocabulary | None = field(default=None, compare=False)


def read_raw_pages(path: Path, max_bytes: int, first_page: int = 1) -> list[tuple[int, str]]:
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
            f"{path.name} er {size / 1_000_000:.1f} MB, over grensen på {mb:.0f} MB. "
            f"Del opp dokumentet eller øk KOM_MAX_FILE_MB.",
            f"{path.name} is {size / 1_000_000:.1f} MB, over the {mb:.0f} MB limit. "
            f"Split the document or raise KOM_MAX_FILE_MB.",
        )
    if path.suffix.lower() == ".pdf":
        return read_pdf_pages(path)
    text = decode_text(path.read_bytes(), path.name)
    spans = split_into_pages(text, first_page=first_page)
    return [(span.number, text[span.start : span.end]) for span in spans]


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 first, then the Windows and Latin-1 encodings Norwegian files often come in."""
    if b"\x00" in data[:4096]:
        raise IngestError(
            f"{name} ser ut som en binærfil, ikke tekst. Lagre den som .txt (UTF-8) eller PDF.",
            f"{name} looks like a binary file, not text. Save it as .txt (UTF-8) or PDF.",
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            log.warning("%s is not UTF-8; read as %s", name, encoding)
        if text.strip():
            return text
        break
    raise IngestError(
        f"{name} inneholder ingen tekst. Sjekk at riktig fil er lagt i corpus/.",
        f"{name} contains no text. Check that the right file is in corpus/.",
    )


def read_pdf_pages(path: Path) -> list[tuple[int, str]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        texts = [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as e:
        raise IngestError(
            f"{path.name} er kryptert (passordbeskyttet). Lagre en versjon uten passord og "
            f"legg den inn på nytt.",
            f"{path.name} is encrypted (password protected). Save a copy without a password "
            f"and add that.",
        ) from e
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise IngestError(
            f"{path.name} er skadet og kan ikke leses som PDF ({e}). Last ned eller eksporter "
            f"PDF-en på nytt.",
            f"{path.name} is damaged and cannot be read as a PDF ({e}). Download or export "
            f"the PDF again.",
        ) from e
    if not texts:
        raise IngestError(f"{path.name} har ingen sider.", f"{path.name} has no pages.")
    if sum(len(t.strip()) for t in texts) < _MIN_CHARS_PER_PDF_PAGE * len(texts):
        raise IngestError(
            f"{path.name} har ikke et tekstlag (skannede bilder). Kjør OCR på PDF-en først "
            f"(for eksempel med ocrmypdf) og legg den inn på nytt.",
            f"{path.name} has no text layer (scanned images). Run OCR on the PDF first "
            f"(for example with ocrmypdf) and add it again.",
        )
    return [(i, text) for i, text in enumerate(texts, start=1)]


def build_pages(
    document: Document,
    raw_pages: list[tuple[int, str]],
    repair: Callable[[str], RepairResult] | None = None,
) -> tuple[list[Page], int]:
    """Clean each raw page; with `repair`, users see repaired text and the original is kept."""
    repeated = find_repeated_lines([text for _, text in raw_pages])
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


def ingest_corpus(corpus_dir: Path, max_bytes: int, only: str | None = None,
                  cache_dir: Path | None = None, salt: str = "") -> IngestResult:
    """Every document of the corpus as pages; bad files become problems, not failures.

    With `cache_dir`, a document whose file, manifest entry, pipeline (`salt`) and, for an
    OCR-damaged one, repair vocabulary are unchanged is not parsed again."""
    corpus: Corpus = load_corpus(corpus_dir)
    raw: dict[str, list[tuple[int, str]]] = {}
    problems: list[tuple[str, IngestError]] = []
    for doc in corpus.documents:
        try:
            raw[doc.id] = read_raw_pages(corpus_dir / doc.file, max_bytes, doc.first_page)
        except IngestError as e:
            problems.append((doc.file, e))
    # OCR-damaged documents are repaired against the vocabulary of the clean ones.
    full_text = {doc_id: "\n".join(t for _, t in pages) for doc_id, pages in raw.items()}
    base = build_vocabulary([])
    damaged = {doc_id for doc_id, text in full_text.items() if needs_ocr_repair(text, base)}
    clean = [t for d, t in full_text.items() if d not in damaged]
    vocabulary = build_vocabulary(clean)
    vocabulary_key = _digest(*clean)
    ingested = []
    for doc in corpus.documents:
        if doc.id not in raw or (only and doc.id != only):
            continue
        key = _digest(salt, repr(doc), full_text[doc.id],
                      vocabulary_key if doc.id in damaged else "")
        cached = _read_cached(cache_dir, key, doc)
        if cached is None:
            repair = (lambda s: repair_text(s, vocabulary)) if doc.id in damaged else None
            pages, repaired = build_pages(doc, raw[doc.id], repair)
            cached = IngestedDocument(doc, tuple(pages), repaired)
            _write_cached(cache_dir, key, cached)
        ingested.append(cached)
    return IngestResult(tuple(ingested), tuple(problems), corpus.warnings, vocabulary)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _read_cached(cache_dir: Path | None, key: str, doc: Document) -> IngestedDocument | None:
    path = cache_dir / f"{key}.json" if cache_dir else None
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = tuple(Page(**{**p, "urls": tuple(p["urls"]),
                              "headings": tuple(tuple(h) for h in p["headings"])})
                      for p in data["pages"])
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is rebuilt, never trusted
    return IngestedDocument(doc, pages, int(data["repaired"]))


def _write_cached(cache_dir: Path | None, key: str, doc: IngestedDocument) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = {"pages": [asdict(p) for p in doc.pages], "repaired": doc.repaired_tokens}
    tmp = cache_dir / f"{key}.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache_dir / f"{key}.json")
