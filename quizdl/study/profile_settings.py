"""Changing a profile's study settings (daily limits, desired retention, rollover hour):
validated, stored in the profile, and applied to the running Study at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from quizdl.errors import BadInput
from quizdl.study.service import Study
from quizdl.study.settings import StudySettings


class BadSetting(BadInput):
    """A setting out of its range: which one (`field`) and what is allowed (`reason`, by
    language), for a screen that names the setting by its own label."""

    def __init__(self, field: str, reason: dict[str, str], found: object) -> None:
        super().__init__(
            f"setting {field!r}: {reason['en']} (found {found!r})",
            zh=f"设置 {field!r}：{reason['zh']}（现在是 {found!r}）",
        )
        self.field = field
        self.reason = reason


def changed_settings(current: StudySettings, **changes: Any) -> StudySettings:
    """`current` with `changes`, validated; BadSetting names the setting and what is allowed."""
    try:
        return StudySettings.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        first = exc.errors()[0]
        bounds = first.get("ctx") or {}
        if first["type"] == "less_than_equal":
            reason = {"en": f"at most {bounds['le']}", "zh": f"不能大于 {bounds['le']}"}
        elif first["type"] == "greater_than_equal":
            reason = {"en": f"at least {bounds['ge']}", "zh": f"不能小于 {bounds['ge']}"}
        else:
            reason = {"en": first["msg"], "zh": f"取值无效（{first['msg']}）"}
        where = ".".join(str(p) for p in first["loc"])
        raise BadSetting(where, reason, first.get("input")) from None


def save_settings(study: Study, settings: StudySettings) -> None:
    """Store `settings` in the study's profile and use them from now on, the hour the day
    starts included (Study.save_settings keeps the clock it was given)."""
    study.save_settings(settings)
    study.clock = replace(study.clock, rollover_hour=settings.rollover_hour)
