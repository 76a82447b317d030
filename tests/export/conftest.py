"""A small knowledge base (two topics, every kind of card) and databases with a real study
history: days of sessions driven through the Study API with a fixed, advancing clock."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from quizdl.clock import Clock
from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.store import migrate
from quizdl.store.db import Database
from quizdl.study.service import Study
from tests.conftest import PostgresServer

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TABLES = ("profiles", "card_states", "study_sessions", "reviews")
ORDER = {
    "profiles": "id",
    "card_states": "profile_id, card_id",
    "study_sessions": "id",
    "reviews": "id",
}


def _text(en: str, zh: str) -> str:
    return "{en: " + json.dumps(en) + ", zh: " + json.dumps(zh, ensure_ascii=False) + "}"


def _card(card_id: str, kind: str, section: str, body: str, tags: str = "[]") -> str:
    return (
        f"  - id: {card_id}\n    kind: {kind}\n    tags: {tags}\n"
        f"    source: {{note: n.md, section: {section}}}\n{body}"
    )


ALPHA = [
    _card(
        "alpha/relu",
        "basic",
        "activations",
        f"    front: {_text('What does ReLU return for x < 0?', 'ReLU 在 x < 0 时输出什么？')}\n"
        f"    back: {_text('Zero.', '零。')}\n",
        "[activation, basics]",
    ),
    _card(
        "alpha/sigmoid",
        "basic",
        "sigmoid",
        f"    front: {_text('Range of the sigmoid?', 'sigmoid 的值域？')}\n"
        f"    back: {_text('(0, 1)', '(0, 1)')}\n",
        "[activation]",
    ),
    _card(
        "alpha/adam",
        "cloze",
        "optimizers",
        "    text: "
        + _text("Adam keeps {{c1::two moment estimates}}.", "Adam 维护{{c1::两个矩估计}}。")
        + "\n",
        "[optimizer]",
    ),
    _card(
        "alpha/saturates",
        "choice",
        "saturation",
        "    question: "
        + _text("Which activation saturates for large x?", "哪个激活函数在 x 大时饱和？")
        + "\n"
        "    options:\n"
        f"      a: {_text('ReLU', 'ReLU')}\n"
        f"      b: {_text('sigmoid', 'sigmoid')}\n"
        "    answer: b\n",
    ),
    _card(
        "alpha/optimizer",
        "typed",
        "typed",
        f"    prompt: {_text('Which optimizer keeps m and v?', '哪个优化器维护 m 和 v？')}\n"
        "    accept: [Adam]\n",
    ),
]
BETA = [
    _card(
        "beta/step",
        "ordering",
        "training",
        f"    prompt: {_text('Order one training step.', '排列一次训练步骤。')}\n"
        "    items:\n"
        + "".join(f"      - {_text(item, item)}\n" for item in ("forward", "loss", "backward")),
    ),
    _card(
        "beta/deconv",
        "generated",
        "deconv",
        "    generator: conv-transpose-shape\n"
        "    params: {dims: 1, size: 10, kernel: 3, stride: 1, padding: 0, dilation: 1}\n",
        "[shapes]",
    ),
    _card(
        "beta/dropout",
        "basic",
        "dropout",
        f"    front: {_text('Is dropout active at test time?', '测试时 dropout 是否生效？')}\n"
        f"    back: {_text('No.', '否。')}\n",
    ),
]


def write_kb(folder: Path) -> KnowledgeBase:
    folder.mkdir(parents=True, exist_ok=True)
    for order, (topic, title, cards) in enumerate(
        (("alpha", ("Alpha basics", "基础"), ALPHA), ("beta", ("Beta: training", "训练"), BETA))
    ):
        head = (
            f"topic:\n  id: {topic}\n  title: {_text(*title)}\n"
            f"  source: {{note: n.md, section: {topic}}}\n  order: {order}\ncards:\n"
        )
        (folder / f"{topic}.yaml").write_text(head + "".join(cards), encoding="utf-8")
    return load_or_raise([folder], shipped=False)


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return write_kb(tmp_path / "kb")


def study_days(
    database: Database,
    kb: KnowledgeBase,
    days: int,
    *,
    start: datetime = T0,
    profile: str = "default",
    seed: int = 0,
    topics: tuple[str, ...] = (),
) -> None:
    """`days` daily sessions: every card offered is answered (typed and generated cards by
    typing an answer, the others rated by a fixed pattern), the clock advancing 40 s a card."""
    pattern = (3, 1, 4, 3, 2, 3, 1, 3)
    for day in range(days):
        now = start + timedelta(days=day)
        study = Study(
            database,
            kb,
            clock=Clock(fixed=now),
            rng=random.Random(seed * 1000 + day),
            profile=profile,
        )
        study.start(topics)
        answered = 0
        while (item := study.next_item()) is not None and answered < 40:
            kind = item.card.kind
            if kind == "typed":
                study.submit_answer("Adam" if answered % 2 else "Adma")
                study.accept()
            elif kind == "generated":
                study.submit_answer(str(7 + answered % 5))
                study.accept()
            else:
                study.rate(pattern[(answered + day) % len(pattern)])
            answered += 1
            now += timedelta(seconds=40)
            study.clock = replace(study.clock, fixed=now)
        study.end()


Dump = dict[str, list[dict[str, Any]]]


def dump(database: Database) -> Dump:
    """Every row of every table, through a connection of its own."""
    engine = create_engine(database.url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                table: [
                    dict(r._mapping)
                    for r in connection.execute(
                        text(f"SELECT * FROM {table} ORDER BY {ORDER[table]}")
                    )
                ]
                for table in TABLES
            }
    finally:
        engine.dispose()


@pytest.fixture
def studied(database: Database, kb: KnowledgeBase) -> Database:
    """A database with five days of study of the small knowledge base."""
    study_days(database, kb, 5)
    return database


@pytest.fixture
def make_database(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Database]]:
    """Makes further new, empty databases on the backend of `database` (not migrated)."""
    made: list[tuple[Database, str | None]] = []
    server: PostgresServer | None = None
    if not database_url.startswith("sqlite"):
        server = request.getfixturevalue("postgres_server")

    def factory(name: str) -> Database:
        if server is None:
            made.append((Database(f"sqlite:///{tmp_path / name / 'quizdl.db'}"), None))
        else:
            url = server.create_database()
            made.append((Database(url), url))
        return made[-1][0]

    try:
        yield factory
    finally:
        for db, url in made:
            db.dispose()
            if server is not None and url is not None:
                server.drop_database(url)


def migrated(database: Database) -> Database:
    migrate.upgrade(database)
    return database
