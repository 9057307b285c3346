"""Which pages and themes show which indicators: the themes from their YAML blocks, the
hand-written pages from the `indicators` they declare when registered
(`dash.register_page(..., indicators=function(reader) -> ids)`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import dash

from data.reader import Reader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Use:
    """A page or theme and the indicators it shows."""

    kind: str  # "theme" or "page"
    id: str  # theme id or page module
    path: str
    titles: tuple[tuple[str, str], ...]  # (lang, title)
    indicators: frozenset[str]

    def title(self, lang: str) -> str:
        titles = dict(self.titles)
        return titles.get(lang) or titles.get("nl") or self.id


def theme_uses(reader: Reader) -> list[Use]:
    from layouts.pages.home import START_THEME
    from layouts.themes.loader import current_themes, page_path

    found = []
    for theme in current_themes(reader).valid:
        ids = frozenset(i for _, _, block in theme.numbered_blocks() for i in block.indicator_ids)
        path = "/" if theme.id == START_THEME else page_path(theme.id)
        titles = (("nl", theme.title.nl), ("en", theme.title.en))
        found.append(Use("theme", theme.id, path, titles, ids))
    return found


def page_uses(reader: Reader) -> list[Use]:
    found = []
    for module, page in dash.page_registry.items():
        declared = page.get("indicators")
        if declared is None or not page.get("path"):
            continue
        try:
            ids = frozenset(declared(reader) if callable(declared) else declared)
        except Exception:  # a page that cannot say is left out, never an error
            log.exception("page %s could not list its indicators", module)
            continue
        titles = tuple((page.get("titles") or {"nl": page.get("name", module)}).items())
        found.append(Use("page", module, page["path"], titles, ids))
    return found


def uses(reader: Reader) -> list[Use]:
    """Every theme and every page that declares its indicators (themes first, in order)."""
    try:
        themes = theme_uses(reader)
    except Exception:
        log.exception("the themes could not be read")
        themes = []
    return [*themes, *page_uses(reader)]


def uses_of(reader: Reader, indicator_ids: Iterable[str]) -> list[Use]:
    """The pages and themes that show any of `indicator_ids`."""
    wanted = frozenset(indicator_ids)
    return [use for use in uses(reader) if use.indicators & wanted]
