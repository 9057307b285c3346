"""The country and its twelve provinces, by CBS code."""

from __future__ import annotations

COUNTRY = "NL01"
COUNTRY_NAME = "Nederland"

PROVINCES: dict[str, str] = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}

# Other spellings found in upstream files (RIVM and the CBS geometry write "Friesland").
_ALIASES = {"friesland": "PV21", "fryslan": "PV21"}


def province_code(name: str) -> str:
    """'Drenthe' -> 'PV22'; accepts 'Friesland'/'Fryslân' and ignores case and spaces."""
    key = name.strip().casefold()
    for code, official in PROVINCES.items():
        if official.casefold() == key:
            return code
    try:
        return _ALIASES[key.replace("â", "a")]
    except KeyError:
        raise KeyError(
            f"unknown province name '{name}'; known: {list(PROVINCES.values())}"
        ) from None
