"""OrderedInput: its own keys take effect in the order typed, each once (Textual #6605)."""

from __future__ import annotations

from textual import events, on
from textual.app import App, ComposeResult
from textual.widgets import Input
from tui_helpers import drive, settle

from quizdl.tui.widgets.ordered_input import OrderedInput


class Lines(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield OrderedInput(id="ours")

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)


def burst(app: App[None], keys: list[str]) -> None:
    """Keys as a terminal delivers a burst: all queued before the first is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@drive
async def test_a_burst_is_applied_in_order_and_enter_submits_once() -> None:
    app = Lines()
    async with app.run_test() as pilot:
        await settle(pilot)
        typed = [*"0.25", "backspace", "6", "left", "left", "delete", "3", "enter"]
        burst(app, typed)
        await settle(pilot)
        assert app.query_one("#ours", Input).value == "0.36"
        assert app.submitted == ["0.36"]
