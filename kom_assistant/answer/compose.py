"""Hits -> answer: the sentence from the sources that answers the question first, cited, then at
most a few that support it; or a plain refusal with who to contact.

Extractive (no model invents anything). Which sentences, and whether the sources answer at all,
are learned from labelled questions (select.py, answerability.py, answer_model.json). A message
that tells of someone in a situation with signs of trafficking and asks what to do gets the
contact points for a child or an adult, never a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..ingest.language import detect_language
from ..models import Answer, Citation, Hit
from ..search.embeddings import Embedder
from ..search.glossary import glossary
from ..search.index import LoadedIndex
from ..search.keyword import KeywordIndex
from ..search.retrieve import Filters, hybrid_search, mend_question
from .answerability import answerable_features, is_answerable
from .contacts import (
    Contact,
    asks_for_contact,
    case_audience,
    contacts_for,
    is_unsafe_request,
)
from .followup import resolve_follow_up
from .frontline import is_frontline
from .lines import SUPPORTING, Line, choose_lines
from .model import AnswerModels, answer_models, encoder_reader
from .select import NUMERIC_QUESTION, Scored, candidates

__all__ = ["ask", "compose_answer", "resolve_follow_up"]


def compose_answer(question: str, hits: Sequence[Hit], keyword: KeywordIndex,
                   contacts: Sequence[Contact] = (), asked: str | None = None,
                   models: AnswerModels | None = None,
                   embed: Callable[[str], Sequence[float]] | None = None,
                   joined: bool = False) -> Answer:
    """The extractive answer to `question` (`asked` is what the user typed, when a follow-up
    was resolved against the conversation); `models` are the learned ones unless given;
    `embed`: a text's embedding by the query encoder the learned models read, if any;
    `joined`: `question` is a follow-up joined to earlier turns, not a question as the
    embedded answerability model learned them (it then decides from the features alone)."""
    asked = asked or question
    lang = detect_language(asked)
    if is_unsafe_request(asked):
        return decline(asked, lang, contacts)
    models = models or answer_models()
    scored = candidates(question, hits, keyword, models.sentence) if hits else []
    features = answerable_features(question, hits, keyword, [s.score for s in scored])
    vector = embed(question) if embed and not joined else None
    answerable = bool(scored) and is_answerable(features, vector, models)
    if is_frontline(asked, lang, embed(asked) if embed else None, models):
        return _action_answer(asked, question, hits, keyword, scored if answerable else [],
                              lang, contacts, models)
    if not answerable:
        return refuse(asked, hits, lang, contacts)
    lines = choose_lines(question, scored, hits, keyword, models=models)
    reach = _contact_block(asked, lang, contacts) if asks_for_contact(asked) and contacts else ""
    return _answer(asked, question, lines, hits, lang, reach)


def _answer(asked: str, question: str, lines: list[Line], hits: Sequence[Hit], lang: str,
            reach: str) -> Answer:
    # Figures differ between reports (a status report, a later newsletter): show each figure
    # with its document and year, newest first, instead of picking one.
    name_each = bool(NUMERIC_QUESTION.search(question)) and len(
        {ln.first.hit.chunk.document_id for ln in lines}) > 1
    if name_each:
        lines.sort(key=lambda ln: ln.first.hit.chunk.published
                   or str(ln.first.hit.chunk.year or ""), reverse=True)
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    body: list[str] = []
    for i, line in enumerate(lines):
        marks = []
        for source in line.sources:
            chunk = source.hit.chunk
            n = numbers.setdefault(chunk.id, len(numbers) + 1)
            quotes.setdefault(chunk.id, []).append(source.text)
            marks.append(n)
        chunk = line.first.hit.chunk
        named = f"{chunk.document_title} ({chunk.year}): " if name_each else ""
        cited = f"{named}{_quoted(line.first.text, lang)} [{', '.join(map(str, marks))}]"
        body.append(cited if i == 0 and not name_each else f"- {cited}")
    by_id = {s.hit.chunk.id: s.hit.chunk for ln in lines for s in ln.sources}
    citations = tuple(Citation(n, by_id[cid], " … ".join(quotes[cid]))
                      for cid, n in numbers.items())
    parts = [_english_frame(question)] if lang == "en" else []
    parts += [body[0], "\n".join(body[1:]), reach]
    text = "\n\n".join(p for p in parts if p)
    statements = tuple(ln.first.text.removeprefix("- ").strip() for ln in lines)
    return Answer(asked, text, citations, False, tuple(hits), lang, contacts_text=reach,
                  lines=statements)


def _english_frame(question: str) -> str:
    """One English line before the Norwegian quotes: what they are about, in the question's own
    terms with the sources' word for them ("the reflection period (refleksjonsperiode)")."""
    g = glossary()
    about = list(dict.fromkeys(
        f"{m.group(0).lower()} ({g.english[m.group(1).lower()].split()[0]})"
        for m in g.english_pattern.finditer(question)))[:2]
    on = f" on {' and '.join(about)}" if about else ""
    return f"From the Norwegian sources{on}, quoted in Norwegian, not translated:"


def _action_answer(asked: str, question: str, hits: Sequence[Hit], keyword: KeywordIndex,
                   scored: Sequence[Scored], lang: str, contacts: Sequence[Contact],
                   models: AnswerModels) -> Answer:
    """Steps for a frontline case: who to contact, a child's services first for a child, an
    adult's for an adult (each contact names the page it stands on), after what the sources
    say about such a situation when they say it."""
    audience = case_audience(asked, lang)
    if asks_for_contact(asked):
        steps = _contact_block(asked, lang, contacts, audience) if contacts else ""
    else:
        head = "What you can do:" if lang == "en" else "Dette kan du gjøre:"
        steps = f"{head}\n{_help_lines(asked, lang, contacts, audience)}" if contacts else ""
    lines = choose_lines(question, scored, hits, keyword, models=models)[: 1 + SUPPORTING]
    if not lines:
        return Answer(asked, steps, (), False, tuple(hits), lang, contacts_text=steps)
    return _answer(asked, question, lines, hits, lang, steps)


def _contact_block(question: str, lang: str, contacts: Sequence[Contact],
                   audience: str | None = None) -> str:
    """The contact points, for a question that asks whom to turn to: the passages found may
    describe a service without saying how to reach it."""
    head = "Who you can contact:" if lang == "en" else "Hvem du kan kontakte:"
    return f"{head}\n{_help_lines(question, lang, contacts, audience)}"


def _help_lines(question: str, lang: str, contacts: Sequence[Contact],
                audience: str | None = None) -> str:
    return "\n".join(f"- {c.line(lang)}" for c in contacts_for(question, lang, contacts, audience))


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


def _quoted(text: str, lang: str) -> str:
    text = text.removeprefix("- ").strip()
    return f"«{text}»" if lang == "en" else text


def ask(question: str, index: LoadedIndex, embedder: Embedder, history: Sequence[str] = (),
        filters: Filters | None = None, contacts: Sequence[Contact] = (), k: int = 8,
        models: AnswerModels | None = None) -> Answer:
    """Retrieve for the question (resolved against earlier questions) and compose the answer."""
    if is_unsafe_request(question):
        return decline(question, detect_language(question), contacts)
    resolved = resolve_follow_up(question, history)
    query = mend_question(index, resolved)
    hits = hybrid_search(index, embedder, query, k, filters)
    models = models or answer_models()
    answer = compose_answer(query, hits, index.keyword, contacts, asked=question, models=models,
                            embed=encoder_reader(embedder, models),
                            joined=resolved != question)
    # Say what was searched for, as a search engine does; capitals put back are not news.
    if query.lower() != resolved.lower():
        lead = "Searched for" if answer.language == "en" else "Søkte etter"
        answer = replace(answer, note=f"{lead}: «{query}»")
    return answer
