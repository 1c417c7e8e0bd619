"""Do the retrieved passages answer the question? The features behind an honest refusal.

answerable_features measures what tells an answer from a near miss (how much of the question
the best passage covers, whether a date, number or penalty it asks for is there next to its
subject, whether its names, numbers and countries are in the passages, how likely the best
sentences hold evidence), and the learned model of model.py (answer_model.json, trained by
`kom-assistant train-answers`, its threshold chosen on validation questions) decides from them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from wordfreq import top_n_list

from ..ingest.language import detect_language
from ..ingest.sentences import sentence_spans
from ..models import Hit
from ..search.glossary import glossary, norwegian_terms
from ..search.keyword import KeywordIndex, tokenize
from ..search.vocabulary import norwegian_words
from .model import AnswerModels
from .number_words import count_words

# A capitalised word inside the question (not its first word): a name, such as "Lime-saken".
_NAME = re.compile(r"(?<=[\w,] )[A-ZÆØÅ][\wæøå]*(?:-[\wæøå]+)*")
# A situation told before the question ("Hei, jeg jobber på et mottak.") counts this much.
_SITUATION_WEIGHT = 0.5
_EVERYDAY = 300  # the commonest Norwegian words: small talk, whatever the corpus holds


def question_terms(question: str, keyword: KeywordIndex) -> dict[str, float]:
    """Stemmed terms of the question with their rarity; English questions count by their
    Norwegian glossary terms, the Norwegian words they carry, names and numbers. In a message
    that tells a situation before it asks ("Hei, jeg jobber på et mottak. ... Hva gjør vi?"),
    the situation's terms count half: no passage is about the writer's workplace."""
    if detect_language(question) == "en":
        text = " ".join([*norwegian_terms(question), *norwegian_words(question),
                         *re.findall(r"\b(?:[A-ZÆØÅ]{2,}[\w-]*|\d[\d.,]*)", question)])
    else:
        text = question
    # Not sentences.split_sentences: a chat message starts sentences in lower case too.
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    asked = [s for s in sentences if s.endswith("?")]
    situation = [s for s in sentences if not s.endswith("?")] if asked else []
    # Words the corpus never uses ("tyder", typos) say nothing about whether it answers;
    # numbers and names always count (a year or a case the sources do not cover is a real gap).
    # Everyday words ("veldig", "egentlig", "sitter") say nothing either, corpus or not.
    names = set(tokenize(" ".join(_names(question)), keyword.decompounder))
    everyday = _everyday_terms()
    terms: dict[str, float] = {}
    for part, weight in ((" ".join(situation), _SITUATION_WEIGHT),
                         (" ".join(asked) if asked else text, 1.0)):
        for t in tokenize(part, keyword.decompounder):
            sure = t in names or any(ch.isdigit() for ch in t)
            if sure or (keyword.doc_freq.get(t) and t not in everyday):
                terms[t] = weight * keyword.idf(t)
    return terms



# Words that say what kind of answer is wanted, not what it is about: "Hvilke tegn kan tyde på
# at et barn er utnyttet?" is answered by a passage on how children are exploited, which need
# not say "tegn". Rare in the sources, they would otherwise weigh most.
_FRAME = "tegn tyde tyder"


@cache
def _everyday_terms() -> frozenset[str]:
    return frozenset(tokenize(" ".join([*top_n_list("nb", _EVERYDAY), _FRAME])))


def coverage(terms: dict[str, float], text: str, keyword: KeywordIndex) -> float:
    if not terms:
        return 0.0
    present = set(tokenize(text, keyword.decompounder))
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in present) / total if total else 0.0


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
_NUMBER_WORDS = count_words()
# "en" and "et" are also the articles, so only the other number words count alone.
_NUMBER = re.compile(rf"\d|\b(?!(?:en|et)\b)({_NUMBER_WORDS}|ingen|none)\b", re.I)
_MONEY = re.compile(r"\d\s*(kr|kroner|mill|milliard|nok|euro|usd|dollar)|\b(kroner|NOK|mill\.|"
                    r"millioner|milliarder)\b", re.I)
_DURATION = re.compile(
    rf"\b(\d+|{_NUMBER_WORDS})\s*(år|måneder|mnd|uker|dager|ar|years?|months?|weeks?|days?)\b",
    re.I)

# Eight digits (22 33 11 60, 994 70 279), or an emergency number (112, 116 006).
_PHONE = re.compile(r"\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b|\b\d{3} ?\d{2} ?\d{3}\b|\b11[0-3]\b|"
                    r"\b116 ?\d{3}\b")
_ADDRESS = re.compile(r"\b[\wæøå]+(gata|gaten|gate|veien|vei|vegen|plass|torg)\s+\d+|"
                      r"\b\d{4}\s+[A-ZÆØÅ]|skjermet adresse")
_HOURS = re.compile(r"\bkl\.?\s*\d|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[-–]\s*\d{1,2}\b|"
                    r"døgnåpen|hele døgnet|24/7|around the clock|"
                    r"\b(mandag|tirsdag|onsdag|torsdag|fredag)", re.I)


@dataclass(frozen=True)
class Ask:
    question: re.Pattern[str]
    shape: re.Pattern[str]  # what a sentence that answers must contain
    near: re.Pattern[str] | None = None  # and this, in the same sentence or the next

    def found(self, text: str) -> bool:
        return bool(self.shape.search(text)) and (self.near is None or bool(self.near.search(text)))


_ASKS = (
    Ask(re.compile(r"^\s*(når|nar|when)\b|\bfra når\b|\bwhat date\b", re.I), _DATE),
    Ask(re.compile(r"\bhvor (lang|lenge)\b|\bhow long\b", re.I), _DURATION),
    Ask(re.compile(r"\b(strafferamme\w*|maks\w* straff\w*|høyeste straff|maximum (prison )?"
                   r"(sentence|penalty|punishment)|max(imum)? penalty|hvor mange år|"
                   r"how many years|hvilken straff|hva slags straff|hvor lang \w*straff|"
                   r"what (sentence|penalty|punishment)|dømt til|sentenced to)\b", re.I),
        _DURATION),
    Ask(re.compile(r"\b(hvor mange|how many|antall|number of|hvor (stor|store|høy|høyt|mye)|"
                   r"how (big|large|high|much))\b", re.I), _NUMBER),
    Ask(re.compile(r"\b(hvor mye (penger|koster|kostet|erstatning|støtte|tilskudd)|hva koster|"
                   r"how much (money|does|did|is|compensation|support|funding)|"
                   r"what does .* cost|budsjett\w*|bevilg\w*|funding)\b", re.I), _MONEY),
    # Contact details: the number, address, e-mail or opening hours themselves.
    Ask(re.compile(r"\b(telefonnummer\w*|nummeret|phone number|what number|number to call|"
                   r"(help|hot)line number|number (of|for) the \w*\s?(help|hot)line)\b", re.I),
        _PHONE),
    Ask(re.compile(r"\b(e-?post\w*|e-?mail)\b", re.I), re.compile(r"@")),
    Ask(re.compile(r"\b(adressen?|address)\b", re.I), _ADDRESS),
    Ask(re.compile(r"\b(åpningstid\w*|opening hours|når har \w+ åpent|when is \w+ open)\b", re.I),
        _HOURS),
    Ask(re.compile(r"\bi kraft\b|\bikrafttred\w*|\b(enters?|entered|comes?|came) into force\b|"
                   r"\btakes? effect\b", re.I), _DATE, re.compile(r"kraft|gjelde fra", re.I)),
)
# Share of the question's weighted terms the answering sentences must hold: a sentence with a
# date but about something else does not answer "when". A question in two parts ("which
# conditions ..., and how long does it last?", or "...? how many languages?") shares its
# terms between them.
_ASK_COVERAGE = 0.5
_ASK_COVERAGE_TWO_PARTS = 0.3
_RARE_NAME = 0.05  # share of passages
_SECOND_PART = re.compile(r"(,|\?|\bog|\band)\s+(hva|hvor|hvem|hvilke|hvilken|hvordan|når|er|har|"
                          r"finnes|gjelder|what|how|when|who|which|where|did|does|is|are|was)\b",
                          re.I)


def asks_in(question: str) -> list[Ask]:
    return [a for a in _ASKS if a.question.search(question)]


def answer_type_found(question: str, hits: Sequence[Hit], keyword: KeywordIndex) -> bool:
    """For questions that ask for something specific (see _ASKS): some top sentence, with the
    one after it, is about the question's subject and holds what was asked for, in a passage
    that has the question's rare names and its numbers (a year, a section). Other questions
    pass."""
    asks = asks_in(question)
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
        chunk, text = hit.chunk, hit.chunk.text
        # A newsletter's year is in its title, not in every passage. The title's year, not the
        # year of publication: the status report published in 2024 covers 2023.
        whole = f"{chunk.document_title} {chunk.section} {text} {chunk.original_text}"
        if not (names <= set(tokenize(whole, keyword.decompounder))
                and numbers <= set(re.findall(r"\d+", whole))):
            continue
        spans = sentence_spans(text)
        for i, (start, _) in enumerate(spans):
            window = text[start : spans[min(i + 1, len(spans) - 1)][1]]
            if coverage(terms, window, keyword) >= needed and all(a.found(window) for a in asks):
                return True
    return False


def _names(question: str) -> list[str]:
    """Names in the question: capitalised words inside a Norwegian question ("Lime-saken",
    "Sverige"); in an English one acronyms and countries (by their Norwegian names), the rest
    being English words."""
    if detect_language(question) == "en":
        known = glossary().countries
        countries = [known[m.lower()] for m in re.findall(r"\b[A-Z][a-z]+\b", question)
                     if m.lower() in known]
        return [*re.findall(r"\b[A-ZÆØÅ]{2,}\b", question), *countries]
    return _NAME.findall(question)


def is_answerable(features: Sequence[float], vector: Sequence[float] | None,
                  models: AnswerModels) -> bool:
    """The learned decision: with the question's embedding (`vector`, by the encoder the
    models read) when given, else from the features alone."""
    if models.answerable_embedded is not None and vector is not None:
        return (models.answerable_embedded.probability((*features, *vector))
                >= models.embedded_threshold)
    return models.answerable.probability(features) >= models.threshold


ANSWERABLE_FEATURES = (
    "support", "answer_type_found", "asks_specific", "best_sentence", "second_sentence",
    "best_similarity", "similarity_gap", "names_found", "numbers_found", "unknown_words",
    "countries_missing", "english", "log_terms", "names_in_first", "numbers_in_first")


def answerable_features(question: str, hits: Sequence[Hit], keyword: KeywordIndex,
                        sentence_scores: Sequence[float]) -> tuple[float, ...]:
    """What tells whether the hits answer the question (ANSWERABLE_FEATURES): how much of it
    the best passage covers, whether what it asks for (a date, a number) is there, how likely
    the best sentences hold evidence (`sentence_scores`, best first, from select.candidates),
    how close in meaning the best sentence is and how far it stands out, whether the names,
    numbers and countries it names are in the passages, and how many of its words are real
    words the sources never use ("hest", "promillekjøring")."""
    top = hits[:5]
    terms = question_terms(question, keyword)
    whole = " ".join(f"{h.chunk.document_title} {h.chunk.section} {h.chunk.text} "
                     f"{h.chunk.original_text}" for h in top)
    present = set(tokenize(whole, keyword.decompounder))
    names = set(tokenize(" ".join(_names(question)), keyword.decompounder))
    numbers = set(re.findall(r"\d+", question))
    sims = sorted((sim for h in top for _, _, sim in h.sentences), reverse=True)
    english = detect_language(question) == "en"
    countries = _countries(question, english)
    first = (f"{top[0].chunk.document_title} {top[0].chunk.section} {top[0].chunk.text} "
             f"{top[0].chunk.original_text}") if top else ""
    return (
        support(question, hits, keyword),
        float(answer_type_found(question, hits, keyword)),
        float(bool(asks_in(question))),
        sentence_scores[0] if sentence_scores else 0.0,
        sentence_scores[1] if len(sentence_scores) > 1 else 0.0,
        sims[0] if sims else 0.0,
        sims[0] - sims[min(4, len(sims) - 1)] if sims else 0.0,
        len(names & present) / len(names) if names else 1.0,
        len(numbers & set(re.findall(r"\d+", whole))) / len(numbers) if numbers else 1.0,
        0.0 if english else _unknown_share(question, keyword),
        float(any(c.lower() not in whole.lower() for c in countries)),
        float(english),
        math.log(1 + len(terms)),
        # In the first hit itself, not only somewhere in the top five: a year or a name the
        # best passage lacks is the commonest sign of a near miss.
        _share(names, set(tokenize(first, keyword.decompounder))),
        _share(numbers, set(re.findall(r"\d+", first))),
    )


def _share(wanted: set[str], found: set[str]) -> float:
    return len(wanted & found) / len(wanted) if wanted else 1.0


def _countries(question: str, english: bool) -> list[str]:
    """Countries a question names, by their Norwegian names."""
    known = glossary().countries
    if english:
        return [known[m.lower()] for m in re.findall(r"\b[A-Z][a-z]+\b", question)
                if m.lower() in known]
    norwegian = {v.lower() for v in known.values()} - {"norge"}
    return [w for w in re.findall(r"\b[A-ZÆØÅ][a-zæøå]+\b", question) if w.lower() in norwegian]


def _unknown_share(question: str, keyword: KeywordIndex) -> float:
    """The share of a Norwegian question's content words that are real words (in the word
    list) but never used by the sources: a question about "promillekjøring" or "hest" is about
    something else, however many of its other words the sources share."""
    from ..ingest.wordlist import norwegian_words

    words = [w for w in re.findall(r"[^\W\d_]{4,}", question.lower())
             if not set(tokenize(w)) <= _everyday_terms()]
    if not words:
        return 0.0
    lexicon = norwegian_words()
    unknown = [w for w in words if w in lexicon
               and not any(keyword.doc_freq.get(t) for t in tokenize(w, keyword.decompounder))]
    return len(unknown) / len(words)
