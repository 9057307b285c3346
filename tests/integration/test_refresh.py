"""Refresh through the real fetch code: last good data stays, versions swap atomically."""

from __future__ import annotations

import gzip
import json
import shutil
import threading
from dataclasses import replace

import pandas as pd
import pytest

from data.pipeline import refresh
from data.store import Store
from tests.conftest import SHARED_DATA, FileServer, copy_data_dir

RIVM_CASES = "rivm/COVID-19_aantallen_gemeente_per_dag_reconstructed.csv.gz"


@pytest.fixture()
def own_store(refreshed_settings, tmp_path):
    """A private copy of the refreshed store, with a private copy of the mirror to break."""
    data_dir = tmp_path / "data"
    copy_data_dir(refreshed_settings.data_dir, data_dir)
    mirror = tmp_path / "mirror"
    shutil.copytree(SHARED_DATA, mirror)
    return replace(refreshed_settings, data_dir=data_dir, mirror=str(mirror)), mirror


def _emmen_cases(settings) -> float:
    store = Store(settings.store_dir)
    table = pd.read_parquet(store.version_dir() / "observations" / "covid_cases.parquet")
    return table.loc[table["area"] == "GM0114", "value"].sum()


def test_refresh_keeps_last_good_version_when_csv_is_truncated(own_store):
    settings, mirror = own_store
    raw = gzip.decompress((mirror / RIVM_CASES).read_bytes())
    (mirror / RIVM_CASES).write_bytes(gzip.compress(raw[: len(raw) // 2]))
    before = Store(settings.store_dir).current_version()

    report = refresh(settings, only=["rivm_cases"])

    [result] = [r for r in report.results if r.dataset == "rivm_cases"]
    assert result.status == "failed"
    assert "last good version kept" in result.reason
    assert report.version == before  # nothing new to publish: the last good version stays
    assert _emmen_cases(settings) == 48_053
    status = Store(settings.store_dir).status()["datasets"]["rivm_cases"]
    assert status["last_failure_reason"] == result.reason.replace(" (last good version kept)", "")


def test_refresh_keeps_last_good_version_when_an_html_page_comes_back(own_store):
    settings, mirror = own_store
    (mirror / RIVM_CASES).write_bytes(
        gzip.compress(b"<!DOCTYPE html><html><body>503</body></html>")
    )
    report = refresh(settings, only=["rivm_cases"])
    [result] = [r for r in report.results if r.dataset == "rivm_cases"]
    assert result.status == "failed"
    assert "HTML" in result.reason
    assert _emmen_cases(settings) == 48_053


def test_second_refresh_over_http_uses_conditional_get(refreshed_settings, tmp_path):
    settings = replace(refreshed_settings, data_dir=tmp_path / "data")
    copy_data_dir(refreshed_settings.data_dir, settings.data_dir)
    report = refresh(settings, only=["rivm_vaccination", "geo_wijken"])
    statuses = {r.dataset: r.status for r in report.results}
    assert statuses["rivm_vaccination"] == "unchanged"
    assert statuses["geo_wijken"] == "unchanged"
    assert statuses["rivm_cases"] == "kept"


def test_readers_during_a_refresh_never_see_a_partial_store(refreshed_settings, tmp_path):
    settings = replace(refreshed_settings, data_dir=tmp_path / "data")
    copy_data_dir(refreshed_settings.data_dir, settings.data_dir)
    store = Store(settings.store_dir)
    problems: list[str] = []
    seen: set[str] = set()
    done = threading.Event()

    def read_until_done():
        finished = False
        while not finished:
            finished = done.is_set()  # one more full read after the refresh returned
            version_dir = store.version_dir()
            manifest = json.loads((version_dir / "manifest.json").read_text())
            seen.add(manifest["version"])
            for indicator, rows in manifest["row_counts"].items():
                path = version_dir / "observations" / f"{indicator}.parquet"
                if not path.exists():
                    problems.append(f"{manifest['version']}: {indicator} missing")
                elif (
                    indicator in ("population", "covid_cases")
                    and len(pd.read_parquet(path)) != rows
                ):
                    problems.append(f"{manifest['version']}: {indicator} incomplete")

    readers = [threading.Thread(target=read_until_done) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        refresh(settings, only=["rivm_cases"], force=True)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert not problems
    assert len(seen) == 2  # the old version, then the new one


def test_unknown_dataset_is_an_error(refreshed_settings):
    with pytest.raises(ValueError, match="unknown dataset"):
        refresh(refreshed_settings, only=["nope"])


def test_fetch_over_http_server_fails_cleanly_when_file_is_missing(refreshed_settings, tmp_path):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with FileServer(empty) as server:
        settings = replace(refreshed_settings, data_dir=tmp_path / "data", mirror=server.url)
        copy_data_dir(refreshed_settings.data_dir, settings.data_dir)
        report = refresh(settings, only=["rivm_sewage"])
    [result] = [r for r in report.results if r.dataset == "rivm_sewage"]
    assert result.status == "failed"
    assert "404" in result.reason


VACCINATION = "rivm/COVID-19_vaccinatiegraad_per_gemeente_per_week_leeftijd_v3_2022-03-23.csv"


def _damage(kind: str, text: str) -> bytes:
    header, first, *rest = text.splitlines(keepends=True)
    if kind == "missing column":
        return "".join(line.rsplit(";", 1)[0] + "\n" for line in text.splitlines()).encode()
    if kind == "renamed column":
        return text.replace("Region_code", "RegionCode", 1).encode()
    if kind == "wrong delimiter":
        return text.replace(";", ",").encode()
    if kind == "wrong encoding":
        return text.replace("Groningen", "Gröningen").encode("cp1252")
    if kind == "non-numeric value":
        return (header + first.replace(";85;", ";veel;", 1) + "".join(rest)).encode()
    if kind == "unknown municipality":
        return (header + first.replace("GM0014", "GM9999") + "".join(rest)).encode()
    if kind == "empty file":
        return b""
    raise ValueError(kind)


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("missing column", "Age_group"),
        ("renamed column", "Region_code"),
        ("wrong delimiter", "delimiter"),
        ("wrong encoding", "UTF-8"),
        ("non-numeric value", "veel"),
        ("unknown municipality", "GM9999"),
        ("empty file", "empty"),
    ],
)
def test_broken_upstream_file_is_rejected_with_its_reason_and_data_stays(own_store, kind, needle):
    settings, mirror = own_store
    path = mirror / VACCINATION
    path.write_bytes(_damage(kind, path.read_text(encoding="utf-8")))
    store = Store(settings.store_dir)
    before = store.current_version()

    report = refresh(settings, only=["rivm_vaccination"])

    [result] = [r for r in report.results if r.dataset == "rivm_vaccination"]
    assert result.status == "failed"
    assert needle in result.reason
    assert store.current_version() == before
    table = pd.read_parquet(
        store.version_dir() / "observations" / "vaccination_partly_12plus.parquet"
    )
    assert table.loc[table["area"] == "GM0114", "value"].tolist() == [84.0, 87.0]  # v2, v3
