"""The words of the progress report, in English and Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizdl.kb.text import Lang, Text

if TYPE_CHECKING:
    from quizdl.export.report import Report

LABELS = {
    "title": Text("quizdl progress report: {profile}", "quizdl 学习报告：{profile}"),
    "day": Text(
        "Study day {day} ({zone}, a day starts at {hour:02d}:00) · made {now}",
        "学习日 {day}（{zone}，每天 {hour:02d}:00 开始）· 生成于 {now}",
    ),
    "only": Text(
        "Topic table and leeches: {topics} only; the other figures cover the whole profile.",
        "主题表与难记卡仅含 {topics}；其余数字涵盖整个档案。",
    ),
    "summary": Text("Summary", "概览"),
    "cards": Text("Cards", "卡片"),
    "cards_detail": Text(
        "{total} (new {new}, learning {learning}, review {review}, suspended {suspended}, "
        "leeches {leeches})",
        "{total}（新卡 {new}，学习中 {learning}，复习 {review}，"
        "暂停 {suspended}，难记卡 {leeches}）",
    ),
    "due": Text("Due now", "待复习"),
    "due_detail": Text(
        "{total} (new {new}, learning {learning}, review {review})",
        "{total}（新卡 {new}，学习中 {learning}，复习 {review}）",
    ),
    "answers_year": Text("Answers, last 365 days", "最近 365 天作答"),
    "retention_12": Text("True retention, last 12 weeks", "最近 12 周真实保留率"),
    "mastery": Text(
        "Mastery (mean retrievability of seen cards)", "掌握度（已学卡片平均可提取性）"
    ),
    "streak": Text("Streak", "连续学习"),
    "days": Text("{n} days", "{n} 天"),
    "one_day": Text("1 day", "1 天"),
    "heatmap": Text("Answers per day, last 365 days", "最近 365 天每日作答"),
    "heatmap_legend": Text(
        "none · ░ ▒ ▓ █ up to the busiest day ({peak} answers)",
        "无 · ░ ▒ ▓ █ 直到最多的一天（{peak} 次作答）",
    ),
    "weekdays": Text("Mon Tue Wed Thu Fri Sat Sun", "一 二 三 四 五 六 日"),
    "retention": Text(
        "True retention (answers to review cards not rated Again)",
        "真实保留率（复习卡片中未选 Again 的比例）",
    ),
    "week_of": Text("Week of", "周（起始）"),
    "month": Text("Month", "月份"),
    "answers": Text("Answers", "作答"),
    "passed": Text("Passed", "通过"),
    "rate": Text("Retention", "保留率"),
    "forecast": Text("Forecast: due in the next 30 days", "预测：未来 30 天到期"),
    "day_col": Text("Day", "日期"),
    "due_col": Text("Due", "到期"),
    "topics": Text("Topics", "主题"),
    "topic": Text("Topic", "主题"),
    "seen": Text("Seen", "已学"),
    "leeches": Text("Leeches (cards forgotten again and again)", "难记卡（反复遗忘的卡片）"),
    "card": Text("Card", "卡片"),
    "lapses": Text("Lapses", "遗忘次数"),
    "suspended": Text("Suspended", "已暂停"),
    "yes": Text("yes", "是"),
    "no": Text("no", "否"),
    "none": Text("nothing yet", "暂无"),
    "no_leeches": Text("No leeches.", "没有难记卡。"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    return LABELS[key].get(lang).format(**values)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def days(n: int, lang: Lang) -> str:
    return label("one_day", lang) if n == 1 else label("days", lang, n=n)


def counts(**values: int) -> dict[str, str]:
    """Numbers with thousands separators, for the labels."""
    return {key: f"{value:,}" for key, value in values.items()}


def summary_rows(report: Report) -> list[list[str]]:
    """The summary table: (what, value) rows."""
    s, lang = report.stats, report.lang
    c, due = s.cards, s.due
    cards = counts(
        total=c.total,
        new=c.new,
        learning=c.learning,
        review=c.review,
        suspended=c.suspended,
        leeches=c.leeches,
    )
    waiting = counts(total=due.total, new=due.new, learning=due.learning, review=due.review)
    return [
        [label("cards", lang), label("cards_detail", lang, **cards)],
        [label("due", lang), label("due_detail", lang, **waiting)],
        [label("answers_year", lang), f"{report.answers_last_year:,}"],
        [label("retention_12", lang), percent(report.retention_12_weeks)],
        [label("mastery", lang), percent(s.mastery)],
        [label("streak", lang), days(s.streak.days, lang)],
    ]
