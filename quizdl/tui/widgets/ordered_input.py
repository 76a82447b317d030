"""A one-line input whose own keys (backspace, delete, the arrows, home, end, enter) take
effect in the order they were typed.

Textual's Input inserts a printable key in its own key handler, but runs a bound key
(backspace is the binding `delete_left`) only once the key has bubbled up to the app
(Textual issue #6605; a fix is proposed in its pull request #6631). Keys read in one burst,
as when the app is busy drawing a frame while the learner types, then apply out of order:
"0.25", backspace, "6" became 0.256 and then lost its last digit, 0.25, an answer the learner
did not give. OrderedInput runs its own non-priority bindings in its key handler, where the
printable keys are handled, and stops the key there; what runs is what the app would have
run (the focused widget is the first place the app looks for a binding). Priority bindings
(the app's ctrl+q) are checked before a key reaches the widget, as before.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
