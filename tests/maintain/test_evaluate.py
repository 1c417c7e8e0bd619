from pathlib import Path

from kom_assistant.maintain.evaluate import covers, score_question, summarise, tokens
from kom_assistant.models import Chunk, Hit


def _hit(rank, text, original=""):
    chunk = Chunk(
        id=f"c{rank}",
        document_id="d",
        document_title="D",
        source="d.txt",
        section="",
        page_start=1,
        page_end=1,
        char_start=0,
        char_end=len(text),
        text=text,
        original_text=original,
    )
    return Hit(chunk, 1.0 / rank, rank)


def test_tokens_are_lowercased_words_of_two_or_more_characters():
    assert tokens("I 2023 ble 27 anmeldt, a b") == {"2023", "ble", "27", "anmeldt"}


def test_cover_needs_eighty_percent_of_quote_tokens():
    chunk = tokens("ofre for menneskehandel har rett til hjelp og beskyttelse")
    assert covers(chunk, "ofre for menneskehandel har rett til hjelp")
    assert not covers(chunk, "ofre for menneskehandel har krav på bolig og arbeid")


def test_score_question_uses_original_text_and_character_budget():
    question = {
        "id": "q",
        "lang": "no",
        "quotes": ["pa grunn av sarbarhet", "helt annet sitat her"],
    }
    hits = [
        _hit(1, "x " * 1500),
        _hit(2, "på grunn av sårbarhet", "pa grunn av sarbarhet"),
        _hit(3, "helt annet sitat her " + "y " * 2000),
    ]
    result = score_question(question, hits, 0.01)
    assert result.first_hit_rank == 2
    assert result.evidence_recall == 0.5  # the third chunk lies beyond 4000 characters


def test_summarise_metrics():
    from kom_assistant.maintain.evaluate import QuestionResult

    rows = [QuestionResult("a", "no", 1, 1.0, 0.01), QuestionResult("b", "en", None, 0.0, 0.03)]
    m = summarise(rows)
    assert m["hit@1"] == 0.5 and m["hit@5"] == 0.5 and m["mrr@10"] == 0.5
    assert m["evidence_recall@4000"] == 0.5


def test_sets_say_their_role_and_whether_the_query_encoder_learns_from_them(tmp_path):
    from kom_assistant.maintain.evaluate import read_sets

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.jsonl").write_text("", encoding="utf-8")
    sets_file = tmp_path / "sets.toml"
    sets_file.write_text(
        '[[set]]\nname = "a"\nfile = "a.jsonl"\nrole = "train"\n\n'
        '[[set]]\nname = "b"\nfile = "b.jsonl"\nrole = "train"\nquery_encoder = false\n\n'
        '[[set]]\nname = "c"\nfile = "c.jsonl"\nrole = "test"\n\n'
        '[[set]]\nname = "gone"\nfile = "gone.jsonl"\nrole = "train"\n', encoding="utf-8")
    train = read_sets(sets_file, tmp_path, roles=("train",))
    assert [(s.name, s.query_encoder) for s in train] == [("a", True), ("b", False)]
    # The bundled sets: the twins teach the answer models only.
    bundled = Path(__file__).resolve().parents[2] / "benchmarks" / "sets.toml"
    twins = read_sets(bundled, bundled.parents[1], names=("train-twins",))
    assert [s.query_encoder for s in twins] == [False]
