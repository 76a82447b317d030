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
from quizdl.lang import language

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
    optimize = sub.add_parser(
        "optimize",
        help="fit FSRS parameters to your review history (time-series split, before/after)",
        description="Fit FSRS parameters to the profile's review history (or to --revlog CSV) "
        "and report log loss, RMSE(bins) and AUC before and after, on a 5-fold time-series "
        "split. The parameters are saved to the profile only with --apply, and only when they "
        "predict later reviews better.",
    )
    optimize.add_argument(
        "--revlog",
        metavar="CSV",
        help="fit an external review log (card_id, review_rating, review_time) instead",
    )
    optimize.add_argument("--apply", action="store_true", help="save the fitted parameters")
    optimize.add_argument("--json", action="store_true", help="print JSON")
    _database_options(optimize)
    doctor = sub.add_parser(
        "doctor",
        help="check the database (integrity, card states against the log) or restore a backup",
        description="Check the database: SQLite integrity and foreign keys, card states "
        "against the review log, orphaned reviews, retired cards; list the backups. Exit 0 "
        "healthy, 1 problems found, 2 unusable file. --restore replaces the database with a "
        "backup, after checking it and backing up the current file.",
    )
    doctor.add_argument("--quick", action="store_true", help="quick_check, not integrity_check")
    doctor.add_argument(
        "--restore", metavar="BACKUP", help="restore this backup (a path or a backup's name)"
    )
    _database_options(doctor)
    stats = sub.add_parser(
        "stats",
        help="statistics: due, streak, retention, forecast, mastery per topic, leeches",
        description="Today's counts, what is due, the streak, answers per day, true retention "
        "by week and month, the 30-day forecast, mastery per topic, review intervals and "
        "leeches, as tables; with --json, the same data for scripts.",
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    _database_options(stats)
    export = sub.add_parser(
        "export",
        help="export: a JSON backup, CSV, the FSRS review log, an Anki deck, a report",
        description="Write an export. json: a backup of the whole database (all profiles; "
        "`quizdl restore` reads it back). csv: one row per card, and the review log in "
        "NAME-reviews.csv. revlog: the review log in the columns of the FSRS optimizer "
        "(card_id, review_time, review_rating, review_state, review_duration). apkg: an Anki "
        "deck of the content. md, html: a progress report. Files appear only when complete; "
        "an existing file is kept unless --force.",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=("json", "csv", "revlog", "apkg", "md", "html"),
        help="what to write",
    )
    export.add_argument("-o", "--output", required=True, metavar="PATH", help="the file to write")
    export.add_argument(
        "--topic", action="append", default=[], metavar="T", help="only this topic (repeatable)"
    )
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.add_argument(
        "--progress", action="store_true", help="show progress on stderr even when not a terminal"
    )
    _database_options(export)
    restore = sub.add_parser(
        "restore",
        help="rebuild the database from a JSON backup (quizdl export --format json)",
        description="Restore a JSON backup into an empty home, in one transaction: exporting "
        "the result again gives the same file. A home that holds data is refused unless "
        "--merge: then reviews already there are skipped, the newer state of each card is "
        "kept, and the home's settings win over the backup's. A damaged or foreign file is "
        "refused and nothing is changed.",
    )
    restore.add_argument("file", metavar="FILE", help="the backup (.json)")
    restore.add_argument("--merge", action="store_true", help="merge into a home that has data")
    restore.add_argument(
        "--progress", action="store_true", help="show progress on stderr even when not a terminal"
    )
    restore.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: QUIZDL_DB_URL, else SQLite in QUIZDL_HOME)",
    )
    sub.add_parser(
        "summary",
        help="print a summary of the content and the commands (what `quizdl` prints "
        "when it is not run in a terminal)",
    )
    return parser


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: QUIZDL_DB_URL, else SQLite in QUIZDL_HOME)",
    )
    parser.add_argument("--profile", default="default", help="learner profile (default: default)")


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
    "optimize": "optimize",
    "doctor": "doctor",
    "stats": "stats",
    "export": "export",
    "restore": "restore",
    None: "app",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(f"quizdl.commands.{COMMANDS[args.command]}")
    try:
        code: int = module.run(args)
    except QuizdlError as exc:
        print(f"quizdl: {exc.said(language(args))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
