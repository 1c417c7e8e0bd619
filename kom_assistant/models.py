"""The records that flow through the pipeline; one word per concept.

document -> page -> chunk -> hit (a scored chunk) -> citation -> answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    kind: str  # veileder | strategi | tilstandsrapport | nyhetsbrev | annet
    file: str  # file name in the corpus folder
    year: int | None = None
    period: str = ""
    publisher: str = ""
    edition: str = ""
    published: str = ""  # ISO date
    original_file: str = ""
    url: str = ""
    language: str = "nb"
    supersedes: str = ""
    status: str = "current"  # current | archived
    first_page: int = 1  # page number of the first text page, where a text lost its cover
    guessed: bool = False  # metadata guessed from the text, no manifest entry


@dataclass(frozen=True)
class Page:
    document_id: str
    number: int  # the page number a reader finds in the PDF
    text: str  # cleaned, OCR-repaired text, as users see it
    original_text: str = ""  # cleaned text before OCR repair, "" where identical
    urls: tuple[str, ...] = ()
    headings: tuple[tuple[int, int, str], ...] = ()  # (char offset in text, level, title)


@dataclass(frozen=True)
class Chunk:
    id: str
    document_id: str
    document_title: str
    source: str  # corpus file name
    section: str  # heading path, " > " separated
    page_start: int
    page_end: int
    char_start: int  # offset into the cleaned text of page_start
    char_end: int  # offset into the cleaned text of page_end
    text: str
    original_text: str = ""  # before OCR repair, "" where identical
    language: str = "nb"
    urls: tuple[str, ...] = ()
    kind: str = ""
    year: int | None = None
    edition: str = ""
    status: str = "current"
    published: str = ""  # ISO date of the document, for ordering figures newest first

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    rank: int
    signals: dict[str, float] = field(default_factory=dict, compare=False)
    # (start, end, similarity to the question) of each sentence of the chunk's text that has
    # a vector of its own; empty when unknown.
    sentences: tuple[tuple[int, int, float], ...] = field(default=(), compare=False)
    # The numbered parts the chunk is about, ("tiltak", "14"): LoadedIndex.titled_references.
    parts: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False)
    # (start, end, similarity) of each two consecutive sentences of `sentences` read as one.
    pairs: tuple[tuple[int, int, float], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Citation:
    n: int
    chunk: Chunk
    quote: str  # the cited sentences, verbatim from chunk.text


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    hits: tuple[Hit, ...] = ()
    language: str = "nb"
    note: str = ""  # e.g. "LLM unavailable, extractive answer shown"
    # The contact points that close `text` when the question asks whom to turn to; kept apart
    # too, so that an answer written by an LLM ends with them as well.
    contacts_text: str = ""
    # The answer's statements, first the one that answers, without citation marks: what a
    # reader takes away (benchmarks measure how many hold the evidence).
    lines: tuple[str, ...] = ()
