"""The app's parts that need no screen: words in both languages, config.toml, number
formats and text charts."""

from __future__ import annotations

import re
import string
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quizdl.errors import BadInput
from quizdl.tui import fmt
from quizdl.tui.config import AppSettings, load_settings, save_settings
from quizdl.tui.i18n import STRINGS, tr
from quizdl.tui.widgets.charts import bars, columns, fit, heatmap

_CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_blanks(key: str) -> None:
    text = STRINGS[key]
    assert text.en and text.zh
    assert fields(text.en) == fields(text.zh), key
    assert not _CJK.search(text.en), key


def test_most_chinese_strings_are_chinese() -> None:
    # a few are language-neutral (symbols, the app's name); the rest must be translated
    neutral = [k for k, t in STRINGS.items() if t.en == t.zh]
    assert len(neutral) <= 3, neutral
    assert tr("zh", "dash.streak", days=3) == "连续学习：3 天"
    assert tr("en", "dash.streak", days=3) == "Streak: 3 day(s)"


def test_config_round_trip_keeps_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_settings(path) == AppSettings()  # no file yet: the defaults
    path.write_text('content = ["/notes"]\n\n[app]\ntheme = "nord"\n', encoding="utf-8")
    assert load_settings(path) == AppSettings(None, "nord")
    save_settings(path, AppSettings("zh", "gruvbox"))
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved == {"content": ["/notes"], "app": {"lang": "zh", "theme": "gruvbox"}}
    assert load_settings(path) == AppSettings("zh", "gruvbox")


@pytest.mark.parametrize(
    ("text", "message", "chinese"),
    [
        ("[app\n", "not valid TOML", "不是有效的 TOML"),
        ('[app]\nlang = "fr"\n', "app.lang", "app.lang 必须是"),
        ("[app]\ntheme = 3\n", "app.theme", "app.theme 必须是主题名"),
        ('app = "x"\n', "must be a table", "[app] 必须是一个表"),
    ],
)
def test_a_bad_config_is_named(tmp_path: Path, text: str, message: str, chinese: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=re.escape(message)) as caught:
        load_settings(path)
    assert caught.value.said("zh").startswith(f"{path}：") and chinese in caught.value.said("zh")


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=20), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=730), "2.0y"),
        (None, "—"),
    ],
)
def test_intervals_as_on_the_rating_buttons(delta: timedelta | None, shown: str) -> None:
    assert fmt.interval(delta) == shown


def test_bar_fills_in_eighths() -> None:
    assert fmt.bar(0.0, 4) == "    "
    assert fmt.bar(1.0, 4) == "████"
    assert fmt.bar(0.5, 4) == "██  "
    assert fmt.bar(1 / 32, 4) == "▏   "  # one eighth of one cell of four
    assert fmt.bar(2.0, 3) == "███"  # clipped


def test_duration_is_shown_to_the_minute() -> None:
    assert fmt.duration("en", 59.9) == "under a minute"
    assert fmt.duration("zh", 125) == "2 分钟"


def test_when_is_a_time_today_and_a_date_otherwise() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert fmt.when(now + timedelta(hours=2), UTC, now) == "11:00"
    assert fmt.when(now + timedelta(days=3), UTC, now) == "03-05"
    assert fmt.when(now + timedelta(days=400), UTC, now) == "2027-04-06"


def test_charts() -> None:
    assert columns([0, 4, 8], height=2).plain.splitlines() == ["  █", " ██"]
    assert columns([1, 2], height=1).plain == "▄█"  # half of the top in eighths
    lines = bars([("a", 1.0, "10"), ("b", 0.25, "2")], width=4, label_width=3).plain.splitlines()
    assert lines == ["a   ████ 10", "b   █    2"]
    assert fit("示例基础", 5).plain == "示例…"
    # 3 weeks ending on a Wednesday: seven rows, the days after Wednesday left blank
    grid = heatmap({date(2026, 3, 4): 5}, date(2026, 3, 4), 3).plain.splitlines()
    assert len(grid) == 7
    assert grid[0].count("■") == 3 and grid[3].count("■") == 2


@pytest.mark.parametrize("width", [5, 18, 24])
def test_a_long_id_is_cut_in_its_middle_so_both_ends_show(width: int) -> None:
    ids = [
        "gen-activation-derivative",
        "gen-activation-derivative-max",
        "autoregressive-autoencoding",
        "x" * width,
    ]
    for text in ids:
        shown = fmt.middle(text, width)
        if len(text) <= width:
            assert shown == text
            continue
        head, tail = shown.split("…")
        assert len(shown) == width and abs(len(head) - len(tail)) <= 1
        assert text.startswith(head) and text.endswith(tail)
    assert len({fmt.middle(text, width) for text in ids[:2]}) == 2  # they stay apart
