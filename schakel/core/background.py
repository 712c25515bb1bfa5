"""Work a request leaves behind after its commit, done by one thread per web process.

The processing log's chaining (audit/sequencer.py) and the officers' notice of new
signals (signals/notifications.py) run after a request's commit, but the request need
not wait for them: it answers, and the thread does the work for every request that
committed meanwhile in one go (a round per gathering, not one per request, each taking
the interpreter from the requests). What the work is about lives in the database, so
a thread that dies with its process leaves nothing unknown: the worker's heartbeat
does what it left.

`notify` (after a commit) wakes the thread, starting it in this process if needed
(after a fork the parent's thread is gone); woken, it lets the notices of the other
request threads gather for `gather_ms()` milliseconds, then runs `work` until nothing
it was told of is left, with its own database connection, which it closes when idle for
a minute. `wait_idle` lets a test (or a shutdown) wait until it has caught up; at exit
it finishes what it was told of.
"""

import atexit
import logging
import os
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)


class AfterCommitThread:
    IDLE_CLOSE = 60.0

    def __init__(self, name: str, work, gather_ms):
        self.name, self.work, self.gather_ms = name, work, gather_ms
        self._lock = threading.Condition()
        self._wake = threading.Event()
        self._thread = None
        self._pid = None
        self._asked = self._done = 0
        self._stopping = False

    def notify(self) -> None:
        with self._lock:
            self._asked += 1
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                if self._pid != os.getpid():  # once per process: finish the work at exit
                    atexit.register(self.stop)
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name=self.name,
                                                daemon=True)
                self._thread.start()
        self._wake.set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once every notice given before this call has been worked off."""
        with self._lock:
            target = self._asked
            return self._lock.wait_for(lambda: self._done >= target, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Let the thread finish what it was told of, close its connection and end (at
        shutdown, and after a test); the next notice starts a new one."""
        with self._lock:
            thread, self._stopping = self._thread, True
        if thread is not None and thread.is_alive():
            self._wake.set()
            thread.join(timeout)
        with self._lock:
            self._stopping, self._thread = False, None

    def _run(self) -> None:
        while True:
            if not self._wake.wait(self.IDLE_CLOSE):
                connections.close_all()  # this thread's connection, while nothing comes
                continue
            if not self._stopping:
                time.sleep(self.gather_ms() / 1000)
            self._wake.clear()
            if self._stopping and self._done >= self._asked:
                connections.close_all()
                return
            with self._lock:
                target = self._asked
            try:
                self.work()
            except Exception:  # noqa: BLE001  # the heartbeat does what is left
                logger.exception("%s: the work after commit failed", self.name)
                connections.close_all()
            with self._lock:
                self._done = max(self._done, target)
                self._lock.notify_all()
                if self._stopping:
                    self._wake.set()  # look again: end once everything asked is done
