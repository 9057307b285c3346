"""Load YAML files so that validation errors can name the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Location = tuple[str | int, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 20x faster


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


def read_yaml(path: Path | str, text: str | None = None) -> YamlDocument:
    """Parse a YAML file; syntax errors become a YamlProblems with the line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlProblems([Problem(name, None, "", f"cannot read file: {exc}")]) from exc
    try:
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise YamlProblems([Problem(name, line, "", f"YAML syntax error: {exc.problem}")]) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problem = f"character {exc.character!r} is not allowed in YAML (a control character?)"
        raise YamlProblems([Problem(name, line, "", problem)]) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        problem = f"YAML cannot be read: {type(exc).__name__}"
        if isinstance(exc, RecursionError):
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
