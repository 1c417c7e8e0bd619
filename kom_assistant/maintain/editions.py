"""Add a document or a new edition to the corpus and its manifest.

`add_document` reads and cleans the file before it touches the corpus, so a bad upload (one
that cleans down to nothing, or is no language) never gets in; then, under the corpus lock,
the file and the manifest are each written in one atomic step, checked first.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import IngestError, ManifestError
from ..ingest.manifest import (
    KINDS,
    MANIFEST_NAME,
    SOURCE_SUFFIXES,
    load_corpus,
    parse_manifest,
    read_manifest,
)
from ..ingest.read import IngestedDocument, ingest_file, page_cache_key, write_page_cache
from ..models import Document
from ..search.keyword import fold
from .atomic import copy_atomic, corpus_lock, write_atomic

_DEFAULTS = {f.name: f.default for f in fields(Document)}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words an id can do without: "Veileder for ansatte i asylmottak" -> veileder-ansatte-asylmottak.
_FILLER = frozenset("for i og om av til fra med på pa en et ei den det de the of and in on a an "
                    "to".split())
_MAX_ID_WORDS = 6
_MAX_ID_CHARS = 50


def add_document(
    settings: Settings,
    source: Path,
    *,
    title: str,
    kind: str,
    year: int | None = None,
    edition: str = "",
    published: str = "",
    supersedes: str = "",
    publisher: str = "",
    period: str = "",
    url: str = "",
    document_id: str = "",
    on_page: Callable[[int, int], Any] | None = None,
) -> Document:
    """Copy `source` into the corpus with a manifest entry; a superseded edition is archived.
    `on_page(pages read, pages)` follows the reading of a PDF."""
    corpus_dir = settings.corpus_dir
    title = " ".join(title.split())
    if source.suffix.lower() not in SOURCE_SUFFIXES:
        raise IngestError(
            f"{source.name}: bare PDF, .txt og .md kan legges til.",
            f"{source.name}: only PDF, .txt and .md files can be added.",
        )
    if not title:
        raise ManifestError("Dokumentet trenger en tittel. Skriv den med --title «...».",
                            "The document needs a title. Give it with --title '...'.")
    if kind not in KINDS:
        raise ManifestError(f"Ukjent type «{kind}»; bruk en av {', '.join(KINDS)}.",
                            f"Unknown kind '{kind}'; use one of {', '.join(KINDS)}.")
    if document_id and not _ID.fullmatch(document_id):
        raise ManifestError(
            f"Id-en «{document_id}» kan bare ha små bokstaver a-z, tall og bindestrek.",
            f"The id '{document_id}' may only hold lower-case letters a-z, digits and hyphens.")
    # Everything a build will do with the file, done now: nothing bad is ever written.
    probe = Document(id=document_id or "ny", title=title, kind=kind, file=source.name)
    read = ingest_file(source, probe, int(settings.max_upload_mb * 1_000_000), on_page)
    digest = _file_hash(source)
    with corpus_lock(corpus_dir):
        corpus = load_corpus(corpus_dir)
        for doc in corpus.documents:
            if _file_hash(corpus_dir / doc.file) == digest:
                raise IngestError(
                    f"{source.name} er identisk med {doc.file} («{doc.title}», utgave "
                    f"{doc.edition or '–'}), som allerede er i korpuset. Ingenting ble lagt til.",
                    f"{source.name} is identical to {doc.file} ('{doc.title}', edition "
                    f"{doc.edition or '–'}), already in the corpus. Nothing was added.",
                )
        if supersedes and corpus.get(supersedes) is None:
            raise ManifestError(
                f"Finner ikke dokumentet «{supersedes}» som den nye utgaven skal erstatte. "
                f"Se `kom-assistant status` for gyldige id-er.",
                f"Cannot find document '{supersedes}' to supersede. See `kom-assistant status`.",
            )
        if document_id and corpus.get(document_id) is not None:
            raise ManifestError(
                f"Id-en «{document_id}» finnes allerede i {MANIFEST_NAME}. Velg en annen id.",
                f"The id '{document_id}' is already in {MANIFEST_NAME}. Choose another id.")
        new_id = _unique_id(document_id or document_slug(kind, title, edition, year),
                            {d.id for d in corpus.documents}, corpus_dir, source.suffix.lower())
        target = corpus_dir / f"{new_id}{source.suffix.lower()}"
        document = Document(
            id=new_id, title=title, kind=kind, file=target.name, year=year, period=period,
            publisher=publisher, edition=edition, published=published, url=url,
            supersedes=supersedes, original_file=source.name,
        )
        manifest = corpus_dir / MANIFEST_NAME
        entries = read_manifest(manifest)
        entries = [replace(e, status="archived") if e.id == supersedes else e for e in entries]
        text = manifest_text(manifest, [*entries, document])
        copy_atomic(source, target)
        try:
            write_atomic(manifest, text.encode("utf-8"))
        except BaseException:
            target.unlink(missing_ok=True)  # a file without its entry would be guessed at
            raise
    _remember_pages(settings, document, target, read)
    return document


def _remember_pages(settings: Settings, document: Document, path: Path,
                    read: IngestedDocument) -> None:
    """The next build finds the pages just read in its page cache: a 5,000-page PDF is read
    once, not twice."""
    from .reindex import pipeline_fingerprint

    pages = tuple(replace(p, document_id=document.id) for p in read.pages)
    key = page_cache_key(document, path, int(settings.max_file_mb * 1_000_000),
                         pipeline_fingerprint())
    write_page_cache(settings.index_dir / "pages", key,
                     IngestedDocument(document, pages, read.repaired_tokens))


def write_manifest(path: Path, documents: Sequence[Document]) -> None:
    """Rewrite the manifest, keeping its header comment; checked, then swapped in atomically.
    Take `atomic.corpus_lock` around reading and writing it when others may write too."""
    write_atomic(path, manifest_text(path, documents).encode("utf-8"))


def manifest_text(path: Path, documents: Sequence[Document]) -> str:
    """The manifest for `documents`, with the header comment of the one at `path`; raises
    ManifestError when the reader would reject it."""
    header = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("[[document]]"):
                break
            header.append(line)
    parts = ["\n".join(header).rstrip() + "\n"] if header else []
    for doc in documents:
        lines = ["[[document]]"]
        for f in fields(Document):
            value = getattr(doc, f.name)
            if f.name == "guessed" or value == _DEFAULTS[f.name] and f.name not in {"year"}:
                continue
            if value is None:
                continue
            lines.append(f"{f.name} = {json.dumps(value, ensure_ascii=False)}")
        parts.append("\n".join(lines) + "\n")
    text = "\n".join(parts)
    parse_manifest(text, path.name)
    return text


def document_slug(kind: str, title: str, edition: str = "", year: int | None = None) -> str:
    """An id that reads like the bundled ones: the kind, the title's telling words, then the
    edition or year unless the title gives it ("Veileder for ansatte i asylmottak 2026" ->
    "veileder-ansatte-asylmottak-2026", not "veileder-veileder-...-2026-2026")."""
    words = [w for w in _slug(title).split("-") if w and w not in _FILLER]
    parts = words if kind in words or kind == "annet" else [kind, *words]
    parts = list(dict.fromkeys(parts))[:_MAX_ID_WORDS]
    tail = _slug(edition) or (str(year) if year else "")
    if tail and tail not in parts and f"-{tail}-" not in f"-{'-'.join(parts)}-":
        lead = tail.split("-")[0]  # "2022" of edition "2022-1" goes once, with the edition
        parts = [p for p in parts if p != lead] + [tail]
    slug = ""
    for part in parts:
        if slug and len(slug) + 1 + len(part) > _MAX_ID_CHARS:
            break
        slug = f"{slug}-{part}" if slug else part[:_MAX_ID_CHARS]
    return slug or kind


def _unique_id(base: str, taken: set[str], corpus_dir: Path, suffix: str) -> str:
    new_id, n = base, 2
    while new_id in taken or (corpus_dir / f"{new_id}{suffix}").exists():
        new_id, n = f"{base}-{n}", n + 1
    return new_id


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
