"""Progress of long exports and restores, on stderr (stdout stays clean for scripts).

Shown when stderr is a terminal or when asked for (--progress); redrawn at most ten
times a second, so that reporting costs nothing measurable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self, enabled: bool, stream: TextIO | None = None, *, interval: float = 0.1
    ) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self._label = ""
        self._total: int | None = None
        self._done = 0
        self._shown_at = 0.0
        self._open = False
        # On a terminal one line is redrawn; elsewhere (a log) each report is a line of its own.
        self._redraw = _is_terminal(self.stream)
        if not self._redraw:
            self.interval = max(interval, 1.0)

    @classmethod
    def for_terminal(cls, asked: bool, stream: TextIO | None = None) -> Progress:
        """Enabled when `asked` or when the stream (stderr) is a terminal."""
        stream = stream if stream is not None else sys.stderr
        return cls(asked or _is_terminal(stream), stream)

    def stage(self, label: str, total: int | None = None) -> None:
        """Start a new stage: what is being done and how many items it has (if known)."""
        self._finish_line()
        self._label, self._total, self._done = label, total, 0
        self._draw(force=True)

    def advance(self, count: int) -> None:
        self._done += count
        if self.enabled and time.monotonic() - self._shown_at >= self.interval:
            self._draw()

    def close(self) -> None:
        self._draw(force=True)
        self._finish_line()

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled or not self._label:
            return
        if not force and time.monotonic() - self._shown_at < self.interval:
            return
        text = f"{self._label}: {self._done:,}"
        if self._total:
            text += f" / {self._total:,} ({100 * self._done // self._total}%)"
        if self._redraw:
            self.stream.write(f"\r{text}\x1b[K")
            self._open = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._shown_at = time.monotonic()

    def _finish_line(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
