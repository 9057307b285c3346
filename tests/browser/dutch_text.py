"""Finding Dutch interface text left on an English page.

The Dutch interface texts are the values of layouts/messages/nl.yaml that differ from their
English value. Each is cut at its {placeholders}; a piece counts when it has at least four
characters, is not a proper name or also plain English, and does not occur in the English
messages (so "Emmen", "RIVM" or "Nederlands" on the language switch never count).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MIN_LENGTH = 4
PROPER_NAMES = frozenset(
    {"MMmeter", "RIVM", "CBS", "PDOK", "NICE", "GGD", "Kadaster", "Emmen", "Drenthe", "WCAG"}
)
# Dutch pieces that are also ordinary English ("land area", "had in", "rang").
ALSO_ENGLISH = frozenset({"land", "had in", "rang"})
_EDGE = " \t\n.,:;()'\"·–-…"

# The text a person or a screen reader meets on the page, skipping parts marked as another
# language (lang="nl" on the language switch): text nodes (also in SVG and in closed
# <details>), the names and tooltips in attributes, and the document title.
COLLECT_TEXT_JS = """
function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  const cls = (typeof el.className === 'string' ? el.className : '').trim();
  if (cls) s += '.' + cls.split(/\\s+/).slice(0, 2).join('.');
  return s;
}
function inPageLanguage(el) {
  const marked = el.closest('[lang]');
  return !marked || marked.getAttribute('lang') === document.documentElement.lang;
}
const found = [{text: document.title, where: 'title'}];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const parent = node.parentElement;
  if (!parent || parent.closest('script, style, noscript') || !inPageLanguage(parent)) continue;
  const text = node.textContent.replace(/\\s+/g, ' ').trim();
  if (text) found.push({text: text, where: describe(parent)});
}
const attributes = ['aria-label', 'title', 'alt', 'placeholder', 'aria-roledescription',
                    'aria-valuetext'];
document.querySelectorAll(attributes.map(a => '[' + a + ']').join(',')).forEach(el => {
  if (!inPageLanguage(el)) return;
  for (const name of attributes) {
    const value = (el.getAttribute(name) || '').trim();
    if (value) found.push({text: value, where: describe(el) + ' [' + name + ']'});
  }
});
return found;
"""


@dataclass(frozen=True)
class Leftover:
    fragment: str
    key: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.fragment!r} (nl.yaml {self.key}) in {self.where}: {self.text[:120]!r}"


def _pieces(message: str) -> Iterable[str]:
    for part in PLACEHOLDER.split(message):
        piece = " ".join(part.split()).strip(_EDGE)
        if len(piece) >= MIN_LENGTH and re.search(r"[^\W\d_]{2}", piece):
            yield piece


def _whole(piece: str) -> str:
    return rf"(?<!\w){re.escape(piece)}(?!\w)"


def dutch_fragments(nl: Mapping[str, str], en: Mapping[str, str]) -> dict[str, str]:
    """{Dutch text piece: its message key} for the pieces an English page must not show."""
    english = "\n".join(en.values())
    fragments: dict[str, str] = {}
    for key, message in nl.items():
        if message == en.get(key):
            continue
        for piece in _pieces(message):
            if piece in PROPER_NAMES or piece in ALSO_ENGLISH or piece in fragments:
                continue
            if re.search(_whole(piece), english):
                continue
            fragments[piece] = key
    return fragments


def _alternatives(pieces: Iterable[str]) -> re.Pattern:
    longest_first = sorted(pieces, key=len, reverse=True)
    return re.compile("|".join(_whole(piece) for piece in longest_first))


def find_dutch(
    texts: Iterable[Mapping[str, str]],
    fragments: Mapping[str, str],
    names: Iterable[str] = (),
) -> list[Leftover]:
    """Each Dutch piece found in `texts` (dicts with 'text' and 'where'), once per place.

    `names` are proper names from the data (areas such as 'Wijk bij Duurstede'); they are
    left out before searching, unless they are interface text themselves ('Nederland').
    """
    if not fragments:
        return []
    pattern = _alternatives(fragments)
    data_names = [n for n in names if len(n) >= MIN_LENGTH and n not in fragments]
    skip = _alternatives(data_names) if data_names else None
    found: dict[tuple[str, str], Leftover] = {}
    for item in texts:
        text = skip.sub(" ", item["text"]) if skip else item["text"]
        for match in pattern.finditer(text):
            piece = match.group(0)
            found.setdefault(
                (piece, item["where"]),
                Leftover(piece, fragments[piece], item["where"], item["text"]),
            )
    return list(found.values())


def dutch_on_page(driver, label: str, names: Iterable[str]) -> list[str]:
    """Dutch interface text (from the message catalogs) on the page open in `driver`, as
    readable lines; area `names` are proper names and do not count."""
    from layouts.i18n import catalog

    fragments = dutch_fragments(catalog("nl"), catalog("en"))
    leftovers = find_dutch(driver.execute_script(COLLECT_TEXT_JS), fragments, list(names))
    return [f"{label}: {leftover}" for leftover in leftovers]
