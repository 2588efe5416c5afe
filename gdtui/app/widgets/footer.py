"""The run screens' footer: Textual's, composed again only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, recomposed only when what it shows changes.

    Textual's footer builds its keys afresh on every refresh of the screen's bindings, and a
    screen that opens refreshes them several times (its resume, Textual's own, a resize that
    hides the palette key): each time a new set of widgets, styled and painted, the last one
    after the first screen is already drawn. This one skips a rebuild that would show the same
    keys (key, its label, enabled or not, tooltip) with the same options.
    """

    shown: tuple | None = None
    """What the keys on show were built from."""
    builds = 0
    """How many times the keys were built (tests check that an opening screen builds once)."""

    def keys_shown(self) -> tuple:
        """What the footer's keys are built from, as it would build them now."""
        bindings = tuple((binding.key, binding.key_display, binding.description, enabled, tip)
                         for _node, binding, enabled, tip
                         in self.screen.active_bindings.values() if binding.show)
        return self.show_command_palette, self.compact, bindings

    def compose(self) -> ComposeResult:
        if self.shown is None:
            # Built with its screen, so that the keys are in the screen's first paint
            # (Textual's footer waits for a refresh of the bindings, which comes after that
            # paint); the palette's key only on a wide screen (the "-wide" breakpoint), as the
            # run screens say.
            self.show_command_palette = self.screen.has_class("-wide")
            self.bindings_changed(self.screen)
        self.shown = self.keys_shown()
        self.builds += 1
        yield from super().compose()

    async def recompose(self) -> None:
        # (A rebuild asked for before its screen closed may come after: then nothing to do.)
        if self.is_attached and self.keys_shown() != self.shown:
            await super().recompose()
