"""Colour palettes for choropleth maps, safe for colour-blind readers, and readable text on them.

Colours are ColorBrewer 2.0 schemes (Cynthia Brewer, Mark Harrower, Penn State; Apache-2.0
licence), which colorbrewer2.org marks as colour-blind safe: `Blues` (sequential, one hue,
lightness carries the order) and `PuOr` (diverging orange-white-purple). Use the sequential
palette for "more or less", the diverging one for values around a meaningful middle
(change, difference from the national figure). Classes: 3 to 9.

No data is shown with a neutral grey that is in neither palette plus a hatch pattern, so it
never reads as a low value; the pattern name is a plotly `pattern.shape`.
"""

from __future__ import annotations

SEQUENTIAL: dict[int, list[str]] = {  # ColorBrewer Blues
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    8: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    9: [
        "#f7fbff",
        "#deebf7",
        "#c6dbef",
        "#9ecae1",
        "#6baed6",
        "#4292c6",
        "#2171b5",
        "#08519c",
        "#08306b",
    ],
}

DIVERGING: dict[int, list[str]] = {  # ColorBrewer PuOr, orange (low) to purple (high)
    3: ["#f1a340", "#f7f7f7", "#998ec3"],
    4: ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    5: ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],
    6: ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
    8: ["#b35806", "#e08214", "#fdb863", "#fee0b6", "#d8daeb", "#b2abd2", "#8073ac", "#542788"],
    9: [
        "#b35806",
        "#e08214",
        "#fdb863",
        "#fee0b6",
        "#f7f7f7",
        "#d8daeb",
        "#b2abd2",
        "#8073ac",
        "#542788",
    ],
}

PALETTES: dict[str, dict[int, list[str]]] = {"sequential": SEQUENTIAL, "diverging": DIVERGING}

NO_DATA_FILL = "#c8c8c8"  # light neutral grey, apart from every palette colour (also in CVD)
NO_DATA_PATTERN = "/"  # plotly pattern.shape: diagonal hatch over the grey
NO_DATA_PATTERN_COLOUR = "#636363"
BORDER_COLOUR = "#ffffff"

BLACK = "#000000"
WHITE = "#ffffff"
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, normal text


def palette(kind: str, classes: int) -> list[str]:
    """The colours for `classes` classes (1..9; fewer than 3 take the ends of the 3-class)."""
    try:
        schemes = PALETTES[kind]
    except KeyError:
        raise ValueError(f"unknown palette '{kind}'; known: {sorted(PALETTES)}") from None
    if classes < 1 or classes > max(schemes):
        raise ValueError(f"palette '{kind}' has 1 to {max(schemes)} classes, not {classes}")
    if classes == 1:
        return [schemes[3][1]]
    if classes == 2:
        return [schemes[3][0], schemes[3][2]]
    return list(schemes[classes])


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"expected a colour like '#1f77b4', got '{colour}'")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB hex colour (0 = black, 1 = white)."""
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_colour_for(fill_hex: str) -> str:
    """Black or white, whichever contrasts more with `fill_hex` (always >= 4.5:1)."""
    return BLACK if contrast_ratio(fill_hex, BLACK) >= contrast_ratio(fill_hex, WHITE) else WHITE
