"""tac: print files line by line, last line first.

Each file is read whole (the last line has to come out first) and reversed with one
split and one join, so the work stays in C.
"""

import os

from applets._textio import CHUNK, close_input, open_or_warn
from applets.common import getopt, stdout, warn

USAGE = """tac [FILE]...

Print each FILE (stdin if none or -) with its lines in reverse order"""


def _reversed_lines(data: bytes) -> bytes:
    """DATA's lines in reverse order; an unterminated last line comes out unterminated, first."""
    lines = data.split(b"\n")
    last = lines.pop()
    lines.reverse()
    return last + b"\n".join(lines) + b"\n" if lines else last


def _read_all(fd: int) -> bytes:
    pieces = []
    while data := os.read(fd, CHUNK):
        pieces.append(data)
    return b"".join(pieces)


def main(argv: list[str]) -> int:
    _, files = getopt(argv[1:], "")
    status = 0
    reversed_files = []
    # BusyBox reads the files last to first, so its messages come in that order too.
    for path in reversed(files or ["-"]):
        fd = open_or_warn(path, quoted=False)
        if fd is None:
            status = 1
            continue
        try:
            reversed_files.append(_reversed_lines(_read_all(fd)))
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
        finally:
            close_input(fd)
    out = stdout()
    for data in reversed(reversed_files):
        out.write(data)
    return status
