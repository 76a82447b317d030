"""Checking what a learner typed for choice, typed, ordering and generated cards."""

from __future__ import annotations

import re
import unicodedata

from quizdl.engine.answers import check
from quizdl.engine.answers.listed import check_listed_number
from quizdl.engine.fmt import right_answer
from quizdl.kb.schema import ChoiceCard, OrderingCard, TypedCard
from quizdl.kb.text import Lang
from quizdl.study.items import AnswerResult, Item

MAX_ANSWER = 10_000  # characters; a longer answer is not read


def grade(item: Item, raw: str, lang: Lang, *, hinted: bool = False) -> AnswerResult:
    if len(raw) > MAX_ANSWER:
        return _unreadable(
            lang,
            f"the answer is longer than {MAX_ANSWER:,} characters",
            f"答案超过了 {MAX_ANSWER:,} 个字符",
        )
    card = item.card
    if item.question is not None:
        return _generated(item, raw, lang, hinted)
    if isinstance(card, ChoiceCard):
        return _choice(item, card, raw, lang)
    if isinstance(card, TypedCard):
        return _typed(card, raw, lang)
    if isinstance(card, OrderingCard):
        return _ordering(item, card, raw, lang)
    return _unreadable(
        lang,
        f"a {card.kind} card is rated, not answered: send a rating from 1 to 4",
        f"{card.kind} 卡片只评分，不作答：请给出 1 到 4 的评分",
    )


def _unreadable(lang: Lang, en: str, zh: str) -> AnswerResult:
    return AnswerResult(None, "", None, "", [], None, zh if lang == "zh" else en)


def _rating(correct: bool, hinted: bool = False) -> int:
    return (2 if hinted else 3) if correct else 1


def _generated(item: Item, raw: str, lang: Lang, hinted: bool) -> AnswerResult:
    assert item.question is not None
    draft = item.question.draft
    verdict = check(item.question, raw, hinted=hinted)
    diagnosis = None
    if verdict.diagnosis is not None:
        diagnosis = verdict.diagnosis.label.render(lang)
    elif verdict.generic is not None:
        diagnosis = verdict.generic.render(lang)
    return AnswerResult(
        correct=verdict.correct,
        interpreted=verdict.interpreted_in(lang),
        diagnosis=diagnosis,
        expected=expected_text(item, lang),
        solution=[step.render(lang) for step in draft.solution],
        suggested_rating=verdict.suggested_rating or None,
        reason=verdict.reason_in(lang),
    )


def expected_text(item: Item, lang: Lang) -> str:
    """The right answer as shown to the learner."""
    if item.question is not None:
        draft = item.question.draft
        answer = draft.answer
        if draft.kind == "choice":
            label = next((lbl for lbl, key in item.choices if key == answer), str(answer))
            text = dict(draft.choices).get(str(answer))
            return f"{label}) {text.render(lang)}" if text else label
        return right_answer(answer, draft.rel_tol)
    card = item.card
    if isinstance(card, ChoiceCard):
        right = set(card.answers)
        return ", ".join(
            f"{label}) {card.options[key].render(lang)}"
            for label, key in item.choices
            if key in right
        )
    if isinstance(card, TypedCard):
        return card.accept[0]
    if isinstance(card, OrderingCard):
        return " → ".join(text.render(lang) for text in card.items)
    return ""


_SPLIT = re.compile(r"[\s,;，；、/]+")


def _labels(raw: str) -> list[str]:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    parts = [p for p in _SPLIT.split(text) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
        return list(parts[0])  # "ac" means a and c
    return parts


def _choice(item: Item, card: ChoiceCard, raw: str, lang: Lang) -> AnswerResult:
    labels = _labels(raw)
    by_label = dict(item.choices)
    unknown = [label for label in labels if label not in by_label]
    if not labels or unknown:
        shown = ", ".join(by_label)
        found = f"{unknown[0]!r}" if unknown else "nothing"
        found_zh = f"却是 {unknown[0]!r}" if unknown else "却什么也没有"
        return _unreadable(
            lang,
            f"expected option letters among {shown}, found {found}",
            f"应为 {shown} 中的选项字母，{found_zh}",
        )
    picked = {by_label[label] for label in labels}
    right = set(card.answers)
    correct = picked == right
    diagnosis = None
    if not correct and card.multiple and picked < right:
        diagnosis = {"en": "Some right options are missing.", "zh": "漏选了正确选项。"}[lang]
    elif not correct and card.multiple and picked > right:
        diagnosis = {"en": "Some options you picked are wrong.", "zh": "多选了错误选项。"}[lang]
    return AnswerResult(
        correct,
        ", ".join(sorted(labels)),
        diagnosis,
        expected_text(item, lang),
        [card.explain.render(lang)] if card.explain else [],
        _rating(correct),
    )


def normalise(text: str, case_sensitive: bool) -> str:
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return folded if case_sensitive else folded.casefold()


def _typed(card: TypedCard, raw: str, lang: Lang) -> AnswerResult:
    given = normalise(raw, card.case_sensitive)
    if not given:
        return _unreadable(lang, "the answer is empty", "答案为空")
    accepted = [normalise(a, card.case_sensitive) for a in card.accept]
    correct = given in accepted
    shown = given
    diagnosis = None
    number = check_listed_number(raw, card.accept)  # 512 ^ 2 or 0.50 for a listed 512^2, 0.5
    if number is not None:
        correct = correct or number.correct
        shown = number.echo
        if number.figures_wanted is not None and not correct:
            wanted = number.figures_wanted
            diagnosis = {
                "en": f"Close: right to the figures given; give at least {wanted} significant "
                "figures.",
                "zh": f"很接近：给出的位数是对的；请至少保留 {wanted} 位有效数字。",
            }[lang]
    elif not correct and any(_one_edit_apart(given, a) for a in accepted):
        diagnosis = {"en": "Close: check the spelling.", "zh": "很接近：请检查拼写。"}[lang]
    return AnswerResult(
        correct,
        shown,
        diagnosis,
        card.accept[0],
        [card.explain.render(lang)] if card.explain else [],
        _rating(correct),
    )


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


def _ordering(item: Item, card: OrderingCard, raw: str, lang: Lang) -> AnswerResult:
    parts = _SPLIT.split(unicodedata.normalize("NFKC", raw).strip())
    n = len(card.items)
    numbers = [int(p) for p in parts if p.isdigit()]
    if len(numbers) != len([p for p in parts if p]) or sorted(numbers) != list(range(1, n + 1)):
        return _unreadable(
            lang,
            f"expected the numbers 1 to {n}, each once, in the right order (e.g. 2 1 3)",
            f"请按正确顺序写出 1 到 {n} 的数字，每个一次（例如 2 1 3）",
        )
    chosen = [item.order[k - 1] for k in numbers]
    right_places = sum(1 for position, index in enumerate(chosen) if position == index)
    correct = right_places == n
    diagnosis = None
    if not correct:
        diagnosis = {
            "en": f"{right_places} of {n} in the right place.",
            "zh": f"{n} 项中有 {right_places} 项位置正确。",
        }[lang]
    return AnswerResult(
        correct,
        " ".join(str(k) for k in numbers),
        diagnosis,
        expected_text(item, lang),
        [card.explain.render(lang)] if card.explain else [],
        _rating(correct),
    )
