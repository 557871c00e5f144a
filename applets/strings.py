"""strings: print the runs of printable characters (ASCII 32..126 and tab) in files.

Runs are found with one regular expression over large buffers; a run that
crosses a buffer boundary is carried over, so files of any size stream through.
"""

import os
import sys

from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """strings [-fo] [-t o|d|x] [-n LEN] [FILE]...

Display printable strings in a binary file

\t-f\t\tPrecede strings with filenames
\t-o\t\tPrecede strings with octal offsets
\t-t o|d|x\tPrecede strings with offsets in base 8/10/16
\t-n LEN\t\tAt least LEN characters form a string (default 4)"""

CHUNK = 1 << 20
_RADIX = {"o": b"%7o ", "d": b"%7d ", "x": b"%7x "}


def _scan(fd: int, pattern, prefix: bytes, offset_format, out) -> None:
    """Write every run of printable bytes (long enough) read from fd."""
    carry = b""
    base = 0  # file offset of data[0]
    while True:
        chunk = os.read(fd, CHUNK)
        data = carry + chunk
        end_of_file = not chunk
        pieces = []
        last_end = 0
        for match in pattern.finditer(data):
            start, end = match.span()
            if end == len(data) and not end_of_file:
                break  # the run may continue in the next chunk
            last_end = end
            if offset_format is not None:
                pieces.append(prefix + offset_format % (base + start) + match.group() + b"\n")
            else:
                pieces.append(prefix + match.group() + b"\n")
        if pieces:
            out.write(b"".join(pieces))
        if end_of_file:
            return
        keep_from = _printable_tail_start(data, last_end)
        base += keep_from
        carry = data[keep_from:]


def _printable_tail_start(data: bytes, floor: int) -> int:
    """Index where the trailing run of printable bytes begins (not before floor)."""
    stripped = data.rstrip(bytes(range(32, 127)) + b"\t")
    return max(len(stripped), floor)


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "afon:t:")
    minimum = 4
    show_name = False
    offset_format = None
    for option, value in options:
        if option == "-f":
            show_name = True
        elif option == "-o":
            offset_format = _RADIX["o"]
        elif option == "-t":
            if value not in _RADIX:
                raise UsageError()
            offset_format = _RADIX[value]
        elif option == "-n":
            if not value.isdigit() or not value.isascii():
                raise Fail(f"invalid number '{value}'")
            minimum = int(value)
            if not 1 <= minimum <= 2**31 - 1:
                raise Fail(f"number {value} is not in 1..2147483647 range")
    import re

    pattern = re.compile(rb"[\t -~]{%d,}" % minimum)
    out = stdout()
    status = 0
    try:
        for name in files or ["-"]:
            if name == "-":
                fd = sys.stdin.fileno()
                label = "{standard input}" if not files else "-"
            else:
                try:
                    fd = os.open(name, os.O_RDONLY)
                except OSError as exc:
                    out.flush()
                    warn(f"{name}: {exc.strerror}")
                    status = 1
                    continue
                label = name
            prefix = os.fsencode(label) + b": " if show_name else b""
            try:
                _scan(fd, pattern, prefix, offset_format, out)
            except IsADirectoryError:
                pass  # BusyBox reads a directory as an empty file
            finally:
                if name != "-":
                    os.close(fd)
    finally:
        out.flush()
    return status
