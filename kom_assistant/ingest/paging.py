"""Recover PDF page numbers for texts whose page breaks were lost in extraction.

No signal is complete alone, so page starts are collected from several: form feeds; the block of
link annotations (URLs, mail addresses) extractors append after a page; lines opening with one
space; repeated Markdown top-level headings; running headers (a short line that opens a page
elsewhere, repeated after a wide gap); and printed footers ("46 KOM årsrapport 2023",
"Nyhetsbrev fra KOM 7"), whose numbers anchor the count, as they are what a reader finds.
Between anchors, surplus starts are dropped weakest first and missing ones become gaps. Texts
without printed numbers (the 2025 strategy) get counted numbers from `first_page`, not printed.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class PageSpan:
    number: int  # the page number a reader finds in the PDF (printed number where known)
    start: int  # char offset into the input text
    end: int
    printed: bool  # True when a printed page number on/near this page confirms `number`


# Strength of a page-start signal; the weakest are dropped first when they outnumber pages.
_SPACE, _HEADING, _LINKS, _FORMFEED, _ANCHOR = 1, 2, 3, 4, 5
_MIN_PAGE_CHARS = 25  # less non-space text than this between two starts is not a page
# A link line may run on with the link's title after a space, as annotations sometimes do.
_LINK = re.compile(r"^\W?((https?://|www\.|mailto:)\S.*|[\w.+-]+@[\w-]+(\.[\w-]+)+)$", re.I)
_NUM_FIRST = re.compile(r"^(\d{1,3})\s*(\D.*)$")
_NUM_LAST = re.compile(r"^(.*\D)\s+(\d{1,3})$")


def _is_short_heading(s: str) -> bool:
    return 3 <= len(s) <= 60 and s[0].isalpha() and s[-1] not in ".,;:!?" and not _LINK.match(s)


def _footer_label(s: str) -> tuple[str, int | None] | None:
    """Split a possible running footer into (normalised label, printed number or None)."""
    for pattern, num_group, label_group in ((_NUM_FIRST, 1, 2), (_NUM_LAST, 2, 1)):
        m = pattern.match(s)
        label = " ".join(m.group(label_group).split()) if m else ""
        # Title-like, to keep out numbered sentence fragments ("62 var antatt utnyttet").
        if m and len(label.split()) >= 2 and label[0].isupper() and label[-1] not in ".,:;":
            return label.lower(), int(m.group(num_group))
    return (" ".join(s.split()).lower(), None) if _is_short_heading(s) else None


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.lines: list[str] = []
        for m in re.finditer(r"[^\n]*\n|[^\n]+$", text):
            self.starts.append(m.start())
            self.lines.append(m.group().rstrip("\n").replace("\f", ""))
        self.blank = [not s.strip() for s in self.lines]
        self.link = [bool(_LINK.match(s.strip())) for s in self.lines]
        self.cands: dict[int, int] = {}

    def add(self, pos: int, strength: int) -> None:
        if 0 < pos < len(self.text):
            self.cands[pos] = max(self.cands.get(pos, 0), strength)

    def next_nonblank(self, i: int, step: int) -> int | None:
        i += step
        while 0 <= i < len(self.lines) and self.blank[i]:
            i += step
        return i if 0 <= i < len(self.lines) else None

    def heading(self, i: int) -> bool:
        return _is_short_heading(self.lines[i].strip())

    def gap_start(self, i: int) -> int:
        """Offset of the blank run before line i, so the blank lines go with the new page."""
        while i > 0 and self.blank[i - 1]:
            i -= 1
        return self.starts[i]


def _structural_signals(d: _Doc) -> None:
    for m in re.finditer("\f", d.text):
        d.add(m.end(), _FORMFEED)
    for i, s in enumerate(d.lines):
        j = d.next_nonblank(i, 1)
        if d.link[i] and j is not None and not d.link[j]:
            d.add(d.starts[i + 1], _LINKS)
        if re.match(r" \S", s) and not d.link[i]:
            # A box or page title printed last sits just above its page's links: not a page start.
            k, seen = i, 0
            while k < len(d.lines) and not d.link[k] and seen <= 3:
                seen += not d.blank[k]
                k += 1
            if seen > 3 or k == len(d.lines):
                d.add(d.starts[i], _SPACE)
    h1 = [i for i, s in enumerate(d.lines) if re.match(r"# \S", s)]
    if len(h1) > 1 and max(Counter(d.lines[i].strip() for i in h1).values()) > 1:
        for i in h1:
            # The first heading usually follows a title block on the same (cover) page.
            if i != h1[0] or len(re.sub(r"\s", "", d.text[: d.starts[i]])) > 200:
                d.add(d.gap_start(i), _HEADING)


def _running_headers(d: _Doc) -> None:
    line_at = {pos: i for i, pos in enumerate(d.starts)}
    opening = [d.next_nonblank(line_at[p] - 1, 1) for p in d.cands if p in line_at]
    opening.append(d.next_nonblank(-1, 1))
    openers = {d.lines[i].strip() for i in opening if i is not None}
    openers = {s for s in openers if _is_short_heading(s)}
    for i, s in enumerate(d.lines):
        if i >= 3 and all(d.blank[i - 3 : i]) and s.strip() in openers:
            d.add(d.gap_start(i), _HEADING)


def _footers(d: _Doc) -> tuple[list[tuple[int, int, bool]], list[int], bool]:
    """Find the running footer; return anchors (pos, number, printed), marker lines, top-style."""
    # A footer stands apart from the running text: a blank line on at least one side.
    before, after = [True, *d.blank][: len(d.blank)], [*d.blank[1:], True][: len(d.blank)]
    apart = [not b and (b0 or b1) for b, b0, b1 in zip(d.blank, before, after, strict=True)]
    parsed = [_footer_label(s.strip()) if a else None for s, a in zip(d.lines, apart, strict=True)]
    numbered = Counter(p[0] for p in parsed if p and p[1] is not None)
    plain = Counter(p[0] for p in parsed if p and p[1] is None)
    labels = [lab for lab, n in numbered.items() if n >= 2 or plain[lab] >= 2]
    if not labels:
        return [], [], False
    label = max(labels, key=lambda lab: sum(1 for p in parsed if p and p[0] == lab))
    occ = [(i, p[1]) for i, p in enumerate(parsed) if p and p[0] == label]
    # Keep the longest chain of printed numbers that rises with the text, at >= 100 chars a page.
    nums = [(k, i, n) for k, (i, n) in enumerate(occ) if n is not None]
    best: list[list[int]] = []
    for a, (_, i, n) in enumerate(nums):
        prev = [
            best[b]
            for b in range(a)
            if n > nums[b][2] and d.starts[i] - d.starts[nums[b][1]] >= 100 * (n - nums[b][2])
        ]
        best.append(max(prev, key=len, default=[]) + [a])
    chain = {nums[a][0]: nums[a][2] for a in max(best, key=len, default=[])}
    keys = sorted(chain)
    anchors: list[tuple[int, int, bool]] = []
    top = bottom = 0
    for k, (i, _) in enumerate(occ):
        num = chain.get(k)
        if num is None and keys:
            # One footer per page: count on from the nearest printed ones where counts agree.
            at = bisect_right(keys, k)
            p = keys[at - 1] if at else keys[0]
            q = keys[at] if at < len(keys) else p
            if p > k or q < k or chain[q] - chain[p] == q - p:
                num = chain[p] + k - p
        nxt, prv = d.next_nonblank(i, 1), d.next_nonblank(i, -1)
        bottom += nxt is not None and d.link[nxt]
        if prv is not None and not d.link[prv] and d.heading(prv):
            prv = d.next_nonblank(prv, -1)  # skip the running section header above the footer
        top += prv is not None and d.link[prv]
        if num is not None and num >= 1:
            anchors.append((i, num, k in chain))
    return anchors, [i for i, _ in occ], top > bottom


def _merge(d: _Doc) -> list[list[int]]:
    merged: list[list[int]] = []
    for pos in sorted(d.cands):
        prev_end = merged[-1][0] if merged else 0
        if len(re.sub(r"\s", "", d.text[prev_end:pos])) < _MIN_PAGE_CHARS:
            if merged:
                merged[-1][1] = max(merged[-1][1], d.cands[pos])
            continue
        merged.append([pos, d.cands[pos]])
    return merged


def _anchor_breaks(d: _Doc) -> list[tuple[int, int, bool]]:
    """Turn footers into anchors (offset, number, printed), adding the page starts they imply."""
    footer_lines, markers, top = _footers(d)
    anchors: list[tuple[int, int, bool]] = []
    for i, n, printed in footer_lines:
        pos = d.starts[i]
        if top:
            # The running section header printed with the footer opens the page with it.
            h = d.next_nonblank(i, -1)
            ok = h is not None and i - h <= 3 and (h == 0 or d.blank[h - 1])
            pos = d.gap_start(h if ok and h is not None and d.heading(h) else i)
            d.add(pos, _ANCHOR)
        anchors.append((pos, n, printed))
    if not top:
        # A footer sits inside its page: two footers need a page start between them.
        for a, b in pairwise(markers):
            if a + 1 < len(d.lines) and not any(d.starts[a] < p <= d.starts[b] for p in d.cands):
                d.add(d.starts[a + 1], _ANCHOR)
    return anchors


def _chain(starts: list[int], anchors: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Anchors as (segment, number, printed), keeping those that rise with the text."""
    chain: list[tuple[int, int, bool]] = []
    for pos, n, printed in sorted(anchors):
        seg = bisect_right(starts, pos) - 1
        if not chain or (seg > chain[-1][0] and n > chain[-1][1]):
            chain.append((seg, n, printed))
    return chain


def _drop_surplus(text: str, breaks: list[list[int]], anchors: list[tuple[int, int, bool]]) -> None:
    """Drop the weakest page starts where there are more than the printed numbers allow."""
    while True:
        starts = [0] + [p for p, _ in breaks]
        chain = _chain(starts, anchors)
        lo = hi = -1
        if chain and chain[0][1] - chain[0][0] < 1:
            lo, hi = 0, chain[0][0]
        for (i, a, _), (j, b, _) in pairwise(chain):
            if lo < 0 and j - i > b - a:
                lo, hi = i, j
        if lo < 0:
            return
        # breaks[t] opens segment t + 1; a footer's own page start is kept.
        pool = [t for t in range(lo, hi) if breaks[t][1] < _ANCHOR]
        if not pool:  # the printed number contradicts firm page starts: distrust the number
            anchors[:] = [a for a in anchors if bisect_right(starts, a[0]) - 1 != hi]
            continue
        ends = starts[1:] + [len(text)]
        breaks.pop(min(pool, key=lambda t: (breaks[t][1], ends[t + 1] - starts[t])))


def _text_len(chunk: str) -> int:
    # Link blocks say little about how much of a page is filled, so leave them out.
    return sum(len(s.strip()) for s in chunk.split("\n") if not _LINK.match(s.strip()))


def split_into_pages(text: str, *, first_page: int = 1) -> list[PageSpan]:
    """Split `text` into consecutive spans, one per recovered PDF page, covering it exactly.

    `first_page` numbers the first span only when the text has no printed page numbers (counted
    pages); extractors often drop a cover without a text layer, so a caller may know better.
    """
    d = _Doc(text)
    _structural_signals(d)
    _running_headers(d)
    anchors = _anchor_breaks(d)
    breaks = _merge(d)
    _drop_surplus(text, breaks, anchors)
    starts = [0] + [p for p, _ in breaks]
    ends = starts[1:] + [len(text)]
    chain = _chain(starts, anchors)
    if not chain:
        chain = [(0, first_page, False)]
    sizes = [_text_len(text[s:e]) for s, e in zip(starts, ends, strict=True)]
    median = statistics.median(sizes) or 1
    seg0, n0, _ = chain[0]
    numbers = [n0 - seg0 + t for t in range(len(starts))]  # count back before the first anchor
    for (i, a, _), (j, b, _) in pairwise(chain):
        extra = dict.fromkeys(range(i, j), 0)
        missing = (b - a) - (j - i)
        # A stretch about twice as full as a usual page most likely holds two pages.
        for t in sorted(range(i, j), key=lambda t: -sizes[t]):
            take = min(missing, max(0, int(sizes[t] / median + 0.3) - 1))
            extra[t], missing = extra[t] + take, missing - take
        # A page without text (picture, blank) most often precedes a section opener, a short
        # page; in the status report this keeps every chapter opener on an even page.
        for t in [t for t in range(i + 1, j) if sizes[t] < 0.3 * median][:missing]:
            extra[t - 1], missing = extra[t - 1] + 1, missing - 1
        extra[j - 1] += missing  # otherwise: just before the next printed number
        n = a
        for t in range(i, j):
            numbers[t], n = n, n + 1 + extra[t]
    last_seg, last_n, _ = chain[-1]
    for t in range(last_seg, len(starts)):
        numbers[t] = last_n + t - last_seg
    printed = {seg for seg, _, p in chain if p}
    return [PageSpan(numbers[t], starts[t], ends[t], t in printed) for t in range(len(starts))]
