"""With DATABASE_URL the writer's queue lives in PostgreSQL: an admin upload queued on one
web host reaches the clock on another host (its own local folders), files included."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.scheduler import receive_uploads
from data import writequeue
from data.pgstore import PostgresStore
from tests.pgserver import fresh_database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "staff"


def _upload() -> dict[str, bytes]:
    return {f"woz_value{s}": (FIXTURES / f"woz_value{s}").read_bytes() for s in (".csv", ".yaml")}


def test_an_upload_queued_on_a_web_host_is_run_by_the_clock_of_another(postgres_server, tmp_path):
    with fresh_database(postgres_server) as url:
        web, clock = PostgresStore(url, tmp_path / "web"), PostgresStore(url, tmp_path / "clock")
        clock_settings = SimpleNamespace(staff_data_dir=tmp_path / "clock" / "staff")
        seen: list = []

        def refresh(datasets, progress):
            folder = clock_settings.staff_data_dir
            seen.append((datasets, sorted(p.name for p in folder.iterdir())))
            progress("woz_value: updated")
            return "20261202T000000000000Z", []

        try:
            job = writequeue.enqueue(web, ["woz_value"], by="onderzoek", files=_upload())
            assert [r["id"] for r in writequeue.queued(clock)] == [job]
            assert writequeue.read(web, job)["state"] == writequeue.QUEUED
            handled = writequeue.work(
                clock, refresh, lambda files: receive_uploads(clock_settings, files)
            )
            assert handled == [job]
            assert seen == [(["woz_value"], ["woz_value.csv", "woz_value.yaml"])]
            for name, content in _upload().items():
                assert (clock_settings.staff_data_dir / name).read_bytes() == content
            record = writequeue.read(web, job)  # the web host shows what the clock did
            assert record["state"] == writequeue.DONE
            assert record["version"] == "20261202T000000000000Z"
            assert record["messages"] == ["woz_value: updated"]
            assert writequeue.queued(clock) == []
            assert not (tmp_path / "web" / "queue").exists()  # no folder queue on the web host
        finally:
            web.close()
            clock.close()


def test_a_failed_request_in_postgres_says_why_and_the_next_one_still_runs(
    postgres_server, tmp_path
):
    with fresh_database(postgres_server) as url:
        store = PostgresStore(url, tmp_path)
        try:
            first = writequeue.enqueue(store, ["a"])
            second = writequeue.enqueue(store, ["b"])

            def refresh(datasets, progress):
                if datasets == ["a"]:
                    raise RuntimeError("upstream is down")
                return "v2", []

            assert writequeue.work(store, refresh) == [first, second]
            assert writequeue.read(store, first)["reason"] == "upstream is down"
            assert writequeue.read(store, second)["state"] == writequeue.DONE
            assert writequeue.read(store, "not-an-id") is None
        finally:
            store.close()


def test_receiving_an_upload_ignores_names_that_are_not_a_dataset_pair(tmp_path):
    settings = SimpleNamespace(staff_data_dir=tmp_path / "staff")
    files = {"../evil.csv": b"x", "lonely.csv": b"x", **_upload()}
    assert receive_uploads(settings, files) == ["woz_value"]
    assert sorted(p.name for p in settings.staff_data_dir.iterdir()) == [
        "woz_value.csv",
        "woz_value.yaml",
    ]
