"""What search engines and link previews read: a page's description and the public pages.

The description of a page is its own lead text (the paragraph under its heading), from the same
messages the page shows, so the two cannot drift apart. `public_paths` lists every page a
visitor can open: the fixed pages, the theme pages and the pages of each area.
"""

from __future__ import annotations

import logging

import dash

from data.reader import Reader
from layouts.i18n import normalize_lang, t

log = logging.getLogger(__name__)

SITE = "MMmeter"
MAX_DESCRIPTION = 300
# Page module (dash.page_registry key) -> message key of the lead text under its heading.
LEAD_KEYS = {
    "corona_map": "corona_map.intro",
    "neighbourhoods": "neighbourhoods.intro",
    "themes_overview": "themes.intro",
    "status": "status.intro",
    "accessibility": "accessibility.intro",
    "help": "help.intro",
    "admin": "admin.intro",
    "data_catalogue": "data.intro",
}
# Page templates whose addresses exist only for a municipality or area in the data.
KNOWN_BY_DATA = frozenset({"corona", "area_profile"})
# Pages that are not for search engines (and not in the sitemap).
PRIVATE_PAGES = frozenset({"admin", "not_found_404"})


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_DESCRIPTION:
        return text
    return text[: MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"


def description(reader: Reader, module: str, lang: str, **path_variables) -> str:
    """The meta description of the page registered as `module`, in `lang`."""
    lang = normalize_lang(lang)
    try:
        text = _lead(reader, module, lang, **path_variables)
    except Exception:  # a description must never break the page
        log.exception("no description for page %s", module)
        text = None
    return _short(text or t("home.intro", lang))


def _lead(reader: Reader, module: str, lang: str, **path_variables) -> str | None:
    if module in LEAD_KEYS:
        return t(LEAD_KEYS[module], lang)
    if module == "home":  # the start theme (layouts/pages/home.py)
        from layouts.pages.home import START_THEME

        return _theme_lead(reader, START_THEME, lang) if reader.has_data else None
    if module == "corona":
        return _corona_lead(reader, path_variables.get("code"), lang)
    if module == "area_profile":
        return _area_lead(reader, path_variables.get("code"), lang)
    if module == "data_dataset":
        dataset = reader.catalog.datasets.get(path_variables.get("dataset_id") or "")
        return f"{dataset.title.get(lang)} ({dataset.publisher})" if dataset else None
    if module == "data_indicator":
        indicator = reader.catalog.indicators.get(path_variables.get("indicator_id") or "")
        return indicator.definition.get(lang) if indicator else None
    if module.startswith("theme_"):
        theme_id = path_variables.get("theme_id") or dash.page_registry[module].get("theme_id")
        return _theme_lead(reader, theme_id, lang)
    return None


def page_is_known(reader: Reader, module: str, **path_variables) -> bool:
    """Whether an address of a page template in KNOWN_BY_DATA names something that exists (a
    municipality, a wijk or buurt); without data yet, every address counts."""
    if not path_variables or not reader.has_data:
        return True
    try:
        if module == "corona":
            from layouts.corona_state import resolve_municipality
            from layouts.pages import corona

            code = path_variables.get("code")
            names = corona.municipalities(reader)
            return resolve_municipality(code, names, reader.home) is not None
        if module == "area_profile":
            return _area_lead(reader, path_variables.get("code"), "nl") is not None
    except Exception:  # never turn a page into an error because of this check
        log.exception("could not check the address of page %s", module)
    return True


def _corona_lead(reader: Reader, code: str | None, lang: str) -> str:
    from layouts.corona_state import resolve_municipality
    from layouts.pages import corona

    if not reader.has_data:
        return t("corona.intro", lang)
    area = resolve_municipality(code, corona.municipalities(reader), reader.home)
    if area is None:
        return t("corona.intro", lang)
    return t("corona.overview.intro", lang, area=corona.area_name(reader, area, lang))


def _area_lead(reader: Reader, code: str | None, lang: str) -> str | None:
    from layouts.pages.neighbourhoods import area_codes

    code = (code or "").strip().upper()
    level = code[:2].lower()
    if not reader.has_data or level not in ("wk", "bu") or code not in area_codes(reader, level):
        return None
    name = reader.area_names().get(code, code)
    kind = t(f"area_profile.kind.{level}", lang)
    return f"{name}: {kind} ({code}). {t('area_profile.indicators_heading', lang, name=name)}."


def _theme_lead(reader: Reader, theme_id: str | None, lang: str) -> str | None:
    from layouts.themes.loader import current_themes

    file = current_themes(reader).find(theme_id or "")
    if file is None or file.theme is None:
        return None
    theme = file.theme
    return theme.lead.get(lang) if theme.lead else theme.title.get(lang)


def public_paths(reader: Reader) -> list[str]:
    """Every public page: fixed pages, theme pages, each municipality's corona page and each
    wijk and buurt of the home municipality. Without data, the fixed pages only."""
    from layouts.themes.loader import current_themes, page_path

    paths = [
        page["path"]
        for module, page in dash.page_registry.items()
        if module not in PRIVATE_PAGES
        and not page.get("path_template")
        and not module.startswith("theme_")
    ]
    try:
        from layouts.pages.home import START_THEME

        paths += [
            page_path(theme.id)
            for theme in current_themes(reader).valid
            if theme.id != START_THEME  # the home page, at /
        ]
    except Exception:
        log.exception("the themes could not be read for the sitemap")
    from layouts.views.data_links import dataset_path, indicator_path

    paths += [dataset_path(d) for d in reader.catalog.datasets]
    paths += [indicator_path(i) for i in reader.catalog.indicators]
    if reader.has_data:
        from layouts.corona_state import page_path as corona_path
        from layouts.pages import corona
        from layouts.pages.neighbourhoods import area_codes, profile_href

        paths += [corona_path(code, reader.home) for code in corona.municipalities(reader)]
        paths += [
            profile_href(code, "nl") for level in ("wk", "bu") for code in area_codes(reader, level)
        ]
    return list(dict.fromkeys(paths))
