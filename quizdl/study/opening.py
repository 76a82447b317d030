"""Opening a learner's study for an interface: the database (created on the first run,
backed up and upgraded when its schema is old: quizdl.store.opening), the content (problems
collected, not fatal: topics with problems are left out), content reloads after a card is
edited, and a new Study per session, the first session of a study day backing the database
up. Database failures become plain words (explain_failure)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from quizdl.clock import Clock
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.kb.text import Lang
from quizdl.lang import Said
from quizdl.store import backup
from quizdl.store.models import Profile
from quizdl.store.opening import explain_failure as explain_failure
from quizdl.store.opening import failure, open_database
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
    notices: list[Said] = field(default_factory=list)
    """What the opening did that the learner should hear of (a backup before an upgrade)."""
    day_backup: backup.BackgroundBackup | None = None
    """The study day's backup, made in the background at its first session."""

    def reload_content(self) -> list[str]:
        """Read the content again (after an edit) and bring the database in line: an edited
        card keeps its progress and shows as changed. Returns the problems found."""
        kb, problems = load(self.content, shipped=self.shipped)
        replace_content(self.study, kb)
        self.problems = [str(p) for p in problems]
        return self.problems

    def new_session(self) -> Study:
        """A fresh Study on the same database and content, for a new session: a Study's
        tallies (ratings, undo stack, time) cover one session. The first session of a study
        day (the profile's rollover) starts the day's backup."""
        old = self.study
        fresh = Study(
            old.db, old.kb, clock=self.clock, rng=old.rng, profile=self.profile, lang=old.lang
        )
        # The profile's study day; in the background, so the first card shows at once.
        started = backup.start_daily_backup(fresh.db, clock=fresh.clock)
        self.day_backup = started or self.day_backup
        self.study = fresh
        return fresh

    def take_notices(self) -> list[Said]:
        """What the learner should hear of now (once): the opening's notices, and a daily
        backup that failed."""
        pending = self.day_backup
        if pending is not None and pending.error is not None:
            self.notices.append(pending.error)
            self.day_backup = None
        taken, self.notices = self.notices, []
        return taken


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
    notices: list[Said] = []
    opened = open_database(url, notify=notices.append)
    try:
        study = Study(opened.database, kb, clock=clock, rng=rng, profile=profile, lang=lang)
    except SQLAlchemyError as exc:
        opened.database.dispose()
        raise failure(exc) from None
    return Opened(
        study,
        [str(p) for p in problems],
        tuple(content),
        shipped,
        first_run=opened.is_new,
        profile=profile,
        clock=clock,
        notices=notices,
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
