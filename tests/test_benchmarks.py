"""The benchmark scripts import without loading models, and their helpers compute correctly."""

from __future__ import annotations

import pytest

from benchmarks import answers, common, indexing, retrieval, run
from kom_assistant.models import Answer, Chunk, Citation


def _chunk(text: str, original: str = "") -> Chunk:
    return Chunk(id="c", document_id="d", document_title="D", source="d.txt", section="",
                 page_start=1, page_end=1, char_start=0, char_end=len(text), text=text,
                 original_text=original)


def test_markdown_table_and_verdict():
    table = common.markdown_table(("a", "b", "c"), [("x", 0.5, 12.34)])
    assert table.splitlines() == ["| a | b | c |", "|---|---|---|", "| x | 0.500 | 12.3 |"]
    with pytest.raises(ValueError):
        common.markdown_table(("a", "b"), [("only one",)])
    assert common.verdict(0.92, ">=", 0.92) == "PASS"
    assert common.verdict(61.0, "<=", 60.0) == "FAIL"
    assert "CPUs" in common.load_note()


def test_percentile_and_quick_subset():
    assert common.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert common.percentile(list(map(float, range(1, 21))), 0.95) == 19.0
    assert common.percentile([], 0.95) == 0.0
    qs = [{"id": i, "source": None if i == 4 else "s"} for i in range(7)]
    assert [q["id"] for q in common.quick_subset(qs)] == [0, 3, 4, 6]


def test_fixed_chunks_overlap_and_cover_the_text():
    text = "".join(chr(ord("a") + i % 26) for i in range(2500))
    chunks = retrieval.fixed_chunks(text, size=1000, overlap=200)
    assert [s for s, _ in chunks] == [0, 800, 1600]
    assert all(len(t) == 1000 for _, t in chunks[:2]) and chunks[-1][1] == text[1600:]
    assert chunks[0][1][-200:] == chunks[1][1][:200]
    assert retrieval.fixed_chunks("short") == [(0, "short")]


def test_retrieval_rows_and_targets():
    metrics = {"all": {"evidence_recall@4000": 0.95, "hit@1": 0.7, "hit@5": 0.85,
                       "mrr@10": 0.8, "latency_median_ms": 10.0, "latency_p95_ms": 70.0},
               "no": {"evidence_recall@4000": 1.0}, "en": {"evidence_recall@4000": 0.85}}
    row = retrieval.table_row("ours", metrics)
    assert row[:4] == ["ours", 0.95, 1.0, 0.85] and row[-1] == "70.0"
    targets, passed = retrieval.target_rows(row)
    assert targets[1] == ">= 0.92" and targets[-1] == "<= 60"
    # hit@1 0.7 misses 0.80 and hit@5 0.85 misses 0.95; p95 70 ms misses 60.
    assert passed[1:] == ["PASS", "–", "PASS", "FAIL", "FAIL", "–", "–", "FAIL"]
    missing_en = retrieval.table_row("x", {"all": metrics["all"]})
    assert missing_en[3] == "–" and retrieval.target_rows(missing_en)[1][3] == "n/a"


def test_top_hits_ranks_by_score():
    import numpy as np

    chunks = [_chunk("a"), _chunk("b"), _chunk("c")]
    hits = retrieval.top_hits(chunks, np.array([0.1, 0.9, 0.5]), k=2)
    assert [(h.chunk.text, h.rank) for h in hits] == [("b", 1), ("c", 2)]


def test_answer_metrics_lines_and_targets():
    quote = "ofre for menneskehandel har rett til hjelp"
    cited = Answer("q", "svar", (Citation(1, _chunk("x", quote + " og beskyttelse"), "x"),),
                   False)
    assert answers.cites_evidence(cited, [quote])
    assert not answers.cites_evidence(Answer("q", "nei", (), True), [quote])
    assert answers.holds_evidence("Ofre for menneskehandel har rett til bistand.", [quote])
    assert not answers.holds_evidence("Ofre for svindel får hjelp.", [quote])
    outcomes = [answers.Outcome(True, False, True, 10, 0.010, first_line_evidence=True,
                                lines=2, lines_with_evidence=1),
                answers.Outcome(True, True, False, 20, 0.030),
                answers.Outcome(False, True, False, 30, 0.020),
                answers.Outcome(False, False, False, 40, 0.040, lines=2, unclean_lines=1),
                answers.Outcome(False, False, False, 50, 0.050, audience="child",
                                right_contacts=True)]
    m = answers.summary(outcomes)
    assert m["cites_evidence"] == 0.5 and m["false_refusals"] == 0.5
    assert m["refused_unanswerable"] == 0.5 and m["median_words"] == 10.0
    assert m["first_line"] == 1.0 and m["lines_evidence"] == 0.5 and m["unclean"] == 0.25
    assert m["right_contacts"] == 1.0 and m["cases"] == 1
    assert m["median_ms"] == pytest.approx(30.0) and m["p95_ms"] == pytest.approx(50.0)
    verdicts = {row[0]: row[3] for row in answers.target_rows(m)}
    assert verdicts["first line holds the evidence (answered)"] == "PASS"
    assert verdicts["unanswerable: refused"] == "FAIL"
    assert verdicts["'what do I do': right contacts"] == "PASS"


def test_clean_line_check_names_what_is_wrong():
    problem = answers.clean_line_problem
    assert problem("Refleksjonsperiode er en 6 måneders tillatelse som ikke kan fornyes.") == ""
    assert problem("ILO indicators of forced labour") == "no verb"
    assert problem("S7SN International ) abour & ™ 2025") != ""
    assert problem("0g") == "fragment"
    assert problem("Tiltak for å forebygge og avdekke menneskehandel") == "no verb"


def test_right_contacts_reads_the_first_contact_listed():
    child = Answer("q", "x", (), False, contacts_text="Hvem du kan kontakte:\n- Barnevernstjenesten"
                   " i kommunen. Meldeplikt.\n- Nødnummer politi: 112.")
    adult = Answer("q", "x", (), False, contacts_text="Who you can contact:\n- HTSO: 994 70 279.")
    assert answers.right_contacts(child, "child") and not answers.right_contacts(child, "adult")
    assert answers.right_contacts(adult, "adult") and not answers.right_contacts(adult, "child")
    assert not answers.right_contacts(Answer("q", "x", (), True), "child")


def test_indexing_rows_say_when_a_target_is_missed():
    slow = indexing.timing_row(indexing.Timing("cold", 75.0, 900, 900, 60.0))
    assert slow[5] == "FAIL (misses by 15.0 s)"
    fast = indexing.timing_row(indexing.Timing("unchanged", 1.5, None, 0, 5.0))
    assert fast[5] == "PASS" and fast[2] == "–"
    assert indexing.timing_row(indexing.Timing("cold", None, note="--cold"))[1] == "not run"
    assert "| step |" in indexing.timings_table([indexing.Timing("x", 1.0)])


def test_run_lists_every_benchmark():
    names = [name for name, *_ in run.BENCHMARKS]
    assert names == ["retrieval.py", "answers.py", "indexing.py", "ocr_repair.py", "large_pdf.py",
                     "load.py"]
    assert all((common.ROOT / "benchmarks" / n).exists() for n in names)
    assert run.status(0) == "ok, targets met" and "exit 2" in run.status(2)
