"""The card browser: the search words, each filter checked against the rows read back
with the ORM, free text in both languages, and suspend/unsuspend by id."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizdl.errors import BadInput
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.store.models import CardState
from quizdl.study.browse import CardBrowser, Query, parse_query
from tests.study.conftest import NOW, StudyAt


def test_parse_query_reads_every_kind_of_word() -> None:
    query = parse_query('topic:gan tag:formula kind:cloze is:due prop:r<0.8 "mode collapse" Adam')
    assert query == Query(
        topics=("gan",),
        tags=("formula",),
        kinds=("cloze",),
        flags=("due",),
        props=(("r", "<", 0.8),),
        words=("mode collapse", "adam"),
    )
    assert parse_query("prop:lapses>=3").props == (("lapses", ">=", 3.0),)
    assert parse_query("http://x").words == ("http://x",)  # unknown key: plain text


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("kind:essay", "kind:essay"),
        ("is:lost", "is:lost"),
        ("prop:r<", "prop:r<"),
        ("prop:x>1", "prop:x>1"),
        ("topic:", "topic:"),
        ('"open', "quotes"),
    ],
)
def test_a_bad_word_is_named(text: str, named: str) -> None:
    with pytest.raises(BadInput, match=named.replace("(", r"\(")):
        parse_query(text)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("kind:essay", "'kind:essay'：类型只能是"),
        ("is:lost", "'is:lost'：is: 后面只能写"),
        ("prop:x>1", "'prop:x>1'：写一个属性（r, s, d, lapses, reps）"),
        ("topic:", "'topic:'：在 topic: 后面写一个值（例如 topic:gan）"),
        ('"open', "搜索中的引号不成对"),
    ],
)
def test_a_bad_word_is_explained_in_chinese(text: str, said: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_query(text, "zh")
    assert str(raised.value).startswith(said)


def answered(study_at: StudyAt) -> None:
    study = study_at(NOW)
    study.start()
    ratings = iter((3, 1, 4, 3, 2, 3, 1, 4, 3))
    while study.next_item() is not None:
        study.rate(next(ratings, 3))
    study.end()


def test_each_filter_agrees_with_the_rows(study_at: StudyAt) -> None:
    answered(study_at)
    study = study_at(NOW)
    browser = CardBrowser(study)
    with study.db.sessions() as session:
        rows = list(session.scalars(select(CardState)))
    day_end = study.clock.day_end(NOW)

    def ids(text: str) -> set[str]:
        return {row.card_id for row in browser.search(text).rows}

    assert ids("") == {r.card_id for r in rows}
    assert ids("kind:choice") == {r.card_id for r in rows if r.kind == "choice"}
    assert ids("topic:sample-numbers") == {r.card_id for r in rows if r.topic == "sample-numbers"}
    assert ids("tag:gan") == {r.card_id for r in rows if "gan" in r.tags.split()}
    assert ids("is:new") == {r.card_id for r in rows if r.state == S.NEW}
    assert ids("is:learning") == {r.card_id for r in rows if r.state in (S.LEARNING, S.RELEARNING)}
    assert ids("is:due") == {
        r.card_id for r in rows if r.state != S.NEW and r.due is not None and r.due < day_end
    }
    assert ids("prop:s>5") == {r.card_id for r in rows if r.stability and r.stability > 5}
    for row in browser.search("").rows:
        if row.retrievability is not None:
            assert 0.0 < row.retrievability <= 1.0
    threshold = sorted(r.retrievability or 0 for r in browser.search("").rows)[4]
    assert ids(f"prop:r<{threshold}") == {
        r.card_id
        for r in browser.search("").rows
        if r.retrievability is not None and r.retrievability < threshold
    }
    # free text: the id, or the card's text in either language
    assert ids("relu") == {"sample-basics/relu"}
    assert ids("示例") == set()  # topic titles are not card text
    assert ids("最优判别器") == {"sample-basics/optimal-d"}
    assert ids("kind:choice adam") == {"sample-basics/adam-author"}
    found = browser.search("", limit=3)
    assert found.total == 9 and len(found.rows) == 3


def test_suspend_and_unsuspend_by_id(study_at: StudyAt) -> None:
    study = study_at(NOW)
    browser = CardBrowser(study)
    assert browser.set_suspended(["sample-basics/relu", "sample-basics/adam-author"], True) == 2
    assert browser.set_suspended(["sample-basics/relu"], True) == 0  # already
    assert {r.card_id for r in browser.search("is:suspended").rows} == {
        "sample-basics/relu",
        "sample-basics/adam-author",
    }
    study.start()
    shown = set()
    while (item := study.next_item()) is not None:
        shown.add(item.card_id)
        study.rate(4)
    assert "sample-basics/relu" not in shown and "sample-basics/adam-author" not in shown
    assert browser.set_suspended(["sample-basics/relu"], False) == 1
    assert {r.card_id for r in browser.search("is:suspended").rows} == {"sample-basics/adam-author"}


def test_a_text_search_and_its_rows_build_no_card(
    study_at: StudyAt, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The text index covers every card of the content (100,000 in a big one): it is read
    # from the stored cards, each of whose models would cost a validation and ~2 KB.
    study = study_at(NOW)

    def refuse(card_id: str, encoded: bytes) -> None:
        raise AssertionError(f"{card_id} was built")

    monkeypatch.setattr("quizdl.kb.cards.decode_card", refuse)
    browser = CardBrowser(study)
    found = browser.search("relu")
    assert [row.card_id for row in found.rows] == ["sample-basics/relu"]
    assert found.rows[0].title == "What does ReLU compute?"
    study.lang = "zh"
    assert {row.card_id for row in browser.search("最优判别器").rows} == {"sample-basics/optimal-d"}
    assert all(row.title for row in browser.search("").rows)
