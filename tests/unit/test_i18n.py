import datetime as dt
import string

import pytest

from data.yamlfile import YamlProblems
from layouts import i18n
from layouts.i18n import (
    LANGS,
    NO_DATA,
    catalog,
    describe_change,
    format_date,
    format_number,
    format_percent_change,
    format_week,
    missing_keys,
    normalize_lang,
    t,
)


def test_nl_and_en_catalogs_have_the_same_keys():
    assert missing_keys() == {"nl": set(), "en": set()}


def test_translations_use_the_same_placeholders():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    nl, en = catalog("nl"), catalog("en")
    mismatched = {key: (fields(nl[key]), fields(en[key])) for key in nl if key in en}
    assert {k: v for k, v in mismatched.items() if v[0] != v[1]} == {}


def test_no_message_is_empty():
    for lang in LANGS:
        assert [key for key, text in catalog(lang).items() if not text.strip()] == []


def test_t_reads_nested_keys_with_dots():
    assert t("site.name", "nl") == "MMmeter"
    assert t("a11y.skip_link", "nl") == "Direct naar de inhoud"
    assert t("a11y.skip_link", "en") == "Skip to main content"
    assert t("nav.neighbourhoods", "nl") == "Buurten"
    assert t("errors.not_found.title", "en") == "Page not found"


def test_language_switch_names_the_other_language_in_that_language():
    assert (t("lang.switch.label", "nl"), t("lang.switch.aria_label", "nl")) == (
        "English",
        "Switch to English",
    )
    assert (t("lang.switch.label", "en"), t("lang.switch.aria_label", "en")) == (
        "Nederlands",
        "Schakel naar Nederlands",
    )


def test_t_fills_in_parameters():
    assert t("common.archived", "nl", date="1 juli 2023") == (
        "Gearchiveerd: wordt niet meer bijgewerkt sinds 1 juli 2023"
    )
    assert t("common.archived", "en", date="1 July 2023") == (
        "Archived: no longer updated since 1 July 2023"
    )


def test_t_raises_key_error_naming_close_keys():
    with pytest.raises(KeyError, match=r"nav\.hom.*en\.yaml.*nav\.home"):
        t("nav.hom", "en")


def test_t_falls_back_to_dutch_for_unknown_languages():
    assert t("nav.themes", "de") == "Thema's"
    assert t("nav.themes", None) == "Thema's"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nl", "nl"),
        ("en", "en"),
        ("EN", "en"),
        (" en-GB ", "en"),
        ("en_US", "en"),
        ("en-US,en;q=0.9,nl;q=0.8", "en"),
        ("nl-NL", "nl"),
        ("de", "nl"),
        ("", "nl"),
        (None, "nl"),
        (42, "nl"),
    ],
)
def test_normalize_lang_defaults_to_dutch(value, expected):
    assert normalize_lang(value) == expected


def test_format_number_uses_dutch_and_english_separators():
    assert format_number(1234.5, "nl", decimals=1) == "1.234,5"
    assert format_number(1234.5, "en", decimals=1) == "1,234.5"
    assert format_number(1234567, "nl") == "1.234.567"
    assert format_number(3, "en", decimals=2) == "3.00"


def test_format_number_rounds_half_up_and_never_shows_minus_zero():
    assert format_number(2.5, "nl") == "3"
    assert format_number(2.675, "en", decimals=2) == "2.68"
    assert format_number(-0.4, "nl") == "0"
    assert format_number(-1234.5, "nl") == "-1.235"


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), "n/a"])
def test_missing_values_show_an_en_dash(missing):
    assert NO_DATA == "–"
    assert format_number(missing, "nl") == "–"
    assert format_percent_change(missing, "en") == "–"


def test_no_data_has_words_for_screen_readers():
    assert t("common.no_data", "nl") == "geen gegevens"
    assert t("common.no_data", "en") == "no data"


def test_format_number_accepts_numpy_and_pandas_missing():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert format_number(np.int64(1234), "nl") == "1.234"
    assert format_number(np.float64("nan"), "nl") == "–"
    assert format_number(pd.NA, "en") == "–"


def test_format_date_long_and_short():
    day = dt.date(2022, 2, 10)
    assert format_date(day, "nl") == "10 februari 2022"
    assert format_date(day, "en") == "10 February 2022"
    assert format_date(day, "nl", style="short") == "10 feb. 2022"
    assert format_date(day, "en", style="short") == "10 Feb 2022"


def test_format_date_short_dutch_may_has_no_full_stop():
    assert format_date(dt.date(2022, 5, 1), "nl", style="short") == "1 mei 2022"
    assert format_date(dt.date(2022, 3, 1), "nl", style="short") == "1 mrt. 2022"


def test_format_date_accepts_datetimes_and_iso_strings():
    assert format_date(dt.datetime(2022, 2, 10, 23, 59), "nl") == "10 februari 2022"
    assert format_date("2022-02-10", "en") == "10 February 2022"
    assert format_date(None, "nl") == "–"
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(dt.date(2022, 2, 10), "nl", style="medium")


def test_format_week_uses_the_iso_week_and_week_year():
    assert format_week(dt.date(2022, 2, 10), "nl") == "week 6 van 2022"
    assert format_week(dt.date(2022, 2, 10), "en") == "week 6 of 2022"
    assert format_week(dt.date(2021, 1, 1), "nl") == "week 53 van 2020"


def test_format_percent_change_is_signed():
    assert format_percent_change(12.5, "nl", decimals=1) == "+12,5%"
    assert format_percent_change(12.5, "en", decimals=1) == "+12.5%"
    assert format_percent_change(-3.04, "nl", decimals=1) == "-3,0%"
    assert format_percent_change(0.2, "en") == "0%"


def test_describe_change_gives_arrow_and_words():
    assert describe_change(1234, "nl") == ("▲", "1.234 meer dan de week ervoor")
    assert describe_change(12, "en") == ("▲", "12 more than the week before")
    assert describe_change(-3, "nl") == ("▼", "3 minder dan de week ervoor")
    assert describe_change(-3, "en") == ("▼", "3 less than the week before")
    assert describe_change(0, "nl") == ("=", "gelijk aan de week ervoor")
    assert describe_change(0.4, "en") == ("=", "unchanged from the week before")
    assert describe_change(None, "nl") == ("", "geen gegevens")


def test_a_broken_catalog_is_reported_with_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "nl.yaml").write_text("nav:\n  home: Home\n  count: 3\nno: nee\n")
    monkeypatch.setattr(i18n, "MESSAGES_DIR", tmp_path)
    catalog.cache_clear()
    try:
        with pytest.raises(YamlProblems) as failure:
            catalog("nl")
    finally:
        catalog.cache_clear()
    report = str(failure.value)
    assert "nl.yaml:3 nav.count: message must be text, found int" in report
    assert "key False is not text" in report
