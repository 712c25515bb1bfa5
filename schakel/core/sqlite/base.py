"""SQLite whose writers queue for the write lock instead of polling for it.

SQLite lets one writer in at a time (`BEGIN IMMEDIATE`, settings.py). A writer that
finds the lock taken waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20,
25 … up to 100 ms between tries: with eight requests writing at once (gunicorn's
2 workers × 4 threads), most of them slept while the lock was already free, and a
thread holding it also shared its worker's GIL with the sleepers' neighbours.

Here a transaction first takes an advisory lock beside the database file: one thread
per process queues on a `threading.Lock` (woken the moment it is released), and that
thread takes an `flock` on `<database>-writelock` for the processes, retrying every
0.5–2 ms. Then it begins as before and releases both at commit, rollback or close.
Only the waiting changed: SQLite still decides who writes (a process that does not
use this backend, e.g. the `sqlite3` shell, only makes us wait in SQLite's own handler
again), and waiting longer than the busy timeout (OPTIONS["timeout"]) is the same
"database is locked" error as before (DatabaseBusyMiddleware answers 503).
"""

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

_guard = threading.Lock()
_locks: dict[tuple[int, str], tuple[threading.Lock, int]] = {}


def _lock_for(path: str) -> tuple[threading.Lock, int]:
    """This process's lock and lock-file descriptor for the database at `path`.

    Keyed by process id too: a descriptor opened before gunicorn forks would share its
    flock with the children.
    """
    key = (os.getpid(), path)
    with _guard:
        if key not in _locks:
            fd = os.open(f"{path}-writelock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            _locks[key] = (threading.Lock(), fd)
        return _locks[key]


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: tuple[threading.Lock, int] | None = None

    def _take_write_lock(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        lock, fd = _lock_for(str(self.settings_dict["NAME"]))
        deadline = time.monotonic() + timeout
        if not lock.acquire(timeout=timeout):
            raise OperationalError(f"database is locked (waited {timeout:g} s for a writer)")
        pause = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    lock.release()
                    raise OperationalError(
                        f"database is locked (waited {timeout:g} s for a writer)") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
        self._write_lock = (lock, fd)

    def _release_write_lock(self) -> None:
        held, self._write_lock = self._write_lock, None
        if held is not None:
            lock, fd = held
            fcntl.flock(fd, fcntl.LOCK_UN)
            lock.release()

    def _start_transaction_under_autocommit(self):
        if self._write_lock is None and not self.is_in_memory_db():
            self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
