"""paste: merge corresponding lines of files, or (-s) each file's lines into one."""

import os

from applets import _text
from applets.common import Fail, getopt, stdout, warn

USAGE = """paste [-d LIST] [-s] [FILE]...

Paste lines from each input file, separated with tab

\t-d LIST\tUse delimiters from LIST, not tab
\t-s      Serial: one file at a time"""


class LineReader:
    """Hands out one file's lines, one at a time or as many as a block holds; reads in blocks."""

    def __init__(self, fd: int):
        self.fd = fd
        self.blocks = _text.read_lines(fd)
        self.lines = []
        self.index = 0

    def buffered(self) -> int:
        """How many lines are ready (reading the next block when none are); 0 at the end."""
        while self.index >= len(self.lines):
            if self.blocks is None:
                return 0
            try:
                self.lines = next(self.blocks)
            except (StopIteration, IsADirectoryError):
                self.blocks = None
                _text.close_fd(self.fd)
                return 0
            self.index = 0
        return len(self.lines) - self.index

    def next_line(self):
        if not self.buffered():
            return None
        self.index += 1
        return self.lines[self.index - 1]

    def take(self, count: int) -> list:
        """The next `count` lines, which must be buffered."""
        self.index += count
        return self.lines[self.index - count : self.index]


def _delimiter_cycle(delimiters: bytes):
    """The delimiters as one-byte strings; NUL stands for "no delimiter"."""
    return [b"" if byte == 0 else bytes([byte]) for byte in delimiters]


def paste_whole_rows(readers, separators, out) -> None:
    """The rows to which every file still gives a line, as many at a time as all of them
    have buffered: each file's lines and its separator go into every `width`-th slot of
    one list by slice assignment, and one join makes the rows."""
    width = 2 * len(readers)
    while count := min(reader.buffered() for reader in readers):
        parts = [b""] * (count * width)
        for column, reader in enumerate(readers):
            parts[2 * column :: width] = reader.take(count)
            parts[2 * column + 1 :: width] = [separators[column]] * count
        out.write(b"".join(parts))


def paste_parallel(readers, delimiters, out) -> None:
    if len(set(map(id, readers))) == len(readers):  # `paste - -` deals out stdin's lines instead
        separators = [delimiters[column % len(delimiters)] for column in range(len(readers) - 1)]
        paste_whole_rows(readers, separators + [b"\n"], out)
    pieces = []
    active = len(readers)
    last = len(readers) - 1
    while active:
        chosen = 0
        row = []
        for number, reader in enumerate(readers):
            if reader is None:
                continue
            line = reader.next_line()
            if line is None:
                readers[number] = None
                active -= 1
                continue
            row.append(line)
            if number != last:
                row.append(delimiters[chosen])
                chosen = (chosen + 1) % len(delimiters)
            else:
                row.append(b"\n")
        pieces.append(b"".join(row))
        if len(pieces) >= 4096:
            out.write(b"".join(pieces))
            pieces.clear()
    out.write(b"".join(pieces))


def paste_serial(readers, delimiters, out) -> None:
    for reader in readers:
        row = []
        chosen = 0
        line = reader.next_line()
        while line is not None:
            following = reader.next_line()
            row.append(line)
            if following is None:
                row.append(b"\n")
            else:
                row.append(delimiters[chosen])
                chosen = (chosen + 1) % len(delimiters)
            line = following
            if len(row) >= 8192:
                out.write(b"".join(row))
                row.clear()
        out.write(b"".join(row))


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "d:s")
    delimiters = b"\t"
    serial = False
    for option, value in options:
        if option == "-d":
            delimiters = os.fsencode(value)
            if not delimiters:
                raise Fail("-d '' is not supported")
            delimiters = _text.unescape(delimiters)
        else:
            serial = True
    readers = []
    stdin_reader = None
    for path in files or ["-"]:
        if path == "-":
            # Every "-" shares stdin, so `paste - -` deals its lines out in turn.
            stdin_reader = stdin_reader or LineReader(0)
            readers.append(stdin_reader)
            continue
        try:
            readers.append(LineReader(_text.open_fd(path)))
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            return 1
    out = stdout()
    if serial:
        paste_serial(readers, _delimiter_cycle(delimiters), out)
    else:
        paste_parallel(readers, _delimiter_cycle(delimiters), out)
    return 0
