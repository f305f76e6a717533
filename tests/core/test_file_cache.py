"""The file cache of a machine without Redis stays bounded without listing its folder on
every write."""

from unittest import mock

from tandem.core import file_cache
from tandem.core.file_cache import FileCache


def make(tmp_path, max_entries: int) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def test_a_write_rarely_lists_the_folder(tmp_path):
    cache = make(tmp_path, 10_000)
    with mock.patch.object(FileCache, "_list_cache_files", autospec=True, return_value=[]) as listing:
        for n in range(400):
            cache.set(f"k{n}", n)
    assert listing.call_count < 20  # Django's own backend lists it 400 times
    assert cache.get("k399") == 399


def test_it_still_culls_when_over_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(file_cache, "CHECK_EVERY", 1)
    cache = make(tmp_path, 20)
    for n in range(100):
        cache.set(f"k{n}", n)
    assert len(list(tmp_path.iterdir())) <= 20
