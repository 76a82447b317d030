"""`quizdl restore FILE --merge`: bring a backup into a home that already holds data,
without duplicates and without losing anything either side has.

- Profiles are matched by name. A new one is added; for one both have, the home's settings
  win and the backup fills in what the home lacks (settings keys, FSRS parameters).
- Card states: the newer one is kept (the later last review; never-reviewed is oldest;
  on a tie the home's stays).
- Study sessions are matched by profile and start time.
- Reviews are matched by profile, card, time and rating: one already there is skipped.
New rows get new ids; reviews point to their sessions' new ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, String, Text, bindparam, select, update
from sqlalchemy import cast as sql_cast

from quizdl.export.backup_reader import BackupReader
from quizdl.export.backup_schema import BY_NAME
from quizdl.export.progress import Progress
from quizdl.export.rawsql import FromIsoUtc, IsoUtc, JsonText
from quizdl.export.restore import PARAM, RestoreReport, as_params, insert_statement
from quizdl.store.models import (
    CARDS,
    PROFILES,
    REVIEWS,
    SESSIONS,
)

CARD_KEY = ("profile_id", "card_id")


class Merger:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.report = RestoreReport(merged=True)
        self.profile_ids: dict[int, int] = {}  # backup's id -> home's id
        self.session_ids: dict[int, int] = {}
        self._sessions_at: dict[int, dict[str, int]] = {}  # home profile -> start -> id

    def run(self, reader: BackupReader, progress: Progress) -> RestoreReport:
        handlers = {
            "profiles": self._profiles,
            "card_states": self._cards,
            "study_sessions": self._sessions,
            "reviews": self._reviews,
        }
        for part in reader.tables():
            name = part.spec.name
            progress.stage(f"merge {name}", part.count)
            for counter in (self.report.inserted, self.report.updated, self.report.skipped):
                counter.setdefault(name, 0)
            for block in part.blocks:
                handlers[name](block.rows)
                progress.advance(len(block.rows))
        return self.report

    def _count(self, table: str, inserted: int = 0, updated: int = 0, skipped: int = 0) -> None:
        self.report.inserted[table] += inserted
        self.report.updated[table] += updated
        self.report.skipped[table] += skipped

    # -- profiles ------------------------------------------------------------------------
    def _profiles(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            home = self.connection.execute(
                select(
                    PROFILES.c.id,
                    sql_cast(PROFILES.c.settings, Text),
                    sql_cast(PROFILES.c.fsrs_parameters, Text),
                ).where(PROFILES.c.name == row["name"])
            ).first()
            if home is None:
                statement = insert_statement(BY_NAME["profiles"], with_id=False)
                new_id = self.connection.execute(
                    statement.returning(PROFILES.c.id), as_params([row])
                ).scalar_one()
                self.profile_ids[row["id"]] = int(new_id)
                self._count("profiles", inserted=1)
                continue
            home_id, home_settings, home_parameters = home
            self.profile_ids[row["id"]] = int(home_id)
            changes: dict[str, Any] = {}
            mine = json.loads(home_settings or "{}") or {}
            theirs = json.loads(row["settings"] or "{}") or {}
            combined = {**theirs, **mine}
            if combined != mine:
                changes["settings"] = JsonText(bindparam("s", json.dumps(combined), String()))
            if json.loads(home_parameters or "null") is None and row["fsrs_parameters"]:
                if json.loads(row["fsrs_parameters"]) is not None:
                    changes["fsrs_parameters"] = JsonText(
                        bindparam("p", row["fsrs_parameters"], String())
                    )
            if changes:
                self.connection.execute(
                    update(PROFILES).where(PROFILES.c.id == home_id).values(changes)
                )
            self._count("profiles", updated=1 if changes else 0, skipped=0 if changes else 1)

    # -- card states ---------------------------------------------------------------------
    def _cards(self, rows: list[dict[str, Any]]) -> None:
        by_profile: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            home_profile = self.profile_ids[row["profile_id"]]
            by_profile[home_profile].append({**row, "profile_id": home_profile})
        spec = BY_NAME["card_states"]
        for profile_id, group in by_profile.items():
            found = self.connection.execute(
                select(CARDS.c.card_id, IsoUtc(CARDS.c.last_review)).where(
                    CARDS.c.profile_id == profile_id,
                    CARDS.c.card_id.in_([row["card_id"] for row in group]),
                )
            ).all()
            home_last = {card_id: last or "" for card_id, last in found}
            new = [row for row in group if row["card_id"] not in home_last]
            newer = [
                row
                for row in group
                if row["card_id"] in home_last
                and (row["last_review"] or "") > home_last[row["card_id"]]
            ]
            if new:
                self.connection.execute(insert_statement(spec), as_params(new))
            if newer:
                self.connection.execute(_card_update(), as_params(newer))
            self._count(
                "card_states",
                inserted=len(new),
                updated=len(newer),
                skipped=len(group) - len(new) - len(newer),
            )

    # -- sessions ------------------------------------------------------------------------
    def _sessions(self, rows: list[dict[str, Any]]) -> None:
        statement = insert_statement(BY_NAME["study_sessions"], with_id=False).returning(
            SESSIONS.c.id
        )
        for row in rows:
            profile_id = self.profile_ids[row["profile_id"]]
            known = self._home_sessions(profile_id)
            if row["started_at"] in known:
                self.session_ids[row["id"]] = known[row["started_at"]]
                self._count("study_sessions", skipped=1)
                continue
            values = {**row, "profile_id": profile_id}
            new_id = int(self.connection.execute(statement, as_params([values])).scalar_one())
            known[row["started_at"]] = new_id
            self.session_ids[row["id"]] = new_id
            self._count("study_sessions", inserted=1)

    def _home_sessions(self, profile_id: int) -> dict[str, int]:
        if profile_id not in self._sessions_at:
            found = self.connection.execute(
                select(IsoUtc(SESSIONS.c.started_at), SESSIONS.c.id).where(
                    SESSIONS.c.profile_id == profile_id
                )
            ).all()
            self._sessions_at[profile_id] = {started: int(i) for started, i in found}
        return self._sessions_at[profile_id]

    # -- reviews -------------------------------------------------------------------------
    def _reviews(self, rows: list[dict[str, Any]]) -> None:
        by_profile: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            profile_id = self.profile_ids[row["profile_id"]]
            session = row["session_id"]
            by_profile[profile_id].append(
                {
                    **row,
                    "profile_id": profile_id,
                    "session_id": None if session is None else self.session_ids.get(session),
                }
            )
        statement = insert_statement(BY_NAME["reviews"], with_id=False)
        for profile_id, group in by_profile.items():
            times = [row["reviewed_at"] for row in group]
            found = self.connection.execute(
                select(REVIEWS.c.card_id, IsoUtc(REVIEWS.c.reviewed_at), REVIEWS.c.rating).where(
                    REVIEWS.c.profile_id == profile_id,
                    REVIEWS.c.reviewed_at >= FromIsoUtc(bindparam("lo", min(times), String())),
                    REVIEWS.c.reviewed_at <= FromIsoUtc(bindparam("hi", max(times), String())),
                )
            ).all()
            present = {(card, at, rating) for card, at, rating in found}
            new: list[dict[str, Any]] = []
            for row in group:
                key = (row["card_id"], row["reviewed_at"], row["rating"])
                if key not in present:
                    present.add(key)
                    new.append({k: v for k, v in row.items() if k != "id"})
            if new:
                self.connection.execute(statement, as_params(new))
            self._count("reviews", inserted=len(new), skipped=len(group) - len(new))


def _card_update() -> Any:
    spec = BY_NAME["card_states"]
    values: dict[str, Any] = {}
    for column in spec.columns:
        if column.name in CARD_KEY:
            continue
        param = bindparam(
            PARAM + column.name,
            type_=String() if column.kind in ("time", "json") else CARDS.c[column.name].type,
        )
        if column.kind == "time":
            values[column.name] = FromIsoUtc(param)
        elif column.kind == "json":
            values[column.name] = JsonText(param)
        else:
            values[column.name] = param
    return (
        update(CARDS)
        .where(
            CARDS.c.profile_id == bindparam(PARAM + "profile_id"),
            CARDS.c.card_id == bindparam(PARAM + "card_id"),
        )
        .values(values)
    )
