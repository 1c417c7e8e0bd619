"""Concurrent users: answer latency (p50, p95) and errors with N users on one app process, and
with the same users spread over two app processes behind one Chroma server (KOM_CHROMA_URL).

    python benchmarks/load.py [--users 1 2 4 8] [--questions 24] [--no-server]

A user is what a Streamlit session does per question: answer.compose.ask on the process's one
loaded index and one model (app.py shares both across sessions through st.cache_resource), in
a thread of its own, questions back to back (no think time: the worst case). The baseline is
one user, in the same run. The two-process rows start a real `chroma run` server, build the
bundled corpus into a temporary index against it (embeddings from the seed: seconds), and run
half the users in each process; they need no new embedding and never touch index/.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_note, load_questions, markdown_table, percentile  # noqa: E402

CHROMA = Path(sys.executable).parent / "chroma"


def run_users(settings: Any, questions: Sequence[str], users: int,
              start_at: float = 0.0) -> dict[str, Any]:
    """`users` threads sharing one index and model, each asking `questions` in turn (offset
    so that they do not ask the same question at the same time), from `start_at` (wall
    clock), so that two processes, warmed up, start together."""
    from kom_assistant.answer.compose import ask
    from kom_assistant.answer.contacts import load_contacts
    from kom_assistant.search.embeddings import load_embedder
    from kom_assistant.search.index import load_index

    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    contacts = load_contacts(settings.corpus_dir)
    for warm in ("Hva er menneskehandel?", "What is forced labour?"):
        ask(warm, index, embedder, contacts=contacts)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    time.sleep(max(0.0, start_at - time.time()))

    def user(n: int) -> None:
        for i in range(len(questions)):
            question = questions[(i + n * 7) % len(questions)]
            started = time.perf_counter()
            try:
                ask(question, index, embedder, contacts=contacts)
            except Exception as e:  # an error is a result here, not a crash of the benchmark
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    return {"latencies": latencies, "errors": errors, "seconds": time.perf_counter() - started}


def row(label: str, users: int, processes: int, result: dict[str, Any]) -> list[object]:
    ms = [s * 1000 for s in result["latencies"]]
    done = len(ms)
    return [label, users, processes, done, len(result["errors"]), f"{percentile(ms, 0.5):.0f}",
            f"{percentile(ms, 0.95):.0f}", f"{done / result['seconds']:.1f}"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def two_processes(questions: Sequence[str], users: int, tmp: Path) -> dict[str, Any]:
    """Half the users in each of two processes, both behind one Chroma server."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp / "chroma"), "--host",
                               "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.2)
        env = {**os.environ, "KOM_CHROMA_URL": url, "KOM_CORPUS_DIR": str(ROOT / "corpus"),
               "KOM_INDEX_DIR": str(tmp / "index")}
        subprocess.run([str(Path(sys.executable).parent / "kom-assistant"), "index"], env=env,
                       check=True, capture_output=True)
        share = max(1, users // 2)
        start_at = time.time() + 30  # both loaded and warmed up by then
        workers = [subprocess.Popen([sys.executable, __file__, "--worker", str(share),
                                     "--start-at", str(start_at),
                                     "--questions-json", json.dumps(list(questions))],
                                    env=env, stdout=subprocess.PIPE, text=True)
                   for _ in range(2)]
        results = [json.loads(w.communicate(timeout=1800)[0].splitlines()[-1]) for w in workers]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"latencies": [s for r in results for s in r["latencies"]],
            "errors": [e for r in results for e in r["errors"]],
            "seconds": max(r["seconds"] for r in results)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--questions", type=int, default=24, help="questions per user")
    parser.add_argument("--no-server", action="store_true",
                        help="skip the two-process rows (no Chroma server)")
    parser.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--questions-json", default="", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from kom_assistant.config import load_settings

    if args.worker:  # one app process of the two-process rows
        result = run_users(load_settings(), json.loads(args.questions_json), args.worker,
                           args.start_at)
        print(json.dumps(result))
        return 0
    questions = [q["question"] for q in load_questions()][: args.questions]
    settings = load_settings(corpus_dir=ROOT / "corpus", index_dir=ROOT / "index")
    rows = []
    for users in args.users:
        label = "baseline: one user" if users == 1 else "one app process"
        rows.append(row(label, users, 1, run_users(settings, questions, users)))
    if not args.no_server:
        with tempfile.TemporaryDirectory(prefix="kom-bench-load-") as tmp:
            for users in [u for u in args.users if u >= 2]:
                rows.append(row("two app processes, one Chroma server", users, 2,
                                two_processes(questions, users, Path(tmp))))
    print(f"Answers under load ({len(questions)} questions per user, no think time); "
          f"{load_note()}.\n")
    print(markdown_table(("setup", "users", "processes", "answers", "errors", "p50 ms",
                          "p95 ms", "answers/s"), rows))
    return 1 if any(r[4] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
