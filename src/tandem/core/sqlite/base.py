"""SQLite for several worker processes: writers queue on a lock file instead of polling.

Every write transaction begins ``IMMEDIATE`` (settings), so SQLite lets one writer in at a
time; the others wait in SQLite's busy handler, which sleeps in growing steps (up to 100 ms)
and retries — under a steady stream of carts being filled that wasted most of the waiting
time and made the slowest adds wait hundreds of milliseconds. Here a writer first takes an
exclusive ``flock`` on ``<database>.writer-lock``: the kernel wakes the next writer the moment
the lock is released (at commit or rollback, or when a process dies). Reads never take it (WAL
lets them run beside the writer). In-memory databases have no file and no other process.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock: int | None = None

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}.writer-lock"

    def _writer_lock_take(self) -> None:
        path = self._writer_lock_path()
        if path is None:
            return
        if self._writer_lock is None:
            self._writer_lock = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_lock, fcntl.LOCK_EX)

    def _writer_lock_release(self) -> None:
        if self._writer_lock is not None:
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock_take()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._writer_lock_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._writer_lock_release()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            if self._writer_lock is not None:
                os.close(self._writer_lock)  # releases the lock too
                self._writer_lock = None
