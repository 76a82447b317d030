"""`quizdl check [PATH...]`: validate content, report every problem at path:line:col."""

from __future__ import annotations

import argparse
from pathlib import Path

from quizdl.commands.common import load_content
from quizdl.kb.schema import CARD_KINDS


def run(args: argparse.Namespace) -> int:
    kb, count = load_content(args, [Path(p) for p in args.paths])
    if count:
        print(f"{count} problem(s) found; files with problems were not loaded.")
        return 2
    kinds = kb.cards.count_by_kind()
    per_kind = ", ".join(f"{kind} {kinds[kind]}" for kind in CARD_KINDS if kinds.get(kind))
    print(
        f"OK: {len(kb.topics)} topics, {len(kb.cards)} cards ({per_kind}) in {len(kb.files)} files"
    )
    return 0
