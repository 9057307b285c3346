"""Load the theme files of a folder: parse, upgrade, validate, check references.

A broken file never stops the others: it becomes a `ThemeFile` with its problems (file, line,
field, what was expected), is left out of the navigation, and its page shows the problems.
The folder is read again when a file changes (by modification time), so a new or edited theme
needs no restart. `python -m app themes check` uses the same functions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from data.catalog import INTERNAL, PUBLIC, resolve_placeholders
from data.reader import Reader
from data.yamlfile import Problem, YamlDocument, YamlProblems, _pydantic_message, read_yaml
from layouts.themes import migrations
from layouts.themes.checks import Finding, References, check_references
from layouts.themes.home import area_words, theme_with_home
from layouts.themes.models import BLOCK_MODELS, BLOCK_TYPES, Theme

log = logging.getLogger(__name__)
DEFAULT_THEMES_DIR = Path(__file__).resolve().parent  # layouts/themes

THEME_SUFFIXES = (".yaml", ".yml")
PATH_PREFIX = "/thema/"
TEXT_FIELDS = {"title", "lead", "intro", "body"}
EXPECTED_TEXT = "expected a text in Dutch and English, like {nl: Bevolking, en: Population}"


@dataclass(frozen=True)
class ThemeFile:
    path: Path
    theme: Theme | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    declared_id: str | None = None
    # What the file says (also when it is broken): a broken internal theme's problems are
    # shown to staff only, like its page. A value that is not "public" counts as internal.
    visibility: str = PUBLIC

    @property
    def ok(self) -> bool:
        return self.theme is not None and not self.errors

    @property
    def ids(self) -> set[str]:
        """The ids under which this file's page is found (its id and its file name)."""
        ids = {self.path.stem}
        if self.declared_id:
            ids.add(self.declared_id)
        return ids


@dataclass(frozen=True)
class ThemeSet:
    files: tuple[ThemeFile, ...]

    @property
    def valid(self) -> list[Theme]:
        themes = [f.theme for f in self.files if f.ok and f.theme is not None]
        return sorted(themes, key=lambda theme: (theme.order, theme.id))

    @property
    def broken(self) -> list[ThemeFile]:
        return [f for f in self.files if not f.ok]

    def visible(self, staff: bool) -> ThemeSet:
        """The themes a visitor may see: all for staff who are logged in, else the public ones."""
        if staff:
            return self
        return ThemeSet(tuple(f for f in self.files if f.visibility == PUBLIC))

    def find(self, theme_id: str) -> ThemeFile | None:
        """The file of `theme_id`: a valid theme by its id first, else a broken file."""
        for file in self.files:
            if file.ok and file.theme is not None and file.theme.id == theme_id:
                return file
        for file in self.files:
            if not file.ok and theme_id in file.ids:
                return file
        return None


def page_path(theme_id: str) -> str:
    return f"{PATH_PREFIX}{theme_id}"


# ------------------------------------------------------------------------------------------
# one file


def _strip_union_tags(loc: Iterable) -> tuple:
    """Pydantic puts the block type after a list index ('blocks', 2, 'map', ...); drop it."""
    out: list = []
    for part in loc:
        if isinstance(part, str) and out and isinstance(out[-1], int) and part in BLOCK_TYPES:
            continue
        out.append(part)
    return tuple(out)


def _value_at(data, loc: tuple):
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(data, loc: tuple) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc` of the (upgraded) document."""
    if not loc:
        return Theme
    value = _value_at(data, loc)
    if isinstance(value, dict) and value.get("type") in BLOCK_MODELS:
        return BLOCK_MODELS[value["type"]]
    return None


def _one_of(names: Iterable[str]) -> str:
    return ", ".join(names)


def _did_you_mean(word: object, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _error_message(error: dict, data, loc: tuple) -> str:
    """A message that says what was expected, for the pydantic errors staff will meet."""
    kind = error["type"]
    given = error.get("input")
    if kind == "union_tag_invalid":
        in_row = "blocks" in loc[:-2]
        types = [t for t in BLOCK_TYPES if not (in_row and t == "row")]
        tag = error.get("ctx", {}).get("tag", given)
        extra = " (a row cannot hold another row)" if in_row and tag == "row" else ""
        return (
            f"unknown block type '{tag}'{extra}; expected one of: {_one_of(types)}"
            f"{_did_you_mean(tag, types)}"
        )
    if kind == "union_tag_not_found":
        return f"a block needs a 'type': one of {_one_of(BLOCK_TYPES)}"
    if kind == "extra_forbidden":
        name = loc[-1]
        if loc[-2:-1] and loc[-2] in TEXT_FIELDS:
            return f"unknown field '{name}'; a text has only 'nl' and 'en'"
        model = _model_at(data, loc[:-1])
        if model is None:
            return f"unknown field '{name}'"
        fields = [f for f in model.model_fields if f != "type"]
        return (
            f"unknown field '{name}'{_did_you_mean(name, fields)} "
            f"(this block takes: {_one_of(fields)})"
            if model is not Theme
            else f"unknown field '{name}'{_did_you_mean(name, fields)} "
            f"(a theme takes: {_one_of(fields)})"
        )
    if kind == "missing":
        if loc[-1:] and loc[-1] in TEXT_FIELDS:
            return f"required field is missing; {EXPECTED_TEXT}"
        return "required field is missing"
    if kind == "model_type" and loc[-1:] and loc[-1] in TEXT_FIELDS:
        return f"{EXPECTED_TEXT}, got {given!r}"
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return (
            "expected lowercase letters, digits and hyphens (the page address becomes "
            f"/thema/<id>), got {given!r}"
        )
    if kind == "literal_error":
        return f"{error['msg'].replace('Input should be', 'expected')}, got {given!r}"
    if kind == "model_attributes_type" and isinstance(loc[-1], int):
        return f"expected a block (a mapping with a 'type'), got {given!r}"
    return _pydantic_message(error)


def _problems_from_validation(
    doc: YamlDocument, data, exc: ValidationError, applied: list
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = _strip_union_tags(error["loc"])
        message = _error_message(error, data, loc)
        problems.append(doc.problem(migrations.location_in_file(loc, applied), message))
    return problems


def _from_findings(doc: YamlDocument, findings: list[Finding], applied, severity) -> list:
    return [
        doc.problem(migrations.location_in_file(f.loc, applied), f.message)
        for f in findings
        if f.severity == severity
    ]


def display_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it (as staff typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


VISIBILITY_LINE = re.compile(r"^visibility\s*:\s*['\"]?([A-Za-z]*)", re.MULTILINE)


def declared_visibility(data, text: str | None) -> str:
    """The visibility a theme file gives (public by default), read from its data or, when the
    YAML cannot be read, from its text; anything but "public" is internal."""
    if isinstance(data, dict):
        value = data.get("visibility", PUBLIC)
    else:
        found = VISIBILITY_LINE.search(text or "")
        value = found.group(1) if found else PUBLIC
    return PUBLIC if value == PUBLIC else INTERNAL


def load_theme_file(path: Path | str, refs: References, text: str | None = None) -> ThemeFile:
    """Read one theme file; every problem found is returned, none is raised."""
    path = Path(path)
    file = _load_theme_file(path, refs, text)
    if file.theme is not None:
        return dataclasses.replace(file, visibility=file.theme.visibility)
    data = None
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
    with contextlib.suppress(YamlProblems):
        data = read_yaml(display_path(path), text).data
    return dataclasses.replace(file, visibility=declared_visibility(data, text))


def _load_theme_file(path: Path, refs: References, text: str | None) -> ThemeFile:
    try:
        doc = read_yaml(display_path(path), text)
    except YamlProblems as exc:
        return ThemeFile(path, None, tuple(exc.problems))
    data = doc.data
    if not isinstance(data, dict):
        problem = doc.problem(
            (), "expected a mapping with schema_version, id, title and blocks at the top level"
        )
        return ThemeFile(path, None, (problem,))
    declared_id = data.get("id") if isinstance(data.get("id"), str) else None
    try:
        upgraded, applied = migrations.upgrade(data)
    except migrations.UnsupportedVersion as exc:
        problem = doc.problem(("schema_version",), str(exc))
        return ThemeFile(path, None, (problem,), declared_id=declared_id)
    upgraded = resolve_placeholders(upgraded, refs.placeholders())
    try:
        theme = Theme.model_validate(upgraded)
    except ValidationError as exc:
        problems = _problems_from_validation(doc, upgraded, exc, applied)
        return ThemeFile(path, None, tuple(problems), declared_id=declared_id)
    theme = theme_with_home(theme, area_words(refs.home, refs.home_province))
    findings = check_references(theme, refs)
    errors = _from_findings(doc, findings, applied, "error")
    warnings = _from_findings(doc, findings, applied, "warning")
    return ThemeFile(path, theme, tuple(errors), tuple(warnings), theme.id)


# ------------------------------------------------------------------------------------------
# a folder


def theme_paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix in THEME_SUFFIXES and not p.name.startswith(".")
    )


def _mark_duplicate_ids(files: list[ThemeFile]) -> list[ThemeFile]:
    first: dict[str, ThemeFile] = {}
    out = []
    for file in files:
        theme_id = file.theme.id if file.theme else None
        if theme_id and theme_id in first:
            doc_line = _id_line(file.path)
            duplicate = Problem(
                display_path(file.path),
                doc_line,
                "id",
                f"id '{theme_id}' is also used by {display_path(first[theme_id].path)}; "
                "each theme needs its own id",
            )
            file = dataclasses.replace(
                file, theme=None, errors=(*file.errors, duplicate), declared_id=theme_id
            )
        elif theme_id:
            first[theme_id] = file
        out.append(file)
    return out


def _id_line(path: Path) -> int | None:
    try:
        return read_yaml(path).line_of(("id",))
    except YamlProblems:
        return None


def _load_safely(path: Path, refs: References) -> ThemeFile:
    """load_theme_file, but a bug while checking one file is that file's problem only."""
    try:
        return load_theme_file(path, refs)
    except Exception as exc:
        log.exception("theme file %s could not be checked", path)
        problem = Problem(display_path(path), None, "", f"could not be checked ({exc!r})")
        return ThemeFile(path, None, (problem,), visibility=INTERNAL)  # unknown: staff only


def load_folder(folder: Path | str, refs: References) -> ThemeSet:
    files = [_load_safely(path, refs) for path in theme_paths(Path(folder))]
    return ThemeSet(tuple(_mark_duplicate_ids(files)))


def folder_signature(folder: Path) -> tuple:
    """Changes when a theme file is added, removed or edited."""
    out = []
    for path in theme_paths(folder):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        out.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(out)


class FolderCache:
    """The last ThemeSet per folder (and audience: public or staff), kept while neither the
    files nor the references change.

    Per process (gunicorn workers each keep their own); it holds derived, read-only data.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[tuple, ThemeSet]] = {}

    def get(
        self,
        folder: Path,
        refs_key: tuple,
        make_refs: Callable[[], References],
        audience: str = "public",
    ) -> ThemeSet:
        """The themes of `folder`, read again (with make_refs()) when a file or the key changed."""
        key = (folder_signature(folder), refs_key)
        slot = (str(folder), audience)
        with self._lock:
            cached = self._entries.get(slot)
        if cached is not None and cached[0] == key:
            return cached[1]
        themes = load_folder(folder, make_refs())
        with self._lock:
            self._entries[slot] = (key, themes)
        return themes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_cache = FolderCache()


# ------------------------------------------------------------------------------------------
# themes as a Reader sees them


def references_of(reader: Reader) -> References:
    """References from the Reader's catalog and store version."""
    catalog = reader.catalog
    if reader.version is None:
        return References(catalog, home=reader.home)
    maps = frozenset(code for code in ("nl", "pv", "gm", "wk", "bu") if reader.geometry(code))
    return References(
        catalog,
        reader.area_names(),
        reader.indicator_levels(),
        maps,
        reader.periods,
        home=reader.home,
        home_province=reader.home_province,
    )


def current_themes(reader: Reader) -> ThemeSet:
    """The themes of the site's folder the Reader's visitor may see (internal ones for staff
    only), re-read when a file, the catalog or the data changed (a new theme needs no restart)."""
    folder = Path(reader.site.themes_dir or DEFAULT_THEMES_DIR)
    key = (id(reader.catalog), reader.version, reader.site.key())
    themes = _cache.get(folder, key, lambda: references_of(reader), reader.site.audience)
    return themes.visible(reader.site.staff)


def nav_entries(reader: Reader) -> list[dict]:
    """Navigation entries of the valid themes, shaped like dash.page_registry entries.

    Never raises: without themes the rest of the navigation still works.
    """
    try:
        themes = current_themes(reader).valid
    except Exception:
        log.exception("the themes could not be read for the navigation")
        return []
    return [
        {
            "path": page_path(theme.id),
            "name": theme.title.nl,
            "titles": {"nl": theme.title.nl, "en": theme.title.en},
            "order": theme.order,
            "theme_id": theme.id,
            "nav": True,
        }
        for theme in themes
        if theme.nav
    ]


# ------------------------------------------------------------------------------------------
# `python -m app themes check`


def check_paths(paths: Iterable[Path | str], folder: Path | str, refs: References) -> list:
    """ThemeFiles of `paths` (default: every theme file of `folder`).

    The other files of `folder` are read too, so that an id already used there is reported.
    """
    in_folder = theme_paths(Path(folder))
    targets = [Path(p) for p in paths] or in_folder
    wanted = {p.resolve() for p in targets}
    others = [p for p in in_folder if p.resolve() not in wanted]
    files = _mark_duplicate_ids([load_theme_file(p, refs) for p in [*others, *targets]])
    return [f for f in files if f.path.resolve() in wanted]


def format_report(files: Iterable[ThemeFile]) -> tuple[list[str], int, int]:
    """Lines to print (every error and warning), and the numbers of errors and warnings."""
    lines: list[str] = []
    errors = warnings = 0
    for file in files:
        for problem in file.errors:
            lines.append(f"{problem}")
            errors += 1
        for problem in file.warnings:
            lines.append(f"warning: {problem}")
            warnings += 1
    return lines, errors, warnings
