"""A new learner's first week on the shipped content: generated questions come to the review.

With one new card a day per note section (sibling burying) and one section per topic, a
topic's k-th card is first shown on about its k-th day; the shipped content puts one
generated card of each topic right after the card that teaches its concept, so the review
shows freshly generated questions within the first week (they came last in each topic, from
day 14, before).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizdl.kb.loader import KnowledgeBase, load_or_raise
from tests.study.conftest import T0, StudyFactory


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load_or_raise()


def test_each_topic_has_a_generated_card_among_its_first_ten(shipped: KnowledgeBase) -> None:
    by_topic: dict[str, list[str]] = {}
    for card_id, card in shipped.cards.items():
        by_topic.setdefault(card_id.split("/")[0], []).append(card.kind)
    late = {
        topic: kinds.index("generated")
        for topic, kinds in by_topic.items()
        if "generated" in kinds and kinds.index("generated") >= 10
    }
    assert late == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_generated_questions_within_a_first_week_of_good_answers(
    make_study: StudyFactory, shipped: KnowledgeBase
) -> None:
    generated_per_day = []
    for day in range(7):
        study = make_study(shipped, at=T0 + timedelta(days=day), seed=day)
        study.start()
        shown = generated = 0
        while (item := study.next_item()) is not None:
            generated += item.card.kind == "generated"
            study.rate(3)
            shown += 1
            assert shown < 200
        study.end()
        generated_per_day.append(generated)
    assert generated_per_day[0] == 0  # a first day introduces each topic by its first card
    assert sum(generated_per_day) >= 5, generated_per_day
