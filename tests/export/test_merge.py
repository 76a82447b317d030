"""`restore --merge`: two machines that studied apart come together without duplicates;
the newer state of each card wins; the home's settings win and the backup fills gaps."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from quizdl.export import ExportRequest, export
from quizdl.export.restore import restore
from quizdl.kb.loader import KnowledgeBase
from quizdl.store.db import Database
from quizdl.store.models import Profile
from tests.export.conftest import T0, Dump, dump, migrated, study_days

Key = tuple[str, str, str, int]


def backup(database: Database, path: Path) -> Path:
    export(ExportRequest("json", path, force=True), database=database)
    return path


def review_keys(rows: Dump) -> list[Key]:
    names = {p["id"]: p["name"] for p in rows["profiles"]}
    return [
        (names[r["profile_id"]], r["card_id"], str(r["reviewed_at"]), r["rating"])
        for r in rows["reviews"]
    ]


def cards_by_id(rows: Dump) -> dict[str, dict[str, Any]]:
    return {c["card_id"]: c for c in rows["card_states"]}


def diverged(
    kb: KnowledgeBase, make_database: Callable[[str], Database], tmp_path: Path
) -> tuple[Database, Database]:
    """A laptop that studied days 0-2 and then the topic alpha on day 5, and a desktop
    restored from the laptop after day 2 that studied days 3-4 on its own: alpha's newest
    states are the laptop's, beta's the desktop's."""
    laptop = migrated(make_database("laptop"))
    study_days(laptop, kb, 3)
    desktop = make_database("desktop")
    restore(desktop, backup(laptop, tmp_path / "after-day-2.json"))
    study_days(desktop, kb, 2, start=T0 + timedelta(days=3), seed=1)
    study_days(laptop, kb, 1, start=T0 + timedelta(days=5), seed=2, topics=("alpha",))
    return laptop, desktop


def test_merging_two_histories_keeps_every_review_once(
    kb: KnowledgeBase, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    laptop, desktop = diverged(kb, make_database, tmp_path)
    mine, theirs = dump(laptop), dump(desktop)
    report = restore(laptop, backup(desktop, tmp_path / "desktop.json"), merge=True)
    merged = dump(laptop)
    keys = review_keys(merged)
    assert len(keys) == len(set(keys)), "a review was stored twice"
    assert set(keys) == set(review_keys(mine)) | set(review_keys(theirs))
    shared = set(review_keys(mine)) & set(review_keys(theirs))
    assert report.skipped["reviews"] == len(shared) == 120  # the three days studied together
    assert report.inserted["reviews"] == len(theirs["reviews"]) - len(shared) == 80
    # Reviews brought over point to their own sessions, under new ids.
    sessions = {s["id"]: s for s in merged["study_sessions"]}
    their_sessions = {s["id"]: s for s in theirs["study_sessions"]}
    by_key = {
        (r["card_id"], str(r["reviewed_at"]), r["rating"]): r["session_id"]
        for r in theirs["reviews"]
    }
    for review in merged["reviews"]:
        key = (review["card_id"], str(review["reviewed_at"]), review["rating"])
        if key in by_key and review["id"] > max(r["id"] for r in mine["reviews"]):
            here, there = sessions[review["session_id"]], their_sessions[by_key[key]]
            assert here["started_at"] == there["started_at"]
    assert len(merged["study_sessions"]) == len(mine["study_sessions"]) + 2


def test_the_newer_card_state_wins(
    kb: KnowledgeBase, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    laptop, desktop = diverged(kb, make_database, tmp_path)
    mine, theirs = cards_by_id(dump(laptop)), cards_by_id(dump(desktop))
    restore(laptop, backup(desktop, tmp_path / "desktop.json"), merge=True)
    merged = cards_by_id(dump(laptop))
    assert merged.keys() == mine.keys()
    for card_id, card in merged.items():
        a, b = mine[card_id], theirs[card_id]
        winner = b if (b["last_review"] or "") > (a["last_review"] or "") else a
        assert card == winner, card_id
        assert card == (a if card_id.startswith("alpha/") else b), card_id


def test_merging_twice_changes_nothing_more(
    kb: KnowledgeBase, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    laptop, desktop = diverged(kb, make_database, tmp_path)
    theirs = backup(desktop, tmp_path / "desktop.json")
    restore(laptop, theirs, merge=True)
    once = dump(laptop)
    report = restore(laptop, theirs, merge=True)
    assert dump(laptop) == once
    assert sum(report.inserted.values()) == sum(report.updated.values()) == 0


def set_profile(database: Database, name: str, **values: Any) -> None:
    with database.transaction() as session:
        session.execute(update(Profile).where(Profile.name == name).values(**values))


def profiles(database: Database) -> dict[str, tuple[dict[str, Any], Any]]:
    with database.sessions() as session:
        return {p.name: (p.settings, p.fsrs_parameters) for p in session.scalars(select(Profile))}


def test_settings_of_the_home_win_and_the_backup_fills_gaps(
    kb: KnowledgeBase, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    other = migrated(make_database("other"))
    study_days(other, kb, 1)
    study_days(other, kb, 1, profile="partner")
    weights = {"w": [0.5] * 21}
    set_profile(other, "default", settings={"new_per_day": 10, "timezone": "Europe/Berlin"})
    set_profile(other, "default", fsrs_parameters=weights)
    home = migrated(make_database("home"))
    study_days(home, kb, 1, start=T0 + timedelta(days=1))
    set_profile(home, "default", settings={"new_per_day": 5})
    restore(home, backup(other, tmp_path / "other.json"), merge=True)
    found = profiles(home)
    assert found["default"] == ({"new_per_day": 5, "timezone": "Europe/Berlin"}, weights)
    assert "partner" in found
    partner_reviews = [k for k in review_keys(dump(home)) if k[0] == "partner"]
    assert len(partner_reviews) == 40
    assert json.dumps(found["partner"][0]) == json.dumps(profiles(other)["partner"][0])
