"""The corpus manifest (corpus/manifest.toml): which documents exist and what they are."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import ManifestError
from ..models import Document

MANIFEST_NAME = "manifest.toml"
SOURCE_SUFFIXES = (".pdf", ".txt", ".md")
KINDS = ("veileder", "strategi", "tilstandsrapport", "nyhetsbrev", "annet")
_FIELDS = {f.name for f in fields(Document)}


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = ()

    def get(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)


def load_corpus(corpus_dir: Path) -> Corpus:
    """Manifest entries, plus guessed entries (with a warning) for files not in the manifest."""
    entries = read_manifest(corpus_dir / MANIFEST_NAME)
    warnings: list[str] = []
    documents: list[Document] = []
    for doc in entries:
        if not (corpus_dir / doc.file).exists():
            raise ManifestError(
                f"{MANIFEST_NAME}: dokumentet «{doc.id}» peker på {doc.file}, som ikke finnes i "
                f"{corpus_dir}/. Legg filen dit eller fjern oppføringen.",
                f"{MANIFEST_NAME}: document '{doc.id}' points at {doc.file}, which is not in "
                f"{corpus_dir}/. Add the file or remove the entry.",
            )
        documents.append(doc)
    listed = {d.file for d in documents}
    for path in sorted(corpus_dir.iterdir()) if corpus_dir.exists() else []:
        if path.suffix.lower() in SOURCE_SUFFIXES and path.name not in listed:
            documents.append(guess_document(path))
            warnings.append(
                f"{path.name} mangler i {MANIFEST_NAME}; metadata er gjettet fra teksten. "
                f"Legg til en [[document]]-oppføring for riktig tittel og type."
            )
    return Corpus(tuple(documents), tuple(warnings))


def read_manifest(path: Path) -> list[Document]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ManifestError(
            f"{path.name} har en syntaksfeil: {e}. Rett filen (TOML-format) og prøv igjen.",
            f"{path.name} has a syntax error: {e}. Fix the file (TOML format) and try again.",
        ) from e
    documents = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("document", []), start=1):
        missing = [k for k in ("id", "file", "title", "kind") if not entry.get(k)]
        unknown = sorted(set(entry) - _FIELDS)
        if missing or unknown:
            problem = f"mangler {', '.join(missing)}" if missing else f"ukjente felt {unknown}"
            raise ManifestError(
                f"{path.name}: oppføring nr. {i} {problem}. Se kommentaren øverst i filen.",
                f"{path.name}: entry {i} is invalid ({missing or unknown}). See the file's header.",
            )
        if entry["kind"] not in KINDS:
            raise ManifestError(
                f"{path.name}: «{entry['id']}» har ukjent type «{entry['kind']}»; "
                f"bruk en av {', '.join(KINDS)}.",
                f"{path.name}: '{entry['id']}' has unknown kind '{entry['kind']}'; "
                f"use one of {', '.join(KINDS)}.",
            )
        if entry["id"] in seen:
            raise ManifestError(
                f"{path.name}: id «{entry['id']}» står to ganger. Gi hver utgave sin egen id.",
                f"{path.name}: id '{entry['id']}' appears twice. Give each edition its own id.",
            )
        seen.add(entry["id"])
        documents.append(Document(**entry))
    return documents


def guess_document(path: Path) -> Document:
    """Metadata from the file name and the first lines, for files nobody described yet."""
    head = _read_head(path)
    lowered = (path.stem + " " + head).lower()
    kind = next((k for k in KINDS[:-1] if k in lowered), "annet")
    years = [int(y) for y in re.findall(r"\b(20[0-4]\d)\b", path.stem + " " + head)]
    title_line = next((ln.strip(" #") for ln in head.splitlines() if len(ln.strip()) > 8), "")
    title = title_line[:120] or path.stem.replace("-", " ").replace("_", " ")
    return Document(
        id=re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-"),
        title=title,
        kind=kind,
        file=path.name,
        year=max(years) if years else None,
        guessed=True,
    )


def _read_head(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        return ""
    return path.read_bytes()[:2000].decode("utf-8", errors="replace")
