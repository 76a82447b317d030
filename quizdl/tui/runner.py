"""Study calls off the interface thread, one at a time, in the order they were asked.

A Study is not thread-safe and the order of actions matters (rate, then next card), so
every call goes through one worker thread. The interface awaits the result in a Textual
worker and stays responsive meanwhile; an answer is acknowledged only after its commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class StudyRunner:
    def __init__(self, name: str = "quizdl-study") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs))

    def close(self, then: Callable[[], object] | None = None) -> None:
        """Wait for the calls asked (a commit is never cut short) and then for `then`, if
        given (its failure is not raised: it is the last thing done), then stop."""
        if then is not None:
            self._pool.submit(then)
        self._pool.shutdown(wait=True)
