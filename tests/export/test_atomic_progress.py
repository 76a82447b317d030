"""Files appear whole or not at all and are never overwritten unasked; progress goes to
stderr, only when asked for or on a terminal."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from quizdl.errors import BadInput
from quizdl.export.atomic import atomic_outputs
from quizdl.export.progress import Progress


def test_a_new_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_outputs([target], force=False) as outputs:
        outputs.open(target).write(b"hello")
        assert not target.exists()  # still under its temporary name
        assert len(list(tmp_path.iterdir())) == 1
    assert target.read_bytes() == b"hello"
    assert list(tmp_path.iterdir()) == [target]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    target = tmp_path / "out.txt"
    with atomic_outputs([target], force=False) as outputs:
        outputs.open(target).write(b"x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_existing_file_is_refused_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"precious")
    with pytest.raises(BadInput, match="exists; pass --force"):
        with atomic_outputs([target], force=False):
            pass
    assert target.read_bytes() == b"precious"
    with atomic_outputs([target], force=True) as outputs:
        outputs.open(target).write(b"new")
    assert target.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    with pytest.raises(RuntimeError, match="disk on fire"):
        with atomic_outputs([first, second], force=False) as outputs:
            outputs.open(first).write(b"cards")
            outputs.open(second).write(b"reviews")
            raise RuntimeError("disk on fire")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_appears_meanwhile_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(BadInput, match="appeared there meanwhile"):
        with atomic_outputs([target], force=False) as outputs:
            outputs.open(target).write(b"ours")
            target.write_bytes(b"theirs")
    assert target.read_bytes() == b"theirs"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_targets_are_named(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="is a folder"):
        atomic_outputs([tmp_path], force=True).__enter__()
    with pytest.raises(BadInput, match="does not exist"):
        atomic_outputs([tmp_path / "no" / "such.json"], force=False).__enter__()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_unless_asked_or_on_a_terminal() -> None:
    log = io.StringIO()
    quiet = Progress.for_terminal(False, log)
    quiet.stage("export reviews", 10)
    quiet.advance(10)
    quiet.close()
    assert log.getvalue() == ""
    asked = Progress.for_terminal(True, log)
    asked.stage("export reviews", 200)
    asked.advance(150)
    asked.advance(50)
    asked.close()
    lines = log.getvalue().splitlines()
    assert lines[0] == "export reviews: 0 / 200 (0%)"
    assert lines[-1] == "export reviews: 200 / 200 (100%)"
    assert "\r" not in log.getvalue()  # one line per report when not a terminal


def test_progress_redraws_one_line_on_a_terminal() -> None:
    screen = Terminal()
    progress = Progress.for_terminal(False, screen)
    assert progress.enabled
    progress.stage("restore reviews", 1_000_000)
    progress.advance(1_000_000)
    progress.close()
    text = screen.getvalue()
    assert text.startswith("\rrestore reviews: 0 / 1,000,000 (0%)")
    assert text.endswith("\rrestore reviews: 1,000,000 / 1,000,000 (100%)\x1b[K\n")
