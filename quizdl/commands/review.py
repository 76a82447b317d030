"""`quizdl review [--jsonl]`: today's review, as a JSON-lines protocol or in plain text."""

from __future__ import annotations

import argparse
import io
import os
import sys

from quizdl.commands.common import open_study
from quizdl.errors import QuizdlError


def run(args: argparse.Namespace) -> int:
    if args.jsonl:
        return run_jsonl(args)
    study = open_study(args)
    study.start(tuple(args.topic), tuple(args.tag), bury=False if args.no_bury else None)
    from quizdl.commands.review_text import TextReview

    TextReview(study).run()
    return 0


def run_jsonl(args: argparse.Namespace) -> int:
    """The protocol speaks UTF-8 whatever the locale; a line that is not UTF-8 reaches
    the protocol with its bad bytes kept (surrogateescape), so that it can be refused."""
    from quizdl.study.protocol import Protocol, emit, unexpected

    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape")
    try:
        try:
            study = open_study(args)
            study.start(tuple(args.topic), tuple(args.tag), bury=False if args.no_bury else None)
        except QuizdlError as exc:  # the command line reports it on stderr too
            emit(out, "error", message=str(exc))
            raise
        except Exception as exc:  # e.g. a database that cannot be opened: no traceback
            emit(out, "error", message=unexpected(exc))
            print(f"quizdl: {unexpected(exc)}", file=sys.stderr)
            return 1
        return 0 if Protocol(study, out).run(lines) is not None else 1
    except BrokenPipeError:
        # The reader went away; what was committed stays committed. Point stdout at
        # /dev/null so that flushing what is left at exit does not fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 1
    finally:
        out.detach()  # flushes; sys.stdout's own buffer must stay open
        lines.detach()
