"""How a re-import recognises the note material it imported before, edited or not.

A card made from a ``**term**：definition`` line records where it comes from in its
``origin``, in two lines::

    origin: |-
      term:梯度消失
      主要是指激活函数的导数小于1，例如sigmoid函数，tanh

The first line is the key a re-import finds the card by (``term:<term>``, with ``#2``,
``#3``... for a term defined again in the same section); the rest is the definition as it
was imported. The card itself may then be rewritten, translated or written by hand from
the start: the notes have changed only when their definition differs from the recorded
one, and then the report can say from what to what. (A hash of the text would detect the
change as well, but could not say what the definition was.) A term cannot hold a line
break, so the first line break always ends the key. The one-line form ``term:<term>`` of
earlier imports is still read; it recorded no definition.

Excerpts are plain strings with no room for such a record, so they are recognised by
their text: equal up to case and spacing, or else, among those left over on both sides,
at least :data:`SIMILAR` alike. A typo fixed or a word added by hand is the same excerpt
and is not added again; an excerpt rewritten beyond recognition counts as gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

TERM = "term:"
SIMILAR = 0.6
"""How alike (difflib's ratio, 0 to 1) a stored excerpt and one of the notes must be to be
taken for the same excerpt edited by hand."""


@dataclass(frozen=True)
class Origin:
    key: str
    """What finds the card again: ``term:<term>`` or ``term:<term>#<n>``."""
    recorded: str | None
    """The definition as imported; None in the one-line form, which recorded none."""

    def __str__(self) -> str:
        return self.key if self.recorded is None else f"{self.key}\n{self.recorded}"

    def records(self, definition: str) -> bool:
        """Whether `definition` is the recorded one (whitespace aside)."""
        return self.recorded is not None and same_text(self.recorded, definition)


def term_origin(term: str, occurrence: int, definition: str) -> Origin:
    """The origin of the `occurrence`-th (1-based) definition of `term` in a section."""
    return Origin(TERM + term + (f"#{occurrence}" if occurrence > 1 else ""), definition)


def parse_origin(origin: str) -> Origin:
    key, newline, recorded = origin.partition("\n")
    return Origin(key, recorded if newline else None)


def same_text(a: str, b: str) -> bool:
    """Equal but for spaces and line breaks. Re-wrapping a line is no change, and Chinese
    is wrapped without a space, so whitespace is left out rather than made one space."""
    return "".join(a.split()) == "".join(b.split())


@dataclass(frozen=True)
class ExcerptMerge:
    new: list[str]
    """Excerpts of the notes that are not stored yet, in the notes' order."""
    gone: list[str]
    """Stored excerpts that no excerpt of the notes is, in their stored order."""


def merge_excerpts(stored: Sequence[str], notes: Sequence[str]) -> ExcerptMerge:
    """Pair the notes' excerpts with the stored ones; the unpaired are new or gone."""
    keys = [_excerpt_key(s) for s in stored]
    free_stored = set(range(len(stored)))
    unpaired: list[str] = []  # the notes' excerpts with no equal stored one, once each
    unpaired_keys: set[str] = set()
    for excerpt in notes:
        key = _excerpt_key(excerpt)
        if key in keys:
            free_stored.discard(keys.index(key))
        elif key not in unpaired_keys:
            unpaired.append(excerpt)
            unpaired_keys.add(key)
    pairs = []
    for i, excerpt in enumerate(unpaired):
        for j in free_stored:
            matcher = SequenceMatcher(None, _excerpt_key(excerpt), keys[j], autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((-ratio, i, j))
    edited: set[int] = set()  # indices into `unpaired` that a stored excerpt stands for
    for _, i, j in sorted(pairs):  # the most alike first
        if i not in edited and j in free_stored:
            edited.add(i)
            free_stored.discard(j)
    return ExcerptMerge(
        new=[e for i, e in enumerate(unpaired) if i not in edited],
        gone=[stored[j] for j in sorted(free_stored)],
    )


def _excerpt_key(text: str) -> str:
    return " ".join(text.casefold().split())
