"""Progress on stderr: a line every few seconds when it is not a terminal."""

import io

from kom_assistant.cli.progress import make_progress


def test_a_line_every_few_seconds_and_the_end_of_each_phase():
    stream, now = io.StringIO(), [0.0]
    on_step, progress, close = make_progress(stream, "en", every=5.0, clock=lambda: now[0])
    for page in range(1, 101):
        now[0] = page * 0.2  # 5 pages a second
        on_step("stor.pdf", page, 100)
    for _ in range(10):
        now[0] += 2.0
        progress(10, 100)
    close()
    lines = stream.getvalue().splitlines()
    reading = [ln for ln in lines if ln.startswith("Reading stor.pdf")]
    assert reading[0] == "Reading stor.pdf: page 1 of 100"
    assert reading[-1] == "Reading stor.pdf: page 100 of 100" and 4 <= len(reading) <= 6
    embedding = [ln for ln in lines if ln.startswith("Embedding")]
    assert embedding[-1] == "Embedding: 100 of 100 texts (100%)" and len(embedding) <= 5


def test_norwegian_lines():
    stream = io.StringIO()
    on_step, _, close = make_progress(stream, "nb")
    on_step("a.pdf", 1, 1)
    close()
    assert stream.getvalue() == "Leser a.pdf: side 1 av 1\n"
