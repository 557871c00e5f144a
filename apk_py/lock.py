"""lib/apk/db/lock: one writer at a time, shared with apk-tools (same file, flock)."""

from __future__ import annotations

import fcntl
import os
import time

from apk_py.errors import PkError

LOCK_PATH = "lib/apk/db/lock"


class DatabaseLock:
    """Held for a whole transaction; `wait` seconds to get it, else a clear error."""

    def __init__(self, root: str, wait: float = 0):
        self.path = os.path.join(root, LOCK_PATH)
        self.wait = wait
        self.fd = -1

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    self.fd = -1
                    hint = f" after waiting {self.wait:g}s" if self.wait else " (use --wait N to wait for it)"
                    raise PkError(f"Unable to lock database: {self.path} is held by another process{hint}") from None
                time.sleep(0.05)

    def __exit__(self, *exc):
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1
