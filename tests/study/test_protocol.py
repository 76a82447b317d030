"""The JSON-lines protocol in process: a Protocol over a Study on a real database (SQLite
and PostgreSQL), fed lines from a list, writing to a StringIO."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.store.db import Database
from quizdl.store.models import CardState
from quizdl.study.protocol import MAX_LINE, Protocol
from quizdl.study.service import Study

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
StudyFactory = Callable[..., Study]
Event = dict[str, Any]


# --- a small knowledge base: one card of each kind, each in a section of its own --------


def _text(en: str, zh: str) -> str:
    return "{en: " + json.dumps(en) + ", zh: " + json.dumps(zh, ensure_ascii=False) + "}"


def _card(card_id: str, kind: str, section: str, body: str) -> str:
    return (
        f"  - id: {card_id}\n    kind: {kind}\n"
        f"    source: {{note: n.md, section: {section}}}\n{body}"
    )


BASIC = _card(
    "p/basic",
    "basic",
    "s-basic",
    f"    front: {_text('What does ReLU return for x < 0?', 'ReLU 在 x < 0 时输出什么？')}\n"
    f"    back: {_text('Zero.', '零。')}\n",
)
TYPED = _card(
    "p/typed",
    "typed",
    "s-typed",
    f"    prompt: {_text('Which optimizer keeps m and v?', '哪个优化器维护 m 和 v？')}\n"
    "    accept: [Adam]\n",
)
CHOICE = _card(
    "p/choice",
    "choice",
    "s-choice",
    "    question: "
    f"{_text('Which activation saturates for large x?', '哪个激活函数在 x 大时饱和？')}\n"
    "    options:\n"
    f"      a: {_text('ReLU', 'ReLU')}\n"
    f"      b: {_text('sigmoid', 'sigmoid')}\n"
    f"      c: {_text('identity', '恒等函数')}\n"
    "    answer: b\n",
)
ORDERING_ITEMS = ["forward pass", "loss", "backward pass", "optimizer step"]
ORDERING = _card(
    "p/ordering",
    "ordering",
    "s-ordering",
    f"    prompt: {_text('Order one training step.', '排列一次训练步骤。')}\n"
    "    items:\n" + "".join(f"      - {_text(item, item)}\n" for item in ORDERING_ITEMS),
)
# ConvTranspose1d on length 10, k=3, s=1, p=0, d=1 (output_padding is 0: it must stay
# below max(s, d) = 1). PyTorch's formula (torch.nn.ConvTranspose1d docs):
# L_out = (L_in − 1)·s − 2p + d(k − 1) + output_padding + 1.
CONV_T = {"size": 10, "kernel": 3, "stride": 1, "padding": 0, "dilation": 1}
CONV_T_OUT = (CONV_T["size"] - 1) * CONV_T["stride"] - 2 * CONV_T["padding"]
CONV_T_OUT += CONV_T["dilation"] * (CONV_T["kernel"] - 1) + 0 + 1
# The ordinary convolution's formula, the mistake the generator diagnoses:
# ⌊(L_in + 2p − d(k − 1) − 1)/s⌋ + 1.
CONV_OUT = (CONV_T["size"] - CONV_T["dilation"] * (CONV_T["kernel"] - 1) - 1) // 1 + 1
GENERATED = _card(
    "p/generated",
    "generated",
    "s-generated",
    "    generator: conv-transpose-shape\n"
    "    params: {dims: 1, " + ", ".join(f"{k}: {v}" for k, v in CONV_T.items()) + "}\n",
)


def write_topic(folder: Path, cards: list[str]) -> KnowledgeBase:
    folder.mkdir(parents=True, exist_ok=True)
    head = f"topic:\n  id: p\n  title: {_text('Protocol', '协议')}\n"
    head += "  source: {note: n.md, section: p}\n"
    body = "cards:\n" + "".join(cards) if cards else "cards: []\n"
    (folder / "p.yaml").write_text(head + body, encoding="utf-8")
    return load_or_raise([folder], shipped=False)


# --- driving the protocol and looking at the database ---------------------------------------


def drive(study: Study, lines: Iterable[str], out: io.StringIO | None = None) -> list[Event]:
    out = out or io.StringIO()
    Protocol(study, out).run(lines)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def started(make_study: StudyFactory, kb: KnowledgeBase, **kwargs: Any) -> Study:
    study = make_study(kb, **kwargs)
    study.start()
    return study


def rows(database: Database, query: str) -> list[dict[str, Any]]:
    """Rows read through a connection of their own (never the Study's)."""
    engine = create_engine(database.url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(text(query))]
    finally:
        engine.dispose()


def card_states(database: Database) -> dict[str, dict[str, Any]]:
    """Card rows with their column types applied (aware datetimes on both backends)."""
    engine = create_engine(database.url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            found = connection.execute(select(CardState.__table__))
            return {r.card_id: dict(r._mapping) for r in found}
    finally:
        engine.dispose()


def snapshot(database: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        rows(database, "SELECT * FROM card_states ORDER BY card_id"),
        rows(database, "SELECT * FROM reviews ORDER BY id"),
    )


def types(events: list[Event]) -> list[str]:
    return [e["type"] for e in events]


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return write_topic(tmp_path / "kb", [BASIC, TYPED, CHOICE, ORDERING, GENERATED])


# --- the tests -------------------------------------------------------------------------------


def test_first_card_describes_what_to_do(make_study: StudyFactory, kb: KnowledgeBase) -> None:
    events = drive(started(make_study, kb), [])
    assert types(events) == ["card", "summary"]
    card = events[0]
    assert card["card_id"] == "p/basic"  # new cards come in content order
    assert card["kind"] == "basic"
    assert card["prompt"] == "What does ReLU return for x < 0?"
    assert card["back"] == "Zero."
    assert card["expects"] == "rating"
    assert "choices" not in card  # only where there are some
    assert card["remaining"] == {"new": 5, "learning": 0, "review": 0}  # this card included
    # A new card's "again" is the first learning step (1 minute), "good" the second (10).
    assert card["intervals"]["1"] == "1m" and card["intervals"]["3"] == "10m"


def test_recorded_is_written_only_after_the_commit(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    seen: list[list[dict[str, Any]]] = []

    class Watching(io.StringIO):
        """Looks into the database, from another connection, as each event is written."""

        def write(self, s: str) -> int:
            if json.loads(s)["type"] == "recorded":
                review_id = json.loads(s)["review_id"]
                seen.append(rows(database, f"SELECT * FROM reviews WHERE id = {review_id}"))
            return super().write(s)

    events = drive(started(make_study, kb), ['{"rating": 3}'], Watching())
    assert types(events) == ["card", "recorded", "card", "summary"]
    recorded = events[1]
    assert len(seen) == 1 and len(seen[0]) == 1, "the review was not visible when announced"
    review = seen[0][0]
    assert (
        (review["card_id"], review["rating"])
        == ("p/basic", 3)
        == (
            recorded["card_id"],
            recorded["rating"],
        )
    )
    # "good" on a new card: the second learning step, 10 minutes later.
    assert recorded["due"] == (T0 + timedelta(minutes=10)).isoformat()
    assert recorded["interval"] == "10m"
    state = rows(database, "SELECT state, reps FROM card_states WHERE card_id = 'p/basic'")
    assert state == [{"state": 1, "reps": 1}]
    assert recorded["state"] == 1
    assert events[2]["remaining"] == {"new": 4, "learning": 1, "review": 0}


def test_typed_answer_gives_a_result_and_accept_records_the_suggestion(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    lines = ['{"rating": 4}', '{"answer": "Adan"}', '{"accept": true}']
    events = drive(started(make_study, kb), lines)
    assert types(events) == ["card", "recorded", "card", "result", "recorded", "card", "summary"]
    typed, result, recorded = events[2], events[3], events[4]
    assert (typed["card_id"], typed["expects"]) == ("p/typed", "answer")
    assert "back" not in typed  # the answer is not given away before it is typed
    assert result["card_id"] == "p/typed"
    assert result["correct"] is False
    assert result["interpreted"] == "adan"  # case-insensitive by default
    assert result["diagnosis"] == "Close: check the spelling."  # one letter off
    assert result["answer"] == "Adam"
    assert result["suggested_rating"] == 1
    assert (recorded["card_id"], recorded["rating"]) == ("p/typed", 1)
    stored = rows(database, "SELECT raw_answer, verdict FROM reviews WHERE card_id = 'p/typed'")
    assert stored[0]["raw_answer"] == "Adan"
    verdict = stored[0]["verdict"]
    verdict = json.loads(verdict) if isinstance(verdict, str) else verdict
    assert verdict["correct"] is False


def test_generated_card_is_checked_and_stored_with_its_seed(
    make_study: StudyFactory, tmp_path: Path, database: Database
) -> None:
    kb = write_topic(tmp_path / "kb", [GENERATED])
    lines = [f'{{"answer": "{CONV_OUT}"}}', f'{{"answer": "{CONV_T_OUT}"}}', '{"rating": 2}']
    events = drive(started(make_study, kb), lines)
    # "hard" keeps the card in learning, due within the learn-ahead window: shown again
    assert types(events) == ["card", "result", "error", "recorded", "card", "summary"]
    card, wrong, again, recorded = events[:4]
    assert card["kind"] == "generated" and card["expects"] == "answer"
    assert card["generator"] == "conv-transpose-shape"
    assert wrong["correct"] is False
    assert wrong["diagnosis"]  # the ordinary convolution's formula is a known mistake
    assert wrong["answer"] == str(CONV_T_OUT)
    assert wrong["solution"] and str(CONV_T_OUT) in wrong["solution"][-1]
    assert wrong["suggested_rating"] == 1
    assert "answered already" in again["message"]  # the answer was shown: no second try
    assert recorded["rating"] == 2  # an explicit rating overrides the suggestion
    stored = rows(database, "SELECT generator, seed, raw_answer FROM reviews")
    assert stored == [
        {"generator": "conv-transpose-shape", "seed": card["seed"], "raw_answer": str(CONV_OUT)}
    ]


def test_right_answers_to_choice_ordering_and_generated_cards(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    kb = write_topic(tmp_path / "kb", [CHOICE, ORDERING, GENERATED])
    study = started(make_study, kb)

    def right_answer(card: Event) -> str:
        labels: dict[str, str] = {c["text"]: c["label"] for c in card.get("choices", [])}
        if card["kind"] == "choice":
            return labels["sigmoid"]
        if card["kind"] == "ordering":
            return " ".join(labels[item] for item in ORDERING_ITEMS)
        return str(CONV_T_OUT)

    answers = iter(["choice", "ordering", "generated"])
    out = io.StringIO()
    protocol = Protocol(study, out)

    def lines() -> Iterator[str]:
        for _ in answers:
            card = json.loads(out.getvalue().splitlines()[-1])
            yield json.dumps({"answer": right_answer(card)})
            yield '{"accept": true}'

    protocol.run(lines())
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    results = [e for e in events if e["type"] == "result"]
    cards = [e["kind"] for e in events if e["type"] == "card"]
    assert cards[:3] == ["choice", "ordering", "generated"]
    assert [r["correct"] for r in results] == [True, True, True]
    assert [r["suggested_rating"] for r in results] == [3, 3, 3]
    assert [e["rating"] for e in events if e["type"] == "recorded"] == [3, 3, 3]
    ordering = next(e for e in events if e["type"] == "card" and e["kind"] == "ordering")
    assert sorted(c["text"] for c in ordering["choices"]) == sorted(ORDERING_ITEMS)
    assert [c["label"] for c in ordering["choices"]] == ["1", "2", "3", "4"]
    assert events[-1]["type"] == "summary"
    assert events[-1]["correct"] == 3 and events[-1]["incorrect"] == 0


BAD_LINES = [
    "not json",
    "[1]",
    '"rating"',
    "{}",
    '{"rating": 3, "skip": true}',
    '{"rate": 3}',
    '{"rating": 5}',
    '{"rating": 0}',
    '{"rating": "3"}',
    '{"rating": true}',
    '{"rating": 3.0}',
    '{"answer": 42}',
    '{"accept": false}',
    '{"undo": 1}',
    '{"quit": "yes"}',
    "[" * 50_000,  # deeper than the JSON reader recurses
    '{"answer": "' + "x" * MAX_LINE + '"}',
    '{"answer": "\udcff"}',  # a byte that is not UTF-8, as surrogateescape reads it
    '{"accept": true}',  # nothing to accept: the card is not answered
    '{"undo": true}',  # nothing to undo yet
    '{"answer": "zero"}',  # a basic card is rated, not answered
]


def test_malformed_and_out_of_place_lines_get_an_error_and_change_nothing(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    study = started(make_study, kb)
    before = snapshot(database)
    out = io.StringIO()
    protocol = Protocol(study, out)
    protocol.show_next()
    for line in BAD_LINES:
        protocol.handle(line)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert types(events) == ["card"] + ["error"] * len(BAD_LINES)
    for event, line in zip(events[1:], BAD_LINES, strict=True):
        assert event["message"], line
        assert event["input"] == line.strip()[:200].encode("utf-8", "replace").decode()
    assert snapshot(database) == before
    # the session goes on: the same card still waits for its rating
    assert study.next_item() is not None and study.next_item().card_id == "p/basic"  # type: ignore[union-attr]
    protocol.handle('{"rating": 3}')
    assert json.loads(out.getvalue().splitlines()[-2])["type"] == "recorded"


def test_an_unreadable_answer_is_an_error_and_the_card_may_be_answered_again(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    kb = write_topic(tmp_path / "kb", [TYPED])
    events = drive(started(make_study, kb), ['{"answer": "   "}', '{"answer": "adam"}'])
    assert types(events) == ["card", "error", "result", "summary"]
    assert events[1]["message"] == "the answer is empty"
    assert events[2]["correct"] is True


def test_undo_takes_back_the_last_review(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    study = started(make_study, kb)
    before = rows(database, "SELECT * FROM card_states WHERE card_id = 'p/basic'")
    events = drive(study, ['{"rating": 1}', '{"undo": true}'])
    assert types(events) == ["card", "recorded", "card", "undone", "card", "summary"]
    recorded, undone, again = events[1], events[3], events[4]
    assert undone == {"type": "undone", "card_id": "p/basic", "review_id": recorded["review_id"]}
    assert again["card_id"] == "p/basic"  # shown again at once
    assert rows(database, "SELECT id FROM reviews") == []
    assert rows(database, "SELECT * FROM card_states WHERE card_id = 'p/basic'") == before
    assert events[-1]["reviewed"] == 0


def test_bury_suspend_and_skip(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    lines = ['{"bury": true}', '{"suspend": true}', '{"skip": true}']
    events = drive(started(make_study, kb), lines)
    assert types(events) == [
        *("card", "buried", "card", "suspended", "card", "skipped", "card", "summary"),
    ]
    assert [e["card_id"] for e in events if e["type"] in ("buried", "suspended", "skipped")] == [
        "p/basic",
        "p/typed",
        "p/choice",
    ]
    assert events[-2]["card_id"] == "p/ordering"  # the skipped card went to the back
    assert events[-2]["remaining"] == {"new": 3, "learning": 0, "review": 0}
    states = card_states(database)
    # Buried until the study day ends: 04:00 the next morning (UTC clock, rollover at 4).
    assert states["p/basic"]["buried_until"] == datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    assert bool(states["p/typed"]["suspended"]) is True
    assert states["p/choice"]["buried_until"] is None and not states["p/choice"]["suspended"]
    assert rows(database, "SELECT id FROM reviews") == []


def test_skipping_a_learning_card_shows_another_card(
    make_study: StudyFactory, kb: KnowledgeBase
) -> None:
    drive(started(make_study, kb), ['{"rating": 1}'])  # p/basic: learning, due in 1 minute
    events = drive(started(make_study, kb, at=T0 + timedelta(minutes=5)), ['{"skip": true}'])
    assert types(events) == ["card", "skipped", "card", "summary"]
    assert events[0]["card_id"] == "p/basic"  # the due learning card comes first
    assert events[2]["card_id"] != "p/basic"  # new cards are waiting: one of them is next


def test_quit_ends_the_session_without_reading_further(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    lines = iter(['{"rating": 3}', '{"quit": true}', '{"rating": 3}'])
    events = drive(started(make_study, kb), lines)
    assert types(events) == ["card", "recorded", "card", "summary"]
    assert next(lines) == '{"rating": 3}'  # left unread
    summary = events[-1]
    assert summary["reviewed"] == 1 and summary["by_rating"] == {"3": 1}
    # The card rated good is due in 10 minutes, within the 20-minute learn-ahead window:
    # it still counts as remaining today, not as "later".
    assert summary["remaining"] == {"new": 4, "learning": 1, "review": 0}
    assert summary["learning_later_today"] == 0 and summary["next_learning_due"] is None
    sessions = rows(database, "SELECT ended_at FROM study_sessions")
    assert len(sessions) == 1 and sessions[0]["ended_at"] is not None


def test_end_of_input_ends_the_session_cleanly(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    events = drive(started(make_study, kb), ['{"skip": true}', ""])
    assert types(events) == ["card", "skipped", "card", "summary"]
    assert rows(database, "SELECT count(*) AS n FROM study_sessions WHERE ended_at IS NULL") == [
        {"n": 0}
    ]


def test_the_session_ends_when_the_queue_is_empty(make_study: StudyFactory, tmp_path: Path) -> None:
    kb = write_topic(tmp_path / "kb", [BASIC])
    lines = iter(['{"rating": 4}', '{"rating": 4}'])
    events = drive(started(make_study, kb), lines)
    # "easy" on a new card graduates it to days later: nothing is left for today
    assert types(events) == ["card", "recorded", "summary"]
    assert next(lines) == '{"rating": 4}'
    assert events[-1]["remaining"] == {"new": 0, "learning": 0, "review": 0}


def test_nothing_due_gives_only_a_summary(make_study: StudyFactory, tmp_path: Path) -> None:
    kb = write_topic(tmp_path / "kb", [])
    assert types(drive(started(make_study, kb), ['{"rating": 3}'])) == ["summary"]


def test_a_failure_inside_an_action_becomes_an_error_event(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    """The database changes under the session (here: the review log is dropped). The
    rating fails and is rolled back; the learner is told, and the session goes on."""
    study = started(make_study, kb)
    out = io.StringIO()
    protocol = Protocol(study, out)
    before = rows(database, "SELECT * FROM card_states ORDER BY card_id")

    def lines() -> Iterator[str]:
        with database.engine.begin() as connection:
            connection.execute(text("DROP TABLE reviews"))
        yield '{"rating": 3}'
        yield '{"skip": true}'

    protocol.run(lines())
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert types(events) == ["card", "error", "skipped", "card", "summary"]
    assert events[1]["message"].startswith("unexpected ")
    assert events[1]["input"] == '{"rating": 3}'
    assert "Traceback" not in out.getvalue()
    assert rows(database, "SELECT * FROM card_states ORDER BY card_id") == before


def test_when_no_card_can_be_shown_the_session_ends_with_an_error_and_a_summary(
    make_study: StudyFactory, kb: KnowledgeBase, database: Database
) -> None:
    """The card rows vanish under the session: the rating fails (and the session goes
    on), then the next card cannot be shown, so the session ends instead of answering
    every further line with an error."""
    study = started(make_study, kb)
    out = io.StringIO()
    left = ['{"rating": 3}']

    def lines() -> Iterator[str]:
        with database.engine.begin() as connection:
            connection.execute(text("DROP TABLE card_states"))
        yield '{"rating": 3}'
        yield '{"skip": true}'
        yield from left

    Protocol(study, out).run(lines())
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert types(events) == ["card", "error", "skipped", "error", "summary"]
    assert events[1]["message"].startswith("unexpected ")
    assert events[3]["message"].startswith("could not show the next card, so the session ends")
    assert "input" not in events[3]  # not the fault of a line
    assert left == ['{"rating": 3}']  # not read


def test_every_line_is_answered_by_exactly_one_card_result_error_or_summary(
    make_study: StudyFactory, kb: KnowledgeBase
) -> None:
    """What the README promises a client: it may wait for one of these after each line."""
    rng = random.Random(5)
    pool = [
        *(json.dumps({"rating": r}) for r in (1, 2, 3, 4)),
        '{"answer": "a"}',
        '{"answer": "Adam"}',
        '{"answer": "1 2 3 4"}',
        f'{{"answer": "{CONV_T_OUT}"}}',
        '{"accept": true}',
        '{"undo": true}',
        '{"bury": true}',
        '{"skip": true}',
        "nonsense",
    ]
    out = io.StringIO()
    answered: list[list[str]] = []

    def lines() -> Iterator[str]:
        seen = 1  # the first card
        for _ in range(80):
            yield rng.choice(pool)
            events = out.getvalue().splitlines()
            answered.append([json.loads(e)["type"] for e in events[seen:]])
            seen = len(events)

    Protocol(started(make_study, kb), out).run(lines())
    assert len(answered) > 10  # the session lasted
    for kinds in answered:
        ends = [k for k in kinds if k in ("card", "result", "error", "summary")]
        assert len(ends) == 1 and kinds[-1] == ends[0], kinds


def test_chinese_is_written_as_is(make_study: StudyFactory, kb: KnowledgeBase) -> None:
    out = io.StringIO()
    drive(started(make_study, kb, lang="zh"), [], out)
    first = out.getvalue().splitlines()[0]
    assert "ReLU 在 x < 0 时输出什么？" in first  # UTF-8, not \\u escapes
    assert json.loads(first)["back"] == "零。"
