"""Key press to the next card drawn, as a learner sees it: the real `quizdl` app in a
pseudo-terminal (100x30) on 100,000 cards and 1,000,000 reviews, answering as a learner
does. Basic cards are revealed with space and rated (3, every tenth 1); generated questions
get a typed answer, checked with Enter, and the suggested rating accepted with Enter.

Each figure runs from the moment the key is written to the terminal to the moment the
terminal's output shows what it leads to (read and kept as a screen by pyte, a terminal
emulator): the next card, with the session's count gone up by one (rate, accept); the
back of the card, with the four ratings (reveal); the verdict, with the four ratings
(check). Everything a learner waits for is inside: reading the key, the study call and its
commit on the study thread, building the card, Textual's layout and drawing, and writing
the frame. Between two keys the script waits for the output to stay quiet for a moment, as
a learner reads. Budget (DESIGN.md): key press to the next card drawn, p99 under 16 ms.

The database and content are benchmarks/tui_start.py's (prepared once under
benchmarks/out/): bigdb's 100,000 cards with the matching content, given with --content.

    python benchmarks/tui_speed.py [--cards 500]
"""

from __future__ import annotations

import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tui_start import (
    content_dir,
    prepared_database,
    print_result,
    spawn_in_terminal,
    stop_app,
)

SIZE = (100, 30)  # columns, rows
QUIET_S = 0.04  # the output stayed quiet this long: the app is idle, the learner acts
READ_FIRST_CARD_S = 2.0  # the first card is read a while (the app's warm-up runs then)
STEP_TIMEOUT_S = 10.0
DRAIN_S = 0.002  # no more output for this long: the app has written what it had (a frame)
DRAIN_MAX_S = 0.2
DONE = re.compile(r"━+ (\d+)/(\d+)")
BUDGET_P99_MS = 16


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 2),
        "p90": round(percentile(values, 0.90), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values), 2),
    }


@dataclass
class Terminal:
    """The app in a pseudo-terminal, its output kept as a screen."""

    master: int
    child: subprocess.Popen[bytes]
    screen: Any
    stream: Any
    samples: dict[str, list[float]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def done(self) -> int | None:
        for line in self.lines()[:3]:
            found = DONE.search(line)
            if found:
                return int(found.group(1))
        return None

    def keys_line(self) -> str:
        return self.lines()[-1].strip()

    def ratings_shown(self) -> bool:
        """The back of a card or a verdict: the ratings, and the key bar (the frame's last
        line) saying so."""
        keys = self.keys_line()
        rated = keys.startswith(("1-4", "enter accept"))
        return rated and any("1 again" in line for line in self.lines()[-6:])

    def next_card(self, done: int) -> bool:
        """The next card: the count gone up, and the key bar (the frame's last line) back
        to a card's front."""
        keys = self.keys_line()
        return self.done() == done + 1 and not keys.startswith(("1-4", "enter accept"))

    def feed_until(self, condition: Any, timeout: float = STEP_TIMEOUT_S) -> float:
        """Read the output until `condition()` holds; the moment the output that made it
        hold arrived (time.monotonic).

        What comes is read at once and parsed when the output pauses: a terminal takes at
        most 4 KB at a time, and the app cannot write the rest of a larger frame until that
        is read. pyte parses 4 KB in about 3.5 ms (a terminal written in C, in microseconds):
        parsing each piece before reading the next held a large frame back by that much per
        piece, and counted the emulator's time as the app's."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            for chunk, arrived in self._read_while_coming():
                self.stream.feed(chunk)
                if condition():
                    return arrived
        raise RuntimeError("the screen never showed it; screen:\n" + "\n".join(self.lines()))

    def _read_while_coming(self) -> list[tuple[bytes, float]]:
        """The pieces of output, each with the moment it was read, until none comes for
        DRAIN_S (or for DRAIN_MAX_S in all)."""
        pieces: list[tuple[bytes, float]] = []
        started = time.monotonic()
        while time.monotonic() - started < DRAIN_MAX_S:
            pieces.append((os.read(self.master, 1 << 16), time.monotonic()))
            ready, _, _ = select.select([self.master], [], [], DRAIN_S)
            if not ready:
                break
        return pieces

    def quiet(self, seconds: float = QUIET_S) -> None:
        """Read until no output came for `seconds`."""
        while True:
            ready, _, _ = select.select([self.master], [], [], seconds)
            if not ready:
                return
            self.stream.feed(os.read(self.master, 1 << 16))

    def timed(self, kind: str, key: bytes, condition: Any) -> float:
        self.quiet()
        pressed = time.monotonic()
        os.write(self.master, key)
        shown = self.feed_until(condition)
        took = (shown - pressed) * 1000
        self.samples.setdefault(kind, []).append(took)
        return took

    def next_card_timed(self, kind: str, key: bytes, done: int) -> None:
        """A key that leads to the next card, filed also by what that card asks for."""
        took = self.timed(kind, key, lambda: self.next_card(done))
        to = "to_basic" if self.keys_line().startswith("space") else "to_answer"
        self.samples.setdefault(to, []).append(took)

    def type(self, text: bytes) -> None:
        self.quiet()
        os.write(self.master, text)
        self.feed_until(lambda: text.decode() in "".join(self.lines()[-8:]))


def start(content: Path, folder: Path, prepared: Path) -> Terminal:
    import pyte

    master, child, _ = spawn_in_terminal(prepared, content, folder, SIZE)
    screen = pyte.Screen(*SIZE)
    return Terminal(master, child, screen, pyte.ByteStream(screen))


def review(terminal: Terminal, cards: int, folder: Path) -> None:
    terminal.feed_until(lambda: any("Mastery" in line for line in terminal.lines()), 60)
    terminal.quiet(0.3)
    os.write(terminal.master, b"r")
    terminal.feed_until(lambda: terminal.done() == 0, 60)
    terminal.quiet(READ_FIRST_CARD_S)
    # The study day's first session backs the database up (680 MB) in the background: the
    # learner reads on until it is made (a later start of the day finds it done).
    while list(folder.rglob("*.db.part")):
        terminal.quiet(0.2)
    for number in range(cards):
        done = terminal.done()
        assert done is not None
        keys = terminal.keys_line()
        if keys.startswith("space"):  # a basic card: reveal, then rate
            terminal.timed("reveal", b" ", terminal.ratings_shown)
            rating = b"3" if number % 10 else b"1"
            terminal.next_card_timed("rate", rating, done)
        elif keys.startswith("enter"):  # a question to answer: type, check, accept
            terminal.type(b"1")
            terminal.timed("check", b"\r", terminal.ratings_shown)
            terminal.next_card_timed("accept", b"\r", done)
        else:
            raise RuntimeError(f"a card this script does not answer: {keys!r}")


def stop(terminal: Terminal) -> None:
    stop_app(terminal.child, terminal.master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        content = content_dir()
        prepared, _ = prepared_database(content, scratch)
        terminal = start(content, scratch / "run", prepared)
        try:
            review(terminal, args.cards, scratch / "run")
        finally:
            stop(terminal)
    samples = terminal.samples
    nexts = samples.get("rate", []) + samples.get("accept", [])
    by_card = {kind: summary(samples.pop(kind, [])) for kind in ("to_basic", "to_answer")}
    result: dict[str, Any] = {
        "benchmark": "tui_speed",
        "terminal": f"{SIZE[0]}x{SIZE[1]}",
        "textual_fps": os.environ.get("TEXTUAL_FPS", "240 (quizdl's default)"),
        "cards": len(nexts),
        "key_to_next_card_drawn_ms": summary(nexts),
        "by_key": {kind: summary(values) for kind, values in sorted(samples.items())},
        "next_card_by_what_it_asks": by_card,
        "budget_p99_ms": BUDGET_P99_MS,
        "within_budget": bool(nexts) and percentile(nexts, 0.99) < BUDGET_P99_MS,
    }
    print_result(result, load_before, started)


if __name__ == "__main__":
    main()
