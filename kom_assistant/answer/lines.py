"""Scored sentences -> the answer's lines: the likeliest first, then a few that support it,
each fact once (a sentence stating what a chosen one states joins its line as another source),
a list question's list, a numbered table's rows for the parts a question names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..ingest.sentences import sentence_spans
from ..models import Hit
from ..search.keyword import KeywordIndex
from ..search.references import numbered_row_spans, reference_spans, references
from .model import AnswerModels, answer_models
from .select import LIST_QUESTION, NUMERIC_QUESTION, Scored, candidates, disagree, same_fact

SUPPORTING = 2  # lines after the first, unless the question asks for a list
_LIST_LINES = 5
_MAX_LIST_ITEMS = 10
# A supporting line must be at least this likely, relative to the first.
_RELATIVE = 0.5


@dataclass
class Line:
    """One statement of the answer, with every passage that states it."""

    first: Scored
    more: list[Scored] = field(default_factory=list)

    @property
    def sources(self) -> list[Scored]:
        return [self.first, *self.more]


def select_sentences(question: str, hits: Sequence[Hit], keyword: KeywordIndex,
                     models: AnswerModels | None = None) -> list[Scored]:
    """The sentences that make the answer, the one that answers first."""
    models = models or answer_models()
    scored = candidates(question, hits, keyword, models.sentence)
    return [line.first for line in choose_lines(question, scored, hits, keyword, models=models)]


def choose_lines(question: str, scored: Sequence[Scored], hits: Sequence[Hit],
                 keyword: KeywordIndex, support_line: float | None = None,
                 models: AnswerModels | None = None) -> list[Line]:
    """The likeliest sentence (or two read as one) first; then, while they are at least
    `support_line` likely, a few more single sentences (more for a list question), each fact
    once: a sentence stating what a chosen one states joins its line as another source."""
    wants_list = bool(LIST_QUESTION.search(question))
    limit = 1 + (_LIST_LINES if wants_list else SUPPORTING)
    models = models or answer_models()
    support_line = models.support_line if support_line is None else support_line
    # A question naming a part ("tiltak 12", "§ 257") is answered from the section about it,
    # before passing mentions ("jf. tiltak 12") elsewhere: a rule, since too few training
    # questions name a part for the model to learn it.
    scored = sorted(scored, key=lambda c: not c.is_about)
    floor = max(support_line, _RELATIVE * scored[0].score) if scored else 1.0
    lines = [Line(scored[0])] if scored else []
    numeric = bool(NUMERIC_QUESTION.search(question))
    for cand in scored[1:]:
        if cand.score < floor:
            # Below the floor only another document's figure for the same statement: where
            # reports disagree, both are shown, each with its document and date.
            if (numeric and len(lines) < limit and lines and not cand.is_pair
                    and cand.hit.chunk.document_id not in {ln.first.hit.chunk.document_id
                                                           for ln in lines}
                    and disagree(cand.text, lines[0].first.text, keyword)):
                lines.append(Line(cand))
            continue
        if cand.is_pair:
            continue  # two sentences read as one only lead: a supporting point is one
        if any(_overlap(cand, s) for ln in lines for s in ln.sources):
            continue  # a sentence already said, alone or in a pair
        same = next((ln for ln in lines if same_fact(cand.text, ln.first.text, keyword)), None)
        if same is not None:
            if all(s.hit.chunk.id != cand.hit.chunk.id for s in same.sources):
                same.more.append(cand)
        elif len(lines) < limit:
            lines.append(Line(cand))
    if wants_list and lines:
        lines = _with_list_items(lines)
    rows = _table_rows(references(question), hits[:6], scored[0].score if scored else 1.0)
    if rows:
        # The rows are the answer; one more line at most, from elsewhere.
        lines = [Line(r) for r in rows] + [ln for ln in lines if not any(
            _overlap(r, ln.first) for r in rows)][:1]
    return lines


def _overlap(a: Scored, b: Scored) -> bool:
    return a.hit.chunk.id == b.hit.chunk.id and a.start < b.end and b.start < a.end


def _with_list_items(lines: list[Line]) -> list[Line]:
    """A first sentence that introduces a list in its passage brings the list along."""
    best = lines[0].first
    text = best.hit.chunk.text
    items = [(s, e) for s, e in sentence_spans(text)
             if s >= best.end and text[s:e].lstrip().startswith("- ")]
    out = list(lines)
    for s, e in items[:_MAX_LIST_ITEMS]:
        if not any(ln.first.hit.chunk.id == best.hit.chunk.id and ln.first.start == s
                   for ln in out):
            out.append(Line(Scored(best.hit, s, e, best.score)))
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
