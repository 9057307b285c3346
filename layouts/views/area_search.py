"""Finding an area by what a visitor typed: its code or its name, whatever the case, accents,
hyphens or spaces ('sudwest fryslan' finds Súdwest-Fryslân). One implementation for every
search box and for names in addresses (/corona/aa-en-hunze)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import unquote


def name_key(text: str) -> str:
    """A name as typed in a URL or search box, made comparable.

    'Súdwest-Fryslân' and 'sudwest fryslan' -> 'sudwest fryslan'; 'Aa%20en%20Hunze' ->
    'aa en hunze'. Case, accents, hyphens and punctuation do not matter.
    """
    text = unquote(text).replace("+", " ")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


def find_area(
    text: str | None, names: Mapping[str, str | None], codes: Iterable[str] | None = None
) -> str | None:
    """The code among `codes` (default: every code of `names`) that `text` names, by code or
    by name; None when `text` is empty or names none of them."""
    raw = unquote(text or "").strip("/ ")
    if not raw:
        return None
    candidates = list(names) if codes is None else list(codes)
    if raw.upper() in candidates:
        return raw.upper()
    wanted = name_key(raw)
    for code in candidates:
        if name_key(names.get(code) or "") == wanted:
            return code
    return None
