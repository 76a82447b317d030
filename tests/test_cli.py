"""The command line: help everywhere, exit codes 0 / 1 / 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizdl.cli import build_parser, main
from quizdl.kb.loader import load

DATA = Path(__file__).parent / "kb" / "data"


def quizdl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizdl", *args], capture_output=True, text=True, cwd=cwd
    )


def subcommands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


def test_help() -> None:
    result = quizdl("--help")
    assert result.returncode == 0
    for name in subcommands():
        assert name in result.stdout


@pytest.mark.parametrize("name", subcommands())
def test_help_on_every_subcommand(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([name, "--help"])
    assert info.value.code == 0
    assert f"usage: quizdl {name}" in capsys.readouterr().out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_no_command_prints_summary_and_commands() -> None:
    result = quizdl()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("quizdl: ")
    assert "topics" in result.stdout and "cards" in result.stdout
    assert "check" in result.stdout and "import" in result.stdout


def test_check_clean_content_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    shipped, _ = load()
    assert main(["check", str(DATA / "good" / "tiny.yaml")]) == 0
    out = capsys.readouterr().out
    # the tiny file adds one topic and six cards to the shipped content
    assert out.startswith(f"OK: {len(shipped.topics) + 1} topics, {len(shipped.cards) + 6} cards")


def test_check_bad_content_exits_2_with_path_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "bad" / "choice.yaml")]) == 2
    captured = capsys.readouterr()
    assert captured.err.rstrip().endswith(
        "choice.yaml:10:13: answer 'c' is not among the options (a, b)"
    )
    assert "1 problem(s) found" in captured.out


def test_check_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    shipped, _ = load()
    assert main(["--lang", "zh", "check"]) == 0
    out = capsys.readouterr().out
    topics, cards = len(shipped.topics), len(shipped.cards)
    assert out.startswith(f"通过：{topics} 个主题，{cards} 张卡片（basic ")
    assert main(["--lang", "zh", "check", str(DATA / "bad" / "choice.yaml")]) == 2
    assert "发现 1 个问题；有问题的文件未被载入。" in capsys.readouterr().out


def test_check_finds_shipped_content_from_any_folder(tmp_path: Path) -> None:
    result = quizdl("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def test_import_missing_notes_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "nope.md"), "--out", str(tmp_path)]) == 2
    assert "nope.md: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "is not a SQLite database"), ("zh", "：不是 SQLite 数据库（开头是 b'%PDF-1.7")],
)
def test_an_error_is_said_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, said: str
) -> None:
    path = tmp_path / "quizdl.db"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 500)
    assert main(["--lang", lang, "stats", "--db", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"quizdl: {path}") and said in err, err
