"""Maintainers' tools: add a document or a new edition, and see what changed after a re-index.

`add_document` checks the file before it touches the corpus, so a bad upload never gets in.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import IngestError, ManifestError
from .i18n import pages_label
from .ingest import read_raw_pages
from .keyword import fold
from .manifest import KINDS, MANIFEST_NAME, SOURCE_SUFFIXES, load_corpus, read_manifest
from .models import Document, Page

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


def document_sections(pages: Sequence[Page]) -> dict[str, dict[str, str]]:
    """Heading path -> {"pages", "hash"} of the text under it, for comparing editions."""
    texts: dict[str, list[str]] = defaultdict(list)
    spans: dict[str, list[int]] = defaultdict(list)
    path: dict[int, str] = {}
    for page in pages:
        cuts = [(0, 0, "")] + sorted(page.headings)
        for i, (offset, level, title) in enumerate(cuts):
            if title:
                path = {lvl: t for lvl, t in path.items() if lvl < level} | {level: title}
            end = cuts[i + 1][0] if i + 1 < len(cuts) else len(page.text)
            key = " > ".join(path[lvl] for lvl in sorted(path)) or "(uten overskrift)"
            body = page.text[offset + len(title) : end].strip()
            if body or title:
                texts[key].append(body)
                spans[key].append(page.number)
    return {
        key: {"pages": pages_label(min(spans[key]), max(spans[key])),
              "hash": hashlib.sha1(_normalised(" ".join(parts)).encode()).hexdigest()[:12]}
        for key, parts in texts.items()
    }


def compare_editions(old: dict[str, dict[str, str]],
                     new: dict[str, dict[str, str]]) -> list[SectionChange]:
    """Sections added, removed and changed between two editions (or versions) of a document."""
    changes = []
    for section, info in new.items():
        if section not in old:
            changes.append(SectionChange("added", section, info["pages"]))
        elif old[section]["hash"] != info["hash"]:
            changes.append(SectionChange("changed", section, info["pages"]))
    for section, info in old.items():
        if section not in new:
            changes.append(SectionChange("removed", section, info["pages"]))
    return changes


def change_report(old_documents: Sequence[dict[str, Any]],
                  new_documents: Sequence[dict[str, Any]]) -> str:
    """Markdown: per new or changed document, its section changes against what it replaces.

    Documents are the summaries stored in index meta (with "sections" and "content")."""
    old_by_id = {d["id"]: d for d in old_documents}
    lines = ["# Endringsrapport", ""]
    for doc in new_documents:
        previous_id = doc.get("supersedes") or doc["id"]
        previous = old_by_id.get(doc["id"]) or old_by_id.get(previous_id)
        if previous is not None and previous.get("content") == doc.get("content"):
            continue
        title = f"## {doc['title']} ({doc['id']}, utgave {doc.get('edition') or '–'})"
        if doc.get("supersedes"):
            title += f" erstatter {doc['supersedes']}"
        lines += [title, ""]
        if previous is None and not doc.get("supersedes"):
            lines.append(f"Nytt dokument: {doc.get('pages', 0)} sider, "
                         f"{doc.get('chunks', 0)} biter.")
        labels = {"added": "Ny", "removed": "Fjernet", "changed": "Endret"}
        for ch in compare_editions((previous or {}).get("sections", {}), doc.get("sections", {})):
            lines.append(f"- {labels[ch.kind]}: {ch.section} ({ch.pages})")
        lines.append("")
    new_ids = {d["id"] for d in new_documents}
    for doc_id in sorted(set(old_by_id) - new_ids):
        lines += [f"## Fjernet fra indeksen: {doc_id}", ""]
    if len(lines) == 2:
        lines.append("Ingen endringer i dokumentene.")
    return "\n".join(lines).rstrip() + "\n"


REGRESSION_FILE = "regression.toml"


@dataclass(frozen=True)
class Probe:
    question: str
    expect_kind: str = ""  # a new build must find a document of this kind in the top 5


def read_probes(corpus_dir: Path) -> list[Probe]:
    """The known questions in corpus/regression.toml ([[probe]] tables)."""
    path = corpus_dir / REGRESSION_FILE
    if not path.exists():
        return []
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("probe", [])
        return [Probe(**entry) for entry in entries]
    except (tomllib.TOMLDecodeError, TypeError) as e:
        raise ManifestError(f"{REGRESSION_FILE} kan ikke leses: {e}. Rett filen.",
                            f"{REGRESSION_FILE} cannot be read: {e}. Fix the file.") from e


def regression_check(old: Any, new: Any, embedder: Any, questions: Sequence[str]) -> str:
    """Markdown list of questions whose top citation changed document, edition or page
    between the serving index `old` and the new build `new` (both LoadedIndex)."""
    from .retrieve import Filters, hybrid_search

    def top(index: Any, question: str) -> str:
        hits = hybrid_search(index, embedder, question, k=1, filters=Filters())
        if not hits:
            return "–"
        c = hits[0].chunk
        return f"{c.document_id} (utgave {c.edition or '–'}, s. {c.page_start})"

    moved = []
    for question in questions:
        before, after = top(old, question), top(new, question)
        if before != after:
            moved.append(f"- «{question}»: {before} → {after}")
    head = f"## Regresjonssjekk ({len(questions)} spørsmål)"
    if not moved:
        return f"{head}\n\nIngen spørsmål fikk ny toppkilde.\n"
    return f"{head}\n\nSpørsmål med ny toppkilde:\n\n" + "\n".join(moved) + "\n"


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _slug(text: str) -> str:
    text = fold(text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]
