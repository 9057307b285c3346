"""Load YAML files so that validation errors can name the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Location = tuple[str | int, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 20x faster
# Bounds for every YAML file the app reads (catalog, themes, messages, staff metadata): an alias
# bomb ("billion laughs") or a deeply nested file is refused before it is expanded.
MAX_BYTES = 1024 * 1024
MAX_ALIASES = 100
MAX_NODES = 100_000  # nodes after expanding aliases
MAX_DEPTH = 50
_OPENERS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


@dataclass(frozen=True)
class Problem:
    """One problem in a YAML file: where it is and what was expected."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class YamlProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def field_path(loc: Location) -> str:
    """('blocks', 2, 'indicator') -> 'blocks[2].indicator'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _line_index(node: yaml.Node, path: Location = (), index: dict | None = None) -> dict:
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = (*path, key.value)
            _line_index(value, key_path, index)
            index[key_path] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), index)
    return index


@dataclass
class YamlDocument:
    path: str
    data: Any
    lines: dict

    def line_of(self, loc: Location) -> int | None:
        """The line of the deepest part of `loc` that exists in the file."""
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc)

    def problem(self, loc: Location, message: str) -> Problem:
        return Problem(self.path, self.line_of(loc), field_path(loc), message)


class _TooBig(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _check_tokens(text: str) -> None:
    """Nesting depth and number of aliases, from the token stream (flat, no recursion)."""
    depth = aliases = 0
    for token in yaml.scan(text, Loader=_LOADER):
        if isinstance(token, _OPENERS):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(token.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(token, _CLOSERS):
            depth -= 1
        elif isinstance(token, yaml.AliasToken):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(token.start_mark.line + 1, f"more than {MAX_ALIASES} aliases (*name)")


def expanded_size(root: yaml.Node) -> int:
    """How many nodes `root` has with every alias expanded, counted without expanding (each
    shared node once, memoized); stops at MAX_NODES and refuses recursive aliases."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise _TooBig(node.start_mark.line + 1, "an alias refers to itself (recursive)")
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                raise _TooBig(
                    node.start_mark.line + 1,
                    f"more than {MAX_NODES:,} values once aliases are expanded (an alias bomb?)",
                )
        on_path.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _parse(text: str):
    _check_tokens(text)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            expanded_size(node)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def read_yaml(path: Path | str, text: str | None = None) -> YamlDocument:
    """Parse a YAML file; syntax errors and files over the limits (size, nesting, aliases)
    become a YamlProblems with the line."""
    name = str(path)
    try:
        if text is None:
            size = Path(path).stat().st_size
            if size > MAX_BYTES:
                raise _TooBig(None, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
            text = Path(path).read_text(encoding="utf-8")
        if len(text) > MAX_BYTES:
            raise _TooBig(None, f"text is {len(text):,} characters; the limit is {MAX_BYTES:,}")
        node, data = _parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlProblems([Problem(name, None, "", f"cannot read file: {exc}")]) from exc
    except _TooBig as exc:
        raise YamlProblems([Problem(name, exc.line, "", f"refused: {exc.message}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise YamlProblems([Problem(name, line, "", f"YAML syntax error: {exc.problem}")]) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problem = f"character {exc.character!r} is not allowed in YAML (a control character?)"
        raise YamlProblems([Problem(name, line, "", problem)]) from exc
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(name, None, "", f"YAML error: {exc}")]) from exc
    except RecursionError as exc:
        problem = "YAML is nested too deeply to read"
        raise YamlProblems([Problem(name, None, "", problem)]) from exc
    lines = _line_index(node) if node is not None else {}
    return YamlDocument(name, data, lines)


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    msg = error["msg"]
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


def validate_document(doc: YamlDocument, model: type[BaseModel], context: dict | None = None):
    """Validate `doc` against `model`; raise YamlProblems naming file, line and field."""
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems = [
            doc.problem(tuple(p for p in e["loc"] if not _is_union_tag(p)), _pydantic_message(e))
            for e in exc.errors()
        ]
        raise YamlProblems(problems) from None


def _is_union_tag(part: Any) -> bool:
    """Pydantic puts the chosen union member's tag in `loc`; it is not a field in the file."""
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)
