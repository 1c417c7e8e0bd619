"""The maintainers' workflow: corpus -> chunks -> a new build, checked, then switched to.

Incremental through content hashes: unchanged chunks reuse cached embeddings, and an unchanged
corpus (same files, same manifest, same model, same settings that shape the index) is
recognised from file fingerprints alone. One bad document never blocks the corpus: a file that
cannot be read, or yields no text, is skipped and reported, and the build goes on without it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexMissingError,
    IngestError,
    KomError,
    KomNotice,
)
from ..ingest.chunking import split_into_chunks
from ..ingest.manifest import MANIFEST_NAME, SOURCE_SUFFIXES, load_corpus
from ..ingest.read import IngestResult, StepCallback, ingest_corpus
from ..ingest.word_model import word_model_key
from ..models import Chunk
from ..search.builds import (
    current_build_id,
    discard_build,
    index_lock,
    read_meta,
    switch_to,
    tidy_builds,
)
from ..search.embeddings import SEED_FILE, Embedder, EmbeddingCache
from ..search.index import (
    embedding_text,
    load_index,
    read_chunks,
    sentence_texts,
    write_build,
)
from .atomic import corpus_lock
from .attempts import Attempt, failed, now, record_attempt
from .check import check_build, problem_list
from .report import (
    REGRESSION_FILE,
    change_report,
    document_sections,
    read_probes,
    regression_check,
)

# The code that turns files into chunks, and the build format: part of what an index depends on.
_PACKAGE = Path(__file__).resolve().parents[1]
_PIPELINE_FILES = ("search/chroma.py", "search/index.py", "search/builds.py")


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    unchanged: bool
    documents: int
    chunks: int
    embedded: int  # chunks whose embeddings had to be computed
    seconds: float
    problems: tuple[tuple[str, IngestError], ...] = ()  # the documents skipped, and why
    warnings: tuple[KomNotice, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    change_report: str = ""  # Markdown; also saved as index/reports/<build id>.md
    extra: dict[str, Any] = field(default_factory=dict)


def corpus_fingerprint(corpus_dir: Path, settings: Settings, model: str) -> str:
    """Changes whenever anything that shapes the index changes: the code, the model, the
    settings that decide what is indexed (KOM_MAX_FILE_MB drops files, the chunk sizes cut
    them), and the corpus files."""
    digest = hashlib.sha256(f"{__version__}|{model}|{settings.chunk_words}|"
                            f"{settings.chunk_max_words}|{settings.chunk_overlap_words}|"
                            f"{settings.max_file_mb}".encode())
    digest.update(pipeline_fingerprint().encode())
    for path in sorted(corpus_dir.iterdir()) if corpus_dir.exists() else []:
        # The known questions are part of what a build must pass.
        if path.name in (MANIFEST_NAME, REGRESSION_FILE) or path.suffix.lower() in SOURCE_SUFFIXES:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def pipeline_fingerprint() -> str:
    """The code and data that turn files into chunks are part of what the index depends on:
    the OCR repair's word model, and which word list is installed, too."""
    digest = hashlib.sha256(__version__.encode())
    for path in [*sorted((_PACKAGE / "ingest").glob("*.py")),
                 *sorted((_PACKAGE / "ingest").glob("*.tsv")),
                 *sorted((_PACKAGE / "ingest").glob("*.toml")),
                 *(_PACKAGE / name for name in _PIPELINE_FILES)]:
        digest.update(path.read_bytes())
    digest.update(word_model_key().encode())
    return digest.hexdigest()


def chunk_corpus(result: IngestResult, settings: Settings) -> list[Chunk]:
    chunks = []
    for doc in result.documents:
        chunks += split_into_chunks(doc.document, doc.pages, settings.chunk_words,
                                    settings.chunk_max_words, settings.chunk_overlap_words)
    return chunks


def build_index(
    settings: Settings,
    embedder: Embedder,
    progress: Callable[[int, int], Any] | None = None,
    rebuild: bool = False,
    wait: bool = False,
    on_step: StepCallback | None = None,
) -> BuildReport:
    """Build or update the index; the serving build changes only when the new one is sound.
    `progress(n, total)` counts texts embedded; `on_step(file, pages, total)` pages read.
    Every attempt is recorded for `kom-assistant status` (attempts.py)."""
    started = now()
    try:
        with index_lock(settings.index_dir, wait=wait):
            record_attempt(settings.index_dir, Attempt("running", started, pid=os.getpid()))
            report = _build(settings, embedder, progress, rebuild, on_step)
            skipped = tuple({"file": name, "nb": str(e), "en": e.english}
                            for name, e in report.problems)
            record_attempt(settings.index_dir, Attempt("ok", started, now(), report.build_id,
                                                       skipped=skipped, pid=os.getpid()))
    except IndexBusyError:
        raise  # another build is running: its own record says how it goes
    except Exception as e:
        record_attempt(settings.index_dir, failed(started, e))
        raise
    return report


def _build(settings: Settings, embedder: Embedder, progress: Callable[[int, int], Any] | None,
           rebuild: bool, on_step: StepCallback | None) -> BuildReport:
    started = time.perf_counter()
    tidy_builds(settings)  # failed and killed builds of earlier runs
    # The corpus as it stands between two adds: no file without its manifest entry. Reading
    # the files (minutes for a large PDF) needs no lock: an add renames new files into place.
    with corpus_lock(settings.corpus_dir, shared=True):
        fingerprint = corpus_fingerprint(settings.corpus_dir, settings, embedder.name)
        corpus = load_corpus(settings.corpus_dir)
    old = _serving_meta(settings)
    if old and not rebuild and old.get("fingerprint") == fingerprint:
        return BuildReport(old["build_id"], True, len(old["documents"]), old["chunks"], 0,
                           time.perf_counter() - started)
    result = ingest_corpus(settings.corpus_dir, int(settings.max_file_mb * 1_000_000),
                           cache_dir=settings.index_dir / "pages", salt=pipeline_fingerprint(),
                           on_step=on_step, corpus=corpus)
    chunks = chunk_corpus(result, settings)
    result = _without_empty_documents(result, chunks)
    if not result.documents:
        raise KomError(
            f"Fant ingen lesbare dokumenter i {settings.corpus_dir}/ ({problem_list(result)}). "
            f"Legg til PDF-, .txt- eller .md-filer og en oppføring i {MANIFEST_NAME}. "
            f"Indeksen som var i bruk, er beholdt.",
            f"No readable documents in {settings.corpus_dir}/ ({problem_list(result, 'en')}). "
            f"Add PDF, .txt or .md files and an entry in {MANIFEST_NAME}. The serving index "
            f"was kept.",
        )
    documents = _document_summaries(result, chunks)
    cache = EmbeddingCache(settings.index_dir / "embeddings.sqlite")
    cache.add_seed(settings.corpus_dir / SEED_FILE, embedder.name)
    try:
        build_id, embedded = write_build(
            settings, chunks, embedder, cache,
            {"fingerprint": fingerprint, "documents": documents,
             "problems": [{"file": name, "nb": str(e), "en": e.english}
                          for name, e in result.problems]},
            progress,
        )
    finally:
        cache.close()
    probes = read_probes(settings.corpus_dir)
    try:
        new_index, unfound = check_build(settings, build_id, embedder, documents, probes,
                                         result)
    except BaseException:
        discard_build(settings, build_id)  # a build that will never serve is not kept
        raise
    regression = ""
    questions = [p.question for p in probes]
    if old and questions:
        try:
            old_index = load_index(settings, embedder.name, build_id=old["build_id"])
            regression = regression_check(old_index, new_index, embedder, questions)
        except KomError:
            regression = ""  # the old build used another model or is unreadable
    switch_to(settings, build_id)
    report = change_report((old or {}).get("documents", []), documents)
    if regression:
        report += "\n" + regression
    reports = settings.index_dir / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"{build_id}.md").write_text(report, encoding="utf-8")
    before = {d["id"]: d for d in (old or {}).get("documents", [])}
    after = {d["id"]: d for d in documents}
    warnings = (*result.warnings, *(KomNotice(
        f"Et søk på begynnelsen av «{doc_id}» finner ikke dokumentet selv; sjekk at teksten "
        f"leses riktig (`kom-assistant chunks --document {doc_id}`).",
        f"A search for the opening of '{doc_id}' does not find the document itself; check "
        f"that its text is read right (`kom-assistant chunks --document {doc_id}`).")
        for doc_id in unfound))
    return BuildReport(
        build_id, False, len(documents), len(chunks), embedded, time.perf_counter() - started,
        result.problems, warnings,
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(sorted(d for d in after.keys() & before.keys()
                             if after[d]["content"] != before[d]["content"])),
        change_report=report,
    )


def _serving_meta(settings: Settings) -> dict[str, Any] | None:
    """The serving build's record; a damaged build (its meta or chunks unreadable) counts as
    none, so that `index` replaces it without --rebuild."""
    try:
        meta = read_meta(settings.index_dir)
        if meta is not None:
            read_chunks(settings.index_dir, meta["build_id"])
        return meta
    except IndexDamagedError:
        return None


def _without_empty_documents(result: IngestResult, chunks: list[Chunk]) -> IngestResult:
    """A document whose text cleans down to nothing chunkable is skipped, and said so."""
    chunked = {c.document_id for c in chunks}
    empty = [d for d in result.documents if d.document.id not in chunked]
    if not empty:
        return result
    problems = [*result.problems, *((d.document.file, IngestError(
        f"{d.document.file} gir ingen tekstbiter etter opprydding (bare gjentatte linjer, "
        f"sidetall eller vannmerke). Dokumentet er hoppet over; sjekk filen eller fjern den.",
        f"{d.document.file} yields no passages after clean-up (only repeated lines, page "
        f"numbers or a watermark). The document was skipped; check the file or remove it."))
        for d in empty)]
    kept = tuple(d for d in result.documents if d.document.id in chunked)
    return IngestResult(kept, tuple(problems), result.warnings)


def save_seed(settings: Settings, embedder_name: str) -> tuple[Path, int]:
    """Write corpus/embedding-seed.npz from the serving build: every passage and sentence
    embedding it uses."""
    build_id = current_build_id(settings.index_dir)
    if build_id is None:
        raise IndexMissingError(
            "Fant ingen indeks å lagre embeddinger fra. Kjør `kom-assistant index` først.",
            "No index to save embeddings from. Run `kom-assistant index` first.")
    chunks = read_chunks(settings.index_dir, build_id)
    texts = [embedding_text(c) for c in chunks] + sentence_texts(chunks)[0]
    path = settings.corpus_dir / SEED_FILE
    cache = EmbeddingCache(settings.index_dir / "embeddings.sqlite")
    try:
        return path, cache.save_seed(path, embedder_name, texts)
    finally:
        cache.close()


def _document_summaries(result: IngestResult, chunks: list[Chunk]) -> list[dict[str, Any]]:
    out = []
    for doc in result.documents:
        own = [c for c in chunks if c.document_id == doc.document.id]
        out.append({
            "id": doc.document.id, "title": doc.document.title, "kind": doc.document.kind,
            "edition": doc.document.edition, "year": doc.document.year,
            "status": doc.document.status, "file": doc.document.file,
            "supersedes": doc.document.supersedes, "published": doc.document.published,
            "pages": len(doc.pages), "chunks": len(own), "repaired_tokens": doc.repaired_tokens,
            "content": hashlib.sha256("".join(c.id for c in own).encode()).hexdigest()[:16],
            "sections": document_sections(doc.pages),
        })
    return out
