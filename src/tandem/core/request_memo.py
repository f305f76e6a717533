"""Values worked out once per request: a memo emptied as each request starts.

For small facts several parts of one page need (the category tree for the menu, the
breadcrumbs and the listing's subtree) when the catalog caches are off
(``CATALOG_CACHE_SECONDS=0``): within one request they cannot go stale. Outside a request
(the worker, a shell) nothing is kept.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[str, Any] | None] = ContextVar("request_memo", default=None)


def request_memo_start(**_signal: Any) -> None:
    """A fresh memo for the request that starts (``request_started``)."""
    _memo.set({})


def request_memo_end(**_signal: Any) -> None:
    """No memo once the request is answered (``request_finished``): what runs next in this
    thread outside a request (a test, a task run in the same process) computes afresh."""
    _memo.set(None)


def request_memo(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
