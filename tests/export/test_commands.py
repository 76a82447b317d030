"""`quizdl export` and `quizdl restore` from the command line: exit codes, messages on
stderr, stdout clean, nothing changed when refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quizdl.cli import main
from quizdl.store.db import Database
from tests.export.conftest import dump


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZDL_NOW", "2026-11-07T09:00:00Z")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_restore(
    studied: Database,
    make_database: Callable[[str], Database],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "backup.json"
    code, out, err = run(
        capsys, "export", "--format", "json", "-o", str(backup), "--db", studied.url
    )
    assert (code, out, err) == (0, "", "")  # no progress unless asked or on a terminal
    home = make_database("home")
    code, out, err = run(capsys, "restore", str(backup), "--db", home.url)
    assert code == 0 and err == ""
    assert out.startswith(f"restored {backup} into ") and "200 reviews" in out
    assert dump(home) == dump(studied)
    code, out, err = run(capsys, "restore", str(backup), "--db", home.url)
    assert code == 2 and out == "" and "--merge" in err
    code, out, err = run(capsys, "restore", str(backup), "--merge", "--db", home.url)
    assert code == 0 and "reviews: 0 added, 0 updated, 200 already there" in out


def test_an_existing_file_is_kept(
    studied: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "log.csv"
    target.write_text("mine\n")
    argv = ("export", "--format", "revlog", "-o", str(target), "--db", studied.url)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and f"{target}: the file exists; pass --force" in err
    assert target.read_text() == "mine\n"
    code, out, err = run(capsys, *argv, "--force")
    assert code == 0 and target.read_text().startswith("card_id,review_time,")


def test_progress_goes_to_stderr_when_asked(
    studied: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "log.csv"
    code, out, err = run(
        capsys, "export", "--format", "revlog", "-o", str(target), "--db", studied.url, "--progress"
    )
    assert code == 0 and out == ""
    assert "export review log: 200 / 200 (100%)" in err
    assert f"wrote {target} (200 reviews)" in err


def test_nothing_to_export_and_unknown_topics(
    studied: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = f"sqlite:///{tmp_path / 'none' / 'quizdl.db'}"
    code, _, err = run(
        capsys, "export", "--format", "json", "-o", str(tmp_path / "a"), "--db", missing
    )
    assert code == 2 and "nothing to export" in err
    assert not (tmp_path / "none" / "quizdl.db").exists()
    code, _, err = run(
        capsys, "export", "--format", "csv", "-o", str(tmp_path / "b.csv"), "--db", studied.url,
        "--topic", "gamma",
    )  # fmt: skip
    assert code == 2 and "unknown topic 'gamma' (topics in the database: alpha, beta)" in err
    written = {p.name for p in tmp_path.iterdir()} & {"a", "b.csv", "b-reviews.csv"}
    assert not written and not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_report_and_deck_use_the_content(
    studied: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = str(tmp_path / "kb")
    report, deck = tmp_path / "r.html", tmp_path / "d.apkg"
    argv = ("--content", kb, "export", "--db", studied.url)
    assert run(capsys, *argv, "--format", "html", "-o", str(report))[0] == 0
    assert "Alpha basics (alpha)" in report.read_text(encoding="utf-8")
    assert run(capsys, *argv, "--format", "apkg", "-o", str(deck), "--topic", "alpha")[0] == 0
    assert deck.stat().st_size > 0
