"""`quizdl review` as a learner's script runs it: a subprocess with its own QUIZDL_HOME,
a fixed clock (QUIZDL_NOW), the JSON-lines protocol and the plain-text review on stdin."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TIMEOUT = 120  # seconds; a run takes about one

TOPIC = """\
topic:
  id: cli-test
  title: {en: CLI test, zh: 命令行测试}
  source: {note: n.md, section: cli}
cards:
  - id: cli-test/basic
    kind: basic
    source: {note: n.md, section: s1}
    front: {en: What does ReLU return for x < 0?, zh: ReLU 在 x < 0 时输出什么？}
    back: {en: Zero., zh: 零。}
  - id: cli-test/typed
    kind: typed
    source: {note: n.md, section: s2}
    prompt: {en: Which optimizer keeps m and v?, zh: 哪个优化器维护 m 和 v？}
    accept: [Adam]
"""


def environment(home: Path, now: datetime = NOW, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZDL_")}
    env.update(QUIZDL_HOME=str(home), QUIZDL_NOW=now.isoformat(), QUIZDL_LANG="en", TZ="UTC")
    env.update(PYTHONIOENCODING="utf-8")  # the plain review writes in the locale's encoding
    env.update(extra)
    return env


def quizdl(
    home: Path, *args: str, stdin: bytes = b"", now: datetime = NOW, **extra: str
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quizdl", *args],
        input=stdin,
        capture_output=True,
        env=environment(home, now, **extra),
        timeout=TIMEOUT,
        check=False,
    )


def events(run: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    """Every stdout line is one JSON object with a type."""
    found = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert all(isinstance(e, dict) and "type" in e for e in found)
    return found


def lines(*objects: object) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


def query(home: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(home / "quizdl.db")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "cli-test.yaml").write_text(TOPIC, encoding="utf-8")
    return folder


def test_a_jsonl_session(tmp_path: Path) -> None:
    home = tmp_path / "home"
    stdin = lines({"rating": 3}, {"skip": True}) + b"oops\n" + lines({"quit": True}, {"rating": 1})
    run = quizdl(home, "review", "--jsonl", stdin=stdin)
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    found = events(run)
    assert [e["type"] for e in found] == [
        *("card", "recorded", "card", "skipped", "card", "error", "summary"),
    ]
    first, recorded = found[0], found[1]
    assert recorded["card_id"] == first["card_id"] and recorded["rating"] == 3
    assert recorded["due"] == (NOW + timedelta(minutes=10)).isoformat()  # second learning step
    assert found[3]["card_id"] == found[2]["card_id"]
    assert found[5]["input"] == "oops"
    assert found[-1]["reviewed"] == 1 and found[-1]["by_rating"] == {"3": 1}
    stored = query(home, "SELECT id, card_id, rating, reviewed_at FROM reviews")
    assert [row[:3] for row in stored] == [(recorded["review_id"], first["card_id"], 3)]
    assert stored[0][3].startswith("2026-11-26 09:00:00")  # QUIZDL_NOW, stored as UTC
    assert query(home, "SELECT count(*) FROM study_sessions WHERE ended_at IS NULL") == [(0,)]


def test_progress_is_kept_between_runs_and_now_moves_with_quizdl_now(
    tmp_path: Path, content: Path
) -> None:
    home = tmp_path / "home"
    args = ("--content", str(content), "review", "--jsonl", "--topic", "cli-test")
    first = events(quizdl(home, *args, stdin=lines({"rating": 3})))
    assert [e["card_id"] for e in first if e["type"] == "card"] == [
        "cli-test/basic",
        "cli-test/typed",
    ]
    # 15 minutes later the card rated "good" (due after 10) comes first, as a learning card
    later = events(quizdl(home, *args, now=NOW + timedelta(minutes=15)))
    assert later[0]["type"] == "card" and later[0]["card_id"] == "cli-test/basic"
    assert later[0]["remaining"] == {"new": 1, "learning": 1, "review": 0}


def test_answering_a_typed_card_through_the_protocol(tmp_path: Path, content: Path) -> None:
    home = tmp_path / "home"
    args = ("--content", str(content), "review", "--jsonl", "--topic", "cli-test")
    stdin = lines({"skip": True}, {"answer": "adam"}, {"accept": True})
    found = events(quizdl(home, *args, stdin=stdin))
    assert [e["type"] for e in found] == [
        *("card", "skipped", "card", "result", "recorded", "card", "summary"),
    ]
    result = found[3]
    assert (result["card_id"], result["correct"], result["answer"]) == (
        "cli-test/typed",
        True,
        "Adam",
    )
    assert found[4]["rating"] == result["suggested_rating"] == 3
    assert query(home, "SELECT card_id, rating, raw_answer FROM reviews") == [
        ("cli-test/typed", 3, "adam")
    ]


def test_a_bad_start_is_an_error_event_and_exit_code_2(tmp_path: Path) -> None:
    run = quizdl(tmp_path / "home", "review", "--jsonl", "--topic", "no-such-topic")
    assert run.returncode == 2
    found = events(run)
    assert len(found) == 1 and found[0]["type"] == "error"
    assert "unknown topic 'no-such-topic'" in found[0]["message"]
    assert b"quizdl: unknown topic" in run.stderr and b"Traceback" not in run.stderr


def test_utf8_both_ways_whatever_the_locale(tmp_path: Path, content: Path) -> None:
    """Output is UTF-8 even when Python would write Latin-1; input that is not UTF-8, or
    JSON nested too deeply to read, gets an error event, never a traceback."""
    stdin = b'{"answer": "\xff"}\n' + b"[" * 50_000 + b"\n" + lines({"rating": 2})
    run = quizdl(
        tmp_path / "home",
        "--lang",
        "zh",
        "--content",
        str(content),
        "review",
        "--jsonl",
        "--topic",
        "cli-test",
        stdin=stdin,
        PYTHONIOENCODING="latin-1",
    )
    assert run.returncode == 0 and run.stderr == b""
    found = events(run)
    assert [e["type"] for e in found] == ["card", "error", "error", "recorded", "card", "summary"]
    assert found[0]["prompt"] == "ReLU 在 x < 0 时输出什么？"
    assert "ReLU 在 x < 0 时输出什么？".encode() in run.stdout
    assert found[1]["message"] == "the line is not valid UTF-8"
    assert "nested too deeply" in found[2]["message"]


def test_a_reader_that_goes_away_leaves_no_traceback(tmp_path: Path, content: Path) -> None:
    home = tmp_path / "home"
    args = ("--content", str(content), "review", "--jsonl", "--topic", "cli-test")
    process = subprocess.Popen(
        [sys.executable, "-m", "quizdl", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(home),
    )
    assert process.stdin and process.stdout and process.stderr
    assert json.loads(process.stdout.readline())["type"] == "card"
    process.stdout.close()  # the reader is gone before the answer is acknowledged
    process.stdin.write(lines({"rating": 4}))
    process.stdin.close()
    assert process.wait(TIMEOUT) == 1
    assert b"Traceback" not in process.stderr.read()
    process.stderr.close()
    # the review was committed before its acknowledgement could not be written
    assert query(home, "SELECT card_id, rating FROM reviews") == [("cli-test/basic", 4)]


def text_review(home: Path, content: Path, typed: list[str], *flags: str) -> str:
    """The plain-text review of the test topic, `typed` line by line on stdin: its output."""
    run = quizdl(
        home,
        *flags,
        "--content",
        str(content),
        "review",
        "--topic",
        "cli-test",
        stdin=("\n".join(typed) + "\n").encode(),
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.decode("utf-8")


def test_the_plain_text_review_on_stdin(tmp_path: Path, content: Path) -> None:
    home = tmp_path / "home"
    typed = [
        "",  # basic: Enter shows the back
        "1",  # again
        ":u",  # typed: undo the "again" instead; the basic card comes back
        "",
        "3",  # good
        "adam",  # typed: the answer
        "",  # Enter accepts the suggested rating (good)
    ]  # then the input ends, at the basic card back in learning
    out = text_review(home, content, typed)
    assert "]  CLI test › s1\n" in out  # the topic by its title, as the app names it
    assert out.count("What does ReLU return for x < 0?") == 3  # shown, undone, learning
    assert out.count("Zero.") == 2
    assert "↶ cli-test/basic" in out
    assert "Which optimizer keeps m and v?" in out
    assert "read as: adam — Correct" in out and "= Adam" in out
    assert out.rstrip().endswith("Done for now: 2 reviewed (good 2)")
    assert query(home, "SELECT card_id, rating, raw_answer FROM reviews ORDER BY id") == [
        ("cli-test/basic", 3, None),
        ("cli-test/typed", 3, "adam"),
    ]


def test_the_plain_text_review_in_chinese_labels_with_a_full_width_colon(
    tmp_path: Path, content: Path
) -> None:
    typed = ["", "3", "adam", ""]  # basic: show, good; typed: answer, accept
    out = text_review(tmp_path / "home", content, typed, "--lang", "zh")
    assert "]  命令行测试 › s1\n" in out
    assert "理解为：adam — 正确" in out
    assert "回车接受建议评分：3" in out
    assert "理解为:" not in out
