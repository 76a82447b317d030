"""`quizdl review [--jsonl]`: today's review, as a JSON-lines protocol or in plain text."""

from __future__ import annotations

import argparse
import sys

from quizdl.commands.common import open_study


def run(args: argparse.Namespace) -> int:
    study = open_study(args)
    study.start(tuple(args.topic), tuple(args.tag), bury=False if args.no_bury else None)
    if args.jsonl:
        from quizdl.study.protocol import Protocol

        Protocol(study, sys.stdout).run(sys.stdin)
        return 0
    from quizdl.commands.review_text import TextReview

    TextReview(study).run()
    return 0
