"""`quizdl review --jsonl`: a line-delimited JSON protocol on stdin and stdout.

quizdl writes one object per line, each with a `type`: card, result, recorded,
undone, buried, suspended, skipped, summary, error. It reads one object per line:
{"rating": 1-4}, {"answer": "..."}, {"accept": true}, {"undo": true}, {"bury": true},
{"suspend": true}, {"skip": true}, {"quit": true}. `recorded` is written only after
the review is committed. A malformed or out-of-place line gets an `error` and changes
nothing; end of input ends the session cleanly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TextIO

from quizdl.errors import BadInput
from quizdl.study import render
from quizdl.study.items import AnswerResult, Counts, Item, Recorded, Summary
from quizdl.study.service import Study

MAX_LINE = 100_000
ACTIONS = ("rating", "answer", "accept", "undo", "bury", "suspend", "skip", "quit")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def interval_text(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    return f"{round(days)}d" if days < 30 else f"{days / 30:.1f}mo"


class Protocol:
    def __init__(self, study: Study, out: TextIO) -> None:
        self.study = study
        self.out = out
        self.lang = study.lang

    def emit(self, kind: str, /, **fields: Any) -> None:
        self.out.write(json.dumps({"type": kind, **fields}, ensure_ascii=False) + "\n")
        self.out.flush()

    def run(self, lines: Iterable[str]) -> Summary:
        self.show_next()
        if self.study.next_item() is not None:
            for raw in lines:
                if not raw.strip():
                    continue
                if self.handle(raw) == "quit" or self.study.next_item() is None:
                    break
        summary = self.study.end()
        self.emit("summary", **summary_fields(summary))
        return summary

    def show_next(self) -> None:
        item = self.study.next_item()
        if item is not None:
            self.emit("card", **self.card_fields(item))

    def card_fields(self, item: Item) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "card_id": item.card_id,
            "kind": item.card.kind,
            "topic": item.topic,
            "section": item.section,
            "prompt": render.prompt(item, self.lang),
            "choices": [{"label": lbl, "text": t} for lbl, t in render.choices(item, self.lang)],
            "expects": item.expects,
            "changed": item.changed,
            "remaining": counts_fields(self.study.counts()),
            "intervals": {str(r): interval_text(d) for r, d in self.study.preview().items()},
        }
        if item.expects == "rating":
            fields["back"] = render.back(item, self.lang)
        if item.question is not None:
            fields["generator"] = item.question.generator
            fields["seed"] = item.question.seed
        return fields

    def handle(self, raw: str) -> str | None:
        message = self._parse(raw)
        if message is None:
            return None
        action = next(iter(message))
        try:
            if action == "quit":
                return "quit"
            if action == "answer":
                self.emit("result", **result_fields(self.study.submit_answer(message["answer"])))
            elif action in ("rating", "accept"):
                recorded = (
                    self.study.accept()
                    if action == "accept"
                    else self.study.rate(message["rating"])
                )
                self.emit("recorded", **recorded_fields(recorded))
                self.show_next()
            elif action == "undo":
                card_id = self.study.undo()
                if card_id is None:
                    self.emit("error", message="nothing to undo in this session", input=raw.strip())
                    return None
                self.emit("undone", card_id=card_id)
                self.show_next()
            else:
                card_id = {
                    "bury": self.study.bury,
                    "suspend": self.study.suspend,
                    "skip": self.study.skip,
                }[action]()
                self.emit(
                    {"bury": "buried", "suspend": "suspended", "skip": "skipped"}[action],
                    card_id=card_id,
                )
                self.show_next()
        except BadInput as exc:
            self.emit("error", message=str(exc), input=raw.strip()[:200])
        return None

    def _parse(self, raw: str) -> dict[str, Any] | None:
        shown = raw.strip()[:200]
        if len(raw) > MAX_LINE:
            self.emit("error", message=f"line longer than {MAX_LINE:,} characters", input=shown)
            return None
        try:
            message = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.emit("error", message=f"not JSON: {exc.msg} at column {exc.colno}", input=shown)
            return None
        if not isinstance(message, dict) or len(message) != 1 or next(iter(message)) not in ACTIONS:
            self.emit(
                "error",
                message="expected one object with one key among " + ", ".join(ACTIONS),
                input=shown,
            )
            return None
        key, value = next(iter(message.items()))
        if key == "rating" and (type(value) is not int or value not in (1, 2, 3, 4)):
            self.emit("error", message="rating must be 1, 2, 3 or 4", input=shown)
            return None
        if key == "answer" and not isinstance(value, str):
            self.emit("error", message="answer must be a string", input=shown)
            return None
        if key not in ("rating", "answer") and value is not True:
            self.emit("error", message=f'expected {{"{key}": true}}', input=shown)
            return None
        return message


def counts_fields(counts: Counts) -> dict[str, int]:
    return {"new": counts.new, "learning": counts.learning, "review": counts.review}


def result_fields(result: AnswerResult) -> dict[str, Any]:
    return {
        "correct": result.correct,
        "interpreted": result.interpreted,
        "reason": result.reason,
        "diagnosis": result.diagnosis,
        "answer": result.expected,
        "solution": result.solution,
        "suggested_rating": result.suggested_rating,
    }


def recorded_fields(recorded: Recorded) -> dict[str, Any]:
    return {
        "card_id": recorded.card_id,
        "rating": recorded.rating,
        "review_id": recorded.review_id,
        "state": recorded.state,
        "due": iso(recorded.due),
        "interval": interval_text(recorded.interval) if recorded.interval else None,
    }


def summary_fields(summary: Summary) -> dict[str, Any]:
    return {
        "reviewed": summary.reviewed,
        "by_rating": {str(k): v for k, v in summary.by_rating.items()},
        "correct": summary.correct,
        "incorrect": summary.incorrect,
        "seconds": summary.seconds,
        "remaining": counts_fields(summary.remaining),
        "learning_later_today": summary.learning_later_today,
        "next_learning_due": iso(summary.next_learning_due),
    }
