"""`quizdl` with no command: a summary of the knowledge base and the commands.

(The Textual app replaces this once it exists.)
"""

from __future__ import annotations

import argparse
from collections import Counter

from quizdl.commands.common import language, load_content
from quizdl.kb.schema import CARD_KINDS


def run(args: argparse.Namespace) -> int:
    from quizdl.cli import build_parser

    lang = language(args)
    kb, count = load_content(args)
    kinds = Counter[str](card.kind for card in kb.cards.values())
    print(f"quizdl: {len(kb.topics)} topics, {len(kb.cards)} cards")
    print("  " + ", ".join(f"{kind} {kinds[kind]}" for kind in CARD_KINDS if kinds[kind]))
    for topic in sorted(kb.topics.values(), key=lambda t: (t.order, t.id)):
        print(f"  {topic.id:<28} {len(kb.cards_of(topic.id)):>3}  {topic.title.render(lang)}")
    if count:
        print(f"{count} content problem(s) above; run 'quizdl check' for details.")
    print()
    build_parser().print_help()
    return 2 if count else 0
