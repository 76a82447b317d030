"""`quizdl import NOTES.md [--out DIR]`: build or merge YAML topics from markdown notes."""

from __future__ import annotations

import argparse
from pathlib import Path

from quizdl.errors import BadInput


def run(args: argparse.Namespace) -> int:
    from quizdl.kb.importer import format_report, import_notes

    notes = Path(args.notes)
    if not notes.is_file():
        raise BadInput(f"{notes}: no such file")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise BadInput(f"{out}: exists and is not a folder")
    report = import_notes(notes, out)
    print(format_report(report))
    return 0
