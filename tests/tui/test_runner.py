"""The study runner: calls run one at a time, in the order asked, on one thread; closing
waits for the calls asked and then runs a last one."""

from __future__ import annotations

import asyncio
import threading
import time

from quizdl.tui.runner import StudyRunner


def test_calls_run_in_order_on_one_thread_and_close_runs_the_last_one_after_them() -> None:
    runner = StudyRunner("test-runner")
    done: list[tuple[str, str]] = []
    committing = threading.Event()

    def commit(name: str) -> str:
        committing.set()
        time.sleep(0.05)  # still committing when the close is asked for
        done.append((name, threading.current_thread().name))
        return name

    def last() -> None:
        done.append(("last", threading.current_thread().name))
        raise RuntimeError("a last call that fails does not fail the close")

    async def ask() -> list[str]:
        return list(await asyncio.gather(runner.call(commit, "a"), runner.call(commit, "b")))

    assert asyncio.run(ask()) == ["a", "b"]
    committing.clear()
    asker = threading.Thread(target=lambda: asyncio.run(runner.call(commit, "c")))
    asker.start()
    assert committing.wait(5)
    runner.close(then=last)
    asker.join(5)
    assert [name for name, _ in done] == ["a", "b", "c", "last"]
    assert len({thread for _, thread in done}) == 1
    assert done[0][1].startswith("test-runner")
