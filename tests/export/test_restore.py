"""Restore refusals leave everything as it was: a home with data (without --merge), a
damaged, foreign or newer file, a value of the wrong type. A re-indented backup still
restores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from quizdl.errors import BadInput
from quizdl.export import ExportRequest, backup_reader, export
from quizdl.export.backup_reader import BackupReader
from quizdl.export.restore import restore
from quizdl.store import migrate
from quizdl.store.db import Database
from quizdl.store.migrate import HEAD_REVISION
from tests.export.conftest import dump


@pytest.fixture
def backup(studied: Database, tmp_path: Path) -> Path:
    path = tmp_path / "backup.json"
    export(ExportRequest("json", path), database=studied)
    return path


def refused(home: Database, path: Path, *, merge: bool = False) -> str:
    with pytest.raises(BadInput) as caught:
        restore(home, path, merge=merge)
    message = str(caught.value)
    assert "nothing was changed" in message
    return message


def test_a_home_with_data_is_refused_without_merge(studied: Database, backup: Path) -> None:
    before = dump(studied)
    message = refused(studied, backup)
    assert "already holds data" in message and "--merge" in message
    assert "200 reviews" in message
    assert dump(studied) == before


def write_variant(backup: Path, name: str, edit: Callable[[str], str]) -> Path:
    path = backup.with_name(name)
    path.write_text(edit(backup.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_damaged_file_changes_nothing_not_even_a_new_file(
    backup: Path, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    home = make_database("home")
    home_file = tmp_path / "home" / "quizdl.db"
    raw = backup.read_bytes()
    cut = backup.with_name("cut.json")
    cut.write_bytes(raw[: len(raw) * 2 // 3])  # cut off in the middle of the reviews
    message = refused(home, cut)
    assert str(cut) in message and ("cut short" in message or "damaged" in message)
    assert not home_file.exists()


def test_damage_in_the_middle_is_refused_and_the_home_stays_as_it_was(
    backup: Path, make_database: Callable[[str], Database]
) -> None:
    home = make_database("home")
    lines = backup.read_text(encoding="utf-8").splitlines(keepends=True)
    reviews_at = next(i for i, line in enumerate(lines) if '"name":"reviews"' in line)
    lines[reviews_at + 1] = lines[reviews_at + 1][:50] + "@@" + lines[reviews_at + 1][50:]
    damaged = backup.with_name("damaged.json")
    damaged.write_text("".join(lines), encoding="utf-8")
    message = refused(home, damaged)
    assert f"{damaged}:{reviews_at + 2}:" in message and "not valid JSON" in message
    assert migrate.current(home) is None  # not even the schema was created


def test_a_newer_schema_revision_is_refused(
    backup: Path, make_database: Callable[[str], Database]
) -> None:
    newer = write_variant(
        backup, "newer.json", lambda t: t.replace(HEAD_REVISION, "0999_from_the_future", 1)
    )
    message = refused(make_database("home"), newer)
    assert "'0999_from_the_future'" in message and "does not know" in message


def test_a_newer_format_is_refused(backup: Path, make_database: Callable[[str], Database]) -> None:
    newer = write_variant(
        backup, "newer.json", lambda t: t.replace('"format_version":1', '"format_version":7', 1)
    )
    message = refused(make_database("home"), newer)
    assert "newer quizdl" in message and "format 7" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("card_id,review_time\nx,1\n", "not a JSON document"),
        ('{"hello": "world"}', "no format key"),
        ('{"format": "anki"}', "its format is 'anki'"),
        ("[1, 2, 3]", "not an object"),
    ],
)
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_foreign_file_is_named_as_such(
    content: str,
    expected: str,
    make_database: Callable[[str], Database],
    tmp_path: Path,
) -> None:
    path = tmp_path / "foreign.json"
    path.write_text(content, encoding="utf-8")
    message = refused(make_database("home"), path)
    assert expected in message and str(path) in message
    assert "is not a quizdl backup" in message or "not an object" in message


def test_a_value_of_the_wrong_type_names_table_row_and_column(
    backup: Path, make_database: Callable[[str], Database]
) -> None:
    document = json.loads(backup.read_text(encoding="utf-8"))
    reviews = document["tables"][3]
    rating = reviews["columns"].index("rating")
    reviews["rows"][4][rating] = "good"
    bad = backup.with_name("bad.json")
    bad.write_text(json.dumps(document), encoding="utf-8")  # one line: read whole
    message = refused(make_database("home"), bad)
    assert "table reviews, row 5, column 'rating'" in message
    assert "expected a whole number" in message and '"good"' in message


def test_a_bad_time_is_refused(backup: Path, make_database: Callable[[str], Database]) -> None:
    bad = write_variant(
        backup,
        "bad-time.json",
        lambda t: t.replace('"2026-11-02T08:00:00.000000Z"', '"2026-13-02T08:00:00.000000Z"', 1),
    )
    message = refused(make_database("home"), bad)
    assert "expected a UTC time" in message and "2026-13-02" in message


def test_a_missing_row_is_noticed(backup: Path, make_database: Callable[[str], Database]) -> None:
    lines = backup.read_text(encoding="utf-8").splitlines(keepends=True)
    sessions = next(i for i, line in enumerate(lines) if '"name":"study_sessions"' in line)
    block = json.loads("[" + lines[sessions + 1].rstrip().removesuffix(",") + "]")
    lines[sessions + 1] = json.dumps(block[1:], separators=(",", ":"))[1:-1] + "\n"
    short = backup.with_name("short.json")
    short.write_text("".join(lines), encoding="utf-8")
    message = refused(make_database("home"), short)
    assert "should hold 5 rows but holds 4" in message


def test_a_re_indented_backup_still_restores_exactly(
    studied: Database, backup: Path, make_database: Callable[[str], Database], tmp_path: Path
) -> None:
    pretty = backup.with_name("pretty.json")
    pretty.write_text(
        json.dumps(json.loads(backup.read_text(encoding="utf-8")), indent=2, ensure_ascii=True),
        encoding="utf-8",
    )
    home = make_database("home")
    restore(home, pretty)
    assert dump(home) == dump(studied)
    again = tmp_path / "again.json"
    export(ExportRequest("json", again), database=home)
    assert again.read_bytes() == backup.read_bytes()


def test_merge_into_an_empty_home_is_a_plain_restore(
    studied: Database, backup: Path, make_database: Callable[[str], Database]
) -> None:
    home = make_database("home")
    report = restore(home, backup, merge=True)
    assert not report.merged
    assert dump(home) == dump(studied)


def read_through(reader: BackupReader) -> int:
    return sum(len(block.rows) for part in reader.tables() for block in part.blocks)


def test_a_second_reading_of_the_unchanged_file_checks_types_only(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = BackupReader(backup)
    parsed: list[str] = []
    real_loads = backup_reader.json.loads
    monkeypatch.setattr(
        backup_reader.json, "loads", lambda text: parsed.append(text) or real_loads(text)
    )
    rows = read_through(reader)
    first = len(parsed)
    assert first > rows  # every line, and every JSON text in the rows
    assert read_through(reader) == rows
    assert len(parsed) - first < first // 10  # the lines only
    text = backup.read_text(encoding="utf-8")
    backup.write_text(text.replace("T08:00:00.000000Z", "T08:00:00Z", 1), encoding="utf-8")
    with pytest.raises(BadInput, match="expected a UTC time"):
        read_through(reader)  # changed: checked in full again
