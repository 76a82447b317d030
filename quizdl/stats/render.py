"""Stats as rich tables for the terminal, in English or Chinese."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from quizdl.kb.text import Lang, Text
from quizdl.stats.model import DayCount, IntervalBucket, Retention, Stats

MAX_LEECHES_SHOWN = 15
BAR_WIDTH = 30
SHADES = " ░▒▓█"  # heatmap: no answers, then four quartiles of the busiest day

L = {
    "title": Text("quizdl stats: {profile}", "quizdl 学习统计：{profile}"),
    "day": Text(
        "study day {day} ({zone}, a day starts at {hour:02d}:00)",
        "学习日 {day}（{zone}，每天 {hour:02d}:00 开始）",
    ),
    "overview": Text("Today", "今日"),
    "due": Text("Due today", "今日待复习"),
    "due_detail": Text(
        "{total}  (new {new}, learning {learning}, review {review})",
        "{total}（新卡 {new}，学习中 {learning}，复习 {review}）",
    ),
    "answered": Text("Answered today", "今日已答"),
    "answered_detail": Text(
        "{reviews}  (new cards {new}, Again {again}, {time})",
        "{reviews}（新卡 {new}，Again {again}，用时 {time}）",
    ),
    "retention_today": Text("Retention today", "今日真实保留率"),
    "streak": Text("Streak", "连续学习"),
    "streak_detail": Text("{days} days", "{days} 天"),
    "streak_one": Text("1 day", "1 天"),
    "streak_pending": Text("{days} days (study today to keep it)", "{days} 天（今天学习以保持）"),
    "streak_pending_one": Text("1 day (study today to keep it)", "1 天（今天学习以保持）"),
    "week": Text("This week", "本周"),
    "week_detail": Text(
        "{reviews} answers on {days} days (since {start})",
        "{days} 天共 {reviews} 次作答（自 {start} 起）",
    ),
    "mastery": Text("Mastery", "掌握度"),
    "mastery_detail": Text(
        "{value} (mean retrievability of seen cards)",
        "{value}（已学卡片的平均可提取性 retrievability）",
    ),
    "cards": Text("Cards", "卡片"),
    "cards_detail": Text(
        "{total}  (new {new}, learning {learning}, review {review})",
        "{total}（新卡 {new}，学习中 {learning}，复习 {review}）",
    ),
    "set_aside": Text("Suspended / leeches", "暂停 / 难记卡"),
    "topics": Text("Topics", "主题"),
    "topic": Text("Topic", "主题"),
    "n_cards": Text("Cards", "卡片"),
    "seen": Text("Seen", "已学"),
    "new": Text("New", "新卡"),
    "learning": Text("Learning", "学习中"),
    "review": Text("Review", "复习"),
    "heatmap": Text("Answers per day, last 365 days", "最近 365 天每日作答"),
    "heatmap_legend": Text(
        "· none, ░ ▒ ▓ █ up to the busiest day ({peak})", "· 无，░ ▒ ▓ █ 直到最多的一天（{peak}）"
    ),
    "retention": Text(
        "True retention (answers to review cards not rated Again)",
        "真实保留率（复习卡片中未选 Again 的比例）",
    ),
    "week_of": Text("Week of", "周（起始）"),
    "month": Text("Month", "月份"),
    "answers": Text("Answers", "作答"),
    "passed": Text("Passed", "通过"),
    "rate": Text("Rate", "保留率"),
    "forecast": Text("Due in the next 30 days", "未来 30 天到期"),
    "intervals": Text("Review intervals", "复习间隔分布"),
    "interval": Text("Interval", "间隔"),
    "days_range": Text("{low}–{high} d", "{low}–{high} 天"),
    "days_one": Text("{low} d", "{low} 天"),
    "days_open": Text("≥ {low} d", "≥ {low} 天"),
    "last_session": Text("Last session", "上次学习"),
    "session_detail": Text(
        "{start}: {reviews} answered in {time} (Again {r1}, Hard {r2}, Good {r3}, Easy {r4})",
        "{start}：{time}内作答 {reviews} 次（Again {r1}，Hard {r2}，Good {r3}，Easy {r4}）",
    ),
    "open": Text(", still open", "，尚未结束"),
    "leeches": Text("Leeches (cards forgotten again and again)", "难记卡（反复遗忘的卡片）"),
    "card": Text("Card", "卡片"),
    "lapses": Text("Lapses", "遗忘次数"),
    "suspended": Text("Suspended", "已暂停"),
    "yes": Text("yes", "是"),
    "no": Text("no", "否"),
    "more": Text(
        "… and {n} more (quizdl stats --json lists all)",
        "……另有 {n} 张（quizdl stats --json 可列出全部）",
    ),
    "none": Text("nothing yet", "暂无"),
    "seconds": Text("{n} s", "{n} 秒"),
    "minutes": Text("{n} min", "{n} 分钟"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    return L[key].get(lang).format(**values)


def render(stats: Stats, lang: Lang, console: Console) -> None:
    """Print every section of `stats`."""
    console.print(RichText(label("title", lang, profile=stats.profile), style="bold"))
    console.print(
        label(
            "day",
            lang,
            day=stats.study_day.isoformat(),
            zone=stats.time_zone,
            hour=stats.rollover_hour,
        )
    )
    for section in (
        overview(stats, lang),
        topics(stats, lang),
        heatmap(stats.reviews_per_day, stats.study_day, lang),
        retention(stats.retention_weeks, stats.retention_months, lang),
        bars(label("forecast", lang), [(d.day.isoformat(), d.count) for d in stats.forecast]),
        bars(label("intervals", lang), [(_bucket(b, lang), b.cards) for b in stats.intervals]),
        leeches(stats, lang),
    ):
        console.print()
        console.print(section)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def overview(stats: Stats, lang: Lang) -> Table:
    table = Table(title=label("overview", lang), show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    due, today, cards = stats.due, stats.today, stats.cards
    table.add_row(label("due", lang), label("due_detail", lang, **due.to_json()))
    table.add_row(
        label("answered", lang),
        label(
            "answered_detail",
            lang,
            reviews=today.reviews,
            new=today.new_cards,
            again=today.by_rating.get(1, 0),
            time=_duration(today.seconds, lang),
        ),
    )
    table.add_row(label("retention_today", lang), _percent(today.retention))
    streak_key = "streak_detail" if stats.streak.studied_today else "streak_pending"
    if stats.streak.days == 0:
        streak_key = "streak_detail"
    elif stats.streak.days == 1:
        streak_key = "streak_one" if stats.streak.studied_today else "streak_pending_one"
    table.add_row(label("streak", lang), label(streak_key, lang, days=stats.streak.days))
    week = stats.week
    table.add_row(
        label("week", lang),
        label(
            "week_detail",
            lang,
            reviews=week.reviews,
            days=week.days_studied,
            start=week.start.isoformat(),
        ),
    )
    table.add_row(
        label("mastery", lang), label("mastery_detail", lang, value=_percent(stats.mastery))
    )
    table.add_row(label("cards", lang), label("cards_detail", lang, **cards.to_json()))
    table.add_row(label("set_aside", lang), f"{cards.suspended} / {cards.leeches}")
    session = stats.last_session
    if session is not None:
        r = session.by_rating
        text = label(
            "session_detail",
            lang,
            start=_local(session.started_at, stats.time_zone),
            reviews=session.reviews,
            time=_duration(session.seconds, lang),
            r1=r.get(1, 0),
            r2=r.get(2, 0),
            r3=r.get(3, 0),
            r4=r.get(4, 0),
        )
        still_open = "" if session.ended_at else label("open", lang)
        table.add_row(label("last_session", lang), text + still_open)
    return table


def _duration(seconds: float, lang: Lang) -> str:
    if seconds < 60:
        return label("seconds", lang, n=round(seconds))
    return label("minutes", lang, n=round(seconds / 60))


def _local(moment: datetime, zone: str) -> str:
    """A time as the learner's clock shows it (the profile's zone)."""
    try:
        moment = moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        pass
    return moment.strftime("%Y-%m-%d %H:%M")


def topics(stats: Stats, lang: Lang) -> RenderableType:
    if not stats.topics:
        return RichText(f"{label('topics', lang)}: {label('none', lang)}")
    table = Table(title=label("topics", lang), title_justify="left")
    for key in ("topic", "n_cards", "seen", "mastery", "new", "learning", "review"):
        table.add_column(label(key, lang), justify="left" if key == "topic" else "right")
    for topic in stats.topics:
        table.add_row(
            topic.topic,
            str(topic.cards),
            str(topic.seen),
            _percent(topic.mastery),
            str(topic.due.new),
            str(topic.due.learning),
            str(topic.due.review),
        )
    return table


def heatmap(days: Sequence[DayCount], today: date, lang: Lang) -> RenderableType:
    """A GitHub-style calendar: one column per week, one row per weekday (Monday on top)."""
    counts = {d.day: d.count for d in days}
    peak = max(counts.values(), default=0)
    first = min(counts, default=today)
    start = first - timedelta(days=first.weekday())
    weeks = (today - start).days // 7 + 1
    lines = []
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            n = counts.get(day, 0)
            if day > today or day < first:
                cells.append(" ")
            elif n == 0 or peak == 0:
                cells.append("·")
            else:
                cells.append(SHADES[min(4, 1 + (4 * n - 1) // peak)])
        lines.append("".join(cells))
    legend = label("heatmap_legend", lang, peak=peak)
    return Group(
        RichText(label("heatmap", lang), style="italic"),
        RichText("\n".join(lines), style="green"),
        RichText(legend, style="dim"),
    )


def retention(
    weeks: Sequence[Retention], months: Sequence[Retention], lang: Lang
) -> RenderableType:
    grid = Table.grid(padding=(0, 4))
    grid.add_row(
        _retention_table(weeks, label("week_of", lang), lambda r: r.start.strftime("%m-%d"), lang),
        _retention_table(months, label("month", lang), lambda r: r.start.strftime("%Y-%m"), lang),
    )
    return Group(RichText(label("retention", lang), style="italic"), grid)


def _retention_table(
    rows: Sequence[Retention], first: str, name: Callable[[Retention], str], lang: Lang
) -> Table:
    table = Table(box=None)
    table.add_column(first)
    for key in ("answers", "passed", "rate"):
        table.add_column(label(key, lang), justify="right")
    for row in rows:
        table.add_row(name(row), str(row.reviews), str(row.passed), _percent(row.retention))
    return table


def bars(title: str, rows: Sequence[tuple[str, int]]) -> RenderableType:
    peak = max((n for _, n in rows), default=0)
    table = Table(show_header=False, box=None)
    table.add_column()
    table.add_column(justify="right")
    table.add_column()
    for name, n in rows:
        width = round(BAR_WIDTH * n / peak) if peak else 0
        table.add_row(name, str(n), RichText("█" * width, style="cyan"))
    return Group(RichText(title, style="italic"), table)


def _bucket(bucket: IntervalBucket, lang: Lang) -> str:
    if bucket.max_days is None:
        return label("days_open", lang, low=bucket.min_days)
    if bucket.max_days == bucket.min_days + 1:
        return label("days_one", lang, low=bucket.min_days)
    return label("days_range", lang, low=bucket.min_days, high=bucket.max_days - 1)


def leeches(stats: Stats, lang: Lang) -> RenderableType:
    if not stats.leeches:
        return RichText(f"{label('leeches', lang)}: {label('none', lang)}")
    table = Table(title=label("leeches", lang), title_justify="left")
    for key in ("card", "topic", "lapses", "suspended"):
        table.add_column(label(key, lang), justify="right" if key == "lapses" else "left")
    for leech in stats.leeches[:MAX_LEECHES_SHOWN]:
        suspended = label("yes" if leech.suspended else "no", lang)
        table.add_row(leech.card_id, leech.topic, str(leech.lapses), suspended)
    hidden = len(stats.leeches) - MAX_LEECHES_SHOWN
    if hidden > 0:
        table.caption = label("more", lang, n=hidden)
    return table
