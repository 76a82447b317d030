"""Time for quizdl: "now" is injectable (QUIZDL_NOW), every stored time is aware UTC,
and a study day ends at the rollover hour in the learner's time zone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizdl.errors import BadInput

NOW_VARIABLE = "QUIZDL_NOW"


def parse_now(text: str) -> datetime:
    """An ISO 8601 time; a time without a zone is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"{NOW_VARIABLE}={text!r} is not an ISO 8601 time (e.g. 2026-11-26T09:30:00+08:00)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_zone(name: str | None = None) -> tzinfo:
    """The named IANA zone, else $TZ, else the system zone (/etc/localtime), else UTC."""
    for candidate in (name, os.environ.get("TZ")):
        if candidate:
            try:
                return ZoneInfo(candidate.lstrip(":"))
            except (ZoneInfoNotFoundError, ValueError):
                raise BadInput(
                    f"unknown time zone {candidate!r} (expected e.g. Asia/Shanghai)"
                ) from None
    link = Path("/etc/localtime")
    if link.is_symlink():
        parts = link.resolve().parts
        if "zoneinfo" in parts:
            try:
                return ZoneInfo("/".join(parts[parts.index("zoneinfo") + 1 :]))
            except (ZoneInfoNotFoundError, ValueError):
                pass
    return UTC


@dataclass(frozen=True)
class Clock:
    """Now, and the study day. `fixed` pins now (tests, replays, QUIZDL_NOW)."""

    zone: tzinfo = UTC
    rollover_hour: int = 4
    fixed: datetime | None = None

    @classmethod
    def from_env(cls, zone: tzinfo | None = None, rollover_hour: int = 4) -> Clock:
        text = os.environ.get(NOW_VARIABLE)
        return cls(
            zone=zone if zone is not None else local_zone(),
            rollover_hour=rollover_hour,
            fixed=parse_now(text) if text else None,
        )

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def study_day(self, at: datetime | None = None) -> date:
        """The study day `at` belongs to: before the rollover hour it is still yesterday."""
        local = (at or self.now()).astimezone(self.zone)
        return (local - timedelta(hours=self.rollover_hour)).date()

    def day_start(self, day: date) -> datetime:
        """When `day` begins (its rollover), in UTC; correct across DST changes."""
        naive = datetime.combine(day, time(self.rollover_hour))
        return naive.replace(tzinfo=self.zone).astimezone(UTC)

    def day_end(self, at: datetime | None = None) -> datetime:
        """When the current study day ends, in UTC."""
        return self.day_start(self.study_day(at) + timedelta(days=1))

    def today_start(self, at: datetime | None = None) -> datetime:
        return self.day_start(self.study_day(at))
