"""Corpus and answer text as Markdown for the app: always escaped, never HTML.

A source document must not be able to inject markup, links or formulas into the page, so
every character Markdown could read as syntax is escaped; only our own markers ([n] citation
numbers, list dashes, the highlight of cited sentences) become formatting.
"""

from __future__ import annotations

import re

from ..i18n import pages_label, t
from ..models import Chunk

# Every ASCII character Markdown (or Streamlit's extensions: $ for LaTeX, :name[...] for
# directives and emoji) could read as syntax; CommonMark allows escaping any of them.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&\"'])")
_MARKER = re.compile(r"\[(\d+)\]")
BULLET = re.compile(r"^(\s*)- (.*)$")


def escape_markdown(text: str) -> str:
    """Text shown literally: no emphasis, links, HTML, formulas or directives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def format_inline(text: str) -> str:
    """Escaped text whose [n] markers become bold citation numbers."""
    parts = _MARKER.split(text)
    return "".join(f"**\\[{part}\\]**" if i % 2 else escape_markdown(part)
                   for i, part in enumerate(parts))


def format_answer(text: str) -> str:
    """Markdown for an answer: its "- " lines stay a list, everything else is literal."""
    lines = []
    for line in text.split("\n"):
        bullet = BULLET.match(line)
        lines.append(f"- {format_inline(bullet.group(2))}" if bullet else format_inline(line))
    return "\n".join(lines)


def quote_spans(passage: str, quote: str) -> list[tuple[int, int]]:
    """Where the cited sentences stand in the passage (the quote joins them with " … ")."""
    spans = []
    for part in (p.strip() for p in quote.split(" … ")):
        start = passage.find(part) if part else -1
        if start >= 0:
            spans.append((start, start + len(part)))
    return sorted(spans)


def highlight(passage: str, quote: str, context: int | None = None) -> str:
    """The passage as Markdown with the cited sentences on a coloured background.

    With `context`, only the cited sentences and about that many characters around each are
    shown, the gaps between them as "…".
    """
    spans = quote_spans(passage, quote)
    if context is None:
        windows = [(0, len(passage))]
    else:
        windows = []
        for start, end in spans or [(0, context * 2)]:
            lo = _word_boundary(passage, max(0, start - context), forward=False)
            hi = _word_boundary(passage, min(len(passage), end + context), forward=True)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
            else:
                windows.append((lo, hi))
    out = " … ".join(_marked_range(passage, spans, lo, hi) for lo, hi in windows)
    return ("… " if windows[0][0] > 0 else "") + out + (
        " …" if windows[-1][1] < len(passage) else "")


def _marked_range(passage: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    pieces: list[tuple[str, bool]] = []
    cursor = lo
    for start, end in spans:
        start, end = max(start, cursor), min(end, hi)
        if start >= end:
            continue
        pieces += [(passage[cursor:start], False), (passage[start:end], True)]
        cursor = end
    pieces.append((passage[cursor:hi], False))
    out = "".join(_marked(text, marked) for text, marked in pieces if text)
    # Hard line breaks keep the passage's own lines (list items, headings) apart.
    return "  \n".join(line.strip() for line in out.split("\n") if line.strip())


def _marked(text: str, marked: bool) -> str:
    if not marked:
        return escape_markdown(text)
    # A directive cannot span lines, so each line of a cited sentence is marked on its own.
    return "\n".join(f":orange-background[{escape_markdown(line.strip())}]" if line.strip()
                     else line for line in text.split("\n"))


def _word_boundary(text: str, pos: int, forward: bool) -> int:
    step = 1 if forward else -1
    while 0 < pos < len(text) and not text[pos].isspace():
        pos += step
    return pos


def source_line(chunk: Chunk, lang: str) -> str:
    """"utgave 2023 (2024) · Oppholdstillatelse · s. 36–37", escaped."""
    parts = []
    if chunk.edition or chunk.year:
        edition = t("edition", lang, edition=chunk.edition) if chunk.edition else ""
        year = f"({chunk.year})" if chunk.year else ""
        parts.append(" ".join(p for p in (edition, year) if p))
    if chunk.section:
        parts.append(chunk.section)
    parts.append(pages_label(chunk.page_start, chunk.page_end, lang))
    return escape_markdown(" · ".join(parts))
