"""The per-process cache keeps objects as they are, expires them and stays bounded."""

from unittest import mock

from tandem.core.process_cache import ProcessCache


def make(name: str, max_entries: int = 300) -> ProcessCache:
    return ProcessCache(name, {"OPTIONS": {"MAX_ENTRIES": max_entries}})


def test_values_come_back_as_the_same_objects():
    cache = make("same")
    parts = {"body": "<p>page</p>"}
    cache.set("page", parts, 60)
    assert cache.get("page") is parts  # no pickling on every read
    assert cache.get("other", "default") == "default"


def test_entries_expire_and_a_zero_timeout_keeps_nothing():
    cache = make("expiry")
    with mock.patch("tandem.core.process_cache.time.monotonic", return_value=1000.0):
        cache.set("short", 1, 5)
        cache.set("none", 2, 0)
        cache.set("forever", 3, None)
    with mock.patch("tandem.core.process_cache.time.monotonic", return_value=1006.0):
        assert cache.get("short") is None
        assert cache.get("none") is None
        assert cache.get("forever") == 3


def test_the_oldest_entries_go_first_when_full():
    cache = make("full", max_entries=3)
    for n in range(5):
        cache.set(f"k{n}", n, 60)
    assert [cache.get(f"k{n}") for n in range(5)] == [None, None, 2, 3, 4]


def test_threads_of_one_process_share_the_store():
    make("shared").set("k", "v", 60)
    assert make("shared").get("k") == "v"
    assert make("shared").add("k", "other", 60) is False
    assert make("shared").delete("k") is True
    assert make("shared").get("k") is None
