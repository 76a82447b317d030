"""The app's own words in English and Chinese (card text comes from the content).

`tr(lang, key, **values)` formats the string; a test checks that both languages have every
key with the same placeholders.
"""

from __future__ import annotations

from typing import NamedTuple

from quizdl.lang import Lang, colon


class Words(NamedTuple):
    """One of the app's strings in both languages. A plain tuple, not the content's Text:
    the app needs its words before its first frame, ahead of pydantic."""

    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def _t(en: str, zh: str) -> Words:
    return Words(en, zh)


STRINGS: dict[str, Words] = {
    # the app
    "app.title": _t("quizdl", "quizdl"),
    "app.opening": _t("Opening your study…", "正在打开你的学习记录…"),
    "app.problem": _t("quizdl could not start", "quizdl 无法启动"),
    "app.problem_hint": _t("Press q to quit.", "按 q 退出。"),
    "app.content_problems": _t(
        "{count} problem(s) in the content: topics with problems are left out until fixed "
        "(run `quizdl check`).",
        "内容中有 {count} 个问题：有问题的主题在修好之前不会出现（运行 `quizdl check` 查看）。",
    ),
    "app.failed": _t("That did not work: {reason}", "操作失败：{reason}"),
    "app.no_editor_here": _t(
        "Editing needs a terminal: run quizdl in one.", "编辑卡片需要在终端中运行 quizdl。"
    ),
    "app.editor_failed": _t(
        "The editor could not be started ({reason}); set $EDITOR.",
        "无法启动编辑器（{reason}）；请设置 $EDITOR。",
    ),
    # keys (also the help screen)
    "key.review": _t("review all", "复习全部"),
    "key.review_topic": _t("review topic", "复习该主题"),
    "key.quiz": _t("quiz", "测验"),
    "key.browse": _t("browse", "浏览"),
    "key.stats": _t("stats", "统计"),
    "key.settings": _t("settings", "设置"),
    "key.help": _t("help", "帮助"),
    "key.quit": _t("quit", "退出"),
    "key.back": _t("back", "返回"),
    "key.reveal": _t("show answer", "显示答案"),
    "key.rate": _t("rate again / hard / good / easy", "评分：重来 / 困难 / 良好 / 简单"),
    "key.accept": _t("accept the suggested rating", "接受建议评分"),
    "key.check": _t("check the answer", "检查答案"),
    "key.pick": _t("pick an option", "选择选项"),
    "key.order": _t("pick the items in order", "按顺序选择各项"),
    "key.unpick": _t("take back the last pick", "撤回上一次选择"),
    "key.keys": _t("leave the answer line (keys work again)", "离开输入行（快捷键恢复可用）"),
    "key.type": _t("back to the answer line (after esc)", "回到输入行（按 esc 离开后）"),
    "key.undo": _t("undo the last answer", "撤销上一个答案"),
    "key.bury": _t("bury until tomorrow", "埋藏到明天"),
    "key.suspend": _t("suspend the card", "暂停此卡片"),
    "key.edit": _t("edit the card in $EDITOR", "在 $EDITOR 中编辑卡片"),
    "key.end": _t("end the session", "结束本次复习"),
    "key.end_quiz": _t(
        "end the quiz: the score so far (leave, before the first answer)",
        "结束测验：显示目前的得分（还没答题时直接返回）",
    ),
    "key.search": _t("search", "搜索"),
    "key.open": _t("open the card", "打开卡片"),
    "key.toggle_suspend": _t("suspend / unsuspend", "暂停 / 恢复"),
    "key.next": _t("next question", "下一题"),
    "key.toggle_topic": _t("choose a topic", "选择主题"),
    "key.start": _t("start", "开始"),
    "key.save": _t("save", "保存"),
    "key.move": _t("move", "移动"),
    "key.scroll": _t("scroll", "滚动"),
    "key.scroll_card": _t("scroll a long card", "滚动较长的卡片"),
    # shorter words for the key bar
    "bar.review": _t("review", "复习"),
    "bar.topic": _t("topic", "按主题"),
    "bar.reveal": _t("answer", "答案"),
    "bar.rate": _t("rate", "评分"),
    "bar.accept": _t("accept", "接受"),
    "bar.keys": _t("keys", "快捷键"),
    "bar.type": _t("type", "输入"),
    "bar.undo": _t("undo", "撤销"),
    "bar.bury": _t("bury", "埋藏"),
    "bar.suspend": _t("suspend", "暂停"),
    "bar.edit": _t("edit", "编辑"),
    "bar.end": _t("end", "结束"),
    "bar.unpick": _t("back", "撤回"),
    "bar.order": _t("order", "排序"),
    # ratings
    "rating.1": _t("again", "重来"),
    "rating.2": _t("hard", "困难"),
    "rating.3": _t("good", "良好"),
    "rating.4": _t("easy", "简单"),
    # card states and kinds
    "state.0": _t("new", "新"),
    "state.1": _t("learning", "学习中"),
    "state.2": _t("review", "复习"),
    "state.3": _t("relearning", "重新学习"),
    "kind.basic": _t("basic", "问答"),
    "kind.cloze": _t("cloze", "填空"),
    "kind.choice": _t("choice", "选择"),
    "kind.typed": _t("typed", "输入"),
    "kind.ordering": _t("ordering", "排序"),
    "kind.generated": _t("generated", "生成题"),
    # dashboard
    "dash.title": _t("Today", "今天"),
    "dash.due": _t("Due today", "今日待复习"),
    "dash.counts": _t(
        "{new} new · {learning} learning · {review} review",
        "新 {new} · 学习中 {learning} · 复习 {review}",
    ),
    "dash.nothing_due": _t(
        "Nothing due: well done. Come back tomorrow.", "今天没有待复习的卡片，做得好！明天再来。"
    ),
    "dash.streak": _t("Streak: {days} day(s)", "连续学习：{days} 天"),
    "dash.week": _t("This week: {count} reviews", "本周：{count} 次复习"),
    "dash.today_done": _t("Today: {count} done", "今天已完成：{count}"),
    "dash.last": _t(
        "Last session {when}: {reviewed} card(s)", "上次复习 {when}：{reviewed} 张卡片"
    ),
    "dash.last_answers": _t(
        ", {correct} of {answered} answers right", "，作答 {answered} 题，答对 {correct} 题"
    ),
    "dash.last_none": _t("No session yet.", "还没有复习记录。"),
    "dash.welcome": _t(
        "Welcome to quizdl! {cards} cards in {topics} topics are ready. Press r to start "
        "your first review, or ? for help.",
        "欢迎使用 quizdl！{topics} 个主题共 {cards} 张卡片已就绪。"
        "按 r 开始第一次复习，按 ? 查看帮助。",
    ),
    "dash.welcome_quiz": _t(
        " Press g for a quiz of the {count} cards whose questions are made afresh each time: "
        "numbers to work out, checked, with worked solutions.",
        "按 g 做测验：其中 {count} 张卡片的题目每次重新生成，需要动手计算，"
        "会检查答案并给出详细解答。",
    ),
    "dash.topic": _t("Topic", "主题"),
    "dash.cards": _t("Cards", "卡片"),
    "dash.new": _t("New", "新"),
    "dash.learn": _t("Learn", "学习"),
    "dash.review": _t("Review", "复习"),
    "dash.mastery": _t("Mastery", "掌握度"),
    "dash.forecast": _t("Next 30 days", "未来 30 天"),
    # review
    "review.title": _t("Review", "复习"),
    "review.changed": _t("changed since your last review", "自上次复习后已修改"),
    "review.space": _t("Space shows the answer.", "按空格显示答案。"),
    "review.type_here": _t("Type your answer; Enter checks it", "输入答案，回车检查"),
    "review.pick_one": _t("Press the number of your answer.", "按下答案对应的数字。"),
    "review.pick_many": _t(
        "Press the numbers of every right option, then Enter.", "按下所有正确选项的数字，然后回车。"
    ),
    "review.pick_order": _t(
        "Press the numbers in the right order; Enter checks, Backspace takes one back.",
        "按正确顺序按下数字；回车检查，退格撤回一个。",
    ),
    "review.your_order": _t("Your order: {order}", "你的顺序：{order}"),
    "review.answer": _t("Answer", "答案"),
    "review.read_as": _t("Interpreted as", "理解为"),
    "review.right": _t("Correct", "正确"),
    "review.wrong": _t("Not correct", "不正确"),
    "review.unreadable": _t("Could not read this: {reason}", "无法读取：{reason}"),
    "review.expected": _t("Right answer", "正确答案"),
    "review.solution": _t("Solution", "解答"),
    "review.suggested": _t(
        "Enter accepts {rating}; 1–4 override.", "回车接受“{rating}”，1–4 可改评分。"
    ),
    "review.rate_now": _t("How well did you remember?", "记得怎么样？"),
    "review.nothing_to_undo": _t("Nothing to undo in this session.", "本次复习没有可撤销的答案。"),
    "review.undone": _t("Undone: {card}", "已撤销：{card}"),
    "review.buried": _t("Buried until tomorrow: {card}", "已埋藏到明天：{card}"),
    "review.suspended": _t("Suspended: {card}", "已暂停：{card}"),
    "review.reloaded": _t("Card reloaded after editing.", "编辑后已重新载入卡片。"),
    "review.progress": _t("{done} done · {left} left", "已完成 {done} · 剩余 {left}"),
    # session end
    "end.title": _t("Session finished", "本次复习结束"),
    "end.reviewed": _t("{count} card(s) reviewed in {time}", "用时：{time}，复习了 {count} 张卡片"),
    "end.ratings": _t(
        "Again {again} · Hard {hard} · Good {good} · Easy {easy}",
        "重来 {again} · 困难 {hard} · 良好 {good} · 简单 {easy}",
    ),
    "end.answers": _t(
        "Answered: {correct} right, {incorrect} not", "作答：答对 {correct}，答错 {incorrect}"
    ),
    "end.remaining": _t("Still due today: {count}", "今天仍待复习：{count}"),
    "end.later": _t(
        "{count} learning card(s) come back later today, the first at {time}.",
        "还有 {count} 张学习中的卡片会在今天稍后回来，最早在 {time}。",
    ),
    "end.done": _t("All done for today.", "今天的复习全部完成。"),
    "end.keys": _t("Enter: dashboard · r: review again", "回车：返回主页 · r：继续复习"),
    # quiz
    "quiz.title": _t("Quiz", "测验"),
    "quiz.count": _t("Questions", "题目数"),
    "quiz.start": _t("Start the quiz", "开始测验"),
    "quiz.question": _t("Question {n} of {total}", "第 {n} 题，共 {total} 题"),
    "quiz.next": _t("Enter: next question", "回车：下一题"),
    "quiz.score": _t(
        "Score: {right} of {total} in {time}", "得分：{total} 题答对 {right} 题 · 用时：{time}"
    ),
    "quiz.score_partial": _t(
        "Score: {right} of {answered} answered (the quiz was ended after {answered} of {total}) "
        "in {time}",
        "得分：已答 {answered} 题，答对 {right} 题（共 {total} 题，提前结束）· 用时：{time}",
    ),
    "quiz.perfect": _t("No mistakes. Well done!", "全部答对，太棒了！"),
    "quiz.mistakes": _t("Your mistakes, with their solutions", "错题与解答"),
    "quiz.your_answer": _t("Your answer", "你的答案"),
    "quiz.none": _t("There are no generated questions in these topics.", "这些主题中没有生成题。"),
    "quiz.setup_choice": _t(
        "Choose topics (space toggles; none chosen means all) and the number of questions. "
        "A quiz is practice and leaves your schedule alone, unless you tick "
        "“Count in my schedule”: then the first answer to each card is recorded as its review.",
        "选择主题（空格切换；不选即为全部）和题目数量。测验默认只是练习，不会改变复习计划；"
        "勾选“计入复习计划”后，每张卡片在本次测验中的第一个答案会记为一次复习。",
    ),
    "quiz.count_in_schedule": _t("Count in my schedule", "计入复习计划"),
    "quiz.counts": _t("counts in your schedule", "计入复习计划"),
    "quiz.not_counted.suspended": _t("not counted: the card is suspended", "不计入：该卡片已暂停"),
    "quiz.not_counted.buried": _t(
        "not counted: the card is buried until tomorrow", "不计入：该卡片已埋藏到明天"
    ),
    "quiz.not_counted.retired": _t(
        "not counted: the card is no longer in your schedule", "不计入：该卡片已不在复习计划中"
    ),
    "quiz.not_counted.repeat": _t(
        "not counted again: this card already counted in this quiz",
        "不再计入：本次测验已记录过这张卡片",
    ),
    "quiz.recorded": _t(
        "Recorded in your schedule ({rating}): next review in {interval}.",
        "已计入复习计划（{rating}），{interval} 后再次复习。",
    ),
    "quiz.recorded_total": _t(
        "{count} of {total} answers recorded in your schedule.",
        "{total} 个答案中有 {count} 个已计入复习计划。",
    ),
    # browse
    "browse.title": _t("Browse", "浏览"),
    "browse.placeholder": _t(
        "search: topic: tag: kind: is:due is:new is:suspended is:leech is:changed prop:r<0.8 text",
        "搜索：topic: tag: kind: is:due is:new is:suspended is:leech is:changed prop:r<0.8 文本",
    ),
    "browse.found": _t("{total} card(s)", "{total} 张卡片"),
    "browse.shown": _t(
        "{total} card(s), the first {shown} shown", "{total} 张卡片，显示前 {shown} 张"
    ),
    "browse.id": _t("Id", "编号"),
    "browse.topic": _t("Topic", "主题"),
    "browse.kind": _t("Kind", "类型"),
    "browse.state": _t("State", "状态"),
    "browse.due": _t("Due", "到期"),
    "browse.s": _t("S", "稳定性"),
    "browse.d": _t("D", "难度"),
    "browse.r": _t("R", "可提取性"),
    "browse.lapses": _t("Lapses", "遗忘"),
    "browse.suspended_mark": _t("suspended", "已暂停"),
    "browse.leech_mark": _t("leech", "顽固卡"),
    "browse.changed_mark": _t("changed", "已修改"),
    "browse.suspended": _t("Suspended {card}", "已暂停 {card}"),
    "browse.unsuspended": _t("Unsuspended {card}", "已恢复 {card}"),
    "browse.card": _t("Card {card}", "卡片 {card}"),
    "browse.details": _t(
        "{state} · due {due} · stability {s} · difficulty {d} · recall {r} · {reps} reviews, "
        "{lapses} lapses",
        "{state} · 到期 {due} · 稳定性 {s} · 难度 {d} · 可提取性 {r} · "
        "复习 {reps} 次，遗忘 {lapses} 次",
    ),
    # stats
    "stats.title": _t("Statistics", "统计"),
    "stats.heatmap": _t("Reviews per day (last {weeks} weeks)", "每日复习次数（最近 {weeks} 周）"),
    "stats.forecast": _t("Due in the next 30 days", "未来 30 天到期"),
    "stats.retention": _t("True retention by week", "每周真实记忆保持率"),
    "stats.intervals": _t("Intervals of review cards", "复习卡片的间隔分布"),
    "stats.mastery": _t("Mastery per topic", "各主题掌握度"),
    "stats.less": _t("less", "少"),
    "stats.more": _t("more", "多"),
    "stats.no_data": _t("No reviews yet.", "还没有复习记录。"),
    "stats.no_retention": _t(
        "No card in review has been answered yet: true retention counts only those (new and "
        "learning cards are left out).",
        "还没有复习过处于复习阶段的卡片：真实记忆保持率只统计这些卡片（新卡片和学习中的卡片不计入）。",
    ),
    "stats.no_intervals": _t(
        "No card is in review yet: the distribution counts only those (new and learning cards "
        "are left out).",
        "还没有处于复习阶段的卡片：间隔分布只统计这些卡片（新卡片和学习中的卡片不计入）。",
    ),
    # settings
    "settings.title": _t("Settings", "设置"),
    "settings.language": _t("Language", "语言"),
    "settings.theme": _t("Theme", "主题配色"),
    "settings.new_per_day": _t("New cards per day", "每日新卡片上限"),
    "settings.reviews_per_day": _t("Reviews per day", "每日复习上限"),
    "settings.retention": _t("Desired retention (0.70–0.99)", "目标记忆保持率（0.70–0.99）"),
    "settings.rollover": _t("The day starts at (hour, 0–23)", "每天开始于（小时，0–23）"),
    "settings.bury": _t("Cards of one note section", "同一笔记小节的卡片"),
    "settings.bury_on": _t("one a day (bury siblings)", "每天一张（埋藏同节卡片）"),
    "settings.bury_off": _t("all that are due", "到期的都出现"),
    "settings.saved": _t("Settings saved.", "设置已保存。"),
    "settings.not_number": _t(
        "{field}: write a number, not {value!r}", "{field}：请输入数字，而不是 {value!r}"
    ),
    "settings.save": _t("Save (ctrl+s)", "保存（ctrl+s）"),
    "settings.unsaved": _t(
        "Not saved yet: ctrl+s saves, esc again leaves without saving.",
        "尚未保存：ctrl+s 保存，再按 esc 放弃修改并返回。",
    ),
    "settings.where": _t(
        "Language and theme are kept in {path}; the rest in your profile.",
        "语言和配色保存在 {path}；其余保存在你的学习档案中。",
    ),
    # help
    "help.title": _t("Keys of this screen", "本页快捷键"),
    "help.close": _t("Press Escape or ? to close.", "按 Esc 或 ? 关闭。"),
    "help.mouse": _t(
        "The mouse works too: click a key in the bar below, a row, a button.",
        "也可以用鼠标：点击底部的按键、表格行或按钮。",
    ),
    # units
    "unit.minutes": _t("{n} min", "{n} 分钟"),
    "unit.under_minute": _t("under a minute", "不到一分钟"),
    "unit.never": _t("—", "—"),
    "unit.today": _t("today", "今天"),
    "unit.days_ago": _t("{n} day(s) ago", "{n} 天前"),
    "unit.week": _t("week", "周"),
}


def tr(lang: Lang, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in (str.format)."""
    text = STRINGS[key].get(lang)
    return text.format(**values) if values else text


def label(lang: Lang, key: str) -> str:
    """The string `key` as a label before a value: "Solution: " in English, "解答：" in
    Chinese (a full-width colon, no space)."""
    return tr(lang, key) + colon(lang)


def lang_of(app: object) -> Lang:
    """The language of the app (for screens that do not know the app's class)."""
    return "zh" if getattr(app, "lang", "en") == "zh" else "en"


def rating_name(lang: Lang, rating: int) -> str:
    return tr(lang, f"rating.{rating}")
