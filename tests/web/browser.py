"""Driving the app in a real browser: Streamlit as a subprocess, Debian's chromium through
Playwright, and what the tests look for on the page (reach, contrast, Streamlit's English)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kom_assistant.web.interface import STREAMLIT_TEXTS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
EXIT_URL = "https://www.yr.no/"
CONTRAST = Path(__file__).with_name("contrast.js").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def run_streamlit(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free local port; always stopped again."""
    port = free_port()
    env = {**os.environ, **env}
    env.pop("KOM_LLM", None)
    if not env.get("KOM_ADMIN_PASSWORD"):
        env.pop("KOM_ADMIN_PASSWORD", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def open_app(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    from playwright.sync_api import expect

    page = browser.new_page(viewport=viewport)
    # No internet here: the exit address answers from the test.
    page.route(f"{EXIT_URL}**", lambda route: route.fulfill(
        body="<title>Været</title><h1>Været i dag</h1>", content_type="text/html"))
    page.goto(url)
    expect(page.get_by_role("heading", name="KOM-assistenten")).to_be_visible(timeout=30_000)
    expect(page.locator("#kom-safety .kom-exit")).to_be_visible(timeout=10_000)
    return page


def ask(page: Any, question: str, turns: int) -> None:
    """Type (or paste) a question into the focused-or-not chat box and wait for the answer's
    thumbs: the answer, its sources and the feedback are then all on screen."""
    from playwright.sync_api import expect

    box = page.get_by_test_id("stChatInputTextArea")
    box.focus()
    page.keyboard.insert_text(question)  # one input event, as a paste is
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stFeedback")).to_have_count(turns, timeout=30_000)


def focused(page: Any) -> str:
    return str(page.evaluate("() => { const e = document.activeElement;"
                             " return e.className + '|' + (e.dataset.testid || ''); }"))


def on_top_in_view(page: Any, selector: str) -> bool:
    """The element is inside the window and nothing covers its centre."""
    return bool(page.evaluate("""(selector) => {
        const el = document.querySelector(selector);
        const r = el.getBoundingClientRect();
        const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
            && r.right <= innerWidth;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return inside && el.contains(hit);
    }""", selector))


def english_streamlit_texts(page: Any) -> list[str]:
    """Streamlit's English words the user can see or hear (text, aria-label, title,
    placeholder) in the Norwegian interface."""
    return list(page.evaluate("""(words) => {
        const found = new Set();
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const el = walker.currentNode.parentElement;
            const text = walker.currentNode.nodeValue.trim();
            if (text && el.checkVisibility() && words.includes(text)) found.add(text);
        }
        for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
            for (const name of ['aria-label', 'title', 'placeholder']) {
                const value = el.getAttribute(name);
                if (words.includes(value) || /MB per file|yyyy/i.test(value || '')) {
                    found.add(value);
                }
            }
        }
        const visible = document.body.innerText;
        for (const phrase of ['MB per file', 'yyyy', 'Drag and drop', 'Browse files']) {
            if (visible.includes(phrase)) found.add(phrase);
        }
        return [...found];
    }""", list(STREAMLIT_TEXTS)))


def assert_all_norwegian(page: Any) -> None:
    """Streamlit's texts are replaced as they render, a moment after they appear."""
    deadline = time.monotonic() + 5
    while (english := english_streamlit_texts(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert english == [], f"Streamlit's English in the Norwegian interface: {english}"


def check_contrast(page: Any, where: str) -> None:
    failures = page.evaluate(CONTRAST)
    assert not failures, f"text below WCAG AA contrast ({where}): {failures}"
