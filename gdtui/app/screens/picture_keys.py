"""The main view's picture keys: what the panes show (views, log scale, trails, residuals,
follow mode, −∇J arrows). A mixin of :class:`~gdtui.app.screens.main.MainScreen`, which holds the
reactives these keys flip; every change publishes a new frame for the panes to redraw from."""

from __future__ import annotations

from textual.widgets import ContentSwitcher

from gdtui.app.widgets.surface import CostSurfacePane

VIEWS = ("data", "surface", "slice")
"""What the top-left pane shows, in the order ``c`` cycles them."""


class PathKeys:
    """The paths' keys of every run screen that draws a landscape: ``g`` −∇J arrows, ``T``
    fading trails (the screen holds the ``arrows`` and ``trail`` reactives)."""

    def watch_trail(self) -> None:
        self.publish()

    def watch_arrows(self) -> None:
        self.publish()

    def action_toggle_arrows(self) -> None:
        """The field of −∇J arrows on the cost surfaces on or off."""
        self.arrows = not self.arrows

    def action_toggle_trail(self) -> None:
        """Fading trails (earlier lines, the paths' older steps) on or off."""
        self.trail = not self.trail


class PictureKeys(PathKeys):
    """Actions and watchers of the main view's picture keys (c, k, l, w, R, f, g, T)."""

    def watch_log_scale(self) -> None:
        self.publish()

    def watch_residuals(self) -> None:
        self.publish()

    def watch_follow(self) -> None:
        self.publish()

    def action_toggle_residuals(self) -> None:
        """Residuals off → each point's residual → with its square → off."""
        self.residuals = (self.residuals + 1) % 3
        self.notify(("Residuals off", "Residuals: each point's yᵢ − ŷᵢ",
                     "Residuals and their squares (J is their mean)")[self.residuals], timeout=2)

    def action_toggle_follow(self) -> None:
        """The data pane's y range: the data's, or one that follows the line."""
        self.follow = not self.follow

    def action_toggle_log(self) -> None:
        """Cost on a linear scale or as log₁₀(J − J*)."""
        self.log_scale = not self.log_scale

    def action_cycle_view(self) -> None:
        """Data → cost surface → slice J(m) → data (from the convergence view: data)."""
        switcher = self.query_one(ContentSwitcher)
        current = switcher.current if switcher.current in VIEWS else VIEWS[-1]
        self.show_view(VIEWS[(VIEWS.index(current) + 1) % len(VIEWS)])

    def action_convergence(self) -> None:
        """The convergence view in the top pane, or back to the view it replaced."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "convergence":
            self.show_view(self.view_before_convergence)
        else:
            self.view_before_convergence = switcher.current or VIEWS[0]
            self.show_view("convergence")

    def show_view(self, view: str) -> None:
        """Show ``view`` (one of VIEWS) in the top pane (it draws itself when shown)."""
        switcher = self.query_one(ContentSwitcher)
        was_maximized = self.maximized is not None and self.maximized.parent is switcher
        switcher.current = view
        if was_maximized:  # the maximized view stays maximized as the next one
            self.maximize(switcher.get_child_by_id(view), container=False)

    def action_recentre(self) -> None:
        """Centre the cost surface on the optimum again."""
        self.query_one(CostSurfacePane).recentre()
