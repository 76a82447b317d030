"""What the review screen shows around a card, by phase: the phase a card is in (front,
back, picking, typing, result), the keys that work in it, and the rating line with the
interval each rating would give. Pure functions of the card's face: no widgets here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual.content import Content
from textual.markup import escape

from quizdl.kb.text import Lang
from quizdl.study.items import Counts, Item
from quizdl.study.service import Study
from quizdl.tui import fmt
from quizdl.tui.i18n import rating_name, tr
from quizdl.tui.widgets.card_text import CardFace, pick_mode
from quizdl.tui.widgets.keybar import Key


@dataclass(frozen=True)
class Next:
    item: Item
    counts: Counts
    intervals: dict[int, timedelta]


def fetch_next(study: Study) -> Next | None:
    """The next card with its counts and rating previews (runs on the study thread)."""
    item = study.next_item()
    if item is None:
        return None
    return Next(item, study.counts(), study.preview())


K_REVEAL = Key("space", "reveal", "key.reveal", short="bar.reveal")
K_RATE = Key("1-4", "rate(3)", "key.rate", short="bar.rate")
K_ACCEPT = Key("enter", "enter", "key.accept", short="bar.accept")
K_CHECK = Key("enter", "enter", "key.check")
K_PICK = Key("1-9", "noop", "key.pick")
K_ORDER = Key("1-9", "noop", "key.order", short="bar.order")
K_UNPICK = Key("backspace", "unpick", "key.unpick", short="bar.unpick")
K_KEYS = Key("esc", "leave_input", "key.keys", short="bar.keys")
K_TYPE = Key("enter", "enter", "key.type", short="bar.type")
K_UNDO = Key("u", "undo", "key.undo", short="bar.undo")
K_BURY = Key("b", "bury", "key.bury", short="bar.bury")
K_SUSPEND = Key("s", "suspend", "key.suspend", short="bar.suspend")
K_EDIT = Key("e", "edit", "key.edit", short="bar.edit")
K_HELP = Key("?", "help", "key.help")
K_END = Key("esc", "end", "key.end", short="bar.end")

ALL_KEYS = [
    K_REVEAL,
    K_RATE,
    K_ACCEPT,
    K_CHECK,
    K_PICK,
    K_ORDER,
    K_UNPICK,
    K_KEYS,
    K_TYPE,
    K_UNDO,
    K_BURY,
    K_SUSPEND,
    K_EDIT,
    K_HELP,
    K_END,
]

_PHASE_KEYS = {
    "front": [K_REVEAL],
    "back": [K_RATE],
    "result": [K_ACCEPT, K_RATE],
    "choice": [K_PICK],
    "choices": [K_PICK, K_CHECK],
    "order": [K_ORDER, K_UNPICK, K_CHECK],
    "type": [K_CHECK, K_KEYS],
}


def phase_of(face: CardFace | None) -> str:
    """none, front, back, choice, choices, order, type or result."""
    if face is None:
        return "none"
    mode = pick_mode(face.item)
    if mode == "reveal":
        return "back" if face.revealed else "front"
    return "result" if face.result is not None else mode


def keys_for(phase: str, typing: bool) -> list[Key]:
    """The keys that work in `phase`; while the answer line has the focus, letters go to
    it, so only the keys that still work are listed."""
    keys = _PHASE_KEYS.get(phase, [])
    if phase == "type":
        if typing:
            return [*keys, K_HELP]
        keys = [K_TYPE]
    return [*keys, K_UNDO, K_BURY, K_SUSPEND, K_EDIT, K_HELP, K_END]


def rating_line(face: CardFace | None, intervals: dict[int, timedelta], lang: Lang) -> str:
    """The line under the card: what to do now, or the four ratings (clickable) with the
    interval each would give, the suggested one highlighted."""
    phase = phase_of(face)
    if face is None:
        return ""
    if phase == "front":
        return escape(tr(lang, "review.space"))
    if phase in ("choice", "choices", "order"):
        words = {"choice": "review.pick_one", "choices": "review.pick_many"}
        return escape(tr(lang, words.get(phase, "review.pick_order")))
    if phase == "type":
        return ""
    suggested = face.result.suggested_rating if face.result is not None else None
    parts = []
    for rating in (1, 2, 3, 4):
        style = "reverse $accent" if rating == suggested else "bold $accent"
        interval = fmt.interval(intervals.get(rating))
        label = f"{rating} {rating_name(lang, rating)} {interval}"
        parts.append(f"[@click=screen.rate({rating})][{style}] {escape(label)} [/][/]")
    line = "  ".join(parts)
    if suggested:
        hint = tr(lang, "review.suggested", rating=rating_name(lang, suggested))
        line += "\n" + f"[$text-muted]{escape(hint)}[/]"
    return line


PROGRESS_CELLS = 24


def progress_bar(done: int, total: int, cells: int = PROGRESS_CELLS) -> Content:
    """The session's progress drawn in text: the cards done of those done and left.
    Text, not a ProgressBar widget: three widgets fewer to lay out and draw on every card
    (measured: the frame after a key press took 40 % less time)."""
    total = max(total, 1)
    filled = min(cells, round(cells * done / total))
    return Content.assemble(
        ("━" * filled, "$accent"),
        ("━" * (cells - filled), "$text-disabled"),
        (f" {done}/{total}", "$text-muted"),
    )


def head_content(item: Item, title: str, counts: Counts, done: int, lang: Lang) -> Content:
    """The two lines above a card: its topic, section and kind (and whether it changed
    since it was last reviewed); the session's progress and what is left today."""
    head = Content.assemble(
        (title, "bold"),
        (f" › {item.section}", ""),
        (f"  · {tr(lang, 'kind.' + item.card.kind)}", "$text-muted"),
    )
    if item.changed:
        head = head.append(Content.styled(f"  ✎ {tr(lang, 'review.changed')}", "$warning"))
    left = tr(lang, "dash.counts", new=counts.new, learning=counts.learning, review=counts.review)
    second = progress_bar(done, done + counts.total).append(
        Content.styled(f"   {left}", "$text-muted")
    )
    return Content("\n").join([head, second])
