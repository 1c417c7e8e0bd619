"""Text clean-up, one small function per step: hyphens, furniture, URLs, bullets, paragraphs.

Every function takes and returns plain strings (or lists of them), so each step is testable on
a few lines of inline text. `clean_page_text` runs them in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass

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
_HEADING_MAX_WORDS = 9
_DANGLING = frozenset("og i på for om til av med som mot fra et en ble la and of the to in on for "
                      "by with".split())
# "# Title"; OCR of a logo ("# poumer APEN") starts in lower case and is no heading.
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+[A-ZÆØÅ0-9«\"]")
# "8.4 Straffesaksbehandling": a numbered section title (x.y, so "2023 Totalt" or a footnote
# "1 Opplysningene ..." never matches).
_NUMBERED_HEADING = re.compile(r"\d{1,2}(?:\.\d{1,2})+\.?\s+[A-ZÆØÅ]")
# "Tiltak 12: Etablere ...": a named, numbered part. ("Del 3 - Oppholdstillatelse" is left to
# the general rule: the status report prints it on a few pages only, and as a chapter it would
# outlive its pages.)
# "Innledning" opens a chapter: in the strategy, each area of effort after the last measure of
# the area before (whose title the text layer lost).
_CHAPTER = re.compile(r"Innledning|Introduksjon|Introduction")
_TITLE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?: [a-zæøåA-ZÆØÅ-]+){0,4}")
_PART_HEADING = re.compile(r"(?:Tiltak|Innsatsomr[åa]de|Kapittel)\s+\d{1,2}\s*[:\-–]\s*[A-ZÆØÅ]")


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
        titles |= {_furniture_key(ln) for ln in raw if _TITLE.fullmatch(ln)}
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
        if numbered := _numbered_heading(lines, i):
            flush()
            title, skip = numbered
            blocks.append(Block("heading", title, heading_level(title)))
        elif not line:
            if not _sentence_goes_on(current, lines, i):
                flush()
        elif line.startswith("- "):
            flush()
            current.append(line)
            in_item = True
        elif _MARKDOWN_HEADING.match(line) or _looks_like_heading(line, lines, i):
            flush()
            title = strip_markdown(line)
            if title:
                blocks.append(Block("heading", title, heading_level(line)))
        else:
            if in_item and not _continues(current[-1], line):
                flush()
            current.append(strip_markdown(line))
    flush()
    return blocks


def _numbered_heading(lines: Sequence[str], i: int) -> tuple[str, int] | None:
    """(title, lines consumed after line i) for a numbered title: "8.4 Straffesaksbehandling",
    "Tiltak 12: Etablere og videreutvikle en koordineringsmekanisme for bistands-". Such a
    title may wrap onto a short line that goes on in lower case, in OCR text after a blank."""
    line = lines[i]
    words = line.split()
    if not (_NUMBERED_HEADING.match(line) or _PART_HEADING.match(line)) or len(words) > 16:
        return None
    if line.endswith((".", ":")) or (i > 0 and lines[i - 1]):
        return None  # a sentence, or inside a paragraph
    following = [ln for ln in lines[i + 1 : i + 6] if ln][:2]
    if _PART_HEADING.match(line) and any(_is_table_row(ln) for ln in following):
        return None  # "Innsatsområde 2 - Forebygging" heading rows of a table of measures
    at = i + 1 if i + 1 < len(lines) and lines[i + 1] else i + 2
    after = lines[at] if at < len(lines) else ""
    wraps = bool(after) and len(after.split()) <= 10 and not after.endswith((".", ":", ";")) and (
        not URL_RE.search(after)) and (
        after[:1].islower() or line.endswith((",", "-")) or words[-1].lower() in _DANGLING)
    if wraps:
        return f"{line} {after}", at - i
    return None if line.endswith(",") else (line, 0)


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


def _looks_like_heading(line: str, lines: Sequence[str], i: int) -> bool:
    """A short line without end punctuation, standing alone, that starts with a capital."""
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or not line[0].isupper():
        return False
    if line.endswith((".", ",", ";", ":", "-", "–")) or URL_RE.search(line):
        return False
    if re.search(r"[;&%{}|@<>=_]", line):  # OCR noise, not a title
        return False
    if words[-1].lower() in _DANGLING:  # "Office on Drugs and": a line of a running sentence
        return False
    if sum(w[:1].isalpha() for w in words) < 0.6 * len(words):  # "Finnmark 1 - - - - 1"
        return False
    if "," in line and len(words) > 5:  # a sentence broken at a page end, not a title
        return False
    # "Sør-Amerika: 6 søkere" (a flattened table row), "områder: informasjon om" (a sentence)
    if re.search(r":\s*(\d|[a-zæøå])", line):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    following = next((ln for ln in lines[i + 1 :] if ln), "")
    if following[:1].islower() and not line.endswith((".", "!", "?")):
        return False  # the sentence goes on after a blank line
    if any(_is_table_row(ln) for ln in [ln for ln in lines[i + 1 :] if ln][:2]):
        return False  # "Tilrettelegging*": a column head of a flattened table
    # A heading sits after a blank line (or a chapter title: "Innledning" over "Menneskehandel -
    # en kynisk utnyttelse") and is followed by a blank or by a capitalised line.
    return (not before or bool(_CHAPTER.fullmatch(before))) and (
        not after or after[0].isupper() or after.startswith("- "))


def _is_table_row(line: str) -> bool:
    """A row of a flattened table: mostly numbers and dashes ("Oslo politidistrikt 9 (3) 4 (2)
    - - -"), or a list of responsible bodies ("6 Utvikle kunnskapsgrunnlag JD, AID, BFD, HOD")."""
    cells = line.split()
    numeric = sum(bool(re.fullmatch(r"\(?[\d.,%]+\)?|[-–]", c)) for c in cells)
    acronyms = len(re.findall(r"\b[A-ZÆØÅ]{2,4}\b(?=,|\s*$)", line))
    return (numeric >= 3 and numeric >= 0.4 * len(cells)) or acronyms >= 3


def opens_chapter(title: str) -> bool:
    """A title that ends every section open before it, whatever their level."""
    return bool(_CHAPTER.fullmatch(title))


def heading_level(line: str) -> int:
    """1 for chapter-like headings ("Del 3 - ...", "# ..."), 2 for the rest."""
    if line.startswith("#"):
        return min(len(line) - len(line.lstrip("#")), 3)
    if re.match(r"^(Del|Kapittel|Innsatsomr[åa]de|Tiltak)\s+\d+\b", line):
        return 1
    return 2


def strip_markdown(line: str) -> str:
    """Markdown headings and links read as plain text: "[tekst](#)" -> "tekst"."""
    line = re.sub(r"\[([^\]]+)\]\((?:#|[^)]*)\)", r"\1", line)
    line = line.replace("**", "")
    return line.lstrip("#").strip() if line.startswith("#") else line


def clean_page_text(raw: str, repeated: Set[str] = frozenset()) -> tuple[list[Block], list[str]]:
    """The whole clean-up for one page: returns (blocks, URLs found)."""
    text = raw.replace("\r\n", "\n").replace("\f", "\n").replace("\u00ad", "")
    text, urls = extract_urls(text)
    text = drop_furniture(text, repeated)
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
    while first > 0 and blocks[first - 1].kind == "heading" and (
            _NUMBERED_HEADING.match(blocks[first - 1].text)
            or _PART_HEADING.match(blocks[first - 1].text)):
        first -= 1
    if first in (0, len(blocks)):
        return blocks
    at = 0
    while at < first and blocks[at].kind != "heading" and blocks[at].text[:1].islower():
        at += 1
    return [*blocks[:at], blocks[first], *blocks[at:first], *blocks[first + 1 :]]


def _furniture_key(line: str) -> str:
    """Digits vary between pages ("46 KOM årsrapport"), so they do not count."""
    return re.sub(r"\d+", "#", line.strip().lower())
