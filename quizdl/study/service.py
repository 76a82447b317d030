"""The Study use cases: start a session, next item, answer, rate, undo, bury, suspend,
skip, end. Each learner action is one transaction; results are returned only after
the commit, so nothing is acknowledged that could still be lost."""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from quizdl.clock import Clock, local_zone
from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.text import Lang
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.schedule.fsrs_adapter import FsrsScheduler
from quizdl.schedule.queue import Entry, SessionQueue
from quizdl.store.db import Database
from quizdl.store.models import Profile, StudySession
from quizdl.study import repo
from quizdl.study.grading import grade
from quizdl.study.items import AnswerResult, Counts, Item, Recorded, Summary
from quizdl.study.present import make_item
from quizdl.study.settings import StudySettings


class StudyError(BadInput):
    """An action that does not fit the moment (rating with no card shown, ...)."""


class Study:
    def __init__(
        self,
        db: Database,
        kb: KnowledgeBase,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        profile: str = "default",
        lang: Lang = "en",
    ) -> None:
        self.db = db
        self.kb = kb
        self.lang: Lang = lang
        self.rng = rng or random.Random()
        with db.transaction() as session:
            now = (clock or Clock()).now()
            row = repo.ensure_profile(session, profile, now)
            self.profile_id = row.id
            self.settings = StudySettings.from_stored(row.settings)
            stamp = repo.fingerprint(kb)
            if row.content_fingerprint != stamp:
                self.reconciled = repo.reconcile(session, row.id, kb)
                row.content_fingerprint = stamp
            else:
                self.reconciled = repo.Reconciled()
            params = (row.fsrs_parameters or {}).get("w")
            self._parameters = tuple(params) if params else None
        zone = local_zone(self.settings.timezone) if self.settings.timezone else None
        self.clock = clock or Clock.from_env(zone=zone, rollover_hour=self.settings.rollover_hour)
        if clock is not None and self.settings.timezone:
            self.clock = replace(clock, zone=local_zone(self.settings.timezone))
        self.scheduler = FsrsScheduler(self.settings.scheduler(self._parameters), self.rng)
        self.queue = SessionQueue.build([], [], [], timedelta())
        self.session_id: int | None = None
        self.filters = repo.Filters()
        self._item: Item | None = None
        self._result: AnswerResult | None = None
        self._answer: str | None = None
        self._undo: list[int] = []
        self._ratings: dict[int, int] = {}
        self._correct = [0, 0]
        self._started = time.monotonic()
        # The knowledge base lives as long as the process; keep the cyclic garbage collector
        # from walking it (100,000 cards are millions of objects) on every full collection.
        gc.freeze()

    def save_settings(self, settings: StudySettings) -> None:
        """Store the profile's settings (one transaction); they apply from the next start()."""
        with self.db.transaction() as session:
            row = session.get(Profile, self.profile_id)
            assert row is not None
            row.settings = settings.model_dump(mode="json", exclude_defaults=True)
        self.settings = settings
        self.scheduler = FsrsScheduler(self.settings.scheduler(self._parameters), self.rng)

    # -- session ---------------------------------------------------------------------
    def start(
        self, topics: tuple[str, ...] = (), tags: tuple[str, ...] = (), *, bury: bool | None = None
    ) -> Counts:
        unknown = [t for t in topics if t not in self.kb.topics]
        if unknown:
            raise StudyError(
                f"unknown topic {unknown[0]!r} (topics: {', '.join(sorted(self.kb.topics))})"
            )
        self.filters = repo.Filters(tuple(topics), tuple(tags))
        if bury is not None:
            self.settings = self.settings.model_copy(update={"bury_siblings": bury})
        now = self.clock.now()
        with self.db.transaction() as session:
            record = StudySession(
                profile_id=self.profile_id,
                started_at=now,
                filters={"topics": list(topics), "tags": list(tags)},
            )
            session.add(record)
            session.flush()
            self.session_id = record.id
        self.db.start_checkpointer()  # folds the log into the file in the background
        self._build_queue()
        # a new session: its own tallies and undo history
        self._item, self._result, self._answer = None, None, None
        self._undo, self._ratings, self._correct = [], {}, [0, 0]
        self._started = time.monotonic()
        return self.counts()

    def _build_queue(self) -> None:
        now = self.clock.now()
        day_end = self.clock.day_end(now)
        today = self.clock.today_start(now)
        with self.db.sessions() as session:
            new_done, reviews_done = repo.done_today(session, self.profile_id, today)
            learning = repo.learning_rows(session, self.profile_id, now, day_end, self.filters)
            sections: set[tuple[str, str]] = set()
            reviews = self._pick(
                lambda limit, offset: repo.review_rows(
                    session, self.profile_id, now, day_end, self.filters, limit, offset
                ),
                self.settings.reviews_per_day - reviews_done,
                sections,
            )
            new = self._pick(
                lambda limit, offset: repo.new_rows(
                    session, self.profile_id, now, self.filters, limit, offset
                ),
                self.settings.new_per_day - new_done,
                sections,
            )
        self.queue = SessionQueue.build(
            [_entry(r) for r in learning if r.card_id in self.kb.cards],
            reviews,
            new,
            timedelta(minutes=self.settings.learn_ahead_minutes),
        )

    def _pick(
        self,
        fetch: Callable[[int, int], Sequence[Any]],
        wanted: int,
        sections: set[tuple[str, str]],
    ) -> list[Entry]:
        """Up to `wanted` cards in order; with sibling burying, at most one per section
        (`sections` is shared, so a section answered as a review gives no new card)."""
        picked: list[Entry] = []
        offset = 0
        batch = max(wanted * 4, 50)
        while len(picked) < wanted:
            rows = fetch(batch, offset)
            for row in rows:
                key = (row.topic, row.section)
                if row.card_id not in self.kb.cards:
                    continue
                if self.settings.bury_siblings:
                    if key in sections:
                        continue
                    sections.add(key)
                picked.append(_entry(row))
                if len(picked) == wanted:
                    break
            if len(rows) < batch:
                break
            offset += batch
        return picked

    def counts(self) -> Counts:
        new, learning, review = self.queue.counts()
        return Counts(new, learning, review)

    # -- showing and answering -----------------------------------------------------------
    def next_item(self) -> Item | None:
        """The card to show now (the same one until it is rated, buried, suspended or skipped)."""
        if self._item is not None:
            return self._item
        entry = self.queue.next(self.clock.now())
        if entry is None:
            return None
        self._item = make_item(entry, self.kb, self.rng)
        self._item.shown_at = time.monotonic()
        self._result = None
        self._answer = None
        return self._item

    def show(self, card_id: str) -> Item:
        """Show a chosen card now, due or not (from browse, or to replay a history)."""
        if card_id not in self.kb.cards:
            raise StudyError(f"no card with id {card_id!r}")
        with self.db.sessions() as session:
            state = repo.load_state(session, self.profile_id, card_id)
        if state is None:
            raise StudyError(f"card {card_id!r} is not in the database")
        entry = Entry(card_id, state["topic"], state["section"], state["state"], state["due"])
        self._item = make_item(entry, self.kb, self.rng)
        self._item.shown_at = time.monotonic()
        self._result = None
        self._answer = None
        return self._item

    def present(self, item: Item) -> Item:
        """Show an item drawn elsewhere (a quiz question counted in the schedule): from
        here it is answered, rated and undone like any card of this session, and its
        review row is the one a review of the same question would record."""
        if item.card_id not in self.kb.cards:
            raise StudyError(f"no card with id {item.card_id!r}")
        item.shown_at = time.monotonic()
        self._item, self._result, self._answer = item, None, None
        return item

    def _current(self) -> Item:
        if self._item is None:
            raise StudyError("no card is being shown: ask for the next card first")
        return self._item

    def submit_answer(self, raw: str, *, hinted: bool = False) -> AnswerResult:
        item = self._current()
        if item.expects != "answer":
            raise StudyError(
                f"a {item.card.kind} card is rated, not answered: send a rating from 1 to 4"
            )
        result = grade(item, raw, self.lang, hinted=hinted)
        if result.correct is not None:
            self._result, self._answer = result, raw
        return result

    def preview(self) -> dict[int, timedelta]:
        """The interval each rating would give the card shown now."""
        item = self._current()
        with self.db.sessions() as session:
            state = repo.load_state(session, self.profile_id, item.card_id)
        assert state is not None
        return self.scheduler.preview(repo.memory_of(state), self.clock.now())

    def accept(self) -> Recorded:
        if self._result is None or self._result.suggested_rating is None:
            raise StudyError("there is no suggested rating yet: answer the card first")
        return self.rate(self._result.suggested_rating)

    def rate(self, rating: int) -> Recorded:
        if rating not in (1, 2, 3, 4):
            raise StudyError(
                f"a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy); found {rating!r}"
            )
        item = self._current()
        now = self.clock.now()
        duration = int((time.monotonic() - item.shown_at) * 1000)
        with self.db.transaction() as session:
            state = repo.load_state(session, self.profile_id, item.card_id, for_update=True)
            if state is None:
                raise StudyError(f"card {item.card_id!r} is not in the database")
            memory = self.scheduler.review(repo.memory_of(state), rating, now)
            lapse = state["state"] == S.REVIEW and rating == 1
            lapses = state["lapses"] + (1 if lapse else 0)
            leech = state["leech"] or (lapse and lapses >= self.settings.leech_threshold)
            values: dict[str, Any] = {
                "state": int(memory.state),
                "step": memory.step,
                "stability": memory.stability,
                "difficulty": memory.difficulty,
                "due": memory.due,
                "last_review": memory.last_review,
                "reps": state["reps"] + 1,
                "lapses": lapses,
                "leech": leech,
                "suspended": state["suspended"]
                or (leech and self.settings.leech_action == "suspend"),
                "reviewed_hash": state["content_hash"],
                "buried_until": None,
            }
            repo.update_state(session, self.profile_id, item.card_id, values)
            buried: dict[str, str | None] = {}
            if self.settings.bury_siblings:
                buried = repo.bury_siblings(
                    session,
                    self.profile_id,
                    item.card_id,
                    state["topic"],
                    state["section"],
                    self.clock.day_end(now),
                    now,
                )
            review_id = repo.insert_review(
                session,
                self._review_values(
                    item,
                    state,
                    rating,
                    now,
                    duration,
                    memory.stability,
                    memory.difficulty,
                    memory.due,
                    values,
                    buried,
                ),
            )
        self._after_answer(item, values, bool(buried))
        self._undo.append(review_id)
        self._ratings[rating] = self._ratings.get(rating, 0) + 1
        interval = memory.due - now if memory.due else None
        return Recorded(item.card_id, rating, review_id, int(memory.state), memory.due, interval)

    def _review_values(
        self,
        item: Item,
        state: dict[str, Any],
        rating: int,
        now: datetime,
        duration: int,
        stability: float | None,
        difficulty: float | None,
        due: datetime | None,
        values: dict[str, Any],
        buried: dict[str, str | None],
    ) -> dict[str, Any]:
        last = state["last_review"]
        elapsed = max(0.0, (now - last).total_seconds() / 86400) if last else 0.0
        row: dict[str, Any] = {
            "profile_id": self.profile_id,
            "card_id": item.card_id,
            "session_id": self.session_id,
            "reviewed_at": now,
            "rating": rating,
            "state_before": state["state"],
            "state_after": values["state"],
            "stability_after": stability,
            "difficulty_after": difficulty,
            "due_after": due,
            "elapsed_days": elapsed,
            "duration_ms": duration,
            "content_hash": state["content_hash"],
            "prior": repo.snapshot(state),
            "buried": buried or None,
        }
        result = self._result
        if result is not None:
            self._correct[0 if result.correct else 1] += 1
            row["raw_answer"] = self._answer
            row["verdict"] = {
                "correct": result.correct,
                "interpreted": result.interpreted,
                "diagnosis": result.diagnosis,
                "suggested_rating": result.suggested_rating,
            }
        question = item.question
        if question is not None:
            row.update(
                generator=question.generator,
                generator_version=question.version,
                seed=question.seed,
                params=dict(question.draft.params),
            )
        return row

    def _after_answer(self, item: Item, values: dict[str, Any], buried: bool) -> None:
        entry = Entry(item.card_id, item.topic, item.section, values["state"], values["due"])
        self.queue.remove(item.card_id)
        if buried:
            self.queue.drop_siblings(entry)
        day_end = self.clock.day_end()
        learning = values["state"] in (S.LEARNING, S.RELEARNING)
        if learning and not values["suspended"] and values["due"] and values["due"] < day_end:
            self.queue.add_learning(entry)
        self._item = None
        self._result = None

    # -- other actions ---------------------------------------------------------------------
    def undo(self) -> str | None:
        """Take back the last answer of this session: the card's state is restored exactly
        and its review row removed. Returns the card id, or None when nothing is left."""
        if not self._undo:
            return None
        review_id = self._undo.pop()
        with self.db.transaction() as session:
            row = repo.delete_review(session, review_id)
            if row is None:
                return None
            repo.update_state(session, self.profile_id, row["card_id"], repo.restore(row["prior"]))
            if row["buried"]:
                repo.unbury(session, self.profile_id, row["buried"])
        rating = row["rating"]
        self._ratings[rating] -= 1
        verdict = row["verdict"]
        if verdict is not None and verdict.get("correct") is not None:
            self._correct[0 if verdict["correct"] else 1] -= 1
        self._item = None
        self._build_queue()
        restored = repo.restore(row["prior"])
        self.queue.push_front(
            Entry(row["card_id"], *self._place(row["card_id"]), restored["state"], restored["due"])
        )
        return str(row["card_id"])

    def _place(self, card_id: str) -> tuple[str, str]:
        card = self.kb.cards[card_id]
        return self.kb.topic_of[card_id], card.source.section

    def bury(self) -> str:
        item = self._current()
        until = self.clock.day_end()
        with self.db.transaction() as session:
            repo.update_state(session, self.profile_id, item.card_id, {"buried_until": until})
        self.queue.remove(item.card_id)
        self._item = None
        return item.card_id

    def suspend(self) -> str:
        item = self._current()
        with self.db.transaction() as session:
            repo.update_state(session, self.profile_id, item.card_id, {"suspended": True})
        self.queue.remove(item.card_id)
        self._item = None
        return item.card_id

    def skip(self) -> str:
        item = self._current()
        self.queue.skip(Entry(item.card_id, item.topic, item.section, item.state, None))
        self._item = None
        return item.card_id

    def end(self) -> Summary:
        now = self.clock.now()
        later = self.queue.learning_after(now + self.queue.learn_ahead)
        new, learning, review = self.queue.counts()
        summary = Summary(
            reviewed=sum(self._ratings.values()),
            by_rating={k: v for k, v in sorted(self._ratings.items()) if v},
            correct=self._correct[0],
            incorrect=self._correct[1],
            seconds=round(time.monotonic() - self._started, 1),
            remaining=Counts(new, learning - len(later), review),
            learning_later_today=len(later),
            next_learning_due=min((e.due for e in later if e.due), default=None),
        )
        self.db.stop_checkpointer()
        self.db.checkpoint()
        if self.session_id is not None:
            with self.db.transaction() as session:
                record = session.get(StudySession, self.session_id)
                if record is not None:
                    record.ended_at = now
                    record.summary = {
                        "reviewed": summary.reviewed,
                        "by_rating": {str(k): v for k, v in summary.by_rating.items()},
                        "correct": summary.correct,
                        "incorrect": summary.incorrect,
                    }
        return summary


def _entry(row: Any) -> Entry:
    changed = row.reviewed_hash is not None and row.reviewed_hash != row.content_hash
    return Entry(row.card_id, row.topic, row.section, row.state, row.due, changed)
