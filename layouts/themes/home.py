"""The home municipality in theme files: the words `home` and `home_province` where an area
code goes (text placeholders such as {home_name} are the catalog's, data.catalog), filled in
when a file is loaded, so one theme file serves whichever municipality runs the platform."""

from __future__ import annotations

from typing import Any

HOME_WORD = "home"
HOME_PROVINCE_WORD = "home_province"
AREA_FIELDS = ("area", "within")
AREA_LIST_FIELDS = ("areas",)


def area_words(home: str, province: str | None) -> dict[str, str]:
    words = {HOME_WORD: home}
    if province:
        words[HOME_PROVINCE_WORD] = province
    return words


def _replace(value: Any, words: dict[str, str], key=None) -> Any:
    if isinstance(value, dict):
        return {k: _replace(v, words, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in AREA_LIST_FIELDS:
            return [words.get(v, v) if isinstance(v, str) else v for v in value]
        return [_replace(v, words) for v in value]
    if key in AREA_FIELDS and isinstance(value, str):
        return words.get(value, value)
    return value


def replace_area_words(data: dict, words: dict[str, str]) -> dict:
    """A theme document (plain data) with the area codes or words of `words` replaced where an
    area goes. Keys and the order of blocks are kept, so problems found afterwards still point
    at the lines staff wrote."""
    return _replace(data, words)


def _block_with_home(block, words: dict[str, str]):
    updates: dict[str, Any] = {}
    for field in AREA_FIELDS:
        value = getattr(block, field, None)
        if isinstance(value, str) and value in words:
            updates[field] = words[value]
    for field in AREA_LIST_FIELDS:
        value = getattr(block, field, None)
        if isinstance(value, list) and any(v in words for v in value):
            updates[field] = [words.get(v, v) for v in value]
    inner = getattr(block, "blocks", None)
    if isinstance(inner, list):
        updates["blocks"] = [_block_with_home(b, words) for b in inner]
    return block.model_copy(update=updates) if updates else block


def theme_with_home(theme, words: dict[str, str]):
    """A validated theme whose `home`/`home_province` words (written or default) are codes."""
    return theme.model_copy(update={"blocks": [_block_with_home(b, words) for b in theme.blocks]})
