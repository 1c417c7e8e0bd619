"""Workshop scenarios: the file loads, and every expected source really answers its question."""

from __future__ import annotations

from pathlib import Path

import pytest

from kom_assistant.answer.compose import ask
from kom_assistant.errors import ManifestError
from kom_assistant.web.scenarios import SCENARIOS_FILE, load_scenarios

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = load_scenarios(ROOT / "corpus")
QUESTIONS = [(s.id, q) for s in SCENARIOS for q in s.questions]


def test_bundled_scenarios_are_complete() -> None:
    assert 5 <= len(SCENARIOS) <= 6
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)
    for s in SCENARIOS:
        assert 2 <= len(s.questions) <= 4, s.id
        for lang in ("nb", "en"):
            assert s.title(lang).strip() and len(s.case(lang).split()) >= 25, (s.id, lang)
        assert s.title("en") != s.title("nb")


@pytest.mark.parametrize(("scenario", "question"), QUESTIONS,
                         ids=[f"{s}-{i}" for i, (s, _) in enumerate(QUESTIONS)])
def test_evidence_stands_on_the_expected_page(scenario, question, real_ingest_pages) -> None:  # type: ignore[no-untyped-def]
    page = real_ingest_pages.get((question.document, question.page))
    assert page is not None, f"{question.document} has no page {question.page}"
    assert question.evidence in page


@pytest.mark.slow
@pytest.mark.parametrize(("scenario", "question"), QUESTIONS,
                         ids=[f"{s}-{i}" for i, (s, _) in enumerate(QUESTIONS)])
def test_assistant_answers_from_the_expected_document(scenario, question, real_index,  # type: ignore[no-untyped-def]
                                                      embedder) -> None:
    # Answers are short (the line that answers and a few that support it), so the expected
    # document is cited or among the top three sources found, for the trainer to open.
    answer = ask(question.text, real_index, embedder)
    assert not answer.refused, question.text
    found = {c.chunk.document_id for c in answer.citations} | {
        h.chunk.document_id for h in answer.hits[:3]}
    assert question.document in found, (question.text, found)


def test_missing_file_means_no_scenarios(tmp_path: Path) -> None:
    assert load_scenarios(tmp_path) == []


def test_english_falls_back_to_norwegian(tmp_path: Path) -> None:
    (tmp_path / SCENARIOS_FILE).write_text(
        '[[scenario]]\nid = "a"\ntitle_nb = "Tittel"\ncase_nb = "Tekst"\n'
        '[[scenario.question]]\ntext = "Hva?"\ndocument = "d"\npage = 2\nevidence = "e"\n',
        encoding="utf-8")
    [scenario] = load_scenarios(tmp_path)
    assert scenario.title("en") == "Tittel" and scenario.case("en") == "Tekst"
    assert scenario.questions[0].page == 2


def test_broken_file_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / SCENARIOS_FILE).write_text('[[scenario]]\nid = "a"\n', encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        load_scenarios(tmp_path)
    assert "Rett filen" in str(error.value) and "Fix the file" in error.value.message("en")
