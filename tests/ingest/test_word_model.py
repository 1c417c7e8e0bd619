"""The OCR repair's word model is fixed: adding an unrelated document never changes how the
other documents are repaired."""

from pathlib import Path

from kom_assistant.ingest.ocr import repair_text
from kom_assistant.ingest.read import ingest_corpus
from kom_assistant.ingest.spelling import build_vocabulary
from kom_assistant.ingest.word_model import (
    WORD_MODEL,
    repair_vocabulary,
    save_word_model,
    word_model_key,
)

from ..conftest import ROOT

STRATEGY = ROOT / "corpus" / "nasjonal-strategi-mot-menneskehandel-2025-2030.txt"
MANIFEST = """
[[document]]
id = "strategi"
file = "strategi.txt"
title = "Nasjonal strategi"
kind = "strategi"
"""
UNRELATED = """
[[document]]
id = "rapport"
file = "rapport.txt"
title = "En annen rapport"
kind = "annet"
"""
# An unrelated clean report that happens to use words the damaged text holds in damaged form.
REPORT = ("Rapporten omtaler rapportørordningen. Rapportørordningen og rapportørordninger i "
          "Norden er beskrevet, og en rapportørordning er foreslått for flere land. ") * 20


def _damaged_excerpt() -> str:
    lines = STRATEGY.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[780:840])  # "Rapportgrordningen vil vaere avgjerende for a ..."


def test_adding_a_document_leaves_the_others_repair_byte_identical(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (corpus / "strategi.txt").write_text(_damaged_excerpt(), encoding="utf-8")
    before = ingest_corpus(corpus, 10_000_000).documents[0]
    assert before.repaired_tokens > 10 and " på " in " ".join(p.text for p in before.pages)

    (corpus / "manifest.toml").write_text(MANIFEST + UNRELATED, encoding="utf-8")
    (corpus / "rapport.txt").write_text(REPORT, encoding="utf-8")
    after = {d.document.id: d for d in ingest_corpus(corpus, 10_000_000).documents}
    assert set(after) == {"strategi", "rapport"}
    assert [(p.number, p.text, p.original_text) for p in after["strategi"].pages] == [
        (p.number, p.text, p.original_text) for p in before.pages]

    # The test can fail: a word model counted from the corpus's clean documents, as it used
    # to be, repairs the same text differently once the report is in.
    text = _damaged_excerpt()
    alone = repair_text(text, build_vocabulary([])).text
    with_report = repair_text(text, build_vocabulary([REPORT])).text
    assert alone != with_report


def test_the_shipped_word_model_is_the_bundled_clean_sources(tmp_path: Path):
    clean = ["kom-tilstandsrapport-2023.txt", "kom-nyhetsbrev-2022-var.txt",
             "kom-nyhetsbrev-2023-april-juni.md"]
    remade = save_word_model([(ROOT / "corpus" / name).read_text(encoding="utf-8")
                              for name in clean], tmp_path / "word_model.tsv")
    assert remade.read_bytes() == WORD_MODEL.read_bytes()
    vocabulary = repair_vocabulary()
    assert vocabulary.counts["menneskehandel"] > 100 and "økokrim" in vocabulary.names
    assert len(vocabulary.listed) > 100_000  # the bokmål word list (or wordfreq's)
    assert word_model_key() == word_model_key(WORD_MODEL)
