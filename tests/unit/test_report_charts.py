"""The area report's pure parts: which addresses are area codes, and the SVG charts (text as
text, self-contained, thinned, the highlighted area outlined)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from layouts.report.charts import MAX_POINTS, Line, map_svg, trend_svg
from layouts.report.links import parse_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("WK011401", "WK011401"),
        (" wk011401 ", "WK011401"),
        ("GM0114", "GM0114"),
        ("BU01140100", "BU01140100"),
        ("WK01140", None),  # a digit short
        ("GM01145", None),
        ("BU0114010099", None),
        ("NL01", None),  # no report of the country or a province
        ("PV22", None),
        ("WK01<script>", None),
        ("", None),
        (None, None),
        ("W" * 5000, None),
    ],
)
def test_only_gemeente_wijk_and_buurt_codes_are_report_addresses(text, code):
    assert parse_code(text) == code


def _dutch(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def test_trend_svg_writes_labels_as_text_in_the_given_number_format():
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=i) for i in range(30)]
    lines = [
        Line("Emmen", days, [1000 + 100 * i for i in range(30)]),
        Line("Drenthe", days, [1500.0] * 30),
    ]
    svg = trend_svg(lines, unit="inwoners", bars=False, number=_dutch)
    assert svg.startswith("<svg") and "<text" in svg
    assert "Emmen" in svg and "Drenthe" in svg and "inwoners" in svg  # legend and axis title
    assert re.search(r">\s*[1-4]\.\d{3}\s*<", svg)  # ticks with a Dutch thousands separator
    assert "<image" not in svg and 'href="http' not in svg  # nothing to fetch


def test_long_series_are_thinned_to_at_most_max_points():
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(MAX_POINTS * 3)]
    svg = trend_svg(
        [Line("Emmen", days, list(range(len(days))))], unit="", bars=False, number=_dutch
    )
    path = max(re.findall(r'<path d="([^"]+)"', svg), key=len)
    assert path.count("L") <= MAX_POINTS


def test_yearly_trend_is_drawn_as_bars_with_the_years_as_labels():
    years = [dt.date(2021, 1, 1), dt.date(2024, 1, 1)]
    svg = trend_svg([Line("Wijk 01", years, [3420, 3370])], unit="", bars=True, number=_dutch)
    assert re.search(r">\s*2021\s*<", svg) and re.search(r">\s*2024\s*<", svg)
    assert svg.count('id="patch_') >= 3  # the axes' background and one bar per year


def _square(code: str, x: float) -> dict:
    ring = [[x, 52.0], [x + 1, 52.0], [x + 1, 53.0], [x, 53.0], [x, 52.0]]
    polygon = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "id": code, "properties": {}, "geometry": polygon}


def test_map_svg_fills_each_area_and_outlines_the_chosen_one():
    features = [_square("WK01", 0), _square("WK02", 1), _square("WK03", 2)]
    geometry = {"type": "FeatureCollection", "features": features}
    svg = map_svg(geometry, ["WK01", "WK02"], {"WK01": "#08519c"}, "WK01")
    assert "#08519c" in svg and "#c8c8c8" in svg  # WK02 has no colour: the no-data grey
    assert svg.count("stroke: #000000") == 1  # only the chosen area is outlined in black
