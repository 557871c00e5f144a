"""head: print the first (or all but the last) N lines or bytes of each file.

Counting is done on large buffers (bytes.count / index), plain byte ranges of regular
files go through sendfile, and "all but the last N" keeps only what it must hold back.
"""

import os
from collections import deque

from applets._textio import BKM_SUFFIXES, CHUNK, close_input, copy_to_stdout, newline_end, open_or_warn, parse_count
from applets.common import getopt, stdout, warn

USAGE = """head [OPTIONS] [FILE]...

Show the beginning of each FILE (stdin if none or -): 10 lines unless told otherwise.
Several FILEs get a "==> FILE <==" header each.

\t-n N\t\tThe first N lines
\t-n -N\t\tAll lines but the last N
\t-c [-]N\tThe first N bytes (with -: all but the last N)
\t-q\t\tNo headers
\t-v\t\tHeaders even for a single FILE

N takes a multiplier suffix: b 512, k 1024, m 1024*1024."""

# GNU's upper-case K/M/G are accepted too, so `head -c 50M` works as people type it.
SUFFIXES = {**BKM_SUFFIXES, "K": 1024, "M": 1024**2, "G": 1024**3}


class _Count:
    """The -n/-c argument: how many lines or bytes, and whether to drop them from the end."""

    def __init__(self) -> None:
        self.value = 10
        self.all_but = False

    def set(self, text: str) -> None:
        if text.startswith("-"):
            self.all_but = True  # sticky, as in BusyBox
            text = text[1:]
        self.value = parse_count(text, SUFFIXES)


def _copy_first_lines(fd: int, out, count: int) -> None:
    while count > 0:
        data = os.read(fd, CHUNK)
        if not data:
            return
        found = data.count(b"\n")
        if found >= count:
            out.write(data[: newline_end(data, found, count)])
            return
        out.write(data)
        count -= found


def _copy_all_but_bytes(fd: int, out, count: int) -> None:
    held = bytearray()
    slack = max(count, CHUNK)  # release in big steps: each release moves `count` held bytes
    while data := os.read(fd, CHUNK):
        held += data
        if len(held) >= count + slack:
            cut = len(held) - count
            out.write(held[:cut])
            del held[:cut]
    if len(held) > count:
        out.write(held[: len(held) - count])


def _copy_all_but_lines(fd: int, out, count: int) -> None:
    """Hold back blocks until `count` later lines are known to follow what gets printed."""
    blocks: deque = deque()  # [data, newlines in it]
    newlines = 0
    last = b""
    while data := os.read(fd, CHUNK):
        found = data.count(b"\n")
        blocks.append([data, found])
        newlines += found
        last = data
        newlines = _release_lines(blocks, newlines, newlines - count, out)
    if last and not last.endswith(b"\n"):
        # the unterminated last line counts as a line too
        _release_lines(blocks, newlines + 1, newlines + 1 - count, out)


def _release_lines(blocks: deque, newlines: int, printable: int, out) -> int:
    """Print the first `printable` lines held in BLOCKS; return the newlines still held."""
    while blocks and printable > 0:
        block = blocks[0]
        data, found = block
        if found < printable:
            out.write(data)
            blocks.popleft()
        else:
            cut = newline_end(data, found, printable)
            out.write(data[:cut])
            block[0], block[1] = data[cut:], found - printable
            if not block[0]:
                blocks.popleft()
            found = printable
        printable -= found
        newlines -= found
    return newlines


def main(argv: list[str]) -> int:
    args = argv[1:]
    count = _Count()
    by_bytes = False
    if args and args[0].startswith("-") and args[0][1:2].isdigit():
        count.set(args[0][1:])  # obsolete `head -5`
        args = args[1:]
    headers = None  # None: only for several files; True: -v; False: -q
    options, files = getopt(args, "n:c:qv")
    for option, value in options:
        if option == "-q":
            headers = False
        elif option == "-v":
            headers = True
        else:
            by_bytes = by_bytes or option == "-c"
            count.set(value)
    files = files or ["-"]
    if headers is None:
        headers = len(files) > 1
    if by_bytes:
        copy = _copy_all_but_bytes if count.all_but else copy_to_stdout
    else:
        copy = _copy_all_but_lines if count.all_but else _copy_first_lines
    out = stdout()
    status = 0
    separator = ""
    for path in files:
        fd = open_or_warn(path, quoted=False)
        if fd is not None:
            if headers:
                name = "standard input" if fd == 0 else path
                out.write(f"{separator}==> {name} <==\n".encode("utf-8", "surrogateescape"))
            try:
                copy(fd, out, count.value)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                status = 1
            finally:
                close_input(fd)
        else:
            status = 1
        separator = "\n"
    return status
