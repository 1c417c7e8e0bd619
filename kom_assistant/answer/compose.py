"""Hits -> answer: the sentences from the sources that best answer the question, each cited.

Extractive by default (no model invents anything); refuses plainly when the sources do not
cover the question, and declines requests that would help someone exploit people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..ingest.chunking import sentence_spans
from ..ingest.language import detect_language
from ..models import Answer, Chunk, Citation, Hit
from ..search.embeddings import Embedder
from ..search.index import LoadedIndex
from ..search.keyword import KeywordIndex
from ..search.references import numbered_row_spans, reference_spans, references
from ..search.retrieve import Filters, hybrid_search, mend_question
from .answerability import (
    SUPPORT_THRESHOLD,
    answer_type_found,
    asks_in,
    coverage,
    question_terms,
    support,
)
from .contacts import Contact, asks_for_contact, contacts_for, is_unsafe_request

_MAX_WORDS = 120
# Weight of a sentence's closeness in meaning to the question (0..1 among the candidates),
# next to its share of the question's terms (0..1); set on the development questions.
_DENSE_WEIGHT = 0.5
_CLOSENESS_SPAN = 0.05
_MAX_SENTENCES = 5
# Added for a sentence in the section about the part a question names: enough that the section
# leads over passing mentions of the part elsewhere (citations are the same from 0 to 0.6 on
# every question set; the order of what is quoted is not).
_ABOUT = 0.3
_MAX_LIST_ITEMS = 10
# Added for a sentence that enumerates (three commas or more) when the question asks for a list:
# "Hvilke tegn ...?" is answered by "... gjennom trusler, vold, ikke innrapportert lønn, ...",
# not by a sentence that only names the topic. Citations gain a question on two sets at 0.2
# and lose none on any of five; 0.1 changes nothing.
_ENUMERATION = 0.2
_LIST_QUESTION = re.compile(
    r"^\s*(hvilke|hva (er|var) (de|tegn)|list|which|what are|name the)\b|\b(tiltak|tegn|"
    r"rettigheter|indikatorer|measures|signs|rights|indicators)\b", re.IGNORECASE)
_NUMERIC_QUESTION = re.compile(r"\b(hvor mange|antall|how many|number of|hvor mye|how much)\b",
                               re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"^\s*(og|men|hva med|hvem|hvor|hvordan|gjelder det|and|but|what about|how about|who|"
    r"does that|is that)\b|\b(det|den|dette|de|dem|that|this|it|they|them|those)\s*\??\s*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Scored:
    hit: Hit
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end].strip()


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """Short follow-ups ("hva med barn?") borrow the topic of the question before them."""
    if not history:
        return question
    words = question.split()
    if len(words) <= 3 or (_FOLLOW_UP.search(question) and len(words) <= 10):
        return f"{history[-1]} {question}"
    return question


def select_sentences(question: str, hits: Sequence[Hit], keyword: KeywordIndex) -> list[Scored]:
    terms = question_terms(question, keyword)
    asks = asks_in(question)
    candidates: list[Scored] = []
    closeness = _closeness(hits[:6])
    wanted = references(question)
    wants_list = bool(_LIST_QUESTION.search(question))
    for hit in hits[:6]:
        prior = 0.25 / hit.rank
        # A passage under the part the question names ("tiltak 12", "§ 257") is about it in
        # every sentence, and answers it better than a passing "jf. tiltak 12" elsewhere.
        about = hit.chunk.section if wanted & hit.parts else ""
        for start, end in sentence_spans(hit.chunk.text):
            sentence = hit.chunk.text[start:end]
            if len(re.findall(r"[^\W\d_]{3,}", sentence)) < 4 or sentence[:1].islower():
                continue  # fragments and table rows read badly out of context
            score = coverage(terms, f"{about} {sentence}", keyword) + prior
            score += _ABOUT if about else 0.0
            score += _DENSE_WEIGHT * closeness(hit, start)
            if _NUMERIC_QUESTION.search(question) and re.search(r"\d", sentence):
                score += 0.1
            if wants_list and sentence.count(",") >= 3:
                score += _ENUMERATION
            if asks and all(a.found(sentence) for a in asks):
                score += 0.15  # holds the date or duration asked for
            candidates.append(Scored(hit, start, end, score))
    candidates.sort(key=lambda s: -s.score)
    chosen: list[Scored] = []
    words = 0
    for cand in candidates:
        if words >= _MAX_WORDS or len(chosen) >= _MAX_SENTENCES or (
                chosen and cand.score < chosen[0].score * 0.6):
            break
        if any(_similar(cand.text, c.text) for c in chosen):
            continue
        chosen.append(cand)
        words += len(cand.text.split())
    if wants_list and chosen:
        chosen = _with_list_items(chosen)
    rows = _table_rows(wanted, hits[:6], chosen[0].score if chosen else 1.0)
    chosen = rows + [c for c in chosen if not any(
        r.hit.chunk.id == c.hit.chunk.id and r.start < c.end and c.start < r.end for r in rows)]
    # Readable order: by source (best source first), then by position in the passage.
    first_rank: dict[str, int] = {}
    for c in chosen:
        first_rank.setdefault(c.hit.chunk.id, c.hit.rank)
    return sorted(chosen, key=lambda c: (first_rank[c.hit.chunk.id], c.start))


def compose_answer(question: str, hits: Sequence[Hit], keyword: KeywordIndex,
                   contacts: Sequence[Contact] = (), asked: str | None = None) -> Answer:
    """The extractive answer to `question` (`asked` is what the user typed, when a follow-up
    was resolved against the conversation)."""
    asked = asked or question
    lang = detect_language(asked)
    if is_unsafe_request(asked):
        return decline(asked, lang, contacts)
    if (not hits or support(question, hits, keyword) < SUPPORT_THRESHOLD
            or not answer_type_found(question, hits, keyword)):
        return refuse(asked, hits, lang, contacts)
    chosen = select_sentences(question, hits, keyword)
    # Figures differ between reports (a status report, a later newsletter): show each figure
    # with its document and year, newest first, instead of picking one.
    name_each = _NUMERIC_QUESTION.search(question) and len(
        {c.hit.chunk.document_id for c in chosen}) > 1
    if name_each:
        chosen.sort(key=lambda c: c.hit.chunk.published or str(c.hit.chunk.year or ""),
                    reverse=True)
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    lines: list[str] = []
    statements = tuple(c.text.removeprefix("- ").strip() for c in chosen)
    for c in chosen:
        chunk = c.hit.chunk
        n = numbers.setdefault(chunk.id, len(numbers) + 1)
        quotes.setdefault(chunk.id, []).append(c.text)
        source = f"{chunk.document_title} ({chunk.year}): " if name_each else ""
        lines.append(f"{source}{_quoted(c.text, lang)} [{n}]")
    by_id = {c.hit.chunk.id: c.hit.chunk for c in chosen}
    citations = tuple(Citation(n, by_id[cid], " … ".join(quotes[cid]))
                      for cid, n in numbers.items())
    lead = (f"From the Norwegian sources (quoted in Norwegian, not translated), "
            f"{_sources_phrase(citations)}:" if lang == "en"
            else f"Dette sier kildene ({_sources_phrase(citations)}):")
    body = "\n".join(f"- {line}" for line in lines)
    reach = _contact_block(asked, lang, contacts) if asks_for_contact(asked) and contacts else ""
    text = "\n\n".join(p for p in (lead, body, reach) if p)
    return Answer(asked, text, citations, False, tuple(hits), lang, contacts_text=reach,
                  lines=statements)


def _contact_block(question: str, lang: str, contacts: Sequence[Contact]) -> str:
    """The contact points, for a question that asks whom to turn to: the passages found may
    describe a service without saying how to reach it."""
    head = "Who you can contact:" if lang == "en" else "Hvem du kan kontakte:"
    return f"{head}\n{_help_lines(question, lang, contacts)}"


def _help_lines(question: str, lang: str, contacts: Sequence[Contact]) -> str:
    return "\n".join(f"- {c.line(lang)}" for c in contacts_for(question, lang, contacts))


def refuse(question: str, hits: Sequence[Hit], lang: str, contacts: Sequence[Contact]) -> Answer:
    topics = list(dict.fromkeys(f"{h.chunk.section or h.chunk.document_title} "
                                f"({h.chunk.document_title})" for h in hits[:3]))
    help_lines = _help_lines(question, lang, contacts)
    if lang == "en":
        text = "I cannot find an answer to this in the sources."
        if topics:
            text += "\n\nThe closest topics the sources cover:\n" + "\n".join(
                f"- {t}" for t in topics)
        text += "\n\nIf you need help in a specific case:\n" + help_lines
    else:
        text = "Jeg finner ikke svar på dette i kildene."
        if topics:
            text += "\n\nDet nærmeste kildene dekker:\n" + "\n".join(f"- {t}" for t in topics)
        text += "\n\nTrenger du hjelp i en konkret sak:\n" + help_lines
    return Answer(question, text, (), True, tuple(hits), lang)


def decline(question: str, lang: str, contacts: Sequence[Contact]) -> Answer:
    if lang == "en":
        text = ("I cannot help with that. This assistant helps people recognise and help "
                "possible victims of human trafficking, not avoid detection or exploit anyone.")
    else:
        text = ("Det kan jeg ikke hjelpe med. Assistenten hjelper deg å kjenne igjen og hjelpe "
                "mulige ofre for menneskehandel, ikke å unngå oppdagelse eller utnytte noen.")
    help_lines = "\n".join(f"- {c.line(lang)}" for c in contacts)
    return Answer(question, f"{text}\n\n{help_lines}".strip(), (), True, (), lang,
                  note="declined")


def _with_list_items(chosen: list[Scored]) -> list[Scored]:
    """A chosen sentence that introduces a list in its passage brings the list along."""
    out = list(chosen)
    best = chosen[0]
    text = best.hit.chunk.text
    items = [(s, e) for s, e in sentence_spans(text)
             if s >= best.end and text[s:e].lstrip().startswith("- ")]
    for s, e in items[:_MAX_LIST_ITEMS]:
        if not any(c.hit.chunk.id == best.hit.chunk.id and c.start == s for c in out):
            out.append(Scored(best.hit, s, e, best.score))
    return out


def _table_rows(wanted: frozenset[tuple[str, str]], hits: Sequence[Hit], score: float
                ) -> list[Scored]:
    """The rows of a numbered table for the parts the question names, each from the best hit
    that has it: "measures 14-17" are the rows numbered 14 to 17 ("14 Styrke politiets
    etterretning D"), "innsatsområde 4" the rows that follow its name in the table. Table
    rows are otherwise left out as fragments, but here they are the answer."""
    rows: dict[int, Scored] = {}
    for hit in hits:
        spans = numbered_row_spans(hit.chunk.text)
        if not spans or not wanted & hit.parts:
            continue
        # What the rows number: the kind of part every row is about ("tiltak" in the strategy).
        kinds = {k for k, _ in hit.parts if all((k, str(n)) in hit.parts for n, _, _ in spans)}
        heads = reference_spans(hit.chunk.text)
        for number, start, end in spans:
            under = {part[0]: part for at, part in heads if at < start}  # last of each kind
            named = any((kind, str(number)) in wanted for kind in kinds)
            if number not in rows and (named or wanted & set(under.values())):
                rows[number] = Scored(hit, start, end, score)
    return [rows[n] for n in sorted(rows)][:_MAX_LIST_ITEMS]


def _similar(a: str, b: str) -> bool:
    """Near-duplicates, unless their figures differ: that is a disagreement to show."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) > 0.8


def _quoted(text: str, lang: str) -> str:
    text = text.removeprefix("- ").strip()
    return f"«{text}»" if lang == "en" else text


def _closeness(hits: Sequence[Hit]) -> Callable[[Hit, int], float]:
    """How close the sentence at `start` of a hit is to the question in meaning: 1 for the
    closest of these hits' sentences, falling to 0 at _CLOSENESS_SPAN below it (e5's cosine
    scores crowd into a narrow band, so only differences at the top mean much); 0 when
    unknown."""
    values = [sim for h in hits for _, _, sim in h.sentences]
    best = max(values, default=0.0)

    def closeness(hit: Hit, start: int) -> float:
        for s, e, sim in hit.sentences:
            if s <= start < e:
                return max(0.0, 1 - (best - sim) / _CLOSENESS_SPAN)
        return 0.0

    return closeness


def _sources_phrase(citations: Sequence[Citation]) -> str:
    seen: dict[str, Chunk] = {}
    for c in citations:
        seen.setdefault(c.chunk.document_id, c.chunk)
    return "; ".join(f"{ch.document_title}" + (f", {ch.year}" if ch.year else "")
                     for ch in seen.values())


def ask(question: str, index: LoadedIndex, embedder: Embedder, history: Sequence[str] = (),
        filters: Filters | None = None, contacts: Sequence[Contact] = (), k: int = 8) -> Answer:
    """Retrieve for the question (resolved against earlier questions) and compose the answer."""
    if is_unsafe_request(question):
        return decline(question, detect_language(question), contacts)
    resolved = resolve_follow_up(question, history)
    query = mend_question(index, resolved)
    hits = hybrid_search(index, embedder, query, k, filters)
    answer = compose_answer(query, hits, index.keyword, contacts, asked=question)
    # Say what was searched for, as a search engine does; capitals put back are not news.
    if query.lower() != resolved.lower():
        lead = "Searched for" if answer.language == "en" else "Søkte etter"
        answer = replace(answer, note=f"{lead}: «{query}»")
    return answer
