"""`python -m app themes check [FILE...]`: every problem printed, non-zero exit on errors."""

from __future__ import annotations

import shutil

import pytest

from app.__main__ import main
from app.settings import PROJECT_ROOT
from tests.conftest import FIXTURES

GOOD = """schema_version: 3
id: goed
title: {nl: Goed, en: Good}
blocks:
  - type: tiles
    indicators: [households]
    area: PV22
"""


@pytest.fixture()
def folders(tmp_path, monkeypatch):
    themes = tmp_path / "themes"
    themes.mkdir()
    monkeypatch.setenv("MMMETER_THEMES_DIR", str(themes))
    monkeypatch.setenv("MMMETER_DATA_DIR", str(tmp_path / "data"))  # no store yet
    return themes


def test_the_shipped_themes_pass(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MMMETER_THEMES_DIR", str(PROJECT_ROOT / "layouts" / "themes"))
    monkeypatch.setenv("MMMETER_DATA_DIR", str(tmp_path))
    assert main(["themes", "check"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "4 theme file(s) checked: 0 error(s), 0 warning(s)" in err


def test_every_broken_file_is_reported_with_file_line_and_field(folders, capsys):
    broken = sorted((FIXTURES / "themes" / "broken").glob("*.yaml"))
    assert main(["themes", "check", *map(str, broken)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(broken) == 5
    assert any(
        line.endswith(
            "unknown_indicator.yaml:12 blocks[2].indicator: unknown indicator "
            "'woz_waarde'; see /api/v1/indicators for the ids"
        )
        for line in lines
    )
    assert "5 theme file(s) checked: 5 error(s), 0 warning(s)" in err


def test_without_files_the_themes_folder_is_checked(folders, capsys):
    (folders / "goed.yaml").write_text(GOOD)
    shutil.copy(FIXTURES / "themes" / "broken" / "yaml_syntax.yaml", folders)
    assert main(["themes", "check"]) == 1
    out, _ = capsys.readouterr()
    assert "yaml_syntax.yaml:4: YAML syntax error" in out


def test_warnings_are_printed_and_fail_only_with_strict(folders, capsys):
    path = folders / "goed.yaml"
    path.write_text(GOOD)
    assert main(["themes", "check", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("warning: ")
    assert "blocks[0].area: indicator 'households' has no figures per provincie" in out
    assert main(["themes", "check", "--strict", str(path)]) == 1
