"""Hits -> answer: the sentences from the sources that best answer the question, each cited.

Extractive by default (no model invents anything); refuses plainly when the sources do not
cover the question, and declines requests that would help someone exploit people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .chunking import sentence_spans
from .embeddings import Embedder
from .glossary import norwegian_terms
from .index import LoadedIndex
from .keyword import KeywordIndex, tokenize
from .language import detect_language
from .models import Answer, Chunk, Citation, Hit
from .retrieve import Filters, hybrid_search
from .safety import Contact, is_unsafe_request

# Share of the question's (rarity-weighted) terms the best passage must contain; below it we
# refuse. Calibrated on the development questions (benchmarks/answers.py prints the trade-off).
SUPPORT_THRESHOLD = 0.35
_MAX_WORDS = 120
_MAX_SENTENCES = 5
_MAX_LIST_ITEMS = 10
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


def question_terms(question: str, keyword: KeywordIndex) -> dict[str, float]:
    """Stemmed terms of the question with their rarity; English questions count by their
    Norwegian glossary terms, names and numbers."""
    if detect_language(question) == "en":
        text = " ".join([*norwegian_terms(question),
                         *re.findall(r"\b(?:[A-ZÆØÅ]{2,}[\w-]*|\d[\d.,]*)", question)])
    else:
        text = question
    # Words the corpus never uses ("tyder", typos) say nothing about whether it answers;
    # numbers and names always count (a year or a case the sources do not cover is a real gap).
    names = set(tokenize(" ".join(_names(question)), keyword.decompounder))
    return {t: keyword.idf(t) for t in tokenize(text, keyword.decompounder)
            if keyword.doc_freq.get(t) or t in names or any(ch.isdigit() for ch in t)}


# A capitalised word inside the question (not its first word): a name, such as "Lime-saken".
_NAME = re.compile(r"(?<=[\w,] )[A-ZÆØÅ][\wæøå]*(?:-[\wæøå]+)*")


def coverage(terms: dict[str, float], text: str, keyword: KeywordIndex) -> float:
    if not terms:
        return 0.0
    present = set(tokenize(text, keyword.decompounder))
    return sum(w for t, w in terms.items() if t in present) / sum(terms.values())


def support(question: str, hits: Sequence[Hit], keyword: KeywordIndex) -> float:
    """How well the best of the top passages covers what the question asks about."""
    terms = question_terms(question, keyword)
    return max((coverage(terms, h.chunk.text + " " + h.chunk.original_text, keyword)
                for h in hits[:5]), default=0.0)


# Questions that ask for something specific (a date, a duration, a penalty, when a law takes
# effect) are answered only by a passage where that thing stands next to the question's subject:
# the sources often name the subject ("Lime-saken", "NIM-loven") without the detail asked for.
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b\d{1,2}\.\s*(jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des)|\b("
    r"januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"våren|høsten)\b", re.I)
_NUMBER_WORDS = (r"en|ett|et|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tjue|hundre|"
                 r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred")
_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS}|ingen|none|no)\b", re.I)
_MONEY = re.compile(r"\d\s*(kr|kroner|mill|milliard|nok|euro|usd|dollar)|\b(kroner|NOK|mill\.|"
                    r"millioner|milliarder)\b", re.I)
_DURATION = re.compile(
    rf"\b(\d+|{_NUMBER_WORDS})\s*(år|måneder|mnd|uker|dager|ar|years?|months?|weeks?|days?)\b",
    re.I)


@dataclass(frozen=True)
class Ask:
    question: re.Pattern[str]
    shape: re.Pattern[str]  # what a sentence that answers must contain
    near: re.Pattern[str] | None = None  # and this, in the same sentence or the next


_ASKS = (
    Ask(re.compile(r"^\s*(når|nar|when)\b|\bfra når\b|\bwhat date\b", re.I), _DATE),
    Ask(re.compile(r"\bhvor (lang|lenge)\b|\bhow long\b", re.I), _DURATION),
    Ask(re.compile(r"\b(strafferamme\w*|maks\w* straff\w*|høyeste straff|maximum (prison )?"
                   r"(sentence|penalty|punishment)|max(imum)? penalty|hvor mange år|"
                   r"how many years)\b", re.I), _DURATION),
    Ask(re.compile(r"\b(hvor mange|how many|antall|number of)\b", re.I), _NUMBER),
    Ask(re.compile(r"\b(hvor mye (penger|koster|kostet)|hva koster|how much (money|does|did|is)|"
                   r"what does .* cost|budsjett\w*|bevilg\w*|funding)\b", re.I), _MONEY),
    Ask(re.compile(r"\bi kraft\b|\bikrafttred\w*|\b(enters?|entered|comes?|came) into force\b|"
                   r"\btakes? effect\b", re.I), _DATE, re.compile(r"kraft|gjelde fra", re.I)),
)
# Share of the question's weighted terms the answering sentences must hold: a sentence with a
# date but about something else does not answer "when". A question in two parts ("which
# conditions ..., and how long does it last?") shares its terms between them.
_ASK_COVERAGE = 0.5
_ASK_COVERAGE_TWO_PARTS = 0.3
_RARE_NAME = 0.05  # share of passages
_SECOND_PART = re.compile(r"(,|\bog|\band)\s+(hva|hvor|hvem|hvilke|hvilken|hvordan|når|er|har|"
                          r"finnes|gjelder|what|how|when|who|which|where|did|does|is|are|was)\b",
                          re.I)


def answer_type_found(question: str, hits: Sequence[Hit], keyword: KeywordIndex) -> bool:
    """For questions that ask for something specific (see _ASKS): some top sentence, with the
    one after it, is about the question's subject and holds what was asked for. Its passage
    names what the question names, and the sentences give the question's numbers (a year, a
    section). Other questions pass."""
    asks = [a for a in _ASKS if a.question.search(question)]
    if not asks:
        return True
    terms = question_terms(question, keyword)
    needed = _ASK_COVERAGE_TWO_PARTS if _SECOND_PART.search(question) else _ASK_COVERAGE
    numbers = set(re.findall(r"\d+", question))
    # A name most passages carry ("KOM") does not say what a question is about; a rare one
    # ("Sverige", "Lime-saken") does.
    names = {t for t in tokenize(" ".join(_names(question)), keyword.decompounder)
             if keyword.doc_freq.get(t, 0) <= _RARE_NAME * keyword.size}
    for hit in hits[:5]:
        text = hit.chunk.text
        chunk = hit.chunk  # a newsletter's year is in its title, not in every sentence
        whole = f"{chunk.document_title} {chunk.year} {chunk.section} {text} {chunk.original_text}"
        if not (names <= set(tokenize(whole, keyword.decompounder))
                and numbers <= set(re.findall(r"\d+", whole))):
            continue
        spans = sentence_spans(text)
        for i, (start, _) in enumerate(spans):
            window = text[start : spans[min(i + 1, len(spans) - 1)][1]]
            if (coverage(terms, window, keyword) >= needed
                    and all(a.shape.search(window) and (a.near is None or a.near.search(window))
                            for a in asks)):
                return True
    return False


def _names(question: str) -> list[str]:
    """Names in the question: capitalised words inside a Norwegian question ("Lime-saken",
    "Sverige"); in an English one only acronyms, the rest being English words."""
    if detect_language(question) == "en":
        return re.findall(r"\b[A-ZÆØÅ]{2,}\b", question)
    return _NAME.findall(question)


def select_sentences(question: str, hits: Sequence[Hit], keyword: KeywordIndex) -> list[Scored]:
    terms = question_terms(question, keyword)
    asks = [a for a in _ASKS if a.question.search(question)]
    candidates: list[Scored] = []
    for hit in hits[:6]:
        prior = 0.25 / hit.rank
        for start, end in sentence_spans(hit.chunk.text):
            sentence = hit.chunk.text[start:end]
            if len(re.findall(r"[^\W\d_]{3,}", sentence)) < 4 or sentence[:1].islower():
                continue  # fragments and table rows read badly out of context
            score = coverage(terms, sentence, keyword) + prior
            if _NUMERIC_QUESTION.search(question) and re.search(r"\d", sentence):
                score += 0.1
            if asks and all(a.shape.search(sentence) and (a.near is None or a.near.search(
                    sentence)) for a in asks):
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
    if _LIST_QUESTION.search(question) and chosen:
        chosen = _with_list_items(chosen)
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
    return Answer(asked, f"{lead}\n\n{body}", citations, False, tuple(hits), lang)


def refuse(question: str, hits: Sequence[Hit], lang: str, contacts: Sequence[Contact]) -> Answer:
    topics = list(dict.fromkeys(f"{h.chunk.section or h.chunk.document_title} "
                                f"({h.chunk.document_title})" for h in hits[:3]))
    help_lines = "\n".join(f"- {c.line(lang)}" for c in contacts)
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


def _similar(a: str, b: str) -> bool:
    """Near-duplicates, unless their figures differ: that is a disagreement to show."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) > 0.8


def _quoted(text: str, lang: str) -> str:
    text = text.removeprefix("- ").strip()
    return f"«{text}»" if lang == "en" else text


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
    query = resolve_follow_up(question, history)
    hits = hybrid_search(index, embedder, query, k, filters)
    return compose_answer(query, hits, index.keyword, contacts, asked=question)
