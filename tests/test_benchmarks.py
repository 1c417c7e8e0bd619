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
    assert passed[1:] == ["PASS", "–", "PASS", "–", "FAIL", "–", "–", "FAIL"]
    missing_en = retrieval.table_row("x", {"all": metrics["all"]})
    assert missing_en[3] == "–" and retrieval.target_rows(missing_en)[1][3] == "n/a"


def test_top_hits_ranks_by_score():
    import numpy as np

    chunks = [_chunk("a"), _chunk("b"), _chunk("c")]
    hits = retrieval.top_hits(chunks, np.array([0.1, 0.9, 0.5]), k=2)
    assert [(h.chunk.text, h.rank) for h in hits] == [("b", 1), ("c", 2)]


def test_answer_metrics_and_calibration():
    quote = "ofre for menneskehandel har rett til hjelp"
    cited = Answer("q", "svar", (Citation(1, _chunk("x", quote + " og beskyttelse"), "x"),),
                   False)
    assert answers.cites_evidence(cited, [quote])
    assert not answers.cites_evidence(Answer("q", "nei", (), True), [quote])
    outcomes = [answers.Outcome(True, False, True, 10, 0.9, 0.010),
                answers.Outcome(True, True, False, 20, 0.4, 0.030),
                answers.Outcome(False, True, False, 30, 0.2, 0.020),
                answers.Outcome(False, False, False, 40, 0.6, 0.040)]
    m = answers.summary(outcomes)
    assert m["cites_evidence"] == 0.5 and m["false_refusals"] == 0.5
    assert m["refused_unanswerable"] == 0.5 and m["mean_words"] == 25.0
    assert m["median_ms"] == pytest.approx(25.0) and m["p95_ms"] == pytest.approx(40.0)
    table = answers.calibration(outcomes, (0.3, 0.5, 0.7))
    assert table == [(0.3, 0.5, 0.0), (0.5, 0.5, 0.5), (0.7, 1.0, 0.5)]
    assert answers.THRESHOLDS[0] == 0.30 and answers.THRESHOLDS[-1] == 0.80
    assert len(answers.THRESHOLDS) == 11
    assert "0.50 (current)" in answers.calibration_table(table, 0.5)
    assert "| FAIL |" in answers.results_table(m)


def test_indexing_rows_say_when_a_target_is_missed():
    slow = indexing.timing_row(indexing.Timing("cold", 75.0, 900, 900, 60.0))
    assert slow[5] == "FAIL (misses by 15.0 s)"
    fast = indexing.timing_row(indexing.Timing("unchanged", 1.5, None, 0, 5.0))
    assert fast[5] == "PASS" and fast[2] == "–"
    assert indexing.timing_row(indexing.Timing("cold", None, note="--cold"))[1] == "not run"
    assert "| step |" in indexing.timings_table([indexing.Timing("x", 1.0)])


def test_run_lists_every_benchmark():
    names = [name for name, *_ in run.BENCHMARKS]
    assert names == ["retrieval.py", "answers.py", "indexing.py", "ocr_repair.py"]
    assert all((common.ROOT / "benchmarks" / n).exists() for n in names)
    assert run.status(0) == "ok, targets met" and "exit 2" in run.status(2)
