"""The card browser: every card of a profile, searchable, and suspend or unsuspend by id.

A search is words separated by spaces, all of which must match (quotes keep spaces in a
word): ``topic:gan``, ``tag:formula``, ``kind:cloze``, ``is:due``, ``is:new``,
``is:learning``, ``is:review``, ``is:suspended``, ``is:leech``, ``is:changed``,
``is:buried``, ``is:retired``, ``prop:r<0.8`` (r retrievability, s stability in days,
d difficulty, lapses, reps; with <, <=, >, >=, =), and free text, which matches the
card's id or its text in either language. Retired cards show only with ``is:retired``.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import CARD_KINDS
from quizdl.kb.text import Text
from quizdl.lang import Lang
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.store.models import CARDS
from quizdl.study.recall import Recall
from quizdl.study.service import Study

IS_WORDS = (
    "due",
    "new",
    "learning",
    "review",
    "suspended",
    "leech",
    "changed",
    "buried",
    "retired",
)
PROPS = ("r", "s", "d", "lapses", "reps")
_PROP = re.compile(r"^(r|s|d|lapses|reps)(<=|>=|<|>|=)(-?\d+(?:\.\d+)?)$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
}


@dataclass(frozen=True)
class Query:
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    props: tuple[tuple[str, str, float], ...] = ()
    words: tuple[str, ...] = ()


_SAYS: dict[str, Text] = {
    "quotes": Text(
        en="unbalanced quotes in the search {text!r}", zh="搜索中的引号不成对：{text!r}"
    ),
    "value": Text(
        en="{token!r}: write a value after '{key}:' (e.g. {example})",
        zh="{token!r}：在 {key}: 后面写一个值（例如 {example}）",
    ),
    "kind": Text(en="{token!r}: a kind is one of {kinds}", zh="{token!r}：类型只能是 {kinds} 之一"),
    "is": Text(
        en="{token!r}: after 'is:' write one of {words}",
        zh="{token!r}：is: 后面只能写 {words} 之一",
    ),
    "prop": Text(
        en="{token!r}: write a property ({props}), a comparison (<, <=, >, >=, =) and a number, "
        "e.g. prop:r<0.8",
        zh="{token!r}：写一个属性（{props}）、一个比较符（<、<=、>、>=、=）和一个数，"
        "例如 prop:r<0.8",
    ),
}
"""What a search that cannot be read gets, in English and Chinese."""


def _bad(lang: Lang, what: str, **values: str) -> BadInput:
    return BadInput(_SAYS[what].get(lang).format(**values))


def parse_query(text: str, lang: Lang = "en") -> Query:
    """The search as a Query; BadInput names the word that cannot be read (in `lang`)."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        raise _bad(lang, "quotes", text=text) from None
    found: dict[str, list[Any]] = {k: [] for k in ("topic", "tag", "kind", "is", "prop", "word")}
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or key not in found or key == "word":
            found["word"].append(token.casefold())
            continue
        if not value:
            raise _bad(lang, "value", token=token, key=key, example=_EXAMPLE[key])
        if key == "kind" and value not in CARD_KINDS:
            raise _bad(lang, "kind", token=token, kinds=", ".join(CARD_KINDS))
        if key == "is" and value not in IS_WORDS:
            raise _bad(lang, "is", token=token, words=", ".join(IS_WORDS))
        if key == "prop":
            match = _PROP.match(value.replace(" ", ""))
            if match is None:
                raise _bad(lang, "prop", token=token, props=", ".join(PROPS))
            found["prop"].append((match.group(1), match.group(2), float(match.group(3))))
            continue
        found[key].append(value)
    return Query(
        tuple(found["topic"]),
        tuple(found["tag"]),
        tuple(found["kind"]),
        tuple(found["is"]),
        tuple(found["prop"]),
        tuple(found["word"]),
    )


_EXAMPLE = {
    "topic": "topic:gan",
    "tag": "tag:formula",
    "kind": "kind:cloze",
    "is": "is:due",
    "prop": "prop:r<0.8",
}


@dataclass(frozen=True)
class CardRow:
    card_id: str
    topic: str
    kind: str
    title: str
    state: int
    due: datetime | None
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    lapses: int
    reps: int
    suspended: bool
    leech: bool
    buried: bool
    changed: bool
    retired: bool


@dataclass(frozen=True)
class Found:
    rows: list[CardRow]
    total: int
    """How many cards matched; `rows` holds at most the limit asked for."""


@dataclass
class CardBrowser:
    """Searches the cards of the study's profile. Card titles (both languages) are
    indexed once per knowledge base, so that free-text search stays fast."""

    study: Study
    _kb: KnowledgeBase | None = field(default=None, init=False)
    _text: dict[str, str] = field(default_factory=dict, init=False)

    def search(self, text: str, *, limit: int = 2000) -> Found:
        return self.find(parse_query(text, self.study.lang), limit=limit)

    def find(self, query: Query, *, limit: int = 2000) -> Found:
        study = self.study
        now = study.clock.now()
        day_end = study.clock.day_end(now)
        index = self._index()
        recall = Recall(study.scheduler.settings.parameters, now)
        statement = (
            select(CARDS)
            .where(CARDS.c.profile_id == study.profile_id, *_where(query, now, day_end))
            .order_by(CARDS.c.retired, CARDS.c.position, CARDS.c.card_id)
        )
        rows: list[CardRow] = []
        total = 0
        with study.db.sessions() as session:
            for row in session.execute(statement):
                if query.words:
                    haystack = index.get(row.card_id, row.card_id)
                    if not all(word in haystack for word in query.words):
                        continue
                r = recall.of(row.stability, row.last_review)
                if not _props_hold(query.props, row, r):
                    continue
                total += 1
                if len(rows) < limit:
                    rows.append(self._row(row, r, now))
        return Found(rows, total)

    def _index(self) -> dict[str, str]:
        kb = self.study.kb
        if self._kb is not kb:
            titles = kb.cards.titles  # read from the stored cards: none is built
            self._text = {
                card_id: "\n".join((card_id, *titles(card_id))).casefold() for card_id in kb.cards
            }
            self._kb = kb
        return self._text

    def _row(self, row: Any, r: float | None, now: datetime) -> CardRow:
        cards = self.study.kb.cards
        title = ""
        if row.card_id in cards:
            en, zh = cards.titles(row.card_id)
            title = zh if self.study.lang == "zh" else en
        return CardRow(
            card_id=row.card_id,
            topic=row.topic,
            kind=row.kind,
            title=title,
            state=int(row.state),
            due=row.due,
            stability=row.stability,
            difficulty=row.difficulty,
            retrievability=r,
            lapses=int(row.lapses),
            reps=int(row.reps),
            suspended=bool(row.suspended),
            leech=bool(row.leech),
            buried=row.buried_until is not None and row.buried_until > now,
            changed=row.reviewed_hash is not None and row.reviewed_hash != row.content_hash,
            retired=bool(row.retired),
        )

    def set_suspended(self, card_ids: Sequence[str], suspended: bool) -> int:
        """Suspend (or unsuspend) these cards; returns how many rows changed."""
        return set_suspended(self.study, card_ids, suspended)


def set_suspended(study: Study, card_ids: Sequence[str], suspended: bool) -> int:
    changed = 0
    with study.db.transaction() as session:
        for start in range(0, len(card_ids), 500):
            chunk = list(card_ids[start : start + 500])
            result = session.execute(
                update(CARDS)
                .where(
                    CARDS.c.profile_id == study.profile_id,
                    CARDS.c.card_id.in_(chunk),
                    CARDS.c.suspended.is_not(suspended),
                )
                .values(suspended=suspended)
            )
            changed += int(getattr(result, "rowcount", 0) or 0)
    if suspended:
        for card_id in card_ids:
            study.queue.remove(card_id)
    return changed


def _where(query: Query, now: datetime, day_end: datetime) -> list[Any]:
    clauses: list[Any] = []
    if "retired" not in query.flags:
        clauses.append(CARDS.c.retired.is_(False))
    if query.topics:
        clauses.append(CARDS.c.topic.in_(query.topics))
    if query.kinds:
        clauses.append(CARDS.c.kind.in_(query.kinds))
    if query.tags:
        padded = " " + CARDS.c.tags + " "
        clauses.append(or_(*(padded.contains(f" {tag} ") for tag in query.tags)))
    for flag in query.flags:
        clauses.append(_FLAGS[flag](now, day_end))
    columns = {"s": CARDS.c.stability, "d": CARDS.c.difficulty}
    for name, op, value in query.props:
        if name in columns:
            clauses.append(_OPS[op](columns[name], value))
        elif name in ("lapses", "reps"):
            clauses.append(_OPS[op](CARDS.c[name], value))
    return clauses


_FLAGS: dict[str, Callable[[datetime, datetime], Any]] = {
    "due": lambda now, end: (CARDS.c.state != int(S.NEW)) & (CARDS.c.due < end),
    "new": lambda now, end: CARDS.c.state == int(S.NEW),
    "learning": lambda now, end: CARDS.c.state.in_((int(S.LEARNING), int(S.RELEARNING))),
    "review": lambda now, end: CARDS.c.state == int(S.REVIEW),
    "suspended": lambda now, end: CARDS.c.suspended.is_(True),
    "leech": lambda now, end: CARDS.c.leech.is_(True),
    "changed": lambda now, end: (
        CARDS.c.reviewed_hash.is_not(None) & (CARDS.c.reviewed_hash != CARDS.c.content_hash)
    ),
    "buried": lambda now, end: CARDS.c.buried_until > now,
    "retired": lambda now, end: CARDS.c.retired.is_(True),
}


def _props_hold(props: Sequence[tuple[str, str, float]], row: Any, r: float | None) -> bool:
    for name, op, value in props:
        if name == "r" and (r is None or not _OPS[op](r, value)):
            return False
    return True
