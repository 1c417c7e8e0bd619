"""Add a document or a new edition to the corpus and its manifest.

`add_document` checks the file before it touches the corpus, so a bad upload never gets in.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

from ..config import Settings
from ..errors import IngestError, ManifestError
from ..ingest.manifest import KINDS, MANIFEST_NAME, SOURCE_SUFFIXES, load_corpus, read_manifest
from ..ingest.read import read_raw_pages
from ..models import Document
from ..search.keyword import fold

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


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _slug(text: str) -> str:
    text = fold(text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]
