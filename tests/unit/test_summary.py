import datetime as dt
import math

import pandas as pd
import pytest

from layouts.figures.summary import (
    WeekChange,
    change_between_averages,
    change_between_weeks,
    change_words,
    list_values,
    week_sentence,
)
from layouts.i18n import t

TEMPLATE_NL = (
    "In de week tot {date} kregen gemiddeld {value} mensen per dag een positieve test, {change}."
)
TEMPLATE_EN = "In the week to {date}, an average of {value} people a day tested positive, {change}."


def daily(values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": "GM0114",
            "period": pd.to_datetime(list(values)),
            "value": [math.nan if v is None else v for v in values.values()],
        }
    )


def test_the_change_compares_the_average_with_the_one_a_week_earlier():
    change = change_between_averages(daily({"2022-02-03": 637.5, "2022-02-10": 714.0}))
    assert change == WeekChange(dt.date(2022, 2, 10), 714.0, 637.5)
    assert change.percent == pytest.approx(12.0)
    assert change_words(change, "nl") == ("▲", "12% meer dan de week ervoor")
    assert change_words(change, "en") == ("▲", "12% more than the week before")


def test_the_summary_sentence_reads_like_the_example():
    change = change_between_averages(daily({"2022-02-03": 637.5, "2022-02-10": 714.0}))
    nl = week_sentence(TEMPLATE_NL, change, "nl", decimals=0, no_data="-")
    en = week_sentence(TEMPLATE_EN, change, "en", decimals=0, no_data="-")
    assert nl == (
        "In de week tot 10 februari 2022 kregen gemiddeld 714 mensen per dag een positieve test, "
        "12% meer dan de week ervoor."
    )
    assert en == (
        "In the week to 10 February 2022, an average of 714 people a day tested positive, "
        "12% more than the week before."
    )


def test_the_corona_page_templates_fill_in():
    change = change_between_averages(daily({"2022-02-03": 300.9, "2022-02-10": 714.0}))
    sentence = week_sentence(
        t("corona.overview.summary_cases", "nl"),
        change,
        "nl",
        decimals=1,
        no_data="-",
        area="Emmen",
        rate=t("corona.overview.rate_absolute", "nl"),
    )
    assert sentence == (
        "In de week tot en met 10 februari 2022 kregen in Emmen gemiddeld 714,0 mensen per dag "
        "een positieve testuitslag, 137% meer dan de week ervoor."
    )


def test_a_decrease_is_less():
    change = change_between_averages(daily({"2023-03-24": 1.857, "2023-03-31": 1.429}))
    assert change_words(change, "nl", 1) == ("▼", "23% minder dan de week ervoor")


def test_two_weeks_of_zero_are_unchanged_without_dividing_by_zero():
    change = change_between_averages(daily({"2022-12-24": 0.0, "2022-12-31": 0.0}))
    assert change.percent is None
    assert change_words(change, "nl", 1) == ("=", "gelijk aan de week ervoor")
    assert change_words(change, "en", 1) == ("=", "unchanged from the week before")


def test_a_rise_from_zero_is_given_in_numbers():
    change = change_between_averages(daily({"2022-12-24": 0.0, "2022-12-31": 0.4}))
    assert change.percent is None
    assert change_words(change, "nl", 1) == ("▲", "0,4 meer dan de week ervoor")


def test_a_change_that_rounds_to_nothing_is_unchanged():
    change = change_between_averages(daily({"2022-12-24": 100.0, "2022-12-31": 100.4}))
    assert change_words(change, "nl", 1)[1] == "gelijk aan de week ervoor"
    from_zero = change_between_averages(daily({"2022-12-24": 0.0, "2022-12-31": 0.04}))
    assert change_words(from_zero, "nl", 1)[1] == "gelijk aan de week ervoor"


@pytest.mark.parametrize(
    "values",
    [
        {"2022-12-31": 4.0},  # no row a week earlier
        {"2022-12-24": None, "2022-12-31": 4.0},  # a row without a value
        {"2022-12-23": 3.0, "2022-12-31": 4.0},  # eight days, not seven
    ],
)
def test_a_missing_week_before_says_so(values):
    change = change_between_averages(daily(values))
    assert change.previous is None and change.delta is None and change.percent is None
    assert change_words(change, "nl") == ("", "geen gegevens over de week ervoor")
    assert change_words(change, "en") == ("", "no data for the week before")
    sentence = week_sentence(TEMPLATE_NL, change, "nl", decimals=0, no_data="-")
    assert sentence.endswith(
        "4 mensen per dag een positieve test, geen gegevens over de week ervoor."
    )


def test_the_latest_week_is_the_last_day_with_a_value():
    change = change_between_averages(
        daily({"2022-12-24": 2.0, "2022-12-31": 3.0, "2023-01-01": None})
    )
    assert (change.end, change.current, change.previous) == (dt.date(2022, 12, 31), 3.0, 2.0)


def test_a_chosen_end_day_without_a_value_has_no_current_week():
    change = change_between_averages(daily({"2022-12-24": 2.0}), end="2022-12-31")
    assert change.current is None
    assert change_words(change, "nl") == ("", "geen gegevens")
    assert week_sentence(TEMPLATE_NL, change, "nl", decimals=0, no_data="Geen.") == "Geen."


def test_no_series_at_all_gives_the_no_data_sentence():
    assert change_between_averages(daily({})) is None
    assert week_sentence(TEMPLATE_NL, None, "nl", decimals=0, no_data="Geen gegevens.") == (
        "Geen gegevens."
    )


def test_measurement_weeks_are_means_of_the_measurements_in_each_week():
    measurements = daily(
        {
            "2022-02-28": 4.0,  # 14 days before the last: outside both weeks
            "2022-03-02": 6.0,
            "2022-03-07": 10.0,  # the week before: 2022-03-01 .. 2022-03-07
            "2022-03-09": 12.0,
            "2022-03-14": 18.0,  # the last week: 2022-03-08 .. 2022-03-14
        }
    )
    change = change_between_weeks(measurements)
    assert change == WeekChange(dt.date(2022, 3, 14), 15.0, 8.0)
    assert change_words(change, "nl") == ("▲", "88% meer dan de week ervoor")


def test_a_week_without_measurements_is_missing():
    change = change_between_weeks(daily({"2022-02-20": 5.0, "2022-03-14": 18.0}))
    assert (change.current, change.previous) == (18.0, None)
    assert change_words(change, "nl")[1] == "geen gegevens over de week ervoor"


def test_measurement_weeks_of_zero_are_unchanged():
    change = change_between_weeks(daily({"2022-03-07": 0.0, "2022-03-14": 0.0}))
    assert change_words(change, "en") == ("=", "unchanged from the week before")


def test_values_are_listed_with_and_and_missing_ones_named():
    items = [("Emmen", 1.35), ("Drenthe", None), ("Nederland", 1.3)]
    assert list_values(items, "nl", 1) == "Emmen 1,4, Drenthe geen gegevens en Nederland 1,3"
    assert list_values(items[:2], "en", 1) == "Emmen 1.4 and Drenthe no data"
    assert list_values([("Emmen", 2.0)], "nl", 0) == "Emmen 2"
