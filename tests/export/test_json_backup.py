"""The JSON backup: a restore into an empty home rebuilds the same database (exporting it
again gives the same bytes), on SQLite and PostgreSQL; the layout is one JSON document."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from quizdl.export import ExportRequest, export, json_parallel
from quizdl.export.backup_schema import FORMAT, FORMAT_VERSION, TABLES
from quizdl.export.json_backup import write_backup
from quizdl.export.restore import restore
from quizdl.kb.loader import KnowledgeBase
from quizdl.store.db import Database
from quizdl.store.migrate import HEAD_REVISION
from tests.export.conftest import T0, dump, migrated, study_days


def backup_bytes(database: Database, **kwargs: object) -> bytes:
    out = io.BytesIO()
    write_backup(database, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def test_restore_then_export_gives_the_same_bytes(
    studied: Database, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    export(ExportRequest("json", first), database=studied)
    home = make_database("home")
    report = restore(home, first)
    assert report.inserted == {t: len(rows) for t, rows in dump(studied).items()}
    assert dump(home) == dump(studied)  # every row and value, ids included
    again = tmp_path / "again.json"
    export(ExportRequest("json", again), database=home)
    assert again.read_bytes() == first.read_bytes()


def test_the_backup_is_one_json_document_with_every_table(studied: Database) -> None:
    document = json.loads(backup_bytes(studied))
    assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION
    assert document["schema_revision"] == HEAD_REVISION
    rows = dump(studied)
    assert [t["name"] for t in document["tables"]] == [spec.name for spec in TABLES]
    for table, spec in zip(document["tables"], TABLES, strict=True):
        assert table["columns"] == spec.names
        assert table["count"] == len(table["rows"]) == len(rows[spec.name])
    reviews = document["tables"][3]
    first = dict(zip(reviews["columns"], reviews["rows"][0], strict=True))
    stored = rows["reviews"][0]
    assert first["card_id"] == stored["card_id"] and first["rating"] == stored["rating"]
    # Times as ISO 8601 UTC with microseconds; JSON columns as their stored text.
    assert first["reviewed_at"] == "2026-11-02T08:00:00.000000Z"
    assert json.loads(first["prior"])["state"] == 0
    cards = document["tables"][1]
    card = dict(zip(cards["columns"], cards["rows"][0], strict=True))
    assert card["suspended"] is False  # booleans as true/false on every backend


def test_the_layout_is_sorted_keys_and_a_block_of_rows_per_line(studied: Database) -> None:
    lines = backup_bytes(studied).decode().splitlines()
    assert lines[0] == (
        f'{{"format":"{FORMAT}","format_version":{FORMAT_VERSION},"quizdl_version":'
        f'{json.dumps(__import__("quizdl").__version__)},"schema_revision":'
        f'"{HEAD_REVISION}","tables":['
    )
    heads = [line for line in lines if line.startswith('{"columns":')]
    assert len(heads) == len(TABLES)
    for head in heads:
        keys = list(json.loads(head.removeprefix(",") + "]}"))
        assert keys == sorted(keys) == ["columns", "count", "name", "rows"]
    assert lines[-1] == "]}"


def test_floats_keep_every_bit(studied: Database, make_database: Callable[[str], Database]) -> None:
    document = json.loads(backup_bytes(studied))
    reviews = document["tables"][3]
    at = reviews["columns"].index("stability_after")
    exported = [row[at] for row in reviews["rows"]]
    stored = [row["stability_after"] for row in dump(studied)["reviews"]]
    assert exported == stored  # == on floats: the same doubles, not just close ones


def test_a_topic_gives_a_partial_backup(studied: Database) -> None:
    document = json.loads(backup_bytes(studied, topics=("beta",)))
    cards, reviews = document["tables"][1], document["tables"][3]
    card_ids = {row[cards["columns"].index("card_id")] for row in cards["rows"]}
    assert card_ids == {"beta/step", "beta/deconv", "beta/dropout"}
    reviewed = [row[reviews["columns"].index("card_id")] for row in reviews["rows"]]
    expected = [r["card_id"] for r in dump(studied)["reviews"] if r["card_id"].startswith("beta/")]
    assert reviewed == expected and reviewed


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_parallel_workers_write_the_same_bytes(
    database: Database, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    study_days(database, kb, 30)  # 1,200 reviews: several blocks of 1,000 ids
    sequential = backup_bytes(database)
    monkeypatch.setattr(json_parallel, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(json_parallel, "usable_cores", lambda: 3)
    assert json_parallel.worker_count(database, 10) == 3
    started: list[str] = []
    start = json_parallel.start_worker

    def counted(module: str, job: dict[str, object]) -> object:
        started.append(module)
        return start(module, job)

    monkeypatch.setattr(json_parallel, "start_worker", counted)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "parallel.json"
    with out.open("wb") as file:  # a real file: the parts are appended in the kernel
        write_backup(database, file, scratch=folder)
    assert out.read_bytes() == sequential
    # Two blocks of ids cut in three parts: the exporting process encodes the first itself,
    # one worker the second, and the third part is empty (no worker).
    assert started == ["quizdl.export.json_worker"]
    assert [p.name for p in folder.iterdir()] == ["parallel.json"]  # the parts are gone
    in_memory = backup_bytes(database, scratch=folder)  # appended through Python
    assert in_memory == sequential
    monkeypatch.setattr(json_parallel, "usable_cores", lambda: 1)
    one_topic = backup_bytes(database, topics=("beta",))
    monkeypatch.setattr(json_parallel, "usable_cores", lambda: 2)
    assert backup_bytes(database, topics=("beta",), scratch=folder) == one_topic


def test_restore_continues_ids_so_the_app_goes_on(
    studied: Database,
    kb: KnowledgeBase,
    make_database: Callable[[str], Database],
    tmp_path: Path,
) -> None:
    path = tmp_path / "backup.json"
    export(ExportRequest("json", path), database=studied)
    home = make_database("home")
    restore(home, path)
    before = dump(home)
    study_days(home, kb, 1, start=T0 + timedelta(days=10))  # after the five days studied
    after = dump(home)
    new_ids = [r["id"] for r in after["reviews"]][len(before["reviews"]) :]
    assert new_ids and min(new_ids) > max(r["id"] for r in before["reviews"])


def test_an_empty_database_round_trips(
    make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    empty = migrated(make_database("empty"))
    first = tmp_path / "empty.json"
    export(ExportRequest("json", first), database=empty)
    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 2 * len(TABLES) + 1  # header, a head and "]}" per table, end
    assert all(json.loads(first.read_text())["tables"][i]["rows"] == [] for i in range(4))
    home = make_database("home")
    assert restore(home, first).inserted == {spec.name: 0 for spec in TABLES}
    again = tmp_path / "again.json"
    export(ExportRequest("json", again), database=home)
    assert again.read_bytes() == first.read_bytes()
