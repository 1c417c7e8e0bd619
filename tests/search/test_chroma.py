"""The Chroma store on a real server (`chroma run`, started here): several app processes behind
one server, only the kept builds' collections on it, and a server that is down said plainly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kom_assistant.errors import ChromaUnavailableError
from kom_assistant.maintain.attempts import read_attempt
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.builds import kept_builds
from kom_assistant.search.chroma import chroma_client
from kom_assistant.search.index import load_index

from ..conftest import ROOT

CHROMA = Path(sys.executable).parent / "chroma"
# One app process, as tests/web/test_app.py drives it: the real app.py, no browser.
APP_SESSION = """
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=180).run()
assert not app.exception, app.exception
app.chat_input[0].set_value(sys.argv[2]).run()
assert not app.exception, app.exception
answer = app.session_state["turns"][0]["answer"]
print(sorted({h.chunk.document_title for h in answer.hits}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path):  # type: ignore[no-untyped-def]
    """A real Chroma server on a free port, stopped after the test."""
    port = _free_port()
    log = open(tmp_path / "chroma.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "chroma-data"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"chroma run did not start: {(tmp_path / 'chroma.log').read_text()}")
            time.sleep(0.2)
    yield server, url
    server.terminate()
    server.wait(timeout=30)
    log.close()


def _collections(settings) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.name for c in chroma_client(settings, Path()).list_collections()}


@pytest.mark.slow
def test_two_app_processes_behind_one_chroma_server(small_settings, embedder, chroma_server):
    _, url = chroma_server
    settings = replace(small_settings, chroma_url=url)
    (settings.corpus_dir / "contacts.toml").write_bytes(
        (ROOT / "corpus" / "contacts.toml").read_bytes())
    first = build_index(settings, embedder).build_id
    build_index(settings, embedder, rebuild=True)
    third = build_index(settings, embedder, rebuild=True).build_id
    # only the kept builds' collections stay on the server: the serving one, the one before
    assert _collections(settings) == {f"kom-{b}" for b in kept_builds(settings.index_dir)}
    assert f"kom-{first}" not in _collections(settings) and f"kom-{third}" in _collections(
        settings)

    env = {**os.environ, "KOM_CHROMA_URL": url, "KOM_CORPUS_DIR": str(settings.corpus_dir),
           "KOM_INDEX_DIR": str(settings.index_dir), "KOM_FEEDBACK_DIR": str(
               settings.index_dir.parent / "feedback")}
    env.pop("KOM_ADMIN_PASSWORD", None)
    env.pop("KOM_LLM", None)
    question = "Hvilke tegn tyder på tvangsarbeid?"
    apps = [subprocess.Popen([sys.executable, "-c", APP_SESSION, str(ROOT / "app.py"), question],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    for app in apps:
        out, err = app.communicate(timeout=300)
        assert app.returncode == 0, err[-2000:]
        assert "Veileder for identifisering" in out  # the answer's sources come from the server


def test_a_server_that_is_down_is_named_with_how_to_start_it(small_settings, embedder):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    settings = replace(small_settings, chroma_url=url)
    with pytest.raises(ChromaUnavailableError, match="KOM_CHROMA_URL") as info:
        build_index(settings, embedder)
    assert url in str(info.value) and "chroma run" in info.value.english
    assert "--rebuild" not in str(info.value)  # rebuilding cannot help
    attempt = read_attempt(settings.index_dir)
    assert attempt is not None and attempt.state == "failed" and url in attempt.error


@pytest.mark.slow
def test_a_server_that_went_away_after_the_build(small_settings, embedder, chroma_server):
    server, url = chroma_server
    settings = replace(small_settings, chroma_url=url)
    build_index(settings, embedder)
    assert load_index(settings, embedder.name).chunks
    server.terminate()
    server.wait(timeout=30)
    with pytest.raises(ChromaUnavailableError, match="svarer ikke"):
        load_index(settings, embedder.name)
    env = {**os.environ, "KOM_CHROMA_URL": url, "KOM_CORPUS_DIR": str(settings.corpus_dir),
           "KOM_INDEX_DIR": str(settings.index_dir), "KOM_LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-m", "kom_assistant.cli", "index", "--rebuild"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot be reached" in done.stderr and "chroma run" in done.stderr
