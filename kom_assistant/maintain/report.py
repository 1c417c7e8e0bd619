"""What changed after a re-index: sections added, removed and changed per document, and the
known questions (corpus/regression.toml) whose top source moved."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ManifestError
from ..i18n import pages_label
from ..models import Page


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
    from ..search.retrieve import Filters, hybrid_search

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
