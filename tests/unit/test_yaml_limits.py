"""Every YAML file is read with limits: an alias bomb or a deep nesting is refused, fast."""

from __future__ import annotations

import resource
import time

import pytest

from data import staff
from data.yamlfile import MAX_BYTES, YamlProblems, read_yaml


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """Nine levels of nine aliases each: 9**9 (387 million) values once expanded."""
    lines = ["a: &a [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_a_415_byte_alias_bomb_is_refused_fast_in_bounded_memory():
    bomb = alias_bomb()
    assert 300 < len(bomb.encode()) <= 415
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(YamlProblems) as refused:
        read_yaml("bomb.yaml", bomb)
    assert time.perf_counter() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB
    assert "alias bomb" in str(refused.value) and "bomb.yaml:" in str(refused.value)


def test_a_staff_metadata_file_with_an_alias_bomb_is_rejected_with_a_reason():
    with pytest.raises(staff.StaffProblems) as rejected:
        staff.parse_meta(alias_bomb().encode(), "woz.yaml")
    assert "refused: more than" in rejected.value.problems[0]


def test_a_recursive_alias_is_refused():
    with pytest.raises(YamlProblems, match="refers to itself"):
        read_yaml("loop.yaml", "a: &a [1, *a]\n")


def test_deep_nesting_is_refused_without_recursing():
    with pytest.raises(YamlProblems, match="nested deeper than"):
        read_yaml("deep.yaml", "[" * 100_000)


def test_too_many_aliases_are_refused_even_when_small():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    with pytest.raises(YamlProblems, match="more than 100 aliases"):
        read_yaml("many.yaml", text)


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * MAX_BYTES + "\n")
    with pytest.raises(YamlProblems, match="the limit is"):
        read_yaml(path)


def test_a_few_aliases_still_work_with_their_lines():
    doc = read_yaml("ok.yaml", "base: &b {unit: euro}\nuse: *b\nn: 3\n")
    assert doc.data == {"base": {"unit": "euro"}, "use": {"unit": "euro"}, "n": 3}
    assert doc.line_of(("n",)) == 3
