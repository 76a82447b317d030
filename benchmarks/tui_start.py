"""Process start to the first card drawn: quizdl's app in a terminal, side by side with the
`anki` library's open-collection-plus-first-card, on 100,000-card collections, in one run.
Prints JSON. Budget (DESIGN.md): quizdl's median at most 1.25 times anki's.

quizdl's side is what a learner does: the real `quizdl` command is started in a pseudo-terminal
(100x30) on a copy of benchmarks/bigdb.py's database (100,000 cards, 1,000,000 reviews) with
the matching content (study_speed.synthetic_kb, written once as YAML under benchmarks/out/ and
given with --content; the shipped content is loaded too, as always). As soon as the dashboard
is on the screen, `r` is typed (and typed again every 50 ms while no card came: a key the app
was not ready for is lost, as it would be for a learner); the clock stops when the first card's
text appears in the terminal's output. Times run from just before the spawn (CLOCK_MONOTONIC,
shared by all processes), with the stages seen from outside: the first output (interpreter
start-up, the imports the app needs, the app's start), the "opening" screen, the dashboard,
and the first card after `r`.

anki's side is benchmarks/anki_peer.open_and_first_card (a `python -c` that imports anki, opens
the collection, takes the first queued card and renders its question). The two sides take turns,
run by run, so that other work on the machine weighs on both alike.

The database is made to match the content once (prepared copy under benchmarks/out/, as a
learner's database is after the first start with the content) and the content cache is warmed;
quizdl's bytecode is compiled first, as installing the wheel does. A first start opens the
study day: its first session backs the database up beside it (680 MB, in the background), and
it warms the system's caches; the timed starts find that backup made, as a learner's later
starts of the day do. That first start is reported apart, as a rough figure (one run).

    python benchmarks/tui_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.anki_peer import cached_collection, open_and_first_card
from benchmarks.bigdb import OUT_DIR, REFERENCE_NOW, cached

CARDS = 100_000
SIZE = (100, 30)  # columns, rows
CONTENT_FORMAT = 1  # bump when the content written here changes
TIMEOUT_S = 60.0
BUDGET_RATIO = 1.25  # quizdl's median start to first card, at most this times anki's
REPRESS_S = 0.05  # `r` again if no card came within this (a key the app was not ready for)
ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")
OPENING_MARK = re.compile(rb"Opening your study")
DASHBOARD_MARK = re.compile(rb"Mastery")  # a column of the dashboard's topic table

# Runs in a child: bring the prepared database in line with the content (what the app does on
# a start after the content changed), warm the content cache, and name the first card.
PREPARE_CHILD = """
import json, sqlite3, sys
from pathlib import Path
from quizdl.study.opening import open_study
db, content = sys.argv[1], Path(sys.argv[2])
opened = open_study(f"sqlite:///{db}", content=(content,))
reconciled = opened.study.reconciled
changed = len(reconciled.added) + len(reconciled.changed) + len(reconciled.returned)
opened.study.db.dispose()
with sqlite3.connect(db) as connection:
    # The benchmark history was written before this content: take it as reviewed in this
    # version, as a learner's reviewed cards are (else every card shows "changed").
    connection.execute(
        "UPDATE card_states SET reviewed_hash = content_hash "
        "WHERE reviewed_hash IS NOT NULL AND reviewed_hash != content_hash"
    )
connection.close()
with sqlite3.connect(db) as connection:
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
connection.close()
print(json.dumps({"reconciled_cards": changed}))
"""

FIRST_CARD_CHILD = """
import json, sys
from pathlib import Path
from quizdl.kb.schema import BasicCard
from quizdl.study.opening import open_study
opened = open_study(f"sqlite:///{sys.argv[1]}", content=(Path(sys.argv[2]),))
study = opened.study
study.start()
item = study.next_item()
card = item.card
front = card.front.get("en") if isinstance(card, BasicCard) else None
print(json.dumps({"card_id": item.card_id, "kind": card.kind, "section": item.section,
                  "topic": item.topic, "front": front}))
"""


def write_content(folder: Path) -> None:
    """synthetic_kb(100_000) as YAML: one file per topic, one flow mapping (JSON) per card."""
    from benchmarks.study_speed import synthetic_kb

    kb = synthetic_kb(CARDS)
    by_topic: dict[str, list[str]] = {topic: [] for topic in kb.topics}
    for card_id in kb.cards:
        card = kb.cards[card_id]
        data = card.model_dump(mode="json", exclude_none=True)
        by_topic[kb.topic_of[card_id]].append(f"  - {json.dumps(data, ensure_ascii=False)}\n")
    folder.mkdir(parents=True)
    for topic_id, lines in by_topic.items():
        meta = kb.topics[topic_id].model_dump(mode="json", exclude_none=True)
        head = f"topic: {json.dumps(meta, ensure_ascii=False)}\ncards:\n"
        (folder / f"{topic_id}.yaml").write_text(head + "".join(lines), encoding="utf-8")


def content_dir() -> Path:
    folder = OUT_DIR / f"tui_start_content_c{CARDS}_f{CONTENT_FORMAT}"
    if not folder.exists():
        for old in OUT_DIR.glob("tui_start_content_*"):
            shutil.rmtree(old)
        with tempfile.TemporaryDirectory(dir=OUT_DIR) as scratch:
            building = Path(scratch) / "content"
            write_content(building)
            building.rename(folder)
    # The content cache leaves out files changed in the last two seconds (see kb/cache.py).
    settled = max(p.stat().st_mtime for p in folder.iterdir()) + 2.1
    time.sleep(max(0.0, settled - time.time()))
    return folder


def quizdl_env(home: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZDL_", "COLUMNS", "LINES"))}
    env.update(
        QUIZDL_HOME=str(home),
        QUIZDL_DB_URL=f"sqlite:///{db}",
        QUIZDL_CACHE_DIR=str(OUT_DIR / "tui_start_cache"),
        QUIZDL_NOW=REFERENCE_NOW.isoformat(),
        QUIZDL_LANG="en",
        TERM="xterm-256color",
    )
    return env


def run_child(code: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode:
        raise RuntimeError(f"child failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


def prepared_database(content: Path, scratch: Path) -> tuple[Path, dict[str, Any]]:
    """bigdb's database, in line with the content (kept under benchmarks/out/, refreshed when
    the content or the shipped content changed), and how long bringing it in line took."""
    big, _ = cached()
    path = OUT_DIR / f"tui_start_{big.stem}.db"
    if not path.exists():
        for old in OUT_DIR.glob("tui_start_quizdl_bigdb_*"):
            old.unlink()
        shutil.copyfile(big, scratch / "preparing.db")
        (scratch / "preparing.db").replace(path)
    started = time.perf_counter()
    home = scratch / "prepare-home"
    report = run_child(PREPARE_CHILD, str(path), str(content), env=quizdl_env(home, path))
    return path, {**report, "prepare_s": round(time.perf_counter() - started, 1)}


def console_script() -> list[str]:
    script = Path(sys.executable).with_name("quizdl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "quizdl"]


def fresh_copy(prepared: Path, folder: Path) -> Path:
    """A copy of the prepared database in `folder`, with a new QUIZDL_HOME beside it. The
    backups made beside the database by an earlier start are kept: the first session of a
    study day backs the database up, and a learner's later starts that day find it done."""
    shutil.rmtree(folder / "home", ignore_errors=True)
    (folder / "home").mkdir(parents=True)
    db = folder / "quizdl.db"
    for stale in (db, folder / "quizdl.db-wal", folder / "quizdl.db-shm"):
        stale.unlink(missing_ok=True)
    shutil.copyfile(prepared, db)
    return db


def _stripped(buffer: bytes) -> bytes:
    return ANSI.sub(b"", buffer)


def spawn_in_terminal(
    prepared: Path, content: Path, folder: Path, size: tuple[int, int] = SIZE
) -> tuple[int, subprocess.Popen[bytes], float]:
    """`quizdl --content DIR` on a fresh copy of the prepared database, in a new
    pseudo-terminal of `size` (columns, rows): the terminal's master side, the process, and
    the moment just before the spawn (time.monotonic)."""
    db = fresh_copy(prepared, folder)
    env = quizdl_env(folder / "home", db)
    return spawn_command([*console_script(), "--content", str(content)], env, size)


def spawn_command(
    command: list[str], env: dict[str, str], size: tuple[int, int] = SIZE
) -> tuple[int, subprocess.Popen[bytes], float]:
    """`command` in a new pseudo-terminal of `size`: its master side, the process, and the
    moment just before the spawn (time.monotonic)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    spawned = time.monotonic()
    child = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    return master, child, spawned


def start_to_first_card(
    prepared: Path, content: Path, folder: Path, card_mark: re.Pattern[bytes]
) -> dict[str, float]:
    """One start in a pseudo-terminal: seconds from the spawn to each stage."""
    return stages_of(spawn_in_terminal(prepared, content, folder), card_mark)


def stages_of(
    spawned_app: tuple[int, subprocess.Popen[bytes], float], card_mark: re.Pattern[bytes]
) -> dict[str, float]:
    """Seconds from the spawn of an app in a terminal to each stage: its first output, the
    "opening" screen (if it shows one), the dashboard (`r` is typed then), the first card."""
    master, child, spawned = spawned_app
    marks: dict[str, float] = {}
    buffer = text = b""
    pressed = 0.0
    try:
        for chunk, now in _read(master, spawned):
            if not chunk and "dashboard" not in marks:
                continue
            marks.setdefault("first_output", now - spawned)
            buffer += chunk
            text = _stripped(buffer)
            if "opening_screen" not in marks and OPENING_MARK.search(text):
                marks["opening_screen"] = now - spawned
            if "dashboard" not in marks and DASHBOARD_MARK.search(text):
                marks["dashboard"] = pressed = now - spawned
                marks["presses"] = 1
                os.write(master, b"r")
                buffer = b""  # the card is looked for in what comes after the key
            elif "dashboard" in marks:
                if card_mark.search(text):
                    marks["first_card"] = now - spawned
                    break
                if now - spawned - pressed > REPRESS_S:  # the key was not taken: again
                    pressed = now - spawned
                    os.write(master, b"r")
                    marks["presses"] += 1
        if "first_card" not in marks:
            raise RuntimeError(f"no first card within {TIMEOUT_S} s; screen:\n{text[-2000:]!r}")
    finally:
        stop_app(child, master)
    return marks


def _read(master: int, spawned: float) -> Iterator[tuple[bytes, float]]:
    """What the terminal shows, as it comes (b"" every 20 ms of silence)."""
    while time.monotonic() - spawned < TIMEOUT_S:
        ready, _, _ = select.select([master], [], [], 0.02)
        if not ready:
            yield b"", time.monotonic()
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the child closed the terminal
            return
        if not chunk:
            return
        yield chunk, time.monotonic()


def stop_app(child: subprocess.Popen[bytes], master: int) -> None:
    """Quit as a learner does (ctrl+q ends the session), reading the terminal meanwhile."""
    try:
        os.write(master, b"\x11")
        deadline = time.monotonic() + 15
        while child.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    os.read(master, 1 << 16)
                except OSError:
                    break
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        os.close(master)


def first_card_mark(prepared: Path, content: Path, scratch: Path) -> tuple[re.Pattern[bytes], str]:
    """What the first card shows: its front for a basic card, else the head of the review
    (topic › section), drawn in the same refresh."""
    db = fresh_copy(prepared, scratch / "first-card")
    first = run_child(FIRST_CARD_CHILD, str(db), str(content), env=quizdl_env(scratch, db))
    if first["front"]:
        return re.compile(re.escape(first["front"].encode()) + rb"(?!\d)"), first["card_id"]
    head = f"{first['topic']} › {first['section']}".encode()
    return re.compile(re.escape(head) + rb"(?!\d)"), first["card_id"]


def print_result(result: dict[str, Any], load_before: tuple[float, ...], started: float) -> None:
    """Print a benchmark's JSON, closed by the load average before and after the run and the
    script's own time (time.perf_counter at its start)."""
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["script_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    import quizdl

    compileall.compile_dir(Path(quizdl.__file__).parent, quiet=1)  # as installing does
    load_before = os.getloadavg()
    anki_path, _ = cached_collection(CARDS, 1_000_000, 0)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        content = content_dir()
        prepared, preparation = prepared_database(content, scratch)
        mark, first_card = first_card_mark(prepared, content, scratch)
        anki_copy = scratch / "anki" / "collection.anki2"
        anki_copy.parent.mkdir()
        shutil.copyfile(anki_path, anki_copy)
        first_of_day = start_to_first_card(prepared, content, scratch / "run", mark)
        open_and_first_card(anki_copy, 1)  # the same for anki: caches warmed
        stages: dict[str, list[float]] = {}
        anki_runs: list[dict[str, Any]] = []
        for _ in range(args.runs):  # the two sides take turns
            anki_runs.append(open_and_first_card(anki_copy, 1))
            for name, value in start_to_first_card(
                prepared, content, scratch / "run", mark
            ).items():
                stages.setdefault(name, []).append(value)
    quizdl_ms = median_ms(stages["first_card"])
    anki_ms = statistics.median(r["process_start_to_first_card_ms_median"] for r in anki_runs)
    anki_stages = {
        key.removesuffix("_ms_median"): statistics.median(r[key] for r in anki_runs)
        for key in anki_runs[0]
        if key.endswith("_ms_median")
    }
    result: dict[str, Any] = {
        "benchmark": "tui_start",
        "runs": args.runs,
        "terminal": f"{SIZE[0]}x{SIZE[1]}",
        "command": [
            Path(console_script()[0]).name,
            "--content",
            "DIR",
            "(then r at the dashboard)",
        ],
        "first_card": first_card,
        "quizdl_process_start_to_first_card_ms_median": quizdl_ms,
        "anki_process_start_to_first_card_ms_median": anki_ms,
        "ratio": round(quizdl_ms / anki_ms, 2),
        "budget_ratio": BUDGET_RATIO,
        "within_budget": quizdl_ms <= BUDGET_RATIO * anki_ms,
        "quizdl_stages_ms_median": {
            "first_output": median_ms(stages["first_output"]),
            "opening_screen": median_ms(stages["opening_screen"]),
            "dashboard": median_ms(stages["dashboard"]),
            "dashboard_to_first_card": round(
                statistics.median(
                    c - d for c, d in zip(stages["first_card"], stages["dashboard"], strict=True)
                )
                * 1000,
                1,
            ),
        },
        "quizdl_first_card_ms_all": [round(v * 1000, 1) for v in stages["first_card"]],
        "r_presses_all": [int(n) for n in stages["presses"]],
        "anki_stages_ms_median": anki_stages,
        "anki_first_card_ms_all": [r["process_start_to_first_card_ms_median"] for r in anki_runs],
        "quizdl_first_start_of_the_day_ms": round(first_of_day["first_card"] * 1000, 1),
        "preparation": preparation,
    }
    print_result(result, load_before, started)


if __name__ == "__main__":
    main()
