"""Tests for Norwegian OCR repair (kom_assistant.ingest.ocr)."""

from __future__ import annotations

import collections
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from kom_assistant.ingest.ocr import TOKEN_RE, Repair, needs_ocr_repair, repair_text
from kom_assistant.ingest.spelling import Vocabulary, build_vocabulary

from ..conftest import seed_text

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ("000_ec98d7f0a1c9c505.txt", "002_2fdac135e21c2bb4.txt", "004_d77500f5e4c7e68a.txt")
DAMAGED = ("001_68d3c6d8a932778f.txt", "003_e450d158fbb63643.txt")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return build_vocabulary(seed_text(name) for name in CLEAN)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ocr_repair_bench",
                                                  ROOT / "benchmarks" / "ocr_repair.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def fixed(text: str, vocab: Vocabulary) -> str:
    return repair_text(text, vocab).text


@pytest.mark.parametrize(("damaged", "repaired"), [
    ("Strategien bygger pa Europaradets konvensjon.",
     "Strategien bygger på Europarådets konvensjon."),
    ("Utnyttelsen genererer en betydelig kriminell gkonomi.",
     "Utnyttelsen genererer en betydelig kriminell økonomi."),
    ("misbruk av en sarbar situasjon", "misbruk av en sårbar situasjon"),
    ("vold i naere relasjoner", "vold i nære relasjoner"),
    ("Handel med mennesker innebcerer et brudd pd menneskerettighetene",
     "Handel med mennesker innebærer et brudd på menneskerettighetene"),
    ("ulike sektorer og aktarer, inkludert internasjonale aktgrer.",
     "ulike sektorer og aktører, inkludert internasjonale aktører."),
    ("Det gjelder ogsa for E@S-borgere.", "Det gjelder også for EØS-borgere."),
    ("Strategien skal giennomferes i samarbeid", "Strategien skal gjennomføres i samarbeid"),
    ("Innsatsomrade 4 - Straffeforfelgning", "Innsatsområde 4 - Straffeforfølgning"),
])
def test_repairs_damaged_words(damaged: str, repaired: str, vocab: Vocabulary) -> None:
    assert fixed(damaged, vocab) == repaired


@pytest.mark.parametrize(("damaged", "repaired"), [
    ("Bestemmelsene er i straffeloven 88 257\nog 258.",
     "Bestemmelsene er i straffeloven §§ 257\nog 258."),
    ("utlendingsforskriften 8 8-3 første ledd", "utlendingsforskriften § 8-3 første ledd"),
    ("organisasjoner. | tillegg er rapporter", "organisasjoner. I tillegg er rapporter"),
    ("strategi for a forebygge og bekjempe", "strategi for å forebygge og bekjempe"),
    ("bidra til & avdekke og 8 bekjempe", "bidra til å avdekke og å bekjempe"),
    ("Verdt @ merke seg", "Verdt å merke seg"),
    ("A utnytte en person betyr & bruke", "Å utnytte en person betyr å bruke"),
    ("er vurdert a\nveere fragmentert", "er vurdert å\nvære fragmentert"),
])
def test_context_rules_for_short_tokens(damaged: str, repaired: str, vocab: Vocabulary) -> None:
    assert fixed(damaged, vocab) == repaired


@pytest.mark.parametrize("text", [
    "Menneskehandel er alvorlig kriminalitet og et brudd på grunnleggende rettigheter.",
    "Mange er sårbare og står i fare for å bli utnyttet.",  # "fare" is a word: no "føre"
    "Kripos, UDI, IMDi og Sfk samarbeider med GRETA og KOMs kontakter.",
    "tverretatlige samarbeidsstrukturer og a-krimsentre",  # "a-krim" is not "å"
    "Strategien har 18 tiltak, og tabellen viser 8 tiltak for barn.",
    "Develop and implement a reliable reporting system between the agencies.",
    "Ofrene ikke ber om hjelp fordi de selv oppfatter utnyttelsen som frivillig.",
    "JD la 5. desember frem forslag om endringer.",
])
def test_correct_text_stays(text: str, vocab: Vocabulary) -> None:
    result = repair_text(text, vocab)
    assert result.text == text and result.repairs == ()


def test_urls_and_email_addresses_stay(vocab: Vocabulary) -> None:
    text = ("Se https://www.regjeringen.no/no/dokumenter/fns-protokoll-for-a-forebygge/id107341/ "
            "og konfliktraadet.no/aktuelt/ eller skriv til kom.pod@politiet.no pa e-post.")
    result = repair_text(text, vocab)
    assert [(r.original, r.replacement) for r in result.repairs] == [("pa", "på")]
    assert "for-a-forebygge" in result.text and "konfliktraadet.no" in result.text


def test_capitalisation_is_kept(vocab: Vocabulary) -> None:
    assert fixed("Gjennomga lovbestemmelser", vocab) == "Gjennomgå lovbestemmelser"
    assert fixed("Malet er effektiv forebygging.", vocab) == "Målet er effektiv forebygging."
    assert fixed("KOMs Igpende publikasjoner", vocab) == "KOMs løpende publikasjoner"
    # "@" is OCR's reading of both "ø" and "Ø": names take the case the clean texts use.
    assert fixed("Kripos, @kokrim og @vrige etater", vocab) == "Kripos, Økokrim og øvrige etater"


def test_repairs_point_at_the_original_tokens(vocab: Vocabulary) -> None:
    text = "Dette gjgr at vi\nkan overse ofrenes sarbar situasjon pa feltet."
    result = repair_text(text, vocab)
    assert [(r.original, r.replacement) for r in result.repairs] == [
        ("gjgr", "gjør"), ("sarbar", "sårbar"), ("pa", "på")]
    for r in result.repairs:
        assert isinstance(r, Repair) and text[r.start: r.end] == r.original
    rebuilt, pos = [], 0
    for r in result.repairs:
        rebuilt += [text[pos: r.start], r.replacement]
        pos = r.end
    assert "".join(rebuilt) + text[pos:] == result.text


def test_word_broken_at_line_end_is_repaired_in_both_halves(vocab: Vocabulary) -> None:
    text = "ansvar for samordning pa menneske-\nhandelsomradet og giennom-\nferes lokalt"
    result = repair_text(text, vocab)
    assert result.text == ("ansvar for samordning på menneske-\nhandelsområdet og gjennom-\n"
                           "føres lokalt")
    assert all(text[r.start: r.end] == r.original for r in result.repairs)


def test_import_does_not_load_wordfreq() -> None:
    code = "import sys, kom_assistant.ingest.ocr; sys.exit('wordfreq' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("name", CLEAN + DAMAGED)
def test_needs_ocr_repair_on_seeds(name: str, vocab: Vocabulary) -> None:
    text = seed_text(name)
    assert needs_ocr_repair(text, vocab) is (name in DAMAGED)
    assert needs_ocr_repair(text) is (name in DAMAGED)


def test_needs_ocr_repair_ignores_short_and_foreign_text(vocab: Vocabulary) -> None:
    assert not needs_ocr_repair("Det er vanskelig a fa innsikt pa feltet.", vocab)
    english = "The report describes the situation of victims in the Nordic countries. " * 20
    assert not needs_ocr_repair(english, vocab)


def test_clean_seeds_are_almost_untouched(vocab: Vocabulary) -> None:
    # On correct text every repair is a false alarm; the one known is "nasjonal mal" (template).
    for name in CLEAN:
        repairs = repair_text(seed_text(name), vocab).repairs
        assert len(repairs) <= 2, (name, repairs)


def test_fixture_is_a_real_hand_labelled_sample(bench: ModuleType) -> None:
    rows = bench.load_labels()
    assert len(rows) >= 320
    assert {row["file"] for row in rows} == set(DAMAGED)
    unchanged = [row for row in rows if row["original"] == row["correct"]]
    assert len(unchanged) >= 40
    assert len({row["original"].lower() for row in rows}) >= 150  # not 300 copies of "pa"
    texts = {name: seed_text(name).split("\n") for name in DAMAGED}
    wanted = collections.Counter((r["file"], int(r["line"]), r["original"]) for r in rows)
    for (name, line, original), count in wanted.items():
        tokens = TOKEN_RE.findall(texts[name][line - 1])
        assert tokens.count(original) >= count, (name, line, original)


def test_precision_and_recall_on_labelled_tokens(vocab: Vocabulary, bench: ModuleType) -> None:
    texts = {name: seed_text(name) for name in DAMAGED}
    started = time.perf_counter()
    score = bench.evaluate_labels(bench.load_labels(), texts, lambda t: repair_text(t, vocab))
    assert time.perf_counter() - started < 30  # both files; about 3 s on a laptop
    assert score.precision >= 0.97, score.mistakes
    assert score.recall >= 0.85, score.mistakes
    assert score.unlabelled_changes == 0  # labelled lines are fully labelled


def test_evaluation_counts_changes_and_misses(bench: ModuleType) -> None:
    text = "for a bidra\npa feltet og fare\n"
    rows = [
        {"file": "x", "line": "1", "original": "a", "correct": "å"},
        {"file": "x", "line": "2", "original": "pa", "correct": "på"},
        {"file": "x", "line": "2", "original": "fare", "correct": "fare"},
    ]

    def repair(t: str) -> object:
        pos = [m.start() for m in re.finditer(r"\bfare\b", t)][0]
        return type("R", (), {"repairs": (Repair(pos, pos + 4, "fare", "føre"),)})()

    score = bench.evaluate_labels(rows, {"x": text}, repair)
    assert (score.labelled, score.damaged, score.changed, score.correct_changes) == (3, 2, 1, 0)
    assert score.precision == 0.0 and score.recall == 0.0
