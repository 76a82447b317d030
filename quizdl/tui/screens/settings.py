"""Settings: language and theme (kept in config.toml), daily limits, desired retention,
the hour the day starts and sibling burying (kept in the learner's profile)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from quizdl.kb.text import Lang
from quizdl.lang import colon
from quizdl.study.profile_settings import BadSetting, changed_settings, save_settings
from quizdl.study.settings import StudySettings
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.ordered_input import OrderedInput

LANGUAGES: list[tuple[str, Lang]] = [("English", "en"), ("中文", "zh")]
# (input id, StudySettings field, i18n key, type)
NUMBERS: list[tuple[str, str, str, type]] = [
    ("new-per-day", "new_per_day", "settings.new_per_day", int),
    ("reviews-per-day", "reviews_per_day", "settings.reviews_per_day", int),
    ("retention", "desired_retention", "settings.retention", float),
    ("rollover", "rollover_hour", "settings.rollover", int),
]


class SettingsScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        Key("tab", "noop", "key.move"),
        Key("ctrl+s", "save", "key.save"),
        Key("?", "help", "key.help"),
        Key("esc", "back", "key.back"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", show=False),
        Binding("escape", "back", show=False),
        Binding("question_mark", "help", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.qapp
        current: StudySettings = self.study.settings
        themes = sorted(app.available_themes)
        with VerticalScroll(id="settings"):
            with Grid(id="settings-grid"):
                yield Label(self.t("settings.language"))
                yield Select(LANGUAGES, value=self.lang, allow_blank=False, id="language")
                yield Label(self.t("settings.theme"))
                yield Select(
                    [(name, name) for name in themes],
                    value=app.theme if app.theme in themes else themes[0],
                    allow_blank=False,
                    id="theme",
                )
                for input_id, field, words, kind in NUMBERS:
                    yield Label(self.t(words))
                    yield OrderedInput(
                        str(getattr(current, field)),
                        id=input_id,
                        type="integer" if kind is int else "number",
                    )
                yield Label(self.t("settings.bury"))
                yield Select(
                    [(self.t("settings.bury_on"), "on"), (self.t("settings.bury_off"), "off")],
                    value="on" if current.bury_siblings else "off",
                    allow_blank=False,
                    id="bury",
                )
            yield Button(self.t("settings.save"), id="save", variant="primary")
            yield Static(id="settings-message")
            where = str(app.config_path) if app.config_path else "config.toml"
            yield Static(Content.styled(self.t("settings.where", path=where), "$text-muted"))
        yield KeyBar(self.KEYS, self.lang)

    def on_mount(self) -> None:
        self._shown = self._values()
        self._warned = False

    def _values(self) -> tuple[object, ...]:
        """What the screen's fields hold now."""
        selects = (
            self.query_one(f"#{name}", Select).value for name in ("language", "theme", "bury")
        )
        numbers = (self.query_one(f"#{input_id}", Input).value for input_id, *_ in NUMBERS)
        return (*selects, *numbers)

    def action_back(self) -> None:
        """Leave; with changes not saved, say so first and leave on a second esc."""
        if self._values() != self._shown and not self._warned:
            self._warned = True
            warning = Content.styled(self.t("settings.unsaved"), "$warning")
            self.query_one("#settings-message", Static).update(warning)
            return
        self.dismiss()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#settings-message", Static)
        changes: dict[str, Any] = {}
        for input_id, field, words, kind in NUMBERS:
            text = self.query_one(f"#{input_id}", Input).value.strip()
            try:
                changes[field] = kind(text)
            except ValueError:
                error = self.t("settings.not_number", field=self.t(words), value=text)
                message.update(Content.styled(error, "$error"))
                return
        changes["bury_siblings"] = self.query_one("#bury", Select).value != "off"
        try:
            settings = changed_settings(self.study.settings, **changes)
        except BadSetting as exc:
            label = next((w for _, f, w, _ in NUMBERS if f == exc.field), None)
            if label is None:  # not a setting of this screen: its own name
                error = exc.said(self.qapp.lang)
            else:
                error = f"{self.t(label)}{colon(self.qapp.lang)}{exc.reason[self.qapp.lang]}"
            message.update(Content.styled(error, "$error"))
            return
        lang_value = self.query_one("#language", Select).value
        theme_value = self.query_one("#theme", Select).value
        lang: Lang = "zh" if lang_value == "zh" else "en"
        theme = str(theme_value) if isinstance(theme_value, str) else self.qapp.settings.theme
        study = self.study

        def saved(_: None) -> None:
            app = self.qapp
            relabel = lang != app.lang
            app.change_settings(replace(app.settings, lang=lang, theme=theme), lang)
            app.notify(self.t("settings.saved"))
            if relabel:  # every screen was drawn in the old language
                app.call_later(app.reset_screens)
            else:
                self.dismiss()

        self.study_call(lambda: save_settings(study, settings), saved)

    def action_noop(self) -> None:
        """Listed for help only."""
