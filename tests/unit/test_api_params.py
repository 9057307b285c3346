"""The query models of app/api_params.py: what they accept, and the parameter a 400 names."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from werkzeug.datastructures import MultiDict

from app.api_params import (
    ApiError,
    AreasQuery,
    Format,
    Level,
    ObservationsQuery,
    parameters_schema,
    parse,
)
from data.downloads import MEDIA_TYPES
from data.observations import LEVELS


def test_formats_and_levels_are_those_the_data_layer_knows():
    assert set(typing.get_args(Format)) == set(MEDIA_TYPES)
    assert set(typing.get_args(Level)) == set(LEVELS)


def test_lists_may_be_comma_separated_or_repeated():
    args = MultiDict(
        [("indicator", "a,b"), ("area", "GM1"), ("area", "GM2"), ("from", "2022-01-02")]
    )
    query = parse(ObservationsQuery, args)
    assert query.indicators == ("a", "b") and query.areas == ("GM1", "GM2")
    assert query.from_ == dt.date(2022, 1, 2)


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        ({"indicator": "a", "area": "GM1", "from": "2022-02-30"}, "from"),
        ({"indicator": "a", "area": "GM1", "format": "xml"}, "format"),
        ({"indicator": "a", "area": "GM1", "limit": "-1"}, "limit"),
        ({"indicator": "a", "area": "GM1", "format": "geojson", "limit": "5001"}, "limit"),
        ({"indicator": "a b", "area": "GM1"}, "indicator"),
        ({"indicator": "a", "area": "GM1", "cursor": "no/slash"}, "cursor"),
        ({"area": "GM1"}, "indicator"),
        ({"indicator": "a"}, "area"),
        ({"indicator": "a", "area": "GM1", "from": "2022-02-02", "to": "2022-02-01"}, "from"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(args, parameter):
    with pytest.raises(ApiError) as caught:
        parse(ObservationsQuery, MultiDict(args))
    assert caught.value.status == 400 and caught.value.parameter == parameter


def test_unknown_parameters_are_ignored():
    assert parse(AreasQuery, MultiDict({"level": "gm", "_": "123"})).level == "gm"


def test_optional_parameters_are_documented_as_strings_not_null():
    parameters = {p["name"]: p for p in parameters_schema(ObservationsQuery)}
    assert parameters["from"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["limit"]["schema"]["type"] == "integer"
    assert all("null" not in str(p["schema"]) for p in parameters.values())
