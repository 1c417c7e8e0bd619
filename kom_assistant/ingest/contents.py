"""A table of contents is not text: a contents page answers nothing, and its entries read
like headings with page numbers."""

from __future__ import annotations

import re

# A table of contents' entry: "2.3 Tegn på menneskehandel ........ 14". A run of entries, or
# entries under an "Innhold" heading, is dropped: a contents page answers nothing.
_CONTENTS_TITLE = re.compile(r"(?:#+\s*)?(?:Innhold(?:sfortegnelse)?|(?:Table of )?[Cc]ontents)")
_LEADER_ENTRY = re.compile(r"\S.*?\s*(?:\.{3,}|…+|(?:\. ){3,}\.?|_{3,})\s*\d{1,3}")
_PLAIN_ENTRY = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[A-ZÆØÅ][^.!?]{2,90}?\s+(\d{1,3})")


def drop_contents(text: str) -> str:
    """Drop a table of contents: two or more entries with dot leaders, or entries (with or
    without leaders) right under an "Innhold" or "Contents" title."""
    lines = text.split("\n")
    drop: set[int] = set()
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    for at, i in enumerate(filled):
        leader = [j for j in filled[at:at + 2] if _LEADER_ENTRY.fullmatch(lines[j].strip())]
        if len(leader) == 2:
            drop.update(leader)
        if _CONTENTS_TITLE.fullmatch(lines[i].strip()):
            entries = []
            for j in filled[at + 1:]:
                line = lines[j].strip()
                if not (_LEADER_ENTRY.fullmatch(line) or _PLAIN_ENTRY.fullmatch(line)):
                    break
                entries.append(j)
            if len(entries) >= 2:
                drop.update([i, *entries])
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop)
