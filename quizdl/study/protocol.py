"""`quizdl review --jsonl`: a line-delimited JSON protocol on stdin and stdout.

quizdl writes one object per line, each with a `type`: card, result, recorded,
undone, buried, suspended, skipped, summary, error. It reads one object per line:
{"rating": 1-4}, {"answer": "..."}, {"accept": true}, {"undo": true}, {"bury": true},
{"suspend": true}, {"skip": true}, {"quit": true}. Each line is answered by events
ending with exactly one card, result, error or summary, so a client may wait for one.
`recorded` is written only after the review is committed. A malformed or out-of-place
line gets an `error` and changes nothing; so does an answer that cannot be read. Any
other failure while handling a line also becomes an `error` (never a traceback) and the
session goes on; end of input ends it cleanly with a `summary`. README: "The JSON-lines
protocol".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TextIO

from quizdl.errors import BadInput
from quizdl.study import render
from quizdl.study.items import AnswerResult, Counts, Item, Recorded, Summary
from quizdl.study.service import Study

MAX_LINE = 100_000
SHOWN_INPUT = 200  # characters of an offending line echoed back in an `error`
ACTIONS = ("rating", "answer", "accept", "undo", "bury", "suspend", "skip", "quit")
SET_ASIDE = {"bury": "buried", "suspend": "suspended", "skip": "skipped"}


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


def shown(raw: str) -> str:
    """The start of an input line, safe to write back (undecodable bytes become '?')."""
    return raw.strip()[:SHOWN_INPUT].encode("utf-8", "replace").decode("utf-8")


def emit(out: TextIO, kind: str, /, **fields: Any) -> None:
    """Write one event as a line of JSON and flush it: a reader sees it at once."""
    out.write(json.dumps({"type": kind, **fields}, ensure_ascii=False) + "\n")
    out.flush()


def unexpected(exc: Exception) -> str:
    """A one-line message for a failure that is not the learner's doing."""
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    lines = str(cause).strip().splitlines()
    return f"unexpected {type(cause).__name__}: {lines[0] if lines else 'no message'}"


class Protocol:
    def __init__(self, study: Study, out: TextIO) -> None:
        self.study = study
        self.out = out
        self.lang = study.lang
        self.answered = False  # the card shown has a result: it waits for a rating
        self.stuck = False  # the next card could not be shown: the session cannot go on
        self.recorded: list[int] = []  # review ids of this session, as Study's undo sees them

    def emit(self, kind: str, /, **fields: Any) -> None:
        emit(self.out, kind, **fields)

    def error(self, message: str, raw: str | None = None) -> None:
        if raw is None:
            self.emit("error", message=message)
        else:
            self.emit("error", message=message, input=shown(raw))

    def run(self, lines: Iterable[str]) -> Summary | None:
        """Serve the session until `quit`, end of input or an empty queue. Returns the
        summary, or None when the session could not be closed (an `error` says why)."""
        if self.show_next():
            for raw in lines:
                if not raw.strip():
                    continue
                if self.handle(raw) == "quit" or self.stuck or not self.has_card():
                    break
        try:
            summary = self.study.end()
        except Exception as exc:  # closing writes to the database, which may fail: tell it
            self.error(f"the session could not be closed: {unexpected(exc)}")
            return None
        self.emit("summary", **summary_fields(summary))
        return summary

    def has_card(self) -> bool:
        try:
            return self.study.next_item() is not None
        except Exception:  # show_next has reported it
            return False

    def show_next(self) -> bool:
        """Write the card to show now; False when there is none or it cannot be shown.
        A card that cannot be drawn stays first in the queue and nothing can be done
        to it, so the session ends rather than answer every line with an error."""
        self.answered = False
        try:
            item = self.study.next_item()
            if item is None:
                return False
            self.emit("card", **self.card_fields(item))
            return True
        except Exception as exc:  # a closed stdout fails again in error() and ends the run
            self.stuck = True
            reason = str(exc) if isinstance(exc, BadInput) else unexpected(exc)
            self.error(f"could not show the next card, so the session ends: {reason}")
            return False

    def card_fields(self, item: Item) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "card_id": item.card_id,
            "kind": item.card.kind,
            "topic": item.topic,
            "section": item.section,
            "prompt": render.prompt(item, self.lang),
        }
        choices = render.choices(item, self.lang)
        if choices:
            fields["choices"] = [{"label": label, "text": text} for label, text in choices]
        fields.update(
            expects=item.expects,
            changed=item.changed,
            remaining=counts_fields(self.study.counts()),
            intervals={str(r): interval_text(d) for r, d in self.study.preview().items()},
        )
        if item.expects == "rating":
            fields["back"] = render.back(item, self.lang)
        if item.question is not None:
            fields["generator"] = item.question.generator
            fields["seed"] = item.question.seed
        return fields

    def handle(self, raw: str) -> str | None:
        """One input line; returns "quit" when the session should end."""
        message = self._parse(raw)
        if message is None:
            return None
        action, value = next(iter(message.items()))
        if action == "quit":
            return "quit"
        try:
            self._dispatch(action, value, raw)
        except BadInput as exc:
            self.error(str(exc), raw)
        except Exception as exc:  # a database or program failure: told, never a traceback
            self.error(unexpected(exc), raw)
        return None

    def _dispatch(self, action: str, value: Any, raw: str) -> None:
        if action == "answer":
            self._answer(value, raw)
        elif action in ("rating", "accept"):
            if action == "accept":
                recorded = self.study.accept()
            else:
                recorded = self.study.rate(value)
            self.recorded.append(recorded.review_id)
            self.emit("recorded", **recorded_fields(recorded))
            self.show_next()
        elif action == "undo":
            # Study takes the last review off its own list before anything can fail (and
            # even when that review is gone): stay in step with it.
            review_id = self.recorded.pop() if self.recorded else None
            card_id = self.study.undo()
            if card_id is None:
                self.error("nothing to undo in this session", raw)
                return
            self.emit("undone", card_id=card_id, review_id=review_id)
            self.show_next()
        else:
            set_aside: Callable[[], str] = getattr(self.study, action)
            self.emit(SET_ASIDE[action], card_id=set_aside())
            self.show_next()

    def _answer(self, text: str, raw: str) -> None:
        if self.answered:  # the right answer has been shown; answering again would be a guess
            self.error("this card is answered already: send a rating or accept", raw)
            return
        result = self.study.submit_answer(text)
        if result.correct is None:  # could not be read: the learner may answer again
            self.error(result.reason, raw)
            return
        self.answered = True
        item = self.study.next_item()
        self.emit("result", card_id=item.card_id if item else None, **result_fields(result))

    def _parse(self, raw: str) -> dict[str, Any] | None:
        if len(raw) > MAX_LINE:
            self.error(f"line longer than {MAX_LINE:,} characters", raw)
            return None
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError:  # stdin is read with surrogateescape
            self.error("the line is not valid UTF-8", raw)
            return None
        try:
            message = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.error(f"not JSON: {exc.msg} at column {exc.colno}", raw)
            return None
        except RecursionError:
            self.error("not JSON this program reads: nested too deeply", raw)
            return None
        if not isinstance(message, dict) or len(message) != 1 or next(iter(message)) not in ACTIONS:
            self.error("expected one object with one key among " + ", ".join(ACTIONS), raw)
            return None
        key, value = next(iter(message.items()))
        if key == "rating" and (type(value) is not int or value not in (1, 2, 3, 4)):
            self.error("rating must be 1, 2, 3 or 4", raw)
            return None
        if key == "answer" and not isinstance(value, str):
            self.error("answer must be a string", raw)
            return None
        if key not in ("rating", "answer") and value is not True:
            self.error(f'expected {{"{key}": true}}', raw)
            return None
        return message


def counts_fields(counts: Counts) -> dict[str, int]:
    return {"new": counts.new, "learning": counts.learning, "review": counts.review}


def result_fields(result: AnswerResult) -> dict[str, Any]:
    return {
        "correct": result.correct,
        "interpreted": result.interpreted,
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
