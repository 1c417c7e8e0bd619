"""How long indexing takes: a fresh clone's first build, a full rebuild with a warm cache, an
unchanged corpus, and (--cold) a build that embeds everything. Pages per second on a large PDF:
benchmarks/large_pdf.py; answers under concurrent users: benchmarks/load.py.

    python benchmarks/indexing.py [--cold]

Every build goes into a temporary index folder; the serving index/ is only read (its embedding
cache is copied for the warm rebuild).
- fresh clone: no index, no cache, the corpus with its embedding seed (corpus/embedding-seed.npz);
- --cold: the corpus without its seed and an empty cache, so every chunk and sentence is
  embedded (minutes on two cores).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import markdown_table, verdict  # noqa: E402
from kom_assistant.search.embeddings import SEED_FILE  # noqa: E402

TARGET_FULL_S, TARGET_UNCHANGED_S = 60.0, 5.0
CLI = Path(sys.executable).parent / "kom-assistant"


@dataclass(frozen=True)
class Timing:
    step: str
    seconds: float | None  # None: not run
    chunks: int | None = None
    embedded: int | None = None
    target: float | None = None
    note: str = ""


def timing_row(t: Timing) -> list[object]:
    if t.seconds is None:
        return [t.step, "not run", "–", "–", "–", "–", t.note]
    result = "–" if t.target is None else verdict(t.seconds, "<=", t.target)
    if result == "FAIL":
        result += f" (misses by {t.seconds - (t.target or 0):.1f} s)"
    target = "–" if t.target is None else f"<= {t.target:g} s"
    return [t.step, f"{t.seconds:.1f}", "–" if t.chunks is None else t.chunks,
            "–" if t.embedded is None else t.embedded, target, result, t.note]


def timings_table(timings: Sequence[Timing]) -> str:
    return markdown_table(("step", "seconds", "chunks", "embedded", "target", "PASS/FAIL", "note"),
                          [timing_row(t) for t in timings])


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy even while a build writes to the source."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def time_build(index_dir: Path, step: str, note: str, corpus_dir: Path = ROOT / "corpus") -> Timing:
    """A full build (rebuild=True) into `index_dir` through reindex.build_index, in-process."""
    from kom_assistant.config import load_settings
    from kom_assistant.maintain.reindex import build_index
    from kom_assistant.search.embeddings import load_embedder

    settings = load_settings(corpus_dir=corpus_dir, index_dir=index_dir)
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    started = time.perf_counter()
    report = build_index(settings, embedder, rebuild=True)
    seconds = time.perf_counter() - started
    return Timing(step, seconds, report.chunks, report.embedded, TARGET_FULL_S,
                  f"{note}; model loading excluded")


def time_unchanged(index_dir: Path) -> Timing:
    """`kom-assistant index` as a user runs it, on a corpus the index already holds."""
    env = {**os.environ, "KOM_INDEX_DIR": str(index_dir), "KOM_CORPUS_DIR": str(ROOT / "corpus"),
           "KOM_LANGUAGE": "nb"}  # the check below reads the Norwegian line
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "index"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - started
    unchanged = "Uendret" in done.stdout
    note = "CLI wall time incl. start-up and model loading"
    if done.returncode != 0 or not unchanged:
        note += f"; UNEXPECTED: exit {done.returncode}, output {done.stdout.strip()[:120]!r}"
    return Timing("`kom-assistant index`, unchanged corpus", seconds, None, 0, TARGET_UNCHANGED_S,
                  note)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true",
                        help="also time a full build with an empty embedding cache (minutes)")
    args = parser.parse_args(argv)
    cache = ROOT / "index" / "embeddings.sqlite"
    if not cache.exists():
        print(f"No embedding cache at {cache}: run `kom-assistant index` first.", file=sys.stderr)
        return 2
    timings = []
    with tempfile.TemporaryDirectory(prefix="kom-bench-index-") as tmp:
        timings.append(time_build(Path(tmp) / "fresh", "fresh clone: full build, seed file, "
                                  "empty cache", "page cache empty too"))
        if args.cold:
            unseeded = Path(tmp) / "corpus"
            shutil.copytree(ROOT / "corpus", unseeded,
                            ignore=shutil.ignore_patterns(SEED_FILE))
            timings.append(time_build(Path(tmp) / "cold", "full build, no seed, empty cache",
                                      "every chunk and sentence embedded", unseeded))
        else:
            timings.append(Timing("full build, no seed, empty cache", None,
                                  note="run with --cold (takes minutes)"))
        warm = Path(tmp) / "warm"
        warm.mkdir()
        copy_sqlite(cache, warm / "embeddings.sqlite")
        timings.append(time_build(warm, "full rebuild, warm embedding cache",
                                  "cache copied from index/"))
        timings.append(time_unchanged(warm))
    print("Indexing time (temporary index folders; the serving index is not touched).\n")
    print(timings_table(timings))
    return 0 if all(t.seconds is None or t.target is None or t.seconds <= t.target
                    for t in timings) else 1


if __name__ == "__main__":
    raise SystemExit(main())
