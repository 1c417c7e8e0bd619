"""Progress of an index build on stderr: bars on a terminal, and a plain line every few seconds
otherwise (a scheduled job's log, a pipe), so a 5,000-page PDF never looks hung.

Two phases report: reading (pages of each file) and embedding (texts). `make_progress` returns
the two callbacks build_index takes, and a function that ends the output.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from .messages import say

LINE_EVERY_S = 5.0


def make_progress(stream: TextIO, lang: str, every: float = LINE_EVERY_S,
                  clock: Callable[[], float] = time.monotonic,
                  ) -> tuple[Callable[[str, int, int], None], Callable[[int, int], None],
                             Callable[[], None]]:
    """(on_step(file, pages, total), progress(n, total), close) for build_index."""
    if stream.isatty():
        return _bars(stream)
    state: dict[str, Any] = {"last": None, "done": 0, "pending": ""}

    def line(text: str, final: bool) -> None:
        now = clock()
        if final or state["last"] is None or now - state["last"] >= every:
            print(text, file=stream, flush=True)
            state["last"], state["pending"] = now, ""
        else:
            state["pending"] = text  # shown at the end of the phase, if nothing newer is

    def on_step(name: str, done: int, total: int) -> None:
        line(say("reading", lang, name=name, done=done, total=total), done == total)

    def progress(n: int, total: int) -> None:
        state["done"] += n
        done = min(state["done"], total)
        line(say("embedding", lang, done=done, total=total, share=done / max(1, total)),
             done >= total)

    def close() -> None:
        if state["pending"]:
            print(state["pending"], file=stream, flush=True)

    return on_step, progress, close


def _bars(stream: TextIO) -> tuple[Callable[[str, int, int], None], Callable[[int, int], None],
                                   Callable[[], None]]:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def on_step(name: str, done: int, total: int) -> None:
        bar = bars.get(name)
        if bar is None:
            bar = bars[name] = tqdm(total=total, unit="page", desc=name, file=stream, leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def progress(n: int, total: int) -> None:
        bar = bars.get("")
        if bar is None:
            bar = bars[""] = tqdm(total=total, unit="text", desc="Embedding", file=stream)
        bar.total = total
        bar.update(n)

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return on_step, progress, close
