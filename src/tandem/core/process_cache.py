"""The per-process cache ("local"): objects kept as they are, without pickling.

Django's ``LocMemCache`` pickles every value on ``set`` and unpickles it on every ``get`` and
validates every key against memcached's rules: for the page skeletons, price fragments and
small facts read several times per request that cost more than the rest of a cached page.
Entries here are shared objects, so what is kept must never be changed by whoever reads it
(the catalog keeps strings, tuples and dicts it only reads). Oldest entries go first once
``MAX_ENTRIES`` is reached; expired ones when read.
"""

import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_MISSING = object()
# One store per LOCATION, shared by the threads of the process (Django makes one cache
# object per thread).
_STORES: dict[str, dict[str, tuple[float | None, Any]]] = {}
_LOCKS: dict[str, threading.Lock] = {}


class ProcessCache(BaseCache):
    def __init__(self, name: str, params: dict) -> None:
        super().__init__(params)
        self._entries = _STORES.setdefault(name, {})
        self._lock = _LOCKS.setdefault(name, threading.Lock())

    def _expiry(self, timeout: float | None | object) -> float | None:
        seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        return None if seconds is None else time.monotonic() + float(seconds)  # type: ignore[arg-type]

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        entry = self._entries.get(self.make_key(key, version), _MISSING)
        if entry is _MISSING:
            return default
        expires, value = entry  # type: ignore[misc]
        if expires is not None and expires <= time.monotonic():
            self._entries.pop(self.make_key(key, version), None)
            return default
        return value

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        expires = self._expiry(timeout)
        full_key = self.make_key(key, version)
        with self._lock:
            self._entries.pop(full_key, None)
            if expires is not None and expires <= time.monotonic():
                return  # a timeout of 0 keeps nothing
            while len(self._entries) >= self._max_entries:
                self._entries.pop(next(iter(self._entries)))  # the oldest
            self._entries[full_key] = (expires, value)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        if self.get(key, _MISSING, version) is not _MISSING:
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, _MISSING, version)
        if value is _MISSING:
            return False
        self.set(key, value, timeout, version)
        return True

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._entries.pop(self.make_key(key, version), _MISSING) is not _MISSING

    def clear(self) -> None:
        self._entries.clear()
