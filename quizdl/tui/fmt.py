"""Numbers, times and intervals as the app shows them."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import lru_cache

from textual.content import Content

from quizdl.kb.text import Lang
from quizdl.tui.i18n import tr


@lru_cache(maxsize=256)
def markup(text: str) -> Content:
    """Textual markup, parsed once per text (Content does not change once made). The key
    bar and the line of ratings come back to a few texts, and parsing them again took a
    twentieth of the interface's time in a review (profiled with py-spy)."""
    return Content.from_markup(text)


def interval(delta: timedelta | None) -> str:
    """A short interval like Anki's buttons: 10m, 3h, 4d, 1.5mo, 2.1y."""
    if delta is None:
        return "—"
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def duration(lang: Lang, seconds: float) -> str:
    """Whole minutes: a session's length is shown to the minute."""
    if seconds < 60:
        return tr(lang, "unit.under_minute")
    return tr(lang, "unit.minutes", n=int(seconds // 60))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def when(moment: datetime | None, zone: tzinfo, now: datetime) -> str:
    """A date (and time today) in the learner's zone."""
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    if local.year == now.astimezone(zone).year:
        return local.strftime("%m-%d")
    return local.strftime("%Y-%m-%d")


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of `width` cells filled to `fraction`, in eighths."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    return ("█" * full + partial).ljust(width)


def middle(text: str, width: int) -> str:
    """`text` (one cell per character, as card and topic ids are) cut to `width` cells in
    its middle, so that both ends show: ids that differ only at the end stay apart
    (gen-activat…n-derivative and gen-activat…rivative-max, not gen-activation-derivativ
    twice)."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head) :]
