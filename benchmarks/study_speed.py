"""Answer plus next card through quizdl's study module, side by side with the anki library.

Both sides in one run, each in its own subprocess on a throwaway copy of a 100,000-card,
1,000,000-review database (benchmarks/bigdb.py for quizdl, benchmarks/anki_peer.py for
anki, the same workload), 2,000 answers with the same rating pattern. Prints JSON with both
figures and the ratios. Budgets (issue: store and scheduler): answer + next p99 at most
half of anki's answer_card p99; the first queue of a session under 50 ms; resident memory
under 150 MiB.

    python benchmarks/study_speed.py [--answers 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.anki_peer import RATING_CYCLE, peak_rss_mib, summary_ms
from benchmarks.bigdb import REFERENCE_NOW, SECTION_SIZE, TOPICS, cached


def synthetic_kb(cards: int) -> Any:
    """The knowledge base that matches the big database's card ids, stored as the loader
    stores content (KnowledgeBase.from_cards: compact, built on access). Built in memory:
    100,000 cards from YAML would measure the YAML parser, not the study module."""
    from quizdl.kb.loader import KnowledgeBase
    from quizdl.kb.schema import BasicCard, GeneratedCard, Source, TopicMeta
    from quizdl.kb.text import Text

    topics = [
        TopicMeta.model_construct(
            id=f"bench-{t:02d}", title=Text.same(f"bench-{t:02d}"),
            source=Source.model_construct(note="b.md", section=f"bench-{t:02d}"),
            order=t, summary=None, references=[], excerpts=[],
        )
        for t in range(TOPICS)
    ]  # fmt: skip
    per_topic = -(-cards // TOPICS)

    def generate() -> Iterator[Any]:  # one card at a time: the store keeps none of them
        for i in range(cards):
            section = f"Section {i // SECTION_SIZE}"
            common = {
                "id": f"bench-{i // per_topic:02d}/card-{i:06d}", "tags": ["bench"],
                "explain": None, "origin": None,
                "source": Source.model_construct(note="b.md", section=section),
            }  # fmt: skip
            if i % 5 == 0:
                yield GeneratedCard.model_construct(
                    kind="generated", generator="activation-derivative", params={}, title=None,
                    **common,
                )  # fmt: skip
            else:
                yield BasicCard.model_construct(
                    kind="basic", front=Text.same(f"Q{i}"), back=Text.same(f"A{i}"), **common
                )

    return KnowledgeBase.from_cards(topics, generate())


def quizdl_child(path: Path, answers: int) -> dict[str, Any]:
    from quizdl.clock import Clock
    from quizdl.store.db import Database
    from quizdl.study import repo
    from quizdl.study.service import Study

    kb = synthetic_kb(100_000)
    with sqlite3.connect(path) as connection:  # the content is in step with the database
        connection.execute("UPDATE profiles SET content_fingerprint = ?", (repo.fingerprint(kb),))
    database = Database(f"sqlite:///{path}")
    clock = Clock(fixed=REFERENCE_NOW)
    opened = time.perf_counter()
    study = Study(database, kb, clock=clock, rng=random.Random(0))
    open_ms = (time.perf_counter() - opened) * 1000
    started = time.perf_counter()
    counts = study.start()
    first_queue_ms = (time.perf_counter() - started) * 1000
    both, rate_only, check = [], [], []
    item = study.next_item()
    now = REFERENCE_NOW
    for i in range(answers):
        if item is None:
            break
        if item.question is not None:  # checking a typed answer, timed apart (anki has none)
            t = time.perf_counter_ns()
            study.submit_answer(repr(item.question.draft.answer))
            check.append(time.perf_counter_ns() - t)
        now += timedelta(seconds=5)
        study.clock = replace(clock, fixed=now)
        t0 = time.perf_counter_ns()
        study.rate(int(RATING_CYCLE[i % len(RATING_CYCLE)]) + 1)  # anki counts ratings from 0
        t1 = time.perf_counter_ns()
        item = study.next_item()
        t2 = time.perf_counter_ns()
        rate_only.append(t1 - t0)
        both.append(t2 - t0)
    return {
        "answers": len(both),
        "open_study_ms": round(open_ms, 1),
        "first_queue_ms": round(first_queue_ms, 1),
        "queue_counts": {"new": counts.new, "learning": counts.learning, "review": counts.review},
        "rate_ms": summary_ms(rate_only),
        "answer_plus_next_ms": summary_ms(both),
        "check_typed_answer_ms": summary_ms(check),
        "peak_rss_mib": peak_rss_mib(),
    }


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="quizdl vs anki: answer + next card")
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "quizdl-child"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()
    if args.mode == "quizdl-child":
        print(json.dumps(quizdl_child(Path(args.path), args.answers)))
        return
    from benchmarks.anki_peer import cached_collection

    big, _ = cached()
    anki_path, _ = cached_collection(100_000, 1_000_000, 0)
    with tempfile.TemporaryDirectory() as scratch:
        ours_copy = Path(scratch) / "quizdl.db"
        shutil.copyfile(big, ours_copy)
        anki_copy = Path(scratch) / "anki" / "collection.anki2"
        anki_copy.parent.mkdir()
        shutil.copyfile(anki_path, anki_copy)
        peer = _child([str(Path(__file__).with_name("anki_peer.py")), "answer-child",
                       str(anki_copy), f"--answers={args.answers}"])  # fmt: skip
        ours = _child([__file__, "quizdl-child", str(ours_copy), f"--answers={args.answers}"])
    anki_p99 = peer["answer_card_ms"]["p99"]
    result = {
        "benchmark": "study_speed",
        "quizdl": ours,
        "anki": peer,
        "ratios": {
            "quizdl_answer_plus_next_p99_over_anki_answer_card_p99": round(
                ours["answer_plus_next_ms"]["p99"] / anki_p99, 3
            ),
            "quizdl_answer_plus_next_p99_over_anki_answer_plus_next_p99": round(
                ours["answer_plus_next_ms"]["p99"] / peer["answer_plus_next_card_ms"]["p99"], 3
            ),
        },
        "budgets": {
            "answer_plus_next_p99_max_ratio": 0.5,
            "first_queue_ms": 50,
            "peak_rss_mib": 150,
        },
        "within_budget": {
            "answer_plus_next": ours["answer_plus_next_ms"]["p99"] <= 0.5 * anki_p99,
            "first_queue": ours["first_queue_ms"] < 50,
            "memory": ours["peak_rss_mib"] < 150,
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
