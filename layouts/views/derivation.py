"""How a derived indicator is computed, in words, from the catalog's `derived_from` and
`derivation` fields (data/derive.py does the computing): one sentence per step, from the
indicator back to the published count it starts from. The one place this text is made, for the
indicator page and wherever else a definition is shown."""

from __future__ import annotations

from data.catalog import Catalog
from layouts.i18n import t

MAX_STEPS = 8  # the catalog checks references, not cycles: never follow a chain for ever


def derivation_steps(catalog: Catalog, indicator_id: str, lang: str) -> list[str]:
    """'Trailing 7-day mean of Positive tests (covid_cases): the day and the 6 days before.',
    one sentence per derivation, the indicator's own first; [] for a published indicator."""
    steps: list[str] = []
    seen: set[str] = set()
    current = catalog.indicators.get(indicator_id)
    while current is not None and current.derived_from and len(steps) < MAX_STEPS:
        if current.id in seen:
            break
        seen.add(current.id)
        source = catalog.indicators[current.derived_from]
        steps.append(
            t(
                f"data.derivation.{current.derivation}",
                lang,
                source=source.title.get(lang),
                source_id=source.id,
            )
        )
        current = source
    return steps


def derivation_text(catalog: Catalog, indicator_id: str, lang: str) -> str | None:
    """The steps of `derivation_steps` as one text; None for a published indicator."""
    steps = derivation_steps(catalog, indicator_id, lang)
    return " ".join(steps) if steps else None
