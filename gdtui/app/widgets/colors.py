"""The one home of the plots' colours: Okabe & Ito's colour-blind-safe palette, one set for
dark themes and one for light ones (the panes follow the app's theme)."""

from __future__ import annotations

from dataclasses import dataclass

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
"""Okabe & Ito (2008), "Color Universal Design": eight colours told apart with every common
colour-vision deficiency."""


def rgb(hex_color: str) -> tuple[int, int, int]:
    """"#E69F00" as (230, 159, 0), the form plotext takes."""
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))


@dataclass(frozen=True)
class Palette:
    """What each mark of a plot is drawn in (hex; plotext takes :func:`rgb` of them)."""

    points: str
    line: str
    optimum: str
    marker: str
    runs: tuple[str, ...]
    """Each runner's colour in the race and the comparison's overlay, in order."""

    def rgb(self, name: str) -> tuple[int, int, int]:
        """A role's colour for plotext."""
        return rgb(getattr(self, name))

    @property
    def runs_rgb(self) -> tuple[tuple[int, int, int], ...]:
        return tuple(rgb(c) for c in self.runs)


_OI = OKABE_ITO
DARK = Palette(points=_OI["sky blue"], line=_OI["vermillion"], optimum=_OI["bluish green"],
               marker=_OI["yellow"],
               runs=(_OI["orange"], _OI["sky blue"], _OI["yellow"], _OI["reddish purple"]))
LIGHT = Palette(points=_OI["blue"], line=_OI["vermillion"], optimum=_OI["bluish green"],
                marker=_OI["black"],
                runs=(_OI["orange"], _OI["blue"], _OI["bluish green"], _OI["reddish purple"]))


def palette(app) -> Palette:
    """The palette for the app's current theme (light or dark)."""
    theme = getattr(app, "current_theme", None)
    return LIGHT if theme is not None and not theme.dark else DARK
