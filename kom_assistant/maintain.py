"""Maintainers' tools: add a document or a new edition, and see what changed after a re-index.

`add_document` checks the file before it touches the corpus, so a bad upload never gets in.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import IngestError, ManifestError
from .ingest import read_raw_pages
from .manifest import KINDS, MANIFEST_NAME, SOURCE_SUFFIXES, load_corpus, read_manifest
from .models import Chunk, Document

_DEFAULTS = {f.name: f.default for f in fields(Document)}


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
) -> Document:
    """Copy `source` into the corpus with a manifest entry; a superseded edition is archived."""
    corpus_dir = settings.corpus_dir
    if source.suffix.lower() not in SOURCE_SUFFIXES:
        raise IngestError(
            f"{source.name}: bare PDF, .txt og .md kan legges til.",
            f"{source.name}: only PDF, .txt and .md files can be added.",
        )
    if kind not in KINDS:
        raise ManifestError(f"Ukjent type «{kind}»; bruk en av {', '.join(KINDS)}.",
                            f"Unknown kind '{kind}'; use one of {', '.join(KINDS)}.")
    read_raw_pages(source, int(settings.max_upload_mb * 1_000_000))  # raises on bad input
    corpus = load_corpus(corpus_dir)
    digest = _file_hash(source)
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
    base = document_id or _slug(f"{kind}-{title}-{edition or year or ''}")
    new_id = base
    n = 2
    while corpus.get(new_id) is not None:
        new_id, n = f"{base}-{n}", n + 1
    target = corpus_dir / f"{new_id}{source.suffix.lower()}"
    document = Document(
        id=new_id, title=title, kind=kind, file=target.name, year=year, period=period,
        publisher=publisher, edition=edition, published=published, url=url,
        supersedes=supersedes, original_file=source.name,
    )
    entries = read_manifest(corpus_dir / MANIFEST_NAME)
    entries = [replace(e, status="archived") if e.id == supersedes else e for e in entries]
    shutil.copy2(source, target)
    write_manifest(corpus_dir / MANIFEST_NAME, [*entries, document])
    return document


def write_manifest(path: Path, documents: Sequence[Document]) -> None:
    """Rewrite the manifest, keeping its header comment; written beside, then swapped in."""
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
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True)
class SectionChange:
    kind: str  # added | removed | changed
    section: str
    pages: str  # "s. 3–4"


def compare_editions(old: Sequence[Chunk], new: Sequence[Chunk]) -> list[SectionChange]:
    """Sections added, removed and changed between two editions (or versions) of a document."""
    before, after = _sections(old), _sections(new)
    changes = []
    for section, (text, pages) in after.items():
        if section not in before:
            changes.append(SectionChange("added", section, pages))
        elif _normalised(before[section][0]) != _normalised(text):
            changes.append(SectionChange("changed", section, pages))
    for section, (_, pages) in before.items():
        if section not in after:
            changes.append(SectionChange("removed", section, pages))
    return changes


def change_report(old_chunks: Sequence[Chunk], new_chunks: Sequence[Chunk],
                  documents: Sequence[dict[str, Any]]) -> str:
    """Markdown: per new or changed document, its section changes against what it replaces."""
    old_by_doc: dict[str, list[Chunk]] = defaultdict(list)
    new_by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for c in old_chunks:
        old_by_doc[c.document_id].append(c)
    for c in new_chunks:
        new_by_doc[c.document_id].append(c)
    lines = ["# Endringsrapport", ""]
    for doc in documents:
        doc_id = doc["id"]
        previous_id = doc.get("supersedes") or doc_id
        previous = old_by_doc.get(previous_id) or old_by_doc.get(doc_id, [])
        current = new_by_doc.get(doc_id, [])
        if [c.id for c in previous] == [c.id for c in current]:
            continue
        title = f"## {doc['title']} ({doc_id}, utgave {doc.get('edition') or '–'})"
        if previous_id != doc_id:
            title += f" erstatter {previous_id}"
        lines += [title, ""]
        changes = compare_editions(previous, current)
        if not previous:
            lines.append(f"Nytt dokument: {len(current)} biter.")
        for ch in changes:
            label = {"added": "Ny", "removed": "Fjernet", "changed": "Endret"}[ch.kind]
            lines.append(f"- {label}: {ch.section} ({ch.pages})")
        lines.append("")
    for doc_id in sorted(set(old_by_doc) - set(new_by_doc)):
        if not any(d.get("supersedes") == doc_id for d in documents):
            lines += [f"## Fjernet fra indeksen: {doc_id}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _sections(chunks: Sequence[Chunk]) -> dict[str, tuple[str, str]]:
    grouped: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        grouped[c.section or "(uten overskrift)"].append(c)
    out = {}
    for section, cs in grouped.items():
        first, last = min(c.page_start for c in cs), max(c.page_end for c in cs)
        pages = f"s. {first}" if first == last else f"s. {first}–{last}"
        out[section] = (" ".join(c.text for c in cs), pages)
    return out


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]
