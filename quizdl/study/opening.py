"""Opening a learner's study for an interface: the database (created and migrated on the
first run), the content (problems collected, not fatal: topics with problems are left
out), and content reloads after a card is edited. Database failures become plain words."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from quizdl.clock import Clock
from quizdl.errors import QuizdlError
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.kb.text import Lang
from quizdl.store import migrate
from quizdl.store.db import Database
from quizdl.store.models import Profile
from quizdl.study import repo
from quizdl.study.service import Study


@dataclass
class Opened:
    """A Study ready to use, the content problems found, and how to reload the content."""

    study: Study
    problems: list[str]
    content: tuple[Path, ...] = ()
    shipped: bool = True
    first_run: bool = False
    profile: str = "default"
    clock: Clock | None = None

    def reload_content(self) -> list[str]:
        """Read the content again (after an edit) and bring the database in line: an edited
        card keeps its progress and shows as changed. Returns the problems found."""
        kb, problems = load(self.content, shipped=self.shipped)
        replace_content(self.study, kb)
        self.problems = [str(p) for p in problems]
        return self.problems

    def new_session(self) -> Study:
        """A fresh Study on the same database and content, for a new session: a Study's
        tallies (ratings, undo stack, time) cover one session."""
        old = self.study
        self.study = Study(
            old.db, old.kb, clock=self.clock, rng=old.rng, profile=self.profile, lang=old.lang
        )
        return self.study


def open_study(
    url: str,
    *,
    content: Sequence[Path] = (),
    shipped: bool = True,
    profile: str = "default",
    lang: Lang = "en",
    clock: Clock | None = None,
    rng: random.Random | None = None,
) -> Opened:
    kb, problems = load(content, shipped=shipped)
    try:
        database = Database(url)
        old, _ = migrate.upgrade(database)
        study = Study(database, kb, clock=clock, rng=rng, profile=profile, lang=lang)
    except SQLAlchemyError as exc:
        raise QuizdlError(explain_failure(exc)) from None
    return Opened(
        study,
        [str(p) for p in problems],
        tuple(content),
        shipped,
        first_run=old is None,
        profile=profile,
        clock=clock,
    )


def replace_content(study: Study, kb: KnowledgeBase) -> None:
    with study.db.transaction() as session:
        study.reconciled = repo.reconcile(session, study.profile_id, kb)
        profile = session.get(Profile, study.profile_id)
        if profile is not None:
            profile.content_fingerprint = repo.fingerprint(kb)
    study.kb = kb
    for card_id in [e.card_id for e in [*study.queue.learning, *study.queue.main]]:
        if card_id not in kb.cards:
            study.queue.remove(card_id)


def explain_failure(exc: BaseException) -> str:
    """What went wrong with the database, in plain words, and what to do about it."""
    if isinstance(exc, QuizdlError):
        return str(exc)
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    lowered = first.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            "the database is locked by another program (another quizdl?). Close it and try "
            "again; nothing was lost, and the last action was not recorded."
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return (
            f"the database is damaged ({first}). Restore it from a backup "
            "(quizdl restore FILE), or move the file away to start afresh."
        )
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return f"the database cannot be written ({first}): check the file's permissions."
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return f"the connection to the database was lost ({first}); try again."
    return f"the database failed: {first}"
