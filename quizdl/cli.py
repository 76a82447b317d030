"""The `quizdl` command. Each subcommand's module is imported only when it runs, so that
`quizdl --help` and quick commands start fast.

Exit codes: 0 success, 1 failure at run time, 2 bad input (usage, content, files).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from quizdl import __version__
from quizdl.errors import QuizdlError

DESCRIPTION = (
    "quizdl: a daily deep-learning review in the terminal. Flashcards scheduled by FSRS, "
    "plus numeric questions generated fresh on every review, checked and explained."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quizdl", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"quizdl {__version__}")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="language of questions and messages (default: from QUIZDL_LANG or the locale)",
    )
    parser.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="an extra content folder or file, besides the shipped content (repeatable)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="validate content; problems as path:line:col: message",
        description="Validate the shipped content plus the files and folders given. Every "
        "problem in every file is printed as path:line:col: message. Exit 2 if any.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="YAML files or folders to check")

    imp = sub.add_parser(
        "import",
        help="build or update YAML topics from markdown notes",
        description="Build YAML topics from markdown notes, or merge new material into the "
        "YAML already in --out: hand edits, ids, comments and order are kept; material gone "
        "from the notes is reported, never deleted.",
    )
    imp.add_argument("notes", metavar="NOTES.md", help="the markdown notes file")
    imp.add_argument(
        "--out", default="content", metavar="DIR", help="output folder (default: content)"
    )

    gen = sub.add_parser(
        "gen",
        help="show a generated question, or check an answer to it",
        description="Print a question of a generator family. With --answer, check the answer "
        "and print the verdict, the diagnosis and the worked solution.",
    )
    gen.add_argument("name", nargs="?", metavar="NAME", help="generator family id (see --list)")
    gen.add_argument("--seed", type=int, default=None, help="seed (default: random)")
    gen.add_argument("--answer", metavar="A", help="an answer to check")
    gen.add_argument("--json", action="store_true", help="print JSON")
    gen.add_argument("--list", action="store_true", help="list the generator families")
    review = sub.add_parser(
        "review",
        help="today's review (plain text, or --jsonl for scripts and editor plugins)",
        description="Review today's due cards: learning, review and new cards, scheduled by "
        "FSRS. With --jsonl, a line-delimited JSON protocol on stdin and stdout (see README).",
    )
    review.add_argument("--jsonl", action="store_true", help="speak the JSON-lines protocol")
    _study_options(review)
    sub.add_parser(
        "summary",
        help="print a summary of the content and the commands (what `quizdl` prints "
        "when it is not run in a terminal)",
    )
    return parser


def _study_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: QUIZDL_DB_URL, else SQLite in QUIZDL_HOME)",
    )
    parser.add_argument("--profile", default="default", help="learner profile (default: default)")
    parser.add_argument("--topic", action="append", default=[], metavar="T", help="only this topic")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only cards with this tag"
    )
    parser.add_argument(
        "--no-bury", action="store_true", help="show cards of the same section on the same day"
    )


COMMANDS = {
    "check": "check",
    "import": "import_notes",
    "gen": "gen",
    "review": "review",
    "summary": "summary",
    None: "app",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(f"quizdl.commands.{COMMANDS[args.command]}")
    try:
        code: int = module.run(args)
    except QuizdlError as exc:
        print(f"quizdl: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
