"""Answers to options as the learner gave them: by the numbers the screen shows, not by the
letters the study takes (quizdl/tui/widgets/card_text.py)."""

from __future__ import annotations

import random

import pytest
from tui_helpers import CONTENT

from quizdl.kb.loader import KnowledgeBase, load
from quizdl.schedule.queue import Entry
from quizdl.study.items import Item
from quizdl.study.present import make_item
from quizdl.tui.widgets.card_text import answer_as_seen, expected_as_seen


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load([CONTENT], shipped=False)
    assert not problems
    return loaded


def item_of(kb: KnowledgeBase, card_id: str, seed: int = 0) -> Item:
    entry = Entry(card_id, card_id.split("/")[0], "s", 0, None)
    return make_item(entry, kb, random.Random(seed))


def test_one_choice_by_its_number(kb: KnowledgeBase) -> None:
    item = item_of(kb, "sample-basics/adam-author")  # not shuffled: a, b, c
    assert answer_as_seen(item, "c", "en") == "3) Newton's method"
    assert expected_as_seen(item, "en") == "2) Adam"
    assert expected_as_seen(item, "zh") == "2) Adam"
    assert answer_as_seen(item, "a", "zh") == "1) 普通 SGD"


def test_several_choices_in_the_screens_order(kb: KnowledgeBase) -> None:
    item = item_of(kb, "sample-basics/gan-difficulties")
    assert (
        answer_as_seen(item, "c a", "en") == "1) Mode collapse; 3) The generator sees the real data"
    )
    assert expected_as_seen(item, "en") == "1) Mode collapse; 2) Non-convergence"


def test_shuffled_options_are_named_by_where_they_were_shown(kb: KnowledgeBase) -> None:
    for seed in range(20):
        item = item_of(kb, "sample-numbers/vanish-or-explode", seed)
        assert item.question is not None and item.question.draft.kind == "choice"
        texts = {key: text.render("en") for key, text in item.question.draft.choices}
        for n, (label, key) in enumerate(item.choices, 1):
            assert answer_as_seen(item, label, "en") == f"{n}) {texts[key]}"
        right = [
            n for n, (_, key) in enumerate(item.choices, 1) if key == item.question.draft.answer
        ]
        assert expected_as_seen(item, "en") == f"{right[0]}) {texts[item.question.draft.answer]}"


def test_an_order_as_chosen_and_other_answers_as_typed(kb: KnowledgeBase) -> None:
    item = item_of(kb, "sample-basics/backprop-steps")
    shown = [item.card.items[i].render("en") for i in item.order]  # type: ignore[union-attr]
    assert answer_as_seen(item, "2 1 4 3", "en") == " → ".join(
        f"{n}) {shown[n - 1]}" for n in (2, 1, 4, 3)
    )
    assert answer_as_seen(item, "2 9", "en") == "2 9"  # not an order of the options shown
    assert expected_as_seen(item, "en") is None  # the study's right order is shown as is
    typed = item_of(kb, "sample-basics/optimal-d")
    assert answer_as_seen(typed, "0.5", "en") == "0.5"
    assert expected_as_seen(typed, "en") is None
