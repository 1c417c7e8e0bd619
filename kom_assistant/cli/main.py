"""`kom-assistant`: the command line. The one place (with app.py) that turns errors into messages.

Output formats (--json, --jsonl) are a stable contract: scripts and evaluations depend on them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..config import Settings, load_settings
from ..errors import KomError
from ..i18n import pages_label
from .json_shapes import answer_json, chunk_json, hit_json
from .maintain import cmd_add, cmd_index, cmd_status, print_problems
from .messages import say, user_language
from .train import add_train_commands


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = load_settings()
    args.lang = user_language(args.lang, settings)
    try:
        return int(args.func(args, settings) or 0)
    except KomError as e:
        print(f"{say('error', args.lang)}: {e.message(args.lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kom-assistant",
        description="KOM-assistenten: svar om menneskehandel fra offisielle kilder, med kilder.",
    )
    parser.add_argument("--lang", choices=("nb", "en"), default=None,
                        help="language of messages (default: KOM_LANGUAGE, else the locale: "
                             "English for en_*, else Norwegian)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="Read the corpus and report documents, pages and chunks.")
    p.add_argument("--stats", action="store_true", help="print counts per document (default)")
    p.add_argument("--document", help="only this document id")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("chunks", help="Write every chunk as JSON, one object per line.")
    p.add_argument("--jsonl", action="store_true", help="JSON lines output (the default)")
    p.add_argument("--document", help="only this document id")
    p.set_defaults(func=cmd_chunks)

    p = sub.add_parser("index", help="Build or update the index from the corpus.")
    p.add_argument("paths", nargs="*", type=Path,
                   help="a corpus folder, or files to copy into the corpus first")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--if-missing", action="store_true", help="only build when there is no index")
    p.add_argument("--wait", action="store_true", help="wait for another running re-index")
    p.add_argument("--save-seed", action="store_true",
                   help="then save the corpus's embeddings to corpus/embedding-seed.npz, so a "
                        "fresh clone builds without embedding them again")
    _add_strict(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="Print the ranked hits for a question.")
    p.add_argument("-k", type=int, default=None, help="how many hits (default KOM_K or 8)")
    _add_question_arguments(p, "one JSON object with all hits", "one line of hits each")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="Retrieval metrics on a questions file (JSON lines).")
    p.add_argument("questions", type=Path, help="e.g. ../shared/eval/dev.jsonl")
    p.add_argument("-k", type=int, default=10, help="hits per question")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("ask", help="Answer a question from the sources, with citations.")
    _add_question_arguments(p, "the answer record as JSON", "one answer line each")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("add", help="Add a document or a new edition to the corpus.")
    p.add_argument("file", type=Path, help="PDF, .txt or .md file")
    p.add_argument("--title", required=True, help="document title")
    p.add_argument("--kind", required=True,
                   help="veileder | strategi | tilstandsrapport | nyhetsbrev | annet")
    p.add_argument("--year", type=int, help="publication year")
    p.add_argument("--edition", default="", help="edition label, e.g. 2025")
    p.add_argument("--published", default="", help="publication date, YYYY-MM-DD")
    p.add_argument("--supersedes", default="", help="id of the edition this one replaces")
    p.add_argument("--id", default="", help="document id (default: made from kind and title)")
    p.add_argument("--no-index", action="store_true", help="only add; re-index later")
    _add_strict(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("status", help="Documents, editions, chunks, model and build time.")
    p.set_defaults(func=cmd_status)

    add_train_commands(sub)
    return parser


def _add_strict(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="exit with code 1 when documents had to be skipped (for scheduled jobs); "
                        "the build itself still goes ahead without them")


def _add_question_arguments(p: argparse.ArgumentParser, json_help: str, jsonl_help: str) -> None:
    p.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("--jsonl", action="store_true",
                   help=f'read {{"id", "question"}} lines on stdin, write {jsonl_help}')
    _add_filters(p)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", action="append", default=[], help="only this document kind")
    p.add_argument("--year", action="append", type=int, default=[], help="only this year")
    p.add_argument("--document", action="append", default=[], help="only this document id")
    p.add_argument("--include-archived", action="store_true",
                   help="also search superseded editions")


def _questions(args: argparse.Namespace) -> Iterator[tuple[Any, str]]:
    """(id, question): from {"id", "question"} lines on stdin with --jsonl, else the one given
    (its id None)."""
    if args.jsonl:
        for line in sys.stdin:
            if line.strip():
                item = json.loads(line)
                yield item.get("id"), item["question"]
    elif args.question:
        yield None, args.question
    else:
        raise KomError("Skriv et spørsmål, eller bruk --jsonl.", "Give a question, or use --jsonl.")


def _filters(args: argparse.Namespace) -> Any:
    from ..search.retrieve import Filters

    return Filters(tuple(args.kind), tuple(args.year), tuple(args.document),
                   args.include_archived)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ..ingest.read import ingest_corpus
    from ..maintain.reindex import chunk_corpus

    result = ingest_corpus(settings.corpus_dir, int(settings.max_file_mb * 1e6), args.document)
    chunks = chunk_corpus(result, settings)
    print(f"{'document':32} {'pages':>5} {'chunks':>6} {'words/chunk':>11} {'repaired':>8}")
    for doc in result.documents:
        own = [c for c in chunks if c.document_id == doc.document.id]
        avg = sum(c.word_count for c in own) / max(1, len(own))
        print(f"{doc.document.id:32} {len(doc.pages):5} {len(own):6} {avg:11.0f} "
              f"{doc.repaired_tokens:8}")
    total_pages = sum(len(d.pages) for d in result.documents)
    total_repairs = sum(d.repaired_tokens for d in result.documents)
    print(f"{'total':32} {total_pages:5} {len(chunks):6} {'':11} {total_repairs:8}")
    print_problems(result.problems, result.warnings, args.lang)
    return 1 if result.problems else 0


def cmd_chunks(args: argparse.Namespace, settings: Settings) -> int:
    from ..ingest.read import ingest_corpus
    from ..maintain.reindex import chunk_corpus

    result = ingest_corpus(settings.corpus_dir, int(settings.max_file_mb * 1e6), args.document)
    for chunk in chunk_corpus(result, settings):
        print(json.dumps(chunk_json(chunk), ensure_ascii=False))
    print_problems(result.problems, result.warnings, args.lang)
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from ..search.embeddings import load_embedder
    from ..search.index import load_index
    from ..search.retrieve import hybrid_search

    k = args.k or settings.k
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    filters = _filters(args)
    for qid, question in _questions(args):
        hits = hybrid_search(index, embedder, question, k, filters)
        if args.jsonl:
            print(json.dumps({"id": qid, "hits": [hit_json(h) for h in hits]},
                             ensure_ascii=False), flush=True)
        elif args.json:
            print(json.dumps({"question": question, "hits": [hit_json(h) for h in hits]},
                             ensure_ascii=False, indent=1))
        else:
            if not hits:
                print(say("no_hits", args.lang))
            for hit in hits:
                c = hit.chunk
                print(f"{hit.rank:2}. [{hit.score:.4f}] {c.document_title}, {c.section or '–'}, "
                      f"{pages_label(c.page_start, c.page_end)}")
                print("    " + " ".join(c.text.split())[:300])
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from ..maintain.evaluate import evaluate, format_table
    from ..search.embeddings import load_embedder
    from ..search.index import load_index
    from ..search.retrieve import hybrid_search

    questions = [json.loads(line) for line in args.questions.read_text().splitlines() if line]
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    for warm_up in ("Hva er menneskehandel?", "What is forced labour?"):  # caches, both languages
        hybrid_search(index, embedder, warm_up, 1)
    table = evaluate(questions, lambda q: hybrid_search(index, embedder, q, args.k),
                     time.perf_counter)
    print(format_table(table))
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from ..answer.compose import ask
    from ..answer.contacts import load_contacts
    from ..answer.llm import answer_with_llm
    from ..search.embeddings import load_embedder
    from ..search.index import load_index

    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    contacts = load_contacts(settings.corpus_dir)
    filters = _filters(args)

    def answer(question: str) -> Any:
        extractive = ask(question, index, embedder, filters=filters, contacts=contacts)
        if settings.llm and not extractive.refused:
            return answer_with_llm(extractive, settings)
        return extractive

    for qid, question in _questions(args):
        result = answer(question)
        if args.jsonl:
            print(json.dumps({"id": qid, **answer_json(result)}, ensure_ascii=False), flush=True)
        elif args.json:
            print(json.dumps(answer_json(result), ensure_ascii=False, indent=1))
        else:
            print(result.text)
            if result.note:
                print(f"\n({result.note})")
            for c in result.citations:
                print(f"\n[{c.n}] {c.chunk.document_title}, {c.chunk.section or '–'}, "
                      f"{pages_label(c.chunk.page_start, c.chunk.page_end)}")
    return 0

