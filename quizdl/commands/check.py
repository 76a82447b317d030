"""`quizdl check [PATH...]`: validate content, report every problem at path:line:col."""

from __future__ import annotations

import argparse
from pathlib import Path

from quizdl.commands.common import language, load_content
from quizdl.kb.schema import CARD_KINDS


def run(args: argparse.Namespace) -> int:
    kb, count = load_content(args, [Path(p) for p in args.paths])
    zh = language(args) == "zh"
    if count:
        if zh:
            print(f"发现 {count} 个问题；有问题的文件未被载入。")
        else:
            print(f"{count} problem(s) found; files with problems were not loaded.")
        return 2
    kinds = kb.cards.count_by_kind()
    sep = "，" if zh else ", "
    per_kind = sep.join(f"{kind} {kinds[kind]}" for kind in CARD_KINDS if kinds.get(kind))
    topics, cards, files = len(kb.topics), len(kb.cards), len(kb.files)
    if zh:
        print(f"通过：{topics} 个主题，{cards} 张卡片（{per_kind}），共 {files} 个文件")
    else:
        print(f"OK: {topics} topics, {cards} cards ({per_kind}) in {files} files")
    return 0
