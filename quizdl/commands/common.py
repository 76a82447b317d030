"""Small helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import locale
import os
import sys
from pathlib import Path

from quizdl.kb.loader import KnowledgeBase, load
from quizdl.kb.text import Lang


def language(args: argparse.Namespace) -> Lang:
    """--lang, else QUIZDL_LANG, else the locale (Chinese locales give Chinese)."""
    chosen = getattr(args, "lang", None) or os.environ.get("QUIZDL_LANG", "")
    if chosen in ("en", "zh"):
        return "zh" if chosen == "zh" else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"


def load_content(
    args: argparse.Namespace, extra: list[Path] | None = None
) -> tuple[KnowledgeBase, int]:
    """The knowledge base; problems are printed to stderr and counted."""
    paths = [Path(p) for p in getattr(args, "content", [])] + (extra or [])
    kb, problems = load(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return kb, len(problems)
