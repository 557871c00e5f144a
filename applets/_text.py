"""Shared plumbing for the line-oriented text applets (uniq, cut, paste, fold, expand, nl, comm, tsort).

Input is read with os.read in large blocks that end on a line boundary, so the
applets can work on whole buffers with bytes methods while still streaming.
"""

import os

from applets.common import warn

from applets._escape import escape_at

BLOCK = 1 << 20


def open_fd(path: str) -> int:
    """Open path read-only as a raw descriptor; "-" is stdin. Raises OSError.

    A raw open (not Python's open()) lets a directory be opened like C's fopen
    does, so its error surfaces on read, where BusyBox reports it.
    """
    return 0 if path == "-" else os.open(path, os.O_RDONLY)


def close_fd(fd: int) -> None:
    if fd != 0:
        os.close(fd)


class Inputs:
    """The FILE operands (stdin for none or "-"), each read through a block reader.

    A file that cannot be opened is reported as `APPLET: FILE: reason` and skipped; a
    directory (whose error only shows on read) is reported the way `directory_message`
    says, or skipped silently when it is None, as each BusyBox applet does. `status`
    ends up 1 when anything was reported.
    """

    def __init__(self, files: list[str], directory_message: str | None = None):
        self.files = files or ["-"]
        self.directory_message = directory_message
        self.status = 0

    def each(self, reader):
        """Yield, per file, an iterator over `reader(fd)` (e.g. read_blocks)."""
        for path in self.files:
            try:
                fd = open_fd(path)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                self.status = 1
                continue
            try:
                yield self._reading(reader(fd), path)
            finally:
                close_fd(fd)

    def _reading(self, chunks, path: str):
        try:
            yield from chunks
        except IsADirectoryError:
            if self.directory_message is not None:
                warn(f"{path}: {self.directory_message}")
                self.status = 1


def read_blocks(fd: int, separator: bytes = b"\n", size: int = BLOCK):
    """Yield the input in blocks that each end just after a separator.

    The final block may lack its separator (an unterminated last line). A line
    longer than `size` is accumulated until its end arrives.
    """
    pending = []
    while True:
        data = os.read(fd, size)
        if not data:
            if pending:
                yield b"".join(pending)
            return
        cut = data.rfind(separator) + 1
        if not cut:
            pending.append(data)
            continue
        if pending:
            pending.append(data[:cut])
            yield b"".join(pending)
            pending = []
        else:
            yield data[:cut] if cut < len(data) else data
        if cut < len(data):
            pending.append(data[cut:])


def read_lines(fd: int, separator: bytes = b"\n"):
    """Yield each block's lines, without their separators (an unterminated last line included)."""
    for block in read_blocks(fd, separator):
        lines = block.split(separator)
        if not lines[-1]:
            lines.pop()
        yield lines


def unescape(text: bytes) -> bytes:
    """Process every backslash escape in text (BusyBox strcpy_and_process_escape_sequences)."""
    if b"\\" not in text:
        return text
    out = bytearray()
    at = 0
    while at < len(text):
        byte = text[at]
        at += 1
        if byte == 92:
            byte, at = escape_at(text, at)
        out.append(byte)
    return bytes(out)
