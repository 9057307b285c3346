import itertools
import math
import re

import pytest

from geo.palettes import (
    DIVERGING,
    MIN_TEXT_CONTRAST,
    NO_DATA_FILL,
    NO_DATA_PATTERN,
    PALETTES,
    SEQUENTIAL,
    contrast_ratio,
    palette,
    relative_luminance,
    text_colour_for,
)

# Machado, Oliveira & Fernandes (2009) dichromacy simulation, severity 1, on linear RGB.
CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 7.0  # CIE76; about 3 just-noticeable differences

ALL_COLOURS = sorted(
    {c for scheme in PALETTES.values() for colours in scheme.values() for c in colours}
)


def _linear_rgb(colour: str) -> list[float]:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str, vision: str | None = None) -> float:
    ra, rb = _linear_rgb(a), _linear_rgb(b)
    if vision:
        m = CVD[vision]
        ra, rb = (
            [min(1.0, max(0.0, sum(k * c for k, c in zip(row, rgb, strict=True)))) for row in m]
            for rgb in (ra, rb)
        )
    return math.dist(_lab(ra), _lab(rb))


@pytest.mark.parametrize("kind", ["sequential", "diverging"])
def test_palettes_have_3_to_9_distinct_hex_colours(kind):
    scheme = PALETTES[kind]
    assert sorted(scheme) == list(range(3, 10))
    for n, colours in scheme.items():
        assert len(colours) == n
        assert len(set(colours)) == n
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


@pytest.mark.parametrize("n", range(3, 10))
def test_sequential_classes_get_darker_by_a_visible_step(n):
    luminance = [relative_luminance(c) for c in SEQUENTIAL[n]]
    steps = [a - b for a, b in itertools.pairwise(luminance)]
    assert min(steps) >= 0.05


@pytest.mark.parametrize("n", range(3, 10))
def test_diverging_classes_get_lighter_towards_the_middle(n):
    luminance = [relative_luminance(c) for c in DIVERGING[n]]
    peak = luminance.index(max(luminance))
    assert peak in (n // 2 - 1, n // 2) if n % 2 == 0 else peak == n // 2
    assert luminance[: peak + 1] == sorted(luminance[: peak + 1])
    assert luminance[peak:] == sorted(luminance[peak:], reverse=True)


@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia", "tritanopia"])
@pytest.mark.parametrize("kind", ["sequential", "diverging"])
def test_adjacent_classes_stay_distinguishable_with_colour_blindness(kind, vision):
    for colours in PALETTES[kind].values():
        for a, b in itertools.pairwise(colours):
            assert delta_e(a, b, vision) >= MIN_DELTA_E, (a, b, vision)


@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_no_data_grey_differs_from_every_palette_colour(vision):
    r, g, b = NO_DATA_FILL[1:3], NO_DATA_FILL[3:5], NO_DATA_FILL[5:7]
    assert r == g == b  # neutral: no hue that could read as a value
    assert NO_DATA_FILL not in ALL_COLOURS
    assert min(delta_e(NO_DATA_FILL, c, vision) for c in ALL_COLOURS) >= MIN_DELTA_E
    assert NO_DATA_PATTERN in {"/", "\\", "x", "-", "|", "+", "."}  # plotly pattern shapes


@pytest.mark.parametrize("fill", [*ALL_COLOURS, NO_DATA_FILL])
def test_text_colour_on_every_fill_meets_wcag_aa(fill):
    text = text_colour_for(fill)
    assert text in ("#000000", "#ffffff")
    assert contrast_ratio(text, fill) >= MIN_TEXT_CONTRAST


def test_contrast_ratio_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#08306b", "#08306b") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777", "#fff") == pytest.approx(4.48, abs=0.01)


def test_text_colour_follows_the_fill():
    assert text_colour_for("#f7fbff") == "#000000"
    assert text_colour_for("#08306b") == "#ffffff"


def test_palette_lookup():
    assert palette("sequential", 5) == SEQUENTIAL[5]
    assert palette("diverging", 2) == [DIVERGING[3][0], DIVERGING[3][2]]
    assert len(palette("sequential", 1)) == 1
    with pytest.raises(ValueError, match="1 to 9 classes"):
        palette("sequential", 10)
    with pytest.raises(ValueError, match="unknown palette"):
        palette("rainbow", 5)
    with pytest.raises(ValueError, match="expected a colour"):
        contrast_ratio("blue", "#ffffff")
