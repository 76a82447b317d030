"""A new learner's first minute, in a real terminal: `quizdl` started in tmux with an
empty home, three cards reviewed with the keys shown on screen, quit; then the answers
are read back from the database. And the same learner closing the terminal instead of
quitting. Skipped where tmux is not installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

GUIDES = {
    "reveal": "Space shows the answer.",
    "one": "Press the number of your answer.",
    "many": "Press the numbers of every right option",
    "order": "Press the numbers in the right order",
    "type": "Type your answer",
    "rated": "Enter accepts",
}


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], check=False).returncode == 0

    def wait(self, ready: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if ready(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout}s for {what}; the screen shows:\n{shown}")


def answer_one_card(term: Terminal, shown: str) -> None:
    """Answer the card on screen with the keys its own guide line gives."""
    if GUIDES["reveal"] in shown:
        term.keys("Space")
        term.wait(lambda s: "1 again" in s, "the rating buttons")
        term.keys("3")
        return
    if GUIDES["one"] in shown:
        term.keys("1")
    elif GUIDES["many"] in shown:
        term.keys("1", "Enter")
    elif GUIDES["order"] in shown:
        count = len(re.findall(r"^\s+\d+\s{2}\S", shown, re.MULTILINE))
        term.keys(*(str(n) for n in range(1, count + 1)))
    else:
        term.keys("0", "Enter")
    term.wait(lambda s: GUIDES["rated"] in s, "the verdict")
    term.keys("Enter")


def wait_for_reviews(path: Path, count: int, timeout: float = 30) -> None:
    """Until `count` answers are committed (read as another process would)."""
    end = time.monotonic() + timeout
    found = -1
    while time.monotonic() < end:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as database:
            found = database.execute("SELECT count(*) FROM reviews").fetchone()[0]
        if found >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout}s for {count} stored answers; found {found}")


def start_quizdl(tmp_path: Path) -> Terminal:
    """`quizdl` in a new tmux session of 100x30, as a new learner (an empty home)."""
    name = f"quizdl-{uuid.uuid4().hex[:8]}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "QUIZDL_HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "QUIZDL_LANG": "en",
    }
    command = " ".join(f"{k}={v!s}" for k, v in env.items()) + f" {sys.executable} -m quizdl"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", "env " + command],
        check=True,
    )
    return Terminal(name)


def review(term: Terminal, database_path: Path, cards: int) -> None:
    """From the first run's greeting: `r`, then `cards` cards answered, each committed."""
    term.wait(lambda s: "Welcome to quizdl!" in s, "the greeting of a first run", 60)
    term.keys("r")
    for answered in range(cards):
        shown = term.wait(
            lambda s: any(g in s for k, g in GUIDES.items() if k != "rated"), "a card"
        )
        answer_one_card(term, shown)
        wait_for_reviews(database_path, answered + 1)


def stored(database_path: Path) -> tuple[list[tuple[str, int]], list[tuple[str | None, str]]]:
    """The reviews (card, rating) and the sessions (ended at, summary) in the database."""
    database = sqlite3.connect(database_path)
    try:
        reviews = database.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
        sessions = database.execute("SELECT ended_at, summary FROM study_sessions").fetchall()
    finally:
        database.close()
    return reviews, sessions


def test_a_new_learner_reviews_three_cards_and_quits(tmp_path: Path) -> None:
    term = start_quizdl(tmp_path)
    database_path = tmp_path / "home" / "quizdl.db"
    try:
        review(term, database_path, 3)
        term.keys("C-q")
        end = time.monotonic() + 30
        while term.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not term.alive(), "quizdl did not quit"
    finally:
        if term.alive():
            term.tmux("kill-session", "-t", term.name)
    reviews, sessions = stored(database_path)
    assert len(reviews) == 3 and len({card for card, _ in reviews}) == 3
    assert all(1 <= rating <= 4 for _, rating in reviews)
    assert sessions and all(ended is not None for ended, _ in sessions)


def test_closing_the_terminal_ends_the_session_and_keeps_every_answer(tmp_path: Path) -> None:
    # Killing the tmux session closes the terminal: quizdl gets SIGHUP, as when a terminal's
    # window is closed or a connection drops.
    term = start_quizdl(tmp_path)
    database_path = tmp_path / "home" / "quizdl.db"
    try:
        pid = int(term.tmux("display-message", "-p", "-t", term.name, "#{pane_pid}"))
        review(term, database_path, 2)
    finally:
        term.tmux("kill-session", "-t", term.name)
    end = time.monotonic() + 30
    while process_alive(pid) and time.monotonic() < end:
        time.sleep(0.1)
    assert not process_alive(pid), "quizdl did not leave when its terminal closed"
    reviews, sessions = stored(database_path)
    assert len(reviews) == 2
    assert len(sessions) == 1
    ended, summary = sessions[0]
    assert ended is not None, "the session was not ended"
    assert json.loads(summary)["reviewed"] == 2
    backups = list((tmp_path / "home" / "backups").glob("*.db"))
    assert len(backups) == 1 and not list((tmp_path / "home" / "backups").glob("*.part"))


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
