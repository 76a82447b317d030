"""`quizdl doctor [--quick] [--restore BACKUP]`: check the database, or restore a backup.

The check: SQLite's integrity_check (quick_check with --quick) and foreign-key check, card
rows against the review log, reviews without a card row, cards retired from the content,
and the backups there are. Exit 0 healthy, 1 problems found, 2 bad input: a damaged file
or one that is not a quizdl database is described, with what to do, and left untouched.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path

from quizdl.clock import Clock
from quizdl.commands.common import language, load_content
from quizdl.errors import BadInput
from quizdl.kb.text import Lang, Text
from quizdl.store import migrate
from quizdl.store.backup import (
    POSTGRES_MESSAGE,
    BackupFile,
    FileHealth,
    backup_folder,
    check_file,
    list_backups,
    load_keep,
)
from quizdl.store.db import DB_URL_VARIABLE, Database, default_url
from quizdl.store.doctor import Consistency, check_consistency, find_backup, restore

SHOWN = 20  # lines listed per kind of finding; the rest are counted


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    database = Database(default_url(args.db))
    try:
        if args.restore:
            return _restore(database, args.restore, lang)
        explicit = bool(args.db or os.environ.get(DB_URL_VARIABLE))
        return _examine(database, args, explicit, lang)
    finally:
        database.dispose()


def _examine(database: Database, args: argparse.Namespace, explicit: bool, lang: Lang) -> int:
    path = database.file
    where = migrate.describe(database)
    if path is not None:
        health = check_file(path, full=not args.quick)
        if health.kind == "missing" and not explicit:
            print(
                Text(
                    en=f"{where}: no database yet; quizdl makes it at the first review.",
                    zh=f"{where}：还没有数据库；第一次复习时 quizdl 会创建它。",
                ).get(lang)
            )
            return 0
        _refuse_unusable(health, lang)
    revision = migrate.current(database)  # BadInput for someone else's database
    if revision is None:
        print(Text(en=f"{where}: an empty database.", zh=f"{where}：空数据库。").get(lang))
        return 0
    print(f"{where} (schema {revision})")
    if path is not None:
        check = "quick_check" if args.quick else "integrity_check"
        print(f"  {check}: ok")
    else:
        print(f"  {POSTGRES_MESSAGE}")
    if revision != migrate.HEAD_REVISION:
        print(
            Text(
                en=f"  schema {revision} is older than {migrate.HEAD_REVISION}: quizdl upgrades it "
                "at the next start, after a backup; run doctor again then.",
                zh=f"  数据库结构 {revision} 早于 {migrate.HEAD_REVISION}："
                "quizdl 下次启动时会先备份再升级；之后请再运行 doctor。",
            ).get(lang)
        )
        _print_backups(path, lang)
        return 0
    kb, _ = load_content(args)
    found = check_consistency(database, set(kb.cards))
    _print_consistency(found, path is not None, lang)
    _print_backups(path, lang)
    if found.problems:
        print(
            Text(
                en=f"{found.problems} problem(s) found; nothing was changed.",
                zh=f"发现 {found.problems} 个问题；没有做任何修改。",
            ).get(lang)
        )
        return 1
    print(Text(en="healthy.", zh="一切正常。").get(lang))
    return 0


def _refuse_unusable(health: FileHealth, lang: Lang) -> None:
    path = health.path
    if health.kind == "missing":
        raise BadInput(
            Text(
                en=f"{path}: no such file, so there is no database to check. Check --db or "
                f"{DB_URL_VARIABLE}.",
                zh=f"{path}：文件不存在，没有可检查的数据库。请检查 --db 或 {DB_URL_VARIABLE}。",
            ).get(lang)
        )
    if health.kind == "empty":
        raise BadInput(
            Text(
                en=f"{path}: an empty file (0 bytes); quizdl makes a new database there at the "
                "first review. It was left untouched.",
                zh=f"{path}：空文件（0 字节）；第一次复习时 quizdl 会在这里创建新数据库。"
                "文件未被改动。",
            ).get(lang)
        )
    if health.kind == "not-sqlite":
        raise BadInput(
            Text(
                en=f"{path}: is not a SQLite database ({health.detail}), so it is not a quizdl "
                "database; it was left untouched. Point --db or QUIZDL_DB_URL at your quizdl "
                "database, or move this file away to start a new one there.",
                zh=f"{path}：不是 SQLite 数据库（{health.detail}），因此不是 quizdl 数据库；"
                "文件未被改动。请用 --db 或 QUIZDL_DB_URL 指向你的 quizdl 数据库，"
                "或把这个文件移走以便在此新建。",
            ).get(lang)
        )
    if health.kind == "damaged":
        raise BadInput(_damaged_message(health, lang))


def _damaged_message(health: FileHealth, lang: Lang) -> str:
    path = health.path
    backups = list_backups(path)
    salvage = f"sqlite3 {path} .recover | sqlite3 recovered.db"
    if backups:
        newest = backups[-1]
        return Text(
            en=f"{path}: the SQLite database is damaged ({health.detail}); it was left untouched. "
            f"Restore the newest backup ({newest.path.name}) with: quizdl doctor --restore "
            f"{newest.path.name} (the damaged file is kept beside the backups), or salvage "
            f"what is readable with: {salvage}",
            zh=f"{path}：SQLite 数据库已损坏（{health.detail}）；文件未被改动。"
            f"可用 quizdl doctor --restore {newest.path.name} 恢复最新的备份"
            "（损坏的文件会保存在备份旁边），"
            f"或用 {salvage} 抢救仍可读取的内容。",
        ).get(lang)
    return Text(
        en=f"{path}: the SQLite database is damaged ({health.detail}); it was left untouched. "
        f"There are no backups in {backup_folder(path)}; salvage what is readable with: {salvage}",
        zh=f"{path}：SQLite 数据库已损坏（{health.detail}）；文件未被改动。"
        f"{backup_folder(path)} 中没有备份；可用 {salvage} 抢救仍可读取的内容。",
    ).get(lang)


def _print_consistency(found: Consistency, sqlite: bool, lang: Lang) -> None:
    none = Text(en="none", zh="无").get(lang)
    if sqlite:
        broken = Text(
            en=f"{len(found.foreign_keys)} broken reference(s)",
            zh=f"{len(found.foreign_keys)} 处引用失效",
        ).get(lang)
        print(f"  foreign_key_check: {broken if found.foreign_keys else 'ok'}")
        _listing(found.foreign_keys)
    agree = Text(
        en=f"card rows against the review log ({found.cards} cards, {found.reviews} reviews)",
        zh=f"卡片状态与复习记录对照（{found.cards} 张卡片，{found.reviews} 次复习）",
    ).get(lang)
    print(f"  {agree}: {len(found.mismatches) if found.mismatches else 'ok'}")
    _listing(
        f"{m.profile}  {m.card_id}: "
        + Text(
            en=f"{m.field} is {m.stored}, the review log says {m.from_log}",
            zh=f"{m.field} 为 {m.stored}，按复习记录应为 {m.from_log}",
        ).get(lang)
        for m in found.mismatches
    )
    orphans = Text(en="reviews without a card row", zh="没有卡片状态的复习记录").get(lang)
    print(f"  {orphans}: {len(found.reviews_without_card) or none}")
    _listing(f"{o.profile}  {o.card_id} ({o.reviews})" for o in found.reviews_without_card)
    retired = Text(
        en="retired cards (gone from the content, history kept)",
        zh="已退役的卡片（内容中已不存在，保留复习记录）",
    ).get(lang)
    print(f"  {retired}: {len(found.retired) or none}")
    _listing(f"{r.profile}  {r.card_id} ({r.reviews})" for r in found.retired)


def _listing(lines: Iterable[str]) -> None:
    items = list(lines)
    for line in items[:SHOWN]:
        print(f"    {line}")
    if len(items) > SHOWN:
        print(f"    ... {len(items) - SHOWN} more")


def _print_backups(path: Path | None, lang: Lang) -> None:
    if path is None:
        return
    backups: list[BackupFile] = list_backups(path)
    folder = backup_folder(path)
    if not backups:
        print(Text(en=f"no backups in {folder}", zh=f"{folder} 中没有备份").get(lang))
        return
    print(
        Text(
            en=f"backups in {folder} (newest last, times in UTC):",
            zh=f"{folder} 中的备份（最新的在最后，时间为 UTC）：",
        ).get(lang)
    )
    for backup in backups:
        size = f"{backup.size / 1024:.0f} KiB"
        print(f"  {backup.path.name}  {size:>10}")


def _restore(database: Database, chosen: str, lang: Lang) -> int:
    db_file = database.file
    if db_file is None:
        raise BadInput(
            f"{migrate.describe(database)}: --restore works on a SQLite file; restore a "
            "PostgreSQL database with its own tools (pg_restore)"
        )
    source = find_backup(db_file, chosen)
    done = restore(database, source, now=Clock.from_env().now(), keep=load_keep())
    saved = (
        Text(
            en=f"the previous database was saved as {done.saved_current}",
            zh=f"原数据库已保存为 {done.saved_current}",
        )
        if done.saved_current
        else Text(en="there was no previous database to save", zh="原先没有数据库需要保存")
    )
    print(
        Text(
            en=f"restored {db_file} from {source}; {saved.en}.",
            zh=f"已用 {source} 恢复 {db_file}；{saved.zh}。",
        ).get(lang)
    )
    return 0
