"""A card as the learner sees it: prompt, options, the revealed back, the verdict and the
worked solution. Built as Content (never markup), so card text is shown as written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual.content import Content

from quizdl.kb.schema import ChoiceCard, OrderingCard
from quizdl.kb.text import Lang
from quizdl.study import render
from quizdl.study.items import AnswerResult, Item
from quizdl.tui import i18n
from quizdl.tui.i18n import tr

RULE = "─" * 24


def pick_mode(item: Item) -> str:
    """How the card is answered: "reveal" (space, then rate), "choice" (one number),
    "choices" (several numbers, then Enter), "order" (numbers in order) or "type"."""
    if item.expects == "rating":
        return "reveal"
    card = item.card
    if isinstance(card, OrderingCard):
        return "order"
    if isinstance(card, ChoiceCard):
        return "choices" if card.multiple else "choice"
    if item.question is not None and item.question.draft.kind == "choice":
        return "choice"
    return "type"


def right_labels(item: Item) -> set[str]:
    """The labels of the right options of a choice card or generated choice question."""
    card = item.card
    if isinstance(card, ChoiceCard):
        right = set(card.answers)
        return {label for label, key in item.choices if key in right}
    if item.question is not None and item.question.draft.kind == "choice":
        return {label for label, key in item.choices if key == item.question.draft.answer}
    return set()


def answer_as_seen(item: Item, raw: str, lang: Lang) -> str:
    """An answer to options as the learner gave it on screen, where options are numbered
    (the study takes their letters): "1) text" for each option picked, in a chosen order
    for an ordering; any other answer as typed."""
    mode = pick_mode(item)
    options = render.choices(item, lang)
    if mode in ("choice", "choices"):
        picked = set(raw.split())
        return numbered(options, [label for label, _ in options if label in picked]) or raw
    if mode == "order":
        chosen = [int(part) for part in raw.split() if part.isdigit()]
        if chosen and all(1 <= n <= len(options) for n in chosen):
            return numbered(options, [options[n - 1][0] for n in chosen], " → ")
    return raw


def expected_as_seen(item: Item, lang: Lang) -> str | None:
    """The right options numbered as on screen ("3) text"); None when the item has no
    options to pick from (its right answer is shown as the study gives it)."""
    if pick_mode(item) not in ("choice", "choices"):
        return None
    options = render.choices(item, lang)
    right = right_labels(item)
    return numbered(options, [label for label, _ in options if label in right])


def numbered(options: Sequence[tuple[str, str]], labels: Sequence[str], sep: str = "; ") -> str:
    """The options of `labels`, in that order, by their number on screen and their text."""
    number = {label: n for n, (label, _) in enumerate(options, 1)}
    text = dict(options)
    return sep.join(f"{number[label]}) {text[label]}" for label in labels if label in number)


@dataclass
class CardFace:
    """What is shown of an item right now."""

    item: Item
    revealed: bool = False
    picks: list[int] = field(default_factory=list)
    """Option numbers picked (1-based, in the order pressed)."""
    result: AnswerResult | None = None
    unreadable: str = ""

    def content(self, lang: Lang) -> Content:
        item = self.item
        parts: list[Content] = [Content.styled(render.prompt(item, lang), "bold")]
        mode = pick_mode(item)
        options = render.choices(item, lang)
        if options and mode in ("choice", "choices"):
            parts.append(Content(""))
            parts.extend(self._options(options))
        elif mode == "order":
            parts.append(Content(""))
            parts.extend(
                Content.assemble((f" {n} ", "bold $accent"), " ", text)
                for n, (_, text) in enumerate(options, 1)
            )
            order = " ".join(str(n) for n in self.picks) or "…"
            parts.append(Content(""))
            parts.append(Content.styled(tr(lang, "review.your_order", order=order), "$accent"))
        if self.unreadable:
            parts.append(Content(""))
            parts.append(
                Content.styled(tr(lang, "review.unreadable", reason=self.unreadable), "$warning")
            )
        if self.revealed and mode == "reveal":
            parts += [Content.styled(RULE, "$text-muted"), Content(render.back(item, lang))]
        if self.result is not None:
            parts.append(Content.styled(RULE, "$text-muted"))
            # for options, the ✓ and ✗ marks show the right answer better than its letter
            parts.extend(
                result_lines(
                    self.result,
                    lang,
                    show_read_as=mode == "type",
                    show_expected=mode not in ("choice", "choices"),
                )
            )
        return Content("\n").join(parts)

    def _options(self, options: Sequence[tuple[str, str]]) -> list[Content]:
        right = right_labels(self.item) if self.result is not None else set()
        lines = []
        for n, (label, text) in enumerate(options, 1):
            picked = n in self.picks
            if self.result is None:
                mark, style = ("●", "bold $accent") if picked else ("○", "")
            elif label in right:
                mark, style = "✓", "bold $success"
            else:
                mark, style = ("✗", "bold $error") if picked else (" ", "$text-muted")
            lines.append(Content.assemble((f" {n} ", "bold $accent"), f" {mark} ", (text, style)))
        return lines


def result_lines(
    result: AnswerResult,
    lang: Lang,
    *,
    show_read_as: bool = True,
    show_expected: bool = True,
    expected: str | None = None,
) -> list[Content]:
    """The verdict's lines; `expected`: the right answer as shown on screen, in place of the
    study's (options by their number, see expected_as_seen)."""
    lines: list[Content] = []
    if show_read_as and result.interpreted:
        label = i18n.label(lang, "review.read_as")
        shown = result.interpreted
        if "\n" in shown:  # a 2-D drawing of an expression goes under its label
            lines += [Content.styled(label, "$text-muted"), Content(shown)]
        else:
            lines.append(Content.assemble((label, "$text-muted"), shown))
    if result.correct:
        lines.append(Content.styled("✓ " + tr(lang, "review.right"), "bold $success"))
    else:
        lines.append(Content.styled("✗ " + tr(lang, "review.wrong"), "bold $error"))
    if result.diagnosis:
        lines.append(Content.styled("→ " + result.diagnosis, "$warning"))
    right = expected or result.expected
    if right and show_expected:
        lines.append(Content.assemble((i18n.label(lang, "review.expected"), "$text-muted"), right))
    if result.solution:
        lines.append(Content.styled(i18n.label(lang, "review.solution").rstrip(), "$text-muted"))
        lines.extend(Content(f"  {n}. {step}") for n, step in enumerate(result.solution, 1))
    return lines
