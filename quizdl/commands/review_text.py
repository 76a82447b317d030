"""A plain-text review on stdin/stdout: for terminals without the app and for scripts.

Commands at any prompt: :u undo, :b bury, :s suspend, :k skip, :q quit.
"""

from __future__ import annotations

import sys
from typing import TextIO

from quizdl.errors import BadInput
from quizdl.lang import colon
from quizdl.study import render
from quizdl.study.items import Item
from quizdl.study.protocol import interval_text
from quizdl.study.service import Study

RATING_NAMES = {
    "en": {1: "again", 2: "hard", 3: "good", 4: "easy"},
    "zh": {1: "重来", 2: "困难", 3: "良好", 4: "简单"},
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "reveal": "Enter shows the answer",
        "rate": "Rate",
        "answer": "Your answer (:u undo, :b bury, :s suspend, :k skip, :q quit)",
        "accept": "Enter accepts the suggestion",
        "read_as": "read as",
        "right": "Correct",
        "wrong": "Not correct",
        "unreadable": "Could not read this",
        "solution": "Solution",
        "pick": "type 1, 2, 3 or 4",
        "done": "Done for now: {n} reviewed",
    },
    "zh": {
        "reveal": "回车显示答案",
        "rate": "评分",
        "answer": "你的答案（:u 撤销，:b 埋藏，:s 暂停，:k 跳过，:q 退出）",
        "accept": "回车接受建议评分",
        "read_as": "理解为",
        "right": "正确",
        "wrong": "不正确",
        "unreadable": "无法读取",
        "solution": "解答",
        "pick": "请输入 1、2、3 或 4",
        "done": "今天的复习暂告一段落：复习了 {n} 张",
    },
}


class TextReview:
    def __init__(
        self, study: Study, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
    ) -> None:
        self.study = study
        self.stdin = stdin
        self.out = stdout
        self.words = WORDS[study.lang]
        self.colon = colon(study.lang)

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, label: str) -> str | None:
        self.out.write(f"{label}> ")
        self.out.flush()
        line = self.stdin.readline()
        return None if line == "" else line.strip()

    def run(self) -> None:
        while (item := self.study.next_item()) is not None:
            try:
                if not self.show(item):
                    break
            except BadInput as exc:
                self.say(f"! {exc}")
        summary = self.study.end()
        names = RATING_NAMES[self.study.lang]
        ratings = ", ".join(f"{names[r]} {n}" for r, n in summary.by_rating.items())
        done = self.words["done"].format(n=summary.reviewed)
        self.say(f"\n{done}" + (f" ({ratings})" if ratings else ""))

    def show(self, item: Item) -> bool:
        """One card; False when the learner quits or input ends."""
        counts = self.study.counts()
        topic = self.study.kb.topics.get(item.topic)
        title = topic.title.get(self.study.lang) if topic is not None else item.topic
        due = f"[{counts.new} · {counts.learning} · {counts.review}]"
        self.say(f"\n{due}  {title} › {item.section}")
        self.say(render.prompt(item, self.study.lang))
        for label, text in render.choices(item, self.study.lang):
            self.say(f"  {label}) {text}")
        suggested: int | None = None
        if item.expects == "answer":
            while True:
                line = self.ask(self.words["answer"])
                if line is None:
                    return False
                if line.startswith(":"):
                    return self.command(line)
                result = self.study.submit_answer(line)
                if result.correct is None:
                    self.say(f"{self.words['unreadable']}{self.colon}{result.reason}")
                    continue
                verdict = self.words["right"] if result.correct else self.words["wrong"]
                self.say(f"{self.words['read_as']}{self.colon}{result.interpreted} — {verdict}")
                if result.diagnosis:
                    self.say(f"  → {result.diagnosis}")
                self.say(f"= {result.expected}")
                for step in result.solution:
                    self.say(f"  · {step}")
                suggested = result.suggested_rating
                break
        else:
            line = self.ask(self.words["reveal"])
            if line is None:
                return False
            if line.startswith(":"):
                return self.command(line)
            self.say(render.back(item, self.study.lang))
        return self.rate(suggested)

    def rate(self, suggested: int | None) -> bool:
        names = RATING_NAMES[self.study.lang]
        intervals = self.study.preview()
        options = "  ".join(f"{r} {names[r]} ({interval_text(intervals[r])})" for r in (1, 2, 3, 4))
        hint = f" · {self.words['accept']}{self.colon}{suggested}" if suggested else ""
        while True:
            line = self.ask(f"{self.words['rate']} {options}{hint}")
            if line is None:
                return False
            if line.startswith(":"):
                return self.command(line)
            if line == "" and suggested:
                self.study.rate(suggested)
                return True
            if line in ("1", "2", "3", "4"):
                self.study.rate(int(line))
                return True
            self.say(f"! {self.words['pick']}")

    def command(self, line: str) -> bool:
        action = line[1:2]
        if action == "q":
            return False
        if action == "u":
            undone = self.study.undo()
            self.say(f"↶ {undone}" if undone else "!")
        elif action in ("b", "s", "k"):
            {"b": self.study.bury, "s": self.study.suspend, "k": self.study.skip}[action]()
        return True
