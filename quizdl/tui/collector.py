"""The interpreter's full garbage collections run while the learner reads, not after a key.

CPython collects its oldest generation after every tenth collection of the middle one,
whenever that falls. With 100,000 cards in memory one full collection takes 8 to 12 ms,
most of a frame: in a 300-card run of `benchmarks/tui_speed.py` four of them fell inside an
answer's step and made its slowest steps. While the app runs, the automatic full collection
is held back (the young generations are collected as before) and the app runs it itself
once no key or click has come for `IDLE_S` and no worker runs (the opening, a study call,
the dashboard's figures): the learner is reading. A learner who never pauses for a second
gets no full collection until they do; the young generations still free most garbage.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_S = 1.0
"""No key or click for this long: the learner is reading, a collection is not in the way."""
CHECK_EVERY_S = 0.5
"""How often the app asks whether a collection is due."""
NEVER = 1_000_000_000
"""A threshold for the oldest generation that is never reached."""


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None
        self.due_after = gc.get_threshold()[2]
        """Middle-generation collections after which a full one is due (the interpreter's
        own threshold when installed)."""
        self.collections = 0

    def install(self) -> None:
        """Hold back the interpreter's own full collections."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, oldest = self._saved
            self.due_after = oldest
            gc.set_threshold(young, middle, NEVER)

    def uninstall(self) -> None:
        """Give the interpreter its full collections back, as they were."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def touched(self) -> None:
        """A key or a click came."""
        self._last_input = self._clock()

    def due(self, busy: bool) -> bool:
        if busy or self._clock() - self._last_input < IDLE_S:
            return False
        return gc.isenabled() and gc.get_count()[2] >= self.due_after

    def collect_if_due(self, busy: bool) -> bool:
        """Run a full collection if one is due and the learner is not waiting for anything;
        `busy` says whether the app is working for them. Returns whether it ran."""
        if not self.due(busy):
            return False
        gc.collect()
        self.collections += 1
        return True
