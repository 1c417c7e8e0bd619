"""Tests for page-number recovery (kom_assistant.ingest.paging)."""

from __future__ import annotations

import re

import pytest

from kom_assistant.ingest.paging import PageSpan, split_into_pages

from ..conftest import seed_text

FILLER = "Dette er vanlig brødtekst om menneskehandel som fyller en side. "


def page_of(pages: list[PageSpan], offset: int) -> PageSpan:
    return next(p for p in pages if p.start <= offset < p.end)


def page_with(pages: list[PageSpan], text: str, needle: str) -> PageSpan:
    return page_of(pages, text.index(needle))


def check_invariants(text: str, pages: list[PageSpan]) -> None:
    assert pages[0].start == 0 and pages[-1].end == len(text)
    assert "".join(text[p.start : p.end] for p in pages) == text
    assert all(a.end == b.start for a, b in zip(pages, pages[1:], strict=False))
    numbers = [p.number for p in pages]
    assert numbers == sorted(set(numbers)) and numbers[0] >= 1


# --- inline examples, one per signal -------------------------------------------------------


def test_no_signals_gives_one_page() -> None:
    text = "En kort notatfil.\n\nMed to avsnitt, uten sideskift.\n"
    assert split_into_pages(text) == [PageSpan(1, 0, len(text), False)]


def test_empty_text_gives_one_empty_page() -> None:
    assert split_into_pages("") == [PageSpan(1, 0, 0, False)]


def test_plain_markdown_is_one_page() -> None:
    text = "# Notat\n\nInnledning.\n\n## Del A\n\nTekst.\n\n## Del B\n\nMer tekst.\n"
    assert [p.number for p in split_into_pages(text)] == [1]


def test_single_space_lines_open_pages() -> None:
    text = f" Side en. {FILLER}\nfortsatt side en.\n Side to. {FILLER}\n Side tre. {FILLER}\n"
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert [p.number for p in pages] == [1, 2, 3]
    assert text[pages[1].start :].startswith(" Side to.")
    assert not any(p.printed for p in pages)


def test_double_space_line_is_not_a_page_start() -> None:
    text = f"Side en. {FILLER}\n  innrykket linje på samme side {FILLER}\n"
    assert len(split_into_pages(text)) == 1


def test_url_block_closes_a_page() -> None:
    text = (
        f"Side en. {FILLER}\nse her.\n\nhttps://example.org/a\nhttps://example.org/b\n"
        f"Side to begynner uten innrykk. {FILLER}\n"
    )
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert len(pages) == 2
    assert "https://example.org/b" in text[pages[0].start : pages[0].end]
    assert text[pages[1].start :].startswith("Side to")


def test_form_feed_separates_pages() -> None:
    text = f"Side en. {FILLER}\fSide to. {FILLER}\fSide tre. {FILLER}"
    assert [p.number for p in split_into_pages(text)] == [1, 2, 3]


def test_first_page_applies_to_counted_pages_only() -> None:
    text = f" Side en. {FILLER}\n Side to. {FILLER}\n"
    assert [p.number for p in split_into_pages(text, first_page=2)] == [2, 3]


def _report(*footers: str) -> str:
    """Pages in the status report's layout: links close a page, header + footer open the next."""
    parts = [f" Første side. {FILLER * 5}\nhttps://example.org/1\n"]
    for k, footer in enumerate(footers):
        parts.append(f"\n\nDel 3 - Oppholdstillatelse\n\n{footer}\n\nSide {k}a. {FILLER * 5}\n")
        parts.append(f"https://example.org/{k}\n")
    return "".join(parts)


@pytest.mark.parametrize(
    "footers",
    [
        ("46 KOM årsrapport 2023", "47 KOM årsrapport 2023"),
        ("46KOM årsrapport 2023", "47KOM årsrapport 2023"),
        ("46 KOM årsrapport 2023", "47KOM årsrapport 2023"),
    ],
)
def test_printed_footers_anchor_numbering(footers: tuple[str, str]) -> None:
    text = _report(*footers)
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert [(p.number, p.printed) for p in pages] == [(45, False), (46, True), (47, True)]
    # The footer prints at the top of its page in this extraction order (after the links).
    assert text[pages[1].start : pages[1].end].lstrip().startswith("Del 3")
    assert text[pages[0].start : pages[0].end].rstrip().endswith("https://example.org/1")


def test_single_numbered_line_is_not_trusted_as_footer() -> None:
    text = _report("46 KOM årsrapport 2023")
    assert [(p.number, p.printed) for p in split_into_pages(text)] == [(1, False), (2, False)]


def test_surplus_page_starts_are_dropped_between_footers() -> None:
    text = _report("46 KOM årsrapport 2023", "47KOM årsrapport 2023")
    spare = f"Side 0a. {FILLER * 5}\n"
    assert spare in text
    text = text.replace(spare, spare + f" en boks. {FILLER}\n en boks til. {FILLER}\n")
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert page_with(pages, text, "46 KOM").number == 46
    assert page_with(pages, text, "47KOM").number == 47
    assert page_with(pages, text, "en boks til").number == 46


def test_missing_page_starts_leave_a_gap() -> None:
    text = _report("46 KOM årsrapport 2023", "49KOM årsrapport 2023")
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert [p.number for p in pages] == [45, 46, 49]


def test_footer_at_bottom_followed_by_links() -> None:
    pages_text = [
        f"Forside. {FILLER}\n\nNyhetsbrev fra KOM 2\n\nhttps://example.org/a\n",
        f"Neste side. {FILLER}\n\nNyhetsbrev fra KOM\n\nhttps://example.org/b\n",
        f"Siste side. {FILLER}\n\nNyhetsbrev fra KOM 4\n\nhttps://example.org/c\n",
    ]
    text = "".join(pages_text)
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert [(p.number, p.printed) for p in pages] == [(2, True), (3, False), (4, True)]
    assert [text[p.start : p.end] for p in pages] == pages_text


def test_repeated_markdown_headings_open_pages() -> None:
    text = (
        "Koordineringsenheten\n\n# Nyhetsbrev fra KOM\n\nApril - juni 2023\n\n\n\n"
        "# Hovedaktiviteter\n\n"
        f"## A\n\n{FILLER}\n\n\n\n# Hovedaktiviteter\n\n## B\n\n{FILLER}\n"
    )
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert [p.number for p in pages] == [1, 2, 3]
    assert "# Nyhetsbrev fra KOM" in text[pages[0].start : pages[0].end]


# --- the real seed texts ---------------------------------------------------------------------


def _seed(prefix: str) -> str:
    return seed_text(f"{prefix}_")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_spans_cover_text_and_increase(prefix: str) -> None:
    text = _seed(prefix)
    pages = split_into_pages(text)
    check_invariants(text, pages)
    assert all(p.end > p.start for p in pages)


def test_status_report_footers_land_on_their_pages() -> None:
    text = _seed("004")
    pages = split_into_pages(text)
    footers = list(re.finditer(r"^(\d{1,3}) ?KOM årsrapport 2023$", text, re.MULTILINE))
    assert len(footers) == 5
    for m in footers:
        page = page_of(pages, m.start())
        assert (page.number, page.printed) == (int(m.group(1)), True)
    assert sum(p.printed for p in pages) == 5
    # The last printed footer is 132; the text runs two pages further.
    assert 120 <= len(pages) <= 135 and 132 < pages[-1].number <= 136
    assert 1 <= pages[0].number <= 10


def test_status_report_known_facts() -> None:
    text = _seed("004")
    pages = split_into_pages(text)
    # The footnoted au pair page sits between the printed 46 and 47.
    assert page_with(pages, text, "gjelder søkere som skal jobbe innen").number == 46
    assert page_with(pages, text, "utestengelse mot 11 personer").number == 47
    # Chapter 6 opens on page 61 itself, with 6.1 at its foot; chapter 8 ends on 125.
    assert page_with(pages, text, "6.1 Tilgang på helsehjelp").number == 61
    assert page_with(pages, text, "Tabell 5: Hovedresultater").number < 125
    # Between printed 125 and 132 the page starts agree exactly: chapter 9 opens on 126.
    assert page_with(pages, text, "I anmodning om innspill til KOMs").number == 126
    assert page_with(pages, text, "Lightup Norway").number > 125
    # Chapter openers face the first page of their chapter: even numbers throughout.
    for opener in ("Straffesaker\n\n8\n", "Helsehjelp\n\n6\n", "Oppholdstillatelse\n\n3\n"):
        assert page_with(pages, text, opener).number % 2 == 0


def test_newsletter_2025_footers_land_on_their_pages() -> None:
    text = _seed("001")
    pages = split_into_pages(text)
    footers = list(re.finditer(r"^Nyhetsbrev fra KOM(?: (\d+))?$", text, re.MULTILINE))
    numbered = [m for m in footers if m.group(1)]
    assert [int(m.group(1)) for m in numbered] == [7, 17, 20]
    for m in numbered:
        assert page_of(pages, m.start()).number == int(m.group(1))
    # One footer per page, so the pages holding footers are all different.
    holding = [page_of(pages, m.start()).number for m in footers]
    assert len(set(holding)) == len(footers) == 25
    assert (pages[0].number, pages[-1].number) == (2, 27)
    # The newsletter's own cross-references: "se side 2", "side 24", "side 14".
    assert page_with(pages, text, "Nasjonal strategi mot menneskehandel\n(2025").number == 2
    assert page_with(pages, text, "informasjon pa side 24").number == 14
    assert page_with(pages, text, "informasjon pa side 14").number == 24


def test_newsletter_2022_is_counted() -> None:
    text = _seed("002")
    pages = split_into_pages(text)
    assert not any(p.printed for p in pages)
    assert 10 <= len(pages) <= 14
    # "se side 6" points at the Ukraine page: right when the text-less cover is page 1.
    pages = split_into_pages(text, first_page=2)
    assert page_with(pages, text, "webinar 12. mai i regi av Hdir").number == 6


def test_newsletter_2023_markdown_pages_follow_headings() -> None:
    text = _seed("000")
    pages = split_into_pages(text)
    starts = {p.start for p in pages}
    for m in re.finditer(r"^# (KOMs hovedaktiviteter|Aktuelle)", text, re.MULTILINE):
        page = page_of(pages, m.start())
        assert not text[page.start : m.start()].strip()
    assert 18 <= len(pages) <= 26 and pages[0].number == 1 and 0 in starts
    assert "# Nyhetsbrev fra KOM" in text[pages[0].start : pages[0].end]


def test_strategy_has_counted_numbers_only() -> None:
    text = _seed("003")
    pages = split_into_pages(text)
    assert not any(p.printed for p in pages)
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert 40 <= len(pages) <= 60
    # A running header that interrupts a sentence marks a page turn without a leading space.
    assert page_with(pages, text, "har utviklet et avhengighetsforhold").number + 1 == (
        page_with(pages, text, "ikke oppfatter seg selv som et offer").number
    )
