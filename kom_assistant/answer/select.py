"""Which sentences of the hits answer the question: candidates, their features, a learned score.

Every sentence of the top hits that reads as a sentence (clean_sentence) is a candidate. Its
features are what the pipeline knows about it (the question's terms it holds, its closeness in
meaning to the question, its hit's rank, whether it enumerates for a list question, ...), and a
logistic model learned from labelled questions (answer_model.json, `kom-assistant
train-answers`) turns them into the probability that it holds the evidence. The first line is
the likeliest; a few more follow only when they are likely too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..ingest.language import detect_language
from ..ingest.sentences import sentence_spans
from ..models import Hit
from ..search.keyword import KeywordIndex, tokenize
from ..search.references import references
from .answerability import asks_in, coverage, question_terms
from .model import LinearModel, answer_models

CANDIDATE_HITS = 6
LIST_QUESTION = re.compile(
    r"^\s*(hvilke|hva (er|var) (de|tegn)|list|which|what are|name the)\b|\b(tiltak|tegn|"
    r"rettigheter|indikatorer|measures|signs|rights|indicators)\b", re.IGNORECASE)
NUMERIC_QUESTION = re.compile(r"\b(hvor mange|antall|how many|number of|hvor mye|how much)\b",
                              re.IGNORECASE)
# e5's cosine scores crowd into a narrow band: only differences at the top mean much.
_CLOSENESS_SPAN = 0.05
FEATURES = ("coverage", "closeness", "similarity", "prior", "about", "numeric_digit",
            "list_enumeration", "asks_found", "first_in_chunk", "log_words", "english",
            "list_item", "coverage_x_closeness", "question_numbers", "pair")
_PAIR, _ABOUT = FEATURES.index("pair"), FEATURES.index("about")
# Each feature again, as its distance below the best candidate's for this question: what makes a
# sentence the answer is how it compares with the others (0.70 against 0.65 first lines on the
# validation questions).
RANKED_FEATURES = (*FEATURES, *(f"{f}_below_best" for f in FEATURES))


@dataclass(frozen=True)
class Scored:
    hit: Hit
    start: int
    end: int
    score: float  # the model's probability that the sentence holds the evidence
    features: tuple[float, ...] = ()

    @property
    def text(self) -> str:
        # One line: a sentence the page wrapped reads as one.
        return " ".join(self.hit.chunk.text[self.start : self.end].split())

    @property
    def is_about(self) -> bool:
        """In the section about the numbered part the question names."""
        return bool(self.features) and bool(self.features[_ABOUT])

    @property
    def is_pair(self) -> bool:
        """Two consecutive sentences read as one."""
        return bool(self.features) and bool(self.features[_PAIR])


# Finite verbs a Norwegian clause almost always carries one of, or a verb ending; English too,
# for the rare English sentence the sources quote.
_VERBS = frozenset(
    "er var har hadde kan kunne skal skulle vil ville må måtte ma matte bør burde bor blir ble "
    "får fikk far gir ga gjør gjorde gjor går gikk gar kommer kom tar tok ser så sa sier finnes "
    "fantes gjelder gjaldt omfatter innebærer handler består ligger står sto mener utgjør "
    "inneholder trenger bidrar jobber arbeider lever tilbyr mottar hjelper viser viste "
    "is are was were has have had can will shall must may should does did".split())
_VERB_ENDING = re.compile(r"^[^\W\d_]{4,}(er|te|de|et|es|ert|ene|ar|ast)$")
_LETTER = re.compile(r"[^\W\d_]")


def clean_sentence(text: str) -> bool:
    """A sentence that says something: several words, mostly letters, a verb, not debris of
    single letters, not starting mid-sentence; headings, captions, link texts and OCR debris
    are not answer lines."""
    body = text.removeprefix("- ").strip()
    words = body.split()
    if len(words) < 5 or len(re.findall(r"[^\W\d_]{3,}", body)) < 4:
        return False
    if body[:1].islower() or len(_LETTER.findall(body)) < 0.75 * len(body.replace(" ", "")):
        return False
    lowered = [w.strip(".,;:()«»\"'!?").lower() for w in words]
    if not any(w in _VERBS or _VERB_ENDING.match(w) for w in lowered):
        return False
    return sum(len(w) == 1 and w.isalpha() and w not in "iåaog" for w in lowered) < 2


def _closeness(hits: Sequence[Hit]) -> Callable[[Hit, int], tuple[float, float]]:
    """(closeness, similarity) of the sentence at `start` of a hit to the question: closeness is
    1 for the closest of these hits' sentences, falling to 0 at _CLOSENESS_SPAN below it."""
    values = [sim for h in hits for _, _, sim in h.sentences]
    best = max(values, default=0.0)

    def closeness(hit: Hit, start: int) -> tuple[float, float]:
        for s, e, sim in hit.sentences:
            if s <= start < e:
                return max(0.0, 1 - (best - sim) / _CLOSENESS_SPAN), sim
        return 0.0, 0.0

    return closeness


def candidates(question: str, hits: Sequence[Hit], keyword: KeywordIndex,
               model: LinearModel | None = None) -> list[Scored]:
    """Every clean sentence of the top hits, scored; best first."""
    model = model or answer_models().sentence
    terms = question_terms(question, keyword)
    asks = asks_in(question)
    closeness = _closeness(hits[:CANDIDATE_HITS])
    wanted = references(question)
    wants_list = bool(LIST_QUESTION.search(question))
    numeric = bool(NUMERIC_QUESTION.search(question))
    english = float(detect_language(question) == "en")
    numbers = set(re.findall(r"\d+", question))
    best_sim = max((sim for h in hits[:CANDIDATE_HITS] for _, _, sim in h.sentences),
                   default=0.0)
    out = []
    seen: set[str] = set()
    for hit in hits[:CANDIDATE_HITS]:
        # A passage under the part the question names ("tiltak 12", "§ 257") is about it in
        # every sentence, and answers it better than a passing "jf. tiltak 12" elsewhere.
        about = hit.chunk.section if wanted & hit.parts else ""
        first = sentence_spans(hit.chunk.text)[:1]
        # Each sentence, and each two consecutive ones read as one: an answer often takes a
        # statement and the detail after it.
        spans: list[tuple[int, int, float | None]] = [
            (start, end, None) for start, end in sentence_spans(hit.chunk.text)]
        spans += [(start, end, sim) for start, end, sim in hit.pairs]
        for start, end, pair_sim in spans:
            sentence = hit.chunk.text[start:end]
            # Chunks overlap: a sentence in two hits is one candidate, from the better hit. Two
            # sentences across a paragraph break or a heading are not one statement.
            if (not clean_sentence(sentence) or sentence.strip() in seen
                    or (pair_sim is not None and "\n\n" in sentence.strip())):
                continue
            seen.add(sentence.strip())
            cover = coverage(terms, f"{about} {sentence}", keyword)
            if pair_sim is None:
                close, sim = closeness(hit, start)
            else:
                sim = pair_sim
                close = min(1.0, max(0.0, 1 - (best_sim - sim) / _CLOSENESS_SPAN))
            features = (
                cover, close, sim, 1.0 / hit.rank, float(bool(about)),
                float(numeric and bool(re.search(r"\d", sentence))),
                float(wants_list and sentence.count(",") >= 3),
                float(bool(asks) and all(a.found(sentence) for a in asks)),
                float(bool(first) and start == first[0][0]), math.log(len(sentence.split())),
                english, float(sentence.lstrip().startswith("- ")), cover * close,
                float(bool(numbers) and numbers <= set(re.findall(r"\d+", sentence))),
                float(pair_sim is not None))
            out.append(Scored(hit, start, end, 0.0, features))
    if out:
        raw = np.array([c.features for c in out])
        ranked = np.hstack([raw, raw - raw.max(axis=0)])
        out = [replace(c, features=tuple(map(float, row)), score=model.probability(row))
               for c, row in zip(out, ranked, strict=True)]
    out.sort(key=lambda s: -s.score)
    return out


def same_fact(a: str, b: str, keyword: KeywordIndex) -> bool:
    """Two sentences that state the same thing: most of the shorter one's stemmed, folded words
    in the other (the status report's and the OCR-damaged strategy's wording of one fact meet),
    and its figures among the other's."""
    ta = set(tokenize(a, keyword.decompounder))
    tb = set(tokenize(b, keyword.decompounder))
    (short, na), (_, nb) = sorted(((ta, _figures(a)), (tb, _figures(b))), key=lambda x: len(x[0]))
    return na <= nb and len(ta & tb) / max(1, len(short)) >= 0.7


def disagree(a: str, b: str, keyword: KeywordIndex) -> bool:
    """The same statement with other figures ("54 fellende dommer" in one report, "56" in a
    later one): a disagreement to show side by side, not a repeat."""
    ta = {t for t in tokenize(a, keyword.decompounder) if not t.isdigit()}
    tb = {t for t in tokenize(b, keyword.decompounder) if not t.isdigit()}
    return (_figures(a) != _figures(b) and bool(_figures(a)) and bool(_figures(b))
            and len(ta & tb) / max(1, min(len(ta), len(tb))) >= 0.6)


def _figures(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))
