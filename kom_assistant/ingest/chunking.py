"""Pages -> chunks: structure-aware, following headings and paragraphs, never mid-sentence.

Each chunk is about `chunk_words` words (at most `chunk_max_words`), carries its document,
heading path, page range and character offsets, and repeats the last sentence of the chunk
before it when a section runs on (a small overlap, so a fact on the seam is found either way).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..models import Chunk, Document, Page
from .headings import opens_chapter
from .language import detect_language
from .sentences import split_sentences

_MIN_SECTION_WORDS = 60  # a heading closes the running chunk only when it has this much text


@dataclass(frozen=True)
class _Unit:
    page: int
    start: int
    end: int
    text: str
    original: str
    kind: str  # heading | item | paragraph
    level: int = 0
    ends_paragraph: bool = True

    @property
    def words(self) -> int:
        return len(self.text.split())


def page_units(page: Page, max_words: int) -> list[_Unit]:
    """Lines of the page text as units; long paragraphs broken into sentence groups."""
    heading_at = {offset: level for offset, level, _ in page.headings}
    originals = page.original_text.split("\n") if page.original_text else None
    units: list[_Unit] = []
    offset = 0
    for i, line in enumerate(page.text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        original = originals[i] if originals and i < len(originals) else line
        if start in heading_at:
            units.append(
                _Unit(page.number, start, end, line, original, "heading", heading_at[start])
            )
            continue
        kind = "item" if line.startswith("- ") else "paragraph"
        units.extend(_sentence_units(page.number, start, line, original, kind, max_words))
    return units


def _sentence_units(
    page: int, base: int, line: str, original: str, kind: str, max_words: int
) -> list[_Unit]:
    """A line as one unit, or as groups of whole sentences when it is longer than max_words."""
    if len(line.split()) <= max_words // 2:
        return [_Unit(page, base, base + len(line), line, original, kind)]
    spans = split_sentences(line)
    orig_spans = split_sentences(original) if original != line else spans
    aligned = len(orig_spans) == len(spans)
    units = []
    for j, (s, e) in enumerate(spans):
        orig = original[orig_spans[j][0] : orig_spans[j][1]] if aligned else line[s:e]
        last = j == len(spans) - 1
        units.append(_Unit(page, base + s, base + e, line[s:e], orig, kind, ends_paragraph=last))
    return units


def split_into_chunks(
    document: Document,
    pages: Sequence[Page],
    target_words: int = 180,
    max_words: int = 250,
    overlap_words: int = 30,
) -> list[Chunk]:
    units = [u for page in pages for u in page_units(page, max_words)]
    page_urls = {page.number: page.urls for page in pages}
    chunks: list[Chunk] = []
    path: dict[int, str] = {}
    current: list[_Unit] = []
    carried = 0  # units at the start of `current` repeated from the chunk before
    section = chunk_section = ""

    def close(keep_overlap: bool) -> None:
        nonlocal current, carried
        body = [u for u in current if u.kind != "heading"]
        if len(body) > carried:
            chunks.append(_make_chunk(document, current, chunk_section, page_urls))
        tail = body[-1:] if keep_overlap and body else []
        current = [u for u in tail if u.words <= overlap_words * 2 and not u.text[:1].islower()]
        carried = len(current)

    for i, unit in enumerate(units):
        # A page break inside a sentence: the next page goes on in lower case.
        following = units[i + 1] if i + 1 < len(units) else None
        continued = following is not None and following.text[:1].islower()
        if unit.kind == "heading":
            if sum(u.words for u in current[carried:] if u.kind != "heading") >= _MIN_SECTION_WORDS:
                close(keep_overlap=False)
            elif all(u.kind == "heading" for u in current[carried:]):
                # Consecutive headings form a path; overlap never crosses into a new section.
                current = [u for u in current[carried:] if u.level < unit.level]
                carried = 0
            path = {} if opens_chapter(unit.text) else {
                lvl: t for lvl, t in path.items() if lvl < unit.level}
            path[unit.level] = unit.text
            section = " > ".join(path[lvl] for lvl in sorted(path))
            current.append(unit)
            continue
        size = sum(u.words for u in current)
        if current and size + unit.words > max_words and not unit.text[:1].islower():
            close(keep_overlap=True)
        if all(u.kind == "heading" for u in current[carried:]):
            chunk_section = section  # a chunk is filed under the section it starts in
        current.append(unit)
        if sum(u.words for u in current) >= target_words and unit.ends_paragraph and not continued:
            close(keep_overlap=True)
    close(keep_overlap=False)
    return _dedupe_ids(chunks)


def _make_chunk(document: Document, units: list[_Unit], section: str,
                page_urls: dict[int, tuple[str, ...]]) -> Chunk:
    text = _join(units, "text")
    original = _join(units, "original")
    digest = hashlib.sha1(f"{document.id}\x1f{document.edition}\x1f{text}".encode()).hexdigest()
    return Chunk(
        id=f"{document.id}-{digest[:12]}",
        document_id=document.id,
        document_title=document.title,
        source=document.file,
        section=section,
        page_start=units[0].page,
        page_end=units[-1].page,
        char_start=units[0].start,
        char_end=units[-1].end,
        text=text,
        original_text=original if original != text else "",
        language=detect_language(text),
        # Inline links, then the link annotations of its pages (moved out of the text).
        urls=tuple(dict.fromkeys([
            *re.findall(r"https?://\S+|www\.\S+", text),
            *(u for n in range(units[0].page, units[-1].page + 1) for u in page_urls.get(n, ())),
        ])),
        kind=document.kind,
        year=document.year,
        edition=document.edition,
        status=document.status,
        published=document.published,
    )


def _join(units: list[_Unit], attr: str) -> str:
    out = ""
    for prev, unit in zip([None, *units], units, strict=False):
        if prev is not None:
            same_paragraph = (not prev.ends_paragraph and prev.page == unit.page) or (
                unit.kind == "paragraph" and unit.text[:1].islower())
            both_items = prev.kind == unit.kind == "item" and prev.ends_paragraph
            out += " " if same_paragraph else "\n" if both_items else "\n\n"
        out += getattr(unit, attr)
    return out


def _dedupe_ids(chunks: list[Chunk]) -> list[Chunk]:
    """The same text twice in one document (a repeated box) still gets distinct, stable ids."""
    seen: dict[str, int] = {}
    out = []
    for chunk in chunks:
        n = seen.get(chunk.id, 0)
        seen[chunk.id] = n + 1
        out.append(chunk if n == 0 else _with_id(chunk, f"{chunk.id}-{n}"))
    return out


def _with_id(chunk: Chunk, new_id: str) -> Chunk:
    return replace(chunk, id=new_id)
