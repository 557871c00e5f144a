"""A progress bar for terminals: packages and bytes, redrawn in place on stderr.

Only drawn when stderr is a terminal and output is not quieted (or --progress asks for
it; --no-progress turns it off); the plain `(i/N) ...` lines are printed either way, so
piped output stays line by line.
"""

from __future__ import annotations

import os
import sys
import threading


def wanted(ctx) -> bool:
    if ctx.extra.get("no_progress") or ctx.verbosity < 1:
        return False
    return bool(ctx.progress) or sys.stderr.isatty()


class ProgressBar:
    """`[#####     ]  12/42 packages  3.4/10.2 MiB`, erased before other output is written."""

    def __init__(self, total_packages: int, total_bytes: int, stream=None):
        self.total_packages = max(total_packages, 1)
        self.total_bytes = max(total_bytes, 1)
        self.packages = 0
        self.bytes = 0
        self.stream = stream or sys.stderr
        self.shown = False
        self.lock = threading.Lock()

    def _width(self) -> int:
        try:
            return max(os.get_terminal_size(self.stream.fileno()).columns, 40)
        except (OSError, ValueError, AttributeError):
            return 80

    def add_bytes(self, count: int) -> None:
        with self.lock:
            self.bytes += count
            self._draw()

    def package_done(self, size: int = 0) -> None:
        with self.lock:
            self.packages += 1
            self.bytes = max(self.bytes, min(self.total_bytes, self.bytes + size))
            self._draw()

    def _draw(self) -> None:
        done = min(1.0, 0.5 * self.packages / self.total_packages + 0.5 * self.bytes / self.total_bytes)
        label = f" {self.packages:>{len(str(self.total_packages))}}/{self.total_packages} packages  " \
                f"{self.bytes / 1048576:.1f}/{self.total_bytes / 1048576:.1f} MiB"
        room = max(self._width() - len(label) - 3, 10)
        filled = int(room * done)
        self.stream.write("\r[" + "#" * filled + " " * (room - filled) + "]" + label)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the bar (before a message line is printed)."""
        with self.lock:
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.shown = False
