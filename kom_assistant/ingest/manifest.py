"""The corpus manifest (corpus/manifest.toml): which documents exist and what they are."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import IngestError, KomNotice, ManifestError
from ..models import Document
from .encoding import decode_text

MANIFEST_NAME = "manifest.toml"
SOURCE_SUFFIXES = (".pdf", ".txt", ".md")
KINDS = ("veileder", "strategi", "tilstandsrapport", "nyhetsbrev", "annet")
_FIELDS = {f.name for f in fields(Document)}


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    warnings: tuple[KomNotice, ...] = ()

    def get(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)


def load_corpus(corpus_dir: Path) -> Corpus:
    """Manifest entries, plus guessed entries (with a warning) for files not in the manifest.
    An entry whose file is missing stays in: reading it is that document's problem alone."""
    documents = read_manifest(corpus_dir / MANIFEST_NAME)
    warnings: list[KomNotice] = []
    listed = {d.file for d in documents}
    for path in sorted(corpus_dir.iterdir()) if corpus_dir.exists() else []:
        if path.suffix.lower() in SOURCE_SUFFIXES and path.name not in listed:
            documents.append(guess_document(path))
            warnings.append(KomNotice(
                f"{path.name} mangler i {MANIFEST_NAME}; metadata er gjettet fra teksten. "
                f"Legg til en [[document]]-oppføring for riktig tittel og type.",
                f"{path.name} is not in {MANIFEST_NAME}; its metadata was guessed from the text. "
                f"Add a [[document]] entry for the right title and kind.",
            ))
    return Corpus(tuple(documents), tuple(warnings))


def read_manifest(path: Path) -> list[Document]:
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ManifestError(
            f"{path.name} er ikke UTF-8. Lagre filen som UTF-8 og prøv igjen.",
            f"{path.name} is not UTF-8. Save the file as UTF-8 and try again.",
        ) from e
    return parse_manifest(text, path.name)


def parse_manifest(text: str, name: str = MANIFEST_NAME) -> list[Document]:
    """The documents a manifest's text describes; raises ManifestError for what the reader
    rejects (also used to check a manifest before it is written)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(
            f"{name} har en syntaksfeil: {e}. Rett filen (TOML-format) og prøv igjen.",
            f"{name} has a syntax error: {e}. Fix the file (TOML format) and try again.",
        ) from e
    documents = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("document", []), start=1):
        missing = [k for k in ("id", "file", "title", "kind")
                   if not str(entry.get(k) or "").strip()]
        unknown = sorted(set(entry) - _FIELDS)
        if missing or unknown:
            problem = f"mangler {', '.join(missing)}" if missing else f"ukjente felt {unknown}"
            raise ManifestError(
                f"{name}: oppføring nr. {i} {problem}. Se kommentaren øverst i filen.",
                f"{name}: entry {i} is invalid ({missing or unknown}). See the file's header.",
            )
        if entry["kind"] not in KINDS:
            raise ManifestError(
                f"{name}: «{entry['id']}» har ukjent type «{entry['kind']}»; "
                f"bruk en av {', '.join(KINDS)}.",
                f"{name}: '{entry['id']}' has unknown kind '{entry['kind']}'; "
                f"use one of {', '.join(KINDS)}.",
            )
        if entry["id"] in seen:
            raise ManifestError(
                f"{name}: id «{entry['id']}» står to ganger. Gi hver utgave sin egen id.",
                f"{name}: id '{entry['id']}' appears twice. Give each edition its own id.",
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
    try:
        return decode_text(path.read_bytes()[:2000], path.name)
    except IngestError:
        return ""  # no text to guess from: the file name will do
