"""Optional LLM answers (KOM_LLM), generated from the retrieved passages and verified before
they are shown: every sentence must cite a passage that exists and supports it.

On any error or timeout the extractive answer is shown instead, with a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any

from ..config import Settings
from ..errors import KomError
from ..ingest.sentences import split_sentences
from ..models import Answer, Chunk, Citation
from ..search.keyword import tokenize

_CITE = re.compile(r"\[(\d+)\]")
_PASSAGES = 5
_MIN_OVERLAP = 0.5  # share of a sentence's terms that must stand in the passage it cites

PROMPT_NB = (
    "Du er KOM-assistenten og svarer førstelinjeansatte om menneskehandel. Svar kort på "
    "norsk (bokmål), bare med opplysninger fra kildene under. Hver setning skal ende med "
    "kildenummeret i hakeparentes, for eksempel [2]. Står svaret ikke i kildene, skriv: "
    "«Jeg finner ikke svar på dette i kildene.» Ikke gjett, ikke gi juridiske råd."
)
PROMPT_EN = (
    "You are KOM-assistenten, answering frontline workers about human trafficking. Answer "
    "briefly in English, using only facts from the Norwegian sources below. End every sentence "
    "with its source number in brackets, e.g. [2]. If the sources do not answer, write: "
    '"I cannot find an answer to this in the sources." Do not guess or give legal advice.'
)


def load_chat_model(settings: Settings) -> Any:
    """A LangChain chat model from KOM_LLM ("openai:<model>" or "ollama:<model>")."""
    provider, _, model = settings.llm.partition(":")
    try:
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=model,
                base_url=settings.llm_base_url or None,
                timeout=settings.llm_timeout,
                temperature=0,
            )
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=model, base_url=settings.llm_base_url or None, temperature=0)
    except ImportError as e:
        raise KomError(
            "LLM-støtte er ikke installert. Kjør: pip install -e '.[llm]'",
            "LLM support is not installed. Run: pip install -e '.[llm]'",
        ) from e
    raise KomError(
        f"Ukjent KOM_LLM «{settings.llm}». Bruk «openai:<modell>» eller «ollama:<modell>».",
        f"Unknown KOM_LLM '{settings.llm}'. Use 'openai:<model>' or 'ollama:<model>'.",
    )


def build_messages(question: str, passages: Sequence[Chunk], lang: str) -> list[tuple[str, str]]:
    sources = "\n\n".join(
        f"[{i}] {c.document_title}, {c.section}, s. {c.page_start}:\n{c.text}"
        for i, c in enumerate(passages, start=1)
    )
    return [
        ("system", PROMPT_EN if lang == "en" else PROMPT_NB),
        ("human", f"Kilder:\n\n{sources}\n\nSpørsmål: {question}"),
    ]


def verify(text: str, passages: Sequence[Chunk]) -> tuple[list[tuple[str, list[int]]], int]:
    """Sentences that cite existing passages which support them, and how many were dropped."""
    kept, dropped = [], 0
    for start, end in split_sentences(text.replace("\n", " ")):
        sentence = text.replace("\n", " ")[start:end].strip()
        cited = [int(n) for n in _CITE.findall(sentence)]
        valid = [n for n in cited if 1 <= n <= len(passages)]
        claim = re.sub(r"\s+([.!?])", r"\1", re.sub(r"\s*\[\d+\]", "", sentence)).strip()
        if not claim:
            continue
        if valid and any(_supports(passages[n - 1], claim) for n in valid):
            kept.append((claim, valid))
        else:
            dropped += 1
    return kept, dropped


def _supports(chunk: Chunk, claim: str) -> bool:
    terms = set(tokenize(claim))
    if not terms:
        return False
    source = set(tokenize(chunk.text)) | set(tokenize(chunk.original_text))
    return len(terms & source) / len(terms) >= _MIN_OVERLAP


def answer_with_llm(
    extractive: Answer,
    settings: Settings,
    model: Any = None,
    on_token: Callable[[str], Any] | None = None,
) -> Answer:
    """Generate, verify and cite; fall back to `extractive` on error, timeout or no support."""
    passages = [h.chunk for h in extractive.hits[:_PASSAGES]]
    lang = extractive.language
    fallback_note = (
        "Språkmodellen svarte ikke; viser svaret hentet direkte fra kildene."
        if lang != "en"
        else "The language model did not answer; showing the answer taken from the sources."
    )
    try:
        model = model or load_chat_model(settings)
        messages = build_messages(extractive.question, passages, lang)
        with ThreadPoolExecutor(1) as pool:
            text = pool.submit(_stream, model, messages, on_token).result(settings.llm_timeout)
    except (FutureTimeout, KomError, Exception):  # any model failure falls back, by design
        return _noted(extractive, fallback_note)
    kept, dropped = verify(text, passages)
    if not kept:
        return _noted(extractive, fallback_note)
    numbers: dict[int, int] = {}
    lines = []
    for claim, cited in kept:
        marks = "".join(f"[{numbers.setdefault(n, len(numbers) + 1)}]" for n in cited)
        body, end = (claim[:-1], claim[-1]) if claim[-1:] in ".!?" else (claim, "")
        lines.append(f"{body} {marks}{end}")
    citations = tuple(
        Citation(
            new, passages[old - 1], _best_quote(passages[old - 1], [c for c, n in kept if old in n])
        )
        for old, new in numbers.items()
    )
    note = ""
    if dropped:
        note = (
            f"{dropped} setning(er) uten støtte i kildene ble fjernet."
            if lang != "en"
            else f"{dropped} sentence(s) without support in the sources were removed."
        )
    text = "\n\n".join(p for p in (" ".join(lines), extractive.contacts_text) if p)
    return _noted(replace(extractive, text=text, citations=citations), note)


def _noted(answer: Answer, note: str) -> Answer:
    """`answer` with `note` after the one it has (what was searched for, say)."""
    return replace(answer, note=" ".join(n for n in (answer.note, note) if n))


def _stream(
    model: Any, messages: list[tuple[str, str]], on_token: Callable[[str], Any] | None
) -> str:
    parts = []
    for chunk in model.stream(messages):
        token = chunk.content if isinstance(chunk.content, str) else str(chunk.content)
        parts.append(token)
        if on_token:
            on_token(token)
    return "".join(parts)


def _best_quote(chunk: Chunk, claims: list[str]) -> str:
    """The passage sentence sharing most terms with the claims that cite it."""
    wanted = set(tokenize(" ".join(claims)))
    spans = split_sentences(chunk.text.replace("\n", " "))
    text = chunk.text.replace("\n", " ")
    best = max(
        spans,
        key=lambda se: len(wanted & set(tokenize(text[se[0] : se[1]]))),
        default=(0, len(text)),
    )
    return text[best[0] : best[1]]
