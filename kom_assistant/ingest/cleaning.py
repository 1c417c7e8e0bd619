"""Text clean-up, one small function per step: hyphens, furniture, URLs, bullets, paragraphs.

Every function takes and returns plain strings (or lists of them), so each step is testable on
a few lines of inline text. `clean_page_text` runs them in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass

from .contents import drop_contents
from .headings import (
    heading_level,
    is_markdown_heading,
    is_numbered_title,
    is_penal_text,
    is_title,
    looks_like_heading,
    numbered_heading,
    statute_title,
    without_debris,
)

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\")\]]+", re.IGNORECASE)
# Bullet glyphs as they come out of PDF extraction and OCR ("»", "+", "«" are OCR's bullets).
BULLET_RE = re.compile(r"^\s*(?:[•◦▪●○■□‣⁃∙·»«+*]|-(?=\s)|–(?=\s)|\(?[a-z]\)|\d{1,2}\))\s+")
PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:side\s+|s\.\s*|page\s+)?\d{1,3}(?:\s*(?:/|av|of)\s*\d{1,3})?\s*$", re.IGNORECASE
)
# Printed footers and other page furniture that is not worth showing to a reader.
FURNITURE_RES = (
    re.compile(r"^\s*\d{0,3}\s*KOM årsrapport \d{4}\s*\d{0,3}\s*$", re.IGNORECASE),
    re.compile(r"^\s*Nyhetsbrev fra KOM(?:\s+\d{1,3})?\s*$", re.IGNORECASE),
    re.compile(r"^\s*©\s*KOM\.pod@politiet\.no\s*$", re.IGNORECASE),
)
# A hyphen at line end joins the word halves, unless the next word is a conjunction
# ("Justis- og beredskapsdepartementet") or the left part is an abbreviation ("EØS-").
_JOIN_STOPWORDS = {"og", "eller", "til", "and", "or", "samt", "som", "med"}


# Superscript and subscript digits are footnote marks ("24 år¹"): NFKC would glue them to the word.
_SCRIPTS = "\u00b2\u00b3\u00b9\u2070-\u209f"
_NOT_SCRIPT = re.compile(f"[^{_SCRIPTS}]+")


def normalise_unicode(text: str) -> str:
    """NFKC: ligatures ("ﬁ", "ﬂ") become letters, so keyword search finds "identifisering";
    decomposed "å" is composed; odd spaces become spaces. Footnote marks stay as they are."""
    return _NOT_SCRIPT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def join_hyphenated(text: str) -> str:
    """Join words split by a line-end hyphen, keeping real hyphens."""

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.lower() in _JOIN_STOPWORDS:
            return m.group(0)
        if left[-1].isupper() or left[-1].isdigit():
            return f"{left}-{right}"  # EØS-borgere, 2023-rapporten
        return left + right

    return re.sub(r"(\w+)-[ \t]*\n[ \t]*([a-zæøå]\w*)", join, text)


def extract_urls(text: str) -> tuple[str, list[str]]:
    """Move lines that are only URLs (link annotations) out of the text; return both."""
    kept: list[str] = []
    urls: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        found = URL_RE.findall(stripped)
        if found and len(URL_RE.sub("", stripped).strip(" .,;:()")) == 0:
            urls.extend(u.rstrip(".,;") for u in found)
        else:
            kept.append(line)
    return "\n".join(kept), list(dict.fromkeys(urls))


def find_repeated_lines(pages: Sequence[str], min_share: float = 0.3, edge: int = 3) -> set[str]:
    """Short lines that recur on many pages (anywhere), or on several pages at the top or
    bottom: running headers and footers."""
    if len(pages) < 3:
        return set()
    anywhere: Counter[str] = Counter()
    at_edges: Counter[str] = Counter()
    titles: set[str] = set()
    for page in pages:
        raw = [ln.strip() for ln in page.split("\n") if ln.strip() and not URL_RE.search(ln)]
        lines = [_furniture_key(ln) for ln in raw]
        anywhere.update(set(lines))
        at_edges.update(set(lines[:edge] + lines[-edge:]))
        titles |= {_furniture_key(ln) for ln in raw if is_title(ln)}
    threshold = max(3, int(len(pages) * min_share))
    keys = {k for k, n in anywhere.items() if n >= threshold}
    # A title that opens a few chapters ("Innledning", "Mål for innsatsområdet") sits at a page
    # edge each time but is a heading, not furniture.
    keys |= {k for k, n in at_edges.items() if n >= 3 and k not in titles}
    # "under innsatsområde 1 og myndighetenes sektoransvar." ends a sentence that recurs at
    # page ends; a header or footer is no sentence's end.
    return {k for k in keys if 0 < len(k.split()) <= 8 and not _ends_a_sentence(k)}


def _ends_a_sentence(line: str) -> bool:
    return line[:1].islower() and line.endswith((".", "!", "?")) and len(line.split()) >= 3


def drop_furniture(text: str, repeated: Set[str] = frozenset()) -> str:
    """Drop page numbers, printed footers and lines that repeat on many pages."""
    kept = []
    for line in text.split("\n"):
        if PAGE_NUMBER_RE.match(line) or any(r.match(line) for r in FURNITURE_RES):
            continue
        if line.strip() and _furniture_key(line) in repeated:
            continue
        kept.append(line)
    return "\n".join(kept)


def normalise_bullets(text: str) -> str:
    """Every list item starts with "- " on its own line, whatever glyph the PDF used."""
    return "\n".join(
        BULLET_RE.sub("- ", ln) if BULLET_RE.match(ln) else ln for ln in text.split("\n")
    )


@dataclass(frozen=True)
class Block:
    kind: str  # heading | item | paragraph
    text: str
    level: int = 0  # heading level, 1 = chapter


def reflow(text: str) -> list[Block]:
    """Join wrapped lines into paragraphs; keep headings and list items apart."""
    blocks: list[Block] = []
    current: list[str] = []
    in_item = False

    def flush() -> None:
        nonlocal in_item
        if current:
            blocks.append(Block("item" if in_item else "paragraph", " ".join(current)))
            current.clear()
        in_item = False

    lines = [re.sub(r"\s{2,}", " ", ln.replace("\t", " ")).strip() for ln in text.split("\n")]
    skip = 0
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if numbered := numbered_heading(lines, i):
            flush()
            title, skip = numbered
            blocks.append(Block("heading", without_debris(title), heading_level(title)))
        elif not line:
            if not _sentence_goes_on(current, lines, i):
                flush()
        elif line.startswith("- "):
            flush()
            current.append(line)
            in_item = True
        elif is_markdown_heading(line) or looks_like_heading(line, lines, i):
            flush()
            title = without_debris(strip_markdown(line))
            if title:
                blocks.append(Block("heading", title, heading_level(line)))
        else:
            if in_item and not _continues(current[-1], line):
                flush()
            current.append(strip_markdown(line))
    flush()
    return blocks


def join_blocks(blocks: Sequence[Block]) -> tuple[str, list[tuple[int, int, str]]]:
    """Page text (paragraphs apart by a blank line, list items by a newline) and its headings
    as (offset, level, title)."""
    text = ""
    headings: list[tuple[int, int, str]] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            text += "\n" if block.kind == previous.kind == "item" else "\n\n"
        if block.kind == "heading":
            headings.append((len(text), block.level, block.text))
        text += block.text
        previous = block
    return text, headings


def _sentence_goes_on(current: list[str], lines: Sequence[str], i: int) -> bool:
    """A blank line inside a sentence (an OCR or column artefact): the paragraph so far has no
    end punctuation and the next line goes on in lower case."""
    following = next((ln for ln in lines[i + 1 :] if ln), "")
    return bool(current) and not current[-1].endswith((".", "!", "?", ":", ";")) and (
        following[:1].islower())


def _continues(previous: str, line: str) -> bool:
    """A wrapped list item goes on when the next line starts in lower case."""
    return bool(line) and (
        line[0].islower() or not previous.rstrip().endswith((".", ":", "!", "?"))
    )


def strip_markdown(line: str) -> str:
    """Markdown headings and links read as plain text: "[tekst](#)" -> "tekst"."""
    line = re.sub(r"\[([^\]]+)\]\((?:#|[^)]*)\)", r"\1", line)
    line = line.replace("**", "")
    return line.lstrip("#").strip() if line.startswith("#") else line


def clean_page_text(raw: str, repeated: Set[str] = frozenset()) -> tuple[list[Block], list[str]]:
    """The whole clean-up for one page: returns (blocks, URLs found)."""
    text = normalise_unicode(raw.replace("\r\n", "\n").replace("\f", "\n").replace("\u00ad", ""))
    text, urls = extract_urls(text)
    text = drop_contents(drop_furniture(text, repeated))
    text = join_hyphenated(text)
    text = normalise_bullets(text)
    blocks = title_first(reflow(text))
    inline = [u.rstrip(".,;)") for b in blocks for u in URL_RE.findall(b.text)]
    return blocks, list(dict.fromkeys(urls + inline))


def title_first(blocks: list[Block]) -> list[Block]:
    """The status report's text layer puts a page's numbered section titles after its text:
    "9.1 Tiltak fra Arbeidstilsynet" ends the page it heads. The first of the titles that end a
    page opens it instead (after any sentence running on from the page before); any further
    ones stay to head what follows."""
    first = len(blocks)
    while first > 0 and blocks[first - 1].kind == "heading" and is_numbered_title(
            blocks[first - 1].text):
        first -= 1
    if first in (0, len(blocks)):
        return blocks
    at = 0
    while at < first and blocks[at].kind != "heading" and blocks[at].text[:1].islower():
        at += 1
    return [*blocks[:at], blocks[first], *blocks[at:first], *blocks[first + 1 :]]


def statute_boxes(blocks: list[Block], parent: Block | None) -> list[Block]:
    """The status report quotes the penal code in boxes whose title the text layer puts after
    their text: "Den som ved vold ... straffes ..." then "257. Menneskehandel". Such a box
    becomes a section of its own, "§ 257. Menneskehandel", under the section it stands in
    (`parent`: the page's last heading before it, or the one open from the page before),
    which goes on after it."""
    out: list[Block] = []
    for block in blocks:
        title = statute_title(block.text) if block.kind == "paragraph" else None
        start = len(out)
        while start > 0 and out[start - 1].kind != "heading" and is_penal_text(
                out[start - 1].text):
            start -= 1
        if title is None or start == len(out):
            out.append(block)
            if block.kind == "heading":
                parent = block
            continue
        level = parent.level + 1 if parent else 3
        out[start:start] = [Block("heading", title, level)]
        if parent is not None:
            out.append(parent)
    return out


def _furniture_key(line: str) -> str:
    """Digits vary between pages ("46 KOM årsrapport"), so they do not count."""
    return re.sub(r"\d+", "#", line.strip().lower())
