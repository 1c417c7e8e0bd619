"""Pure parts of retrieval: filters, query language handling, references."""

import os
import subprocess
import sys

import numpy as np

from kom_assistant.ingest.language import detect_language
from kom_assistant.models import Chunk
from kom_assistant.search.glossary import expand_question, norwegian_terms
from kom_assistant.search.index import LoadedIndex
from kom_assistant.search.references import references
from kom_assistant.search.retrieve import (
    Filters,
    keyword_query,
    list_ranking,
    reference_ranking,
)


def _chunk(**kw):
    base = dict(id="x", document_id="d", document_title="D", source="d.txt", section="",
                page_start=1, page_end=1, char_start=0, char_end=1, text="t", kind="nyhetsbrev",
                year=2023)
    return Chunk(**{**base, **kw})


def test_filters_by_kind_year_document_and_archive():
    chunk = _chunk()
    assert Filters().allows(chunk)
    assert not Filters(kinds=("strategi",)).allows(chunk)
    assert Filters(years=(2023,)).allows(chunk)
    assert not Filters(document_ids=("other",)).allows(chunk)
    archived = _chunk(status="archived")
    assert not Filters().allows(archived)
    assert Filters(include_archived=True).allows(archived)


def test_language_detection():
    assert detect_language("Hvilke tegn tyder på tvangsarbeid?") == "nb"
    assert detect_language("hva gjor vi hvis vi ikke vet om jenta er over 18") == "nb"
    assert detect_language("What are the signs of forced labour?") == "en"


def test_glossary_maps_english_domain_terms_longest_first():
    terms = norwegian_terms("Who pays for the reflection period of trafficking victims?")
    assert "refleksjonsperiode" in terms and "menneskehandel" in terms
    assert norwegian_terms("forced labour")[0] == "tvangsarbeid"
    # English plurals find their singular's terms
    assert norwegian_terms("shelters and reception centres") == [
        norwegian_terms("shelter")[0], norwegian_terms("reception centre")[0]]
    assert expand_question("Hva er tvangsarbeid?", "nb") == "Hva er tvangsarbeid?"
    # An acronym that differs in Norwegian is searched as the sources write it.
    assert "OSSE" in keyword_query("What did the OSCE recommend to Norway?", "en").split()
    assert "EMD" in keyword_query("Which ECHR judgments did KOM summarise?", "en").split()
    # Whom a question is about, though the words are too common for the vocabulary table.
    assert "menn" in keyword_query("Is there a shelter for men?", "en").split()


def test_english_keyword_query_keeps_only_what_norwegian_text_can_match():
    q = keyword_query("How many victims did the police identify in 2023 via IOM?", "en")
    assert "2023" in q and "IOM" in q and "ofre" in q
    assert "did" not in q.split()
    # Norwegian names and terms inside an English question are searched as they are.
    assert "barnehus" in keyword_query("Does statens barnehus take such cases?", "en").split()
    # A word both the glossary and the vocabulary translate is searched once.
    q = keyword_query("What rights do trafficking victims have in the reflection period?", "en")
    assert q.split().count("menneskehandel") == 1 and q.split().count("refleksjonsperiode") == 1


def test_everyday_norwegian_words_reach_the_sources_vocabulary():
    from kom_assistant.search.glossary import source_terms

    assert "mindreårig" in " ".join(source_terms("hva om jenta er under 18?"))
    q = keyword_query("sjefen tok papirene hennes", "nb")
    assert q.startswith("sjefen tok papirene hennes") and "arbeidsgiver" in q


def test_sentence_ranking_ranks_a_chunk_by_its_best_sentence():
    import numpy as np

    from kom_assistant.search.index import LoadedIndex
    from kom_assistant.search.keyword import KeywordIndex
    from kom_assistant.search.retrieve import dense_ranking, sentence_ranking

    chunks = [_chunk(id="a", text="a"), _chunk(id="b", text="b")]
    question = np.array([1.0, 0.0], dtype=np.float32)
    # Chunk "a" is closer as a whole; one sentence of "b" is exactly what is asked.
    vectors = np.array([[0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    sentence_vectors = np.array([[0.8, 0.6], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    owner = np.array([0, 1, 1], dtype=np.int32)
    index = LoadedIndex("b1", {}, chunks, None, KeywordIndex.build(["a", "b"], ["a", "b"]),
                        vectors, sentence_vectors, owner)
    allowed = np.array([True, True])
    assert [c for c, _ in dense_ranking(index, question, allowed, 5)] == ["a", "b"]
    ranked = sentence_ranking(index, question, allowed, 5)
    assert [c for c, _ in ranked] == ["b", "a"] and ranked[0][1] == 1.0
    assert [c for c, _ in sentence_ranking(index, question, np.array([True, False]), 5)] == ["a"]
    empty = LoadedIndex("b0", {}, chunks, None, index.keyword, vectors,
                        np.zeros((0, 2), dtype=np.float32), np.zeros(0, dtype=np.int32))
    assert sentence_ranking(empty, question, allowed, 5) == []


def test_pair_scores_read_two_consecutive_sentences_of_a_chunk_as_one():
    from kom_assistant.search.index import LoadedIndex
    from kom_assistant.search.retrieve import pair_scores

    chunks = [_chunk(id="a", text="a"), _chunk(id="b", text="b"), _chunk(id="c", text="c")]
    question = np.array([1.0, 1.0], dtype=np.float32) / np.sqrt(2)
    # "a": each half of the question in one of two sentences; "b": one sentence, half of it,
    # next to a sentence of "c" that has the other half (not a pair: another chunk).
    sentence_vectors = np.array([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=np.float32)
    owner = np.array([0, 0, 1, 2], dtype=np.int32)
    index = LoadedIndex("b", {}, chunks, None, None, np.eye(3, 2, dtype=np.float32),
                        sentence_vectors, owner)
    scores = pair_scores(index, sentence_vectors @ question)
    assert np.isclose(scores[0], 1.0)  # the pair is exactly the question
    assert np.allclose(scores[1:], 1 / np.sqrt(2))  # only their own sentence


def test_reference_ranking_puts_chunks_naming_the_part_first_in_fused_order():
    chunks = [_chunk(id="table", text="Innsatsomrade 2 - Forebygging 6 Utvikle kunnskap"),
              _chunk(id="measure", section="Tiltak 6: Utvikle kunnskapsgrunnlag", text="Tekst."),
              _chunk(id="other", text="Innsatsområde 3 - Bistand"),
              _chunk(id="both", text="Innsatsområde 2 omfatter tiltak 6.")]
    index = LoadedIndex("b", {}, chunks, None, None, None)
    allowed = np.ones(len(chunks), dtype=bool)
    fused = [("other", 0.3), ("measure", 0.2), ("table", 0.1)]
    ranked = reference_ranking(index, references("innsatsområde 2 og tiltak 6"), fused, allowed)
    # "both" names two parts, but only in passing; "measure" and "table" each give one a title.
    assert [c for c, _ in ranked] == ["measure", "table", "both"]
    allowed[3] = False  # filtered out
    ranked = reference_ranking(index, references("innsatsområde 2"), fused, allowed)
    assert [c for c, _ in ranked] == ["table"]


def test_table_rows_name_the_parts_their_document_numbers_most():
    chunks = [_chunk(id="intro", text="Tiltak 14 og tiltak 15 omtales under innsatsområde 4."),
              _chunk(id="table", text="13 Gjennomgå lovbestemmelser D\n14 Styrke etterretning D\n"
                                      "15 Styrke forebygging D\n16 Styrke etterforskning D"),
              _chunk(id="note", document_id="other", text="1 Oslo\n2 Bergen\n3 Bodø")]
    index = LoadedIndex("b", {}, chunks, None, None, None)
    assert index.titled_references[1] == {("tiltak", str(n)) for n in (13, 14, 15, 16)}
    assert index.references[1] >= index.titled_references[1]
    # A document that numbers no parts gives its rows no meaning.
    assert index.titled_references[2] == frozenset()


def test_list_ranking_keeps_chunks_about_every_part_asked_for():
    chunks = [_chunk(id="measure", section="Tiltak 14: Styrke etterretning", text="Tekst."),
              _chunk(id="table", text="Tiltak 14: Styrke etterretning. Tiltak 15: Styrke "
                                      "forebygging.")]
    index = LoadedIndex("b", {}, chunks, None, None, None)
    wanted = references("measures 14 and 15")
    reference = reference_ranking(index, wanted, [], np.ones(2, dtype=bool))
    assert [c for c, _ in reference] == ["table", "measure"]
    assert [c for c, _ in list_ranking(index, wanted, reference)] == ["table"]
    assert list_ranking(index, references("tiltak 16 og 17"), reference) == []


def test_blas_runs_one_thread_even_when_numpy_loaded_first():
    # As under `streamlit run`: numpy is loaded before the package. OpenBLAS's spinning
    # threads would otherwise fight the embedding engine's for the two cores.
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = ("import numpy, kom_assistant\nfrom threadpoolctl import threadpool_info\n"
            "print(max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "1"
