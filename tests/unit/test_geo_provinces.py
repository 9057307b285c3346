import pytest

from geo.provinces import COUNTRY, PROVINCES, province_code


def test_twelve_provinces_pv20_to_pv31():
    assert list(PROVINCES) == [f"PV{n}" for n in range(20, 32)]
    assert PROVINCES["PV22"] == "Drenthe"
    assert COUNTRY == "NL01"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Drenthe", "PV22"), ("Friesland", "PV21"), ("Fryslân", "PV21"), (" noord-brabant ", "PV30")],
)
def test_province_code_accepts_upstream_spellings(name, code):
    assert province_code(name) == code


def test_unknown_province_name_is_named_in_the_error():
    with pytest.raises(KeyError, match="Brabant"):
        province_code("Brabant")
