"""The OCR repair's word model, fixed: word and word-pair counts of the bundled clean sources
(word_model.tsv) plus the Norwegian bokmål word list.

It used to be counted from whatever clean documents the corpus held, so adding an unrelated
report rewrote the official documents' repaired text ("Rapportørordningen" became
"Rapportgrordningen" on five pages). Fixed data makes a document's repair depend on its own text
alone. To remake the file after a bundled clean source changed:

    python -m kom_assistant.ingest.word_model corpus/kom-tilstandsrapport-2023.txt \\
        corpus/kom-nyhetsbrev-2022-var.txt corpus/kom-nyhetsbrev-2023-april-juni.md
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from .spelling import Vocabulary, build_vocabulary
from .wordlist import BOKMAAL, norwegian_words

WORD_MODEL = Path(__file__).with_name("word_model.tsv")
_HEADER = ("# The OCR repair's word model (ingest/word_model.py): counts from the bundled clean "
           "sources.\n# Rows: w<TAB>word<TAB>count<TAB>1 for a name (written capitalised), "
           "b<TAB>word<TAB>next word<TAB>count.\n")


def save_word_model(texts: Sequence[str], path: Path = WORD_MODEL) -> Path:
    vocabulary = build_vocabulary(texts)
    rows = [f"w\t{w}\t{n}\t{int(w in vocabulary.names)}"
            for w, n in sorted(vocabulary.counts.items())]
    rows += [f"b\t{a}\t{b}\t{n}" for (a, b), n in sorted(vocabulary.bigrams.items())]
    path.write_text(_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@cache
def repair_vocabulary(path: Path = WORD_MODEL, word_list: Path = BOKMAAL) -> Vocabulary:
    """The vocabulary every OCR-damaged document is repaired against."""
    counts: dict[str, int] = {}
    bigrams: dict[tuple[str, str], int] = {}
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        kind, *cells = line.split("\t")
        if kind == "w":
            counts[cells[0]] = int(cells[1])
            if int(cells[2]):
                names.add(cells[0])
        elif kind == "b":
            bigrams[(cells[0], cells[1])] = int(cells[2])
    return Vocabulary(counts, bigrams, max(sum(counts.values()), 1), frozenset(names),
                      listed=norwegian_words(word_list))


def word_model_key(path: Path = WORD_MODEL, word_list: Path = BOKMAAL) -> str:
    """Changes when the repair's data changes: the file, or which word list is installed."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(str(word_list.stat().st_size if word_list.is_file() else "wordfreq").encode())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    written = save_word_model([Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]])
    print(f"Wrote {written}")
