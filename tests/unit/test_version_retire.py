"""A process keeps one store version's results: when it sees a new current version, the
in-process entries of the others leave (data/cache.py `QueryCache.seen_current`)."""

from __future__ import annotations

from data.cache import LocalMemo, QueryCache, filesystem_backend

computed: list[tuple] = []


def answer(cache: QueryCache, version: str, question: str) -> str:
    def compute() -> str:
        computed.append((version, question))
        return f"{question}@{version}"

    return cache.get("answer", (version, "site", question), compute)


def versions_kept(cache: QueryCache) -> set[str]:
    return {key[1][0] for key in cache.local._entries}


def test_a_new_current_version_drops_the_old_versions_entries_from_the_process(tmp_path):
    cache = QueryCache(filesystem_backend(tmp_path))
    answer(cache, "v1", "a")
    answer(cache, "v1", "b")
    answer(cache, "v2", "a")  # a warming or pinned request may read another version
    assert cache.seen_current("v2") == 2
    assert versions_kept(cache) == {"v2"}
    assert cache.seen_current("v2") == 0  # seen already: nothing to do
    computed.clear()
    assert answer(cache, "v1", "a") == "a@v1"  # still a shared-cache read, not computed again
    assert computed == []


def test_entries_of_the_version_first_seen_stay(tmp_path):
    cache = QueryCache(filesystem_backend(tmp_path))
    answer(cache, "v1", "a")
    assert cache.seen_current("v1") == 0
    assert versions_kept(cache) == {"v1"}
    assert cache.seen_current(None) == 0  # a store without a version retires nothing
    assert len(cache.local) == 1


def test_attached_memos_lose_their_old_entries_and_their_weight():
    cache = QueryCache()
    answers = LocalMemo(100, max_bytes=1000, weigh=len, version_of=lambda key: key[0])
    cache.attach(answers)
    answers.put(("v1", "page"), b"x" * 300)
    answers.put(("v2", "page"), b"y" * 200)
    answers.put((None, "no version"), b"z" * 10)
    cache.seen_current("v2")
    assert (answers.get(("v1", "page")), answers.bytes) == (None, 210)
    assert answers.get(("v2", "page")) == b"y" * 200
    assert answers.get((None, "no version")) == b"z" * 10


def test_a_memo_without_versions_keeps_everything():
    memo = LocalMemo(10)
    memo.put(("v1", "x"), 1)
    assert memo.retire("v2") == 0
    assert memo.get(("v1", "x")) == 1
