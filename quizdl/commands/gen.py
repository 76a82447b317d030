"""`quizdl gen`: list the generator families, print a question, check an answer."""

from __future__ import annotations

import argparse
import difflib
import json
import secrets
from typing import Any

from quizdl.commands.common import language
from quizdl.engine import registry
from quizdl.engine.fmt import right_answer
from quizdl.engine.question import AnswerValue, Question
from quizdl.errors import BadInput
from quizdl.kb.text import Lang
from quizdl.lang import colon


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    if args.list:
        return _list(args.json)
    if not args.name:
        raise BadInput("name a generator family (quizdl gen --list shows them), or use --list")
    family = registry.get(args.name)
    if family is None:
        close = difflib.get_close_matches(args.name, list(registry.families()), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise BadInput(f"unknown generator {args.name!r}{hint} (quizdl gen --list shows them)")
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    if seed < 0:
        raise BadInput(f"--seed must be a whole number of 0 or more, found {seed}")
    question = family.generate(seed)
    result = question_json(question, lang)
    if args.answer is not None:
        result.update(verdict_json(question, args.answer, lang))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_as_text(result, lang))
    return 0


def _list(as_json: bool) -> int:
    families = registry.families().values()
    if as_json:
        rows = [
            {
                "id": f.id,
                "version": f.version,
                "topic": f.topic,
                "description": f.description,
                "params": {
                    name: {"low": spec.low, "high": spec.high, "integer": spec.integer}
                    for name, spec in f.params.items()
                },
            }
            for f in families
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max((len(f.id) for f in families), default=10)
    for family in families:
        print(f"{family.id:<{width}}  v{family.version}  {family.description}")
    print(f"\n{len(registry.families())} generator families")
    return 0


def answer_json(value: AnswerValue) -> Any:
    """The exact answer as JSON: a number, a list for vectors, a string otherwise."""
    if isinstance(value, tuple):
        return list(value)
    return value


def question_json(question: Question, lang: Lang) -> dict[str, Any]:
    draft = question.draft
    return {
        "generator": question.generator,
        "version": question.version,
        "seed": question.seed,
        "lang": lang,
        "params": dict(draft.params),
        "prompt": draft.prompt.render(lang),
        "kind": draft.kind,
        "choices": {key: text.render(lang) for key, text in draft.choices},
        "answer": answer_json(draft.answer),
        "tolerance": {"rel": draft.rel_tol, "abs": draft.abs_tol},
        "solution": [step.render(lang) for step in draft.solution],
        "mistakes": {m.id: answer_json(m.value) for m in draft.mistakes},
    }


def verdict_json(question: Question, raw: str, lang: Lang) -> dict[str, Any]:
    from quizdl.engine.answers import check

    verdict = check(question, raw)
    diagnosis = None
    if verdict.diagnosis is not None:
        diagnosis = {"id": verdict.diagnosis.id, "text": verdict.diagnosis.label.render(lang)}
    elif verdict.generic is not None:
        diagnosis = {"id": "generic", "text": verdict.generic.render(lang)}
    return {
        "given": raw,
        "correct": verdict.correct,
        "interpreted": verdict.interpreted_in(lang),
        "reason": verdict.reason_in(lang),
        "diagnosis": diagnosis,
        "suggested_rating": verdict.suggested_rating or None,
    }


_LABELS = {
    "en": (
        "Answer",
        "Solution",
        "Your answer, read as",
        "Correct",
        "Not correct",
        "Could not read this",
    ),
    "zh": ("答案", "解答", "你的答案被理解为", "正确", "不正确", "无法读取"),
}


def _as_text(result: dict[str, Any], lang: Lang) -> str:
    answer, solution, read_as, right, wrong, unreadable = _LABELS[lang]
    sep = colon(lang)
    lines = [
        f"[{result['generator']} v{result['version']} seed {result['seed']}]",
        result["prompt"],
    ]
    lines += [f"  {key}) {text}" for key, text in result["choices"].items()]
    if "correct" in result:
        if result["correct"] is None:
            lines.append(f"\n{unreadable}{sep}{result['reason']}")
        else:
            shown = result["interpreted"]
            # a 2-D drawing of an expression goes under its label, as in the app
            lines.append(
                f"\n{read_as}{sep.rstrip()}\n{shown}"
                if "\n" in shown
                else f"\n{read_as}{sep}{shown}"
            )
            lines.append(right if result["correct"] else wrong)
            if result["diagnosis"]:
                lines.append(f"  → {result['diagnosis']['text']}")
    value = result["answer"]
    shown = right_answer(
        tuple(value) if isinstance(value, list) else value, result["tolerance"]["rel"]
    )
    lines.append(f"\n{answer}{sep}{shown}")
    lines.append(f"{solution}{sep.rstrip()}")
    lines += [f"  {i}. {step}" for i, step in enumerate(result["solution"], 1)]
    return "\n".join(lines)
