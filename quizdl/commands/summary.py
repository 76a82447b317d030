"""`quizdl summary`: the knowledge base and the commands in text; also what `quizdl` prints
when it is not run in a terminal (the app needs one)."""

from __future__ import annotations

import argparse

from quizdl.commands.common import language, load_content
from quizdl.kb.schema import CARD_KINDS


def run(args: argparse.Namespace) -> int:
    from quizdl.cli import build_parser

    lang = language(args)
    kb, count = load_content(args)
    kinds = kb.cards.count_by_kind()  # counted from what is stored beside each card
    per_topic = kb.cards.count_by_topic()
    print(f"quizdl: {len(kb.topics)} topics, {len(kb.cards)} cards")
    print("  " + ", ".join(f"{kind} {kinds[kind]}" for kind in CARD_KINDS if kinds.get(kind)))
    for topic in sorted(kb.topics.values(), key=lambda t: (t.order, t.id)):
        cards = per_topic.get(topic.id, 0)
        print(f"  {topic.id:<28} {cards:>3}  {topic.title.render(lang)}")
    if count:
        print(f"{count} content problem(s) above; run 'quizdl check' for details.")
    print()
    build_parser().print_help()
    return 2 if count else 0
