"""A Norwegian bokmål word list, for telling words from debris: Debian's wnorwegian (935,000 word
forms, installed by scripts/install-system-deps.sh) where it is installed, else wordfreq's
Norwegian list (320,000 words, a Python dependency), so nothing fails without it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

BOKMAAL = Path("/usr/share/dict/bokmaal")  # wnorwegian; ISO-8859-1, one form a line


@cache
def norwegian_words(path: Path = BOKMAAL) -> frozenset[str]:
    """Every word form of the list, lower case."""
    if path.is_file():
        with path.open(encoding="latin-1") as f:
            return frozenset(line.strip().lower() for line in f if line.strip())
    from wordfreq import top_n_list

    return frozenset(top_n_list("nb", 1_000_000))


def has_full_list(path: Path = BOKMAAL) -> bool:
    """Whether the full list is installed (the fallback knows fewer rare compounds)."""
    return path.is_file()
