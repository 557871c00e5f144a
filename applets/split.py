"""split: cut a file into pieces of N lines or N bytes, named PREFIXaa, PREFIXab, ...

Input is read in large blocks. For -l each block is split into lines once and the
pieces are joined back from list slices, so no Python code runs per line.
"""

import os

from applets._textio import parse_count, read_blocks
from applets.common import Fail, UsageError, getopt

USAGE = """split [OPTIONS] [INPUT [PREFIX]]

Cut INPUT (stdin if none or -) into files PREFIXaa, PREFIXab, ... (PREFIX: x)

\t-l N\t\tN lines per file (default 1000)
\t-b N[bkmg]\tN bytes per file (suffix: x512, KiB, MiB, GiB)
\t-a N\t\tSuffixes of N letters (default 2)"""

SUFFIXES = {"b": 512, "k": 1024, "m": 1024**2, "g": 1024**3}
NAME_MAX = 255


class _Pieces:
    """The output files: PREFIX plus a suffix counting aa, ab, ... zz (for -a 2)."""

    def __init__(self, prefix: str, letters: int) -> None:
        self.prefix = prefix
        self.suffix = [0] * letters
        self.exhausted = False
        self.fd: int | None = None

    def open_next(self) -> int:
        """Close the current piece, open the next one, and return its fd."""
        if self.exhausted:
            raise Fail("suffixes exhausted")
        name = self.prefix + "".join(chr(ord("a") + letter) for letter in self.suffix)
        self._advance()
        if self.fd is not None:
            os.close(self.fd)
        try:
            self.fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise Fail(f"can't open '{name}': {exc.strerror}") from None
        return self.fd

    def _advance(self) -> None:
        for position in reversed(range(len(self.suffix))):
            if self.suffix[position] < 25:
                self.suffix[position] += 1
                return
            self.suffix[position] = 0
        self.exhausted = True


def _write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _split_bytes(blocks, size: int, pieces: _Pieces) -> None:
    room = 0
    out = -1
    for data in blocks:
        view = memoryview(data)
        while view:
            if not room:
                out, room = pieces.open_next(), size
            part = view[:room]
            _write_all(out, part)
            room -= len(part)
            view = view[len(part) :]


def _split_lines(blocks, count: int, pieces: _Pieces) -> None:
    room = 0  # lines still to go into the current piece
    out = -1
    for data in blocks:
        lines = data.split(b"\n")
        unterminated = lines.pop()
        done = 0
        while done < len(lines):
            if not room:
                out, room = pieces.open_next(), count
            taken = lines[done : done + room]
            _write_all(out, b"\n".join(taken) + b"\n")
            room -= len(taken)
            done += len(taken)
        if unterminated:
            if not room:
                out, room = pieces.open_next(), count
            _write_all(out, unterminated)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "l:b:a:")
    if len(operands) > 2:
        raise UsageError()
    by_bytes = False
    count = 1000
    letters = 2
    for option, value in options:
        if option == "-a":
            letters = parse_count(value)
            continue
        by_bytes = option == "-b"
        count = parse_count(value, SUFFIXES if by_bytes else None)
        if not count:
            raise Fail(f"invalid number '{value}'")
    fd = 0
    name = operands[0] if operands else "standard input"
    if name != "-" and operands:
        try:
            fd = os.open(name, os.O_RDONLY)
        except OSError as exc:
            raise Fail(f"can't open '{name}': {exc.strerror}") from None
    prefix = operands[1] if len(operands) > 1 else "x"
    if len(os.fsencode(prefix)) + letters > NAME_MAX:
        raise Fail("suffix too long")
    split = _split_bytes if by_bytes else _split_lines
    split(read_blocks(fd, name), count, _Pieces(prefix, letters))
    return 0
