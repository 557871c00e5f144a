"""tail: print the last (or from the Nth on) lines or bytes of files, and follow them.

Regular files are read backwards from the end, block by block, until enough newlines
are seen, then the tail goes out through sendfile: the cost does not grow with the
file. Pipes keep only the blocks that can still hold the last N lines.
"""

import os
from collections import deque

from applets._textio import BKM_SUFFIXES, CHUNK, copy_to_stdout, newline_end, parse_count
from applets.common import Fail, getopt, stdout, warn, warn_os

USAGE = """tail [OPTIONS] [FILE]...

Show the end of each FILE (stdin if none or -): 10 lines unless told otherwise.
Several FILEs get a "==> FILE <==" header each.

\t-n N\t\tThe last N lines
\t-n +N\t\tEverything from line N on
\t-c [+]N\tThe last N bytes (with +: from byte N on)
\t-f\t\tKeep printing what gets appended to the FILEs
\t-F\t\tLike -f, and reopen FILEs that are replaced or appear later
\t-s SECONDS\tPause between checks for more data (-f)
\t-q\t\tNo headers
\t-v\t\tHeaders even for a single FILE

N takes a multiplier suffix: b 512, k 1024, m 1024*1024."""

BACKWARD_STEP = 64 * 1024


class _Count:
    """-n/-c argument: a count, and whether it counts from the top (+N)."""

    def __init__(self) -> None:
        self.value = 10
        self.from_top = False

    def set(self, text: str) -> None:
        if text.startswith("+"):
            self.from_top = True  # sticky, as in BusyBox
            text = text[1:]
        elif text.startswith("-"):
            text = text[1:]
        self.value = parse_count(text, BKM_SUFFIXES)


def _regular_size(fd: int) -> int:
    """Size of a regular file with something in it, else 0 (pipes, ttys, /proc files)."""
    try:
        info = os.fstat(fd)
    except OSError:
        return 0
    return info.st_size if info.st_mode & 0o170000 == 0o100000 else 0


def _last_lines_start(fd: int, size: int, count: int) -> int:
    """Offset where the last `count` lines of a regular file begin, found reading backwards."""
    wanted = count + (os.pread(fd, 1, size - 1) == b"\n")  # an unterminated last line counts too
    end = size
    step = BACKWARD_STEP
    while end > 0:
        begin = max(0, end - step)
        block = os.pread(fd, end - begin, begin)
        found = block.count(b"\n")
        if found >= wanted:
            return begin + newline_end(block, found, found - wanted + 1)
        wanted -= found
        end = begin
        step = min(step * 2, 16 * CHUNK)
    return 0


def _last_lines_stream(fd: int, count: int, out) -> None:
    """Keep blocks only while they may still hold one of the last `count` lines."""
    blocks: deque = deque()
    newlines = 0
    while data := os.read(fd, CHUNK):
        found = data.count(b"\n")
        blocks.append((data, found))
        newlines += found
        while newlines - blocks[0][1] > count:
            newlines -= blocks.popleft()[1]
    held = b"".join(data for data, _ in blocks)
    wanted = count + held.endswith(b"\n")
    out.write(held[newline_end(held, newlines, newlines - wanted + 1) :])


def _last_bytes_stream(fd: int, count: int, out) -> None:
    held = bytearray()
    slack = max(count, CHUNK)  # trim in big steps: each trim moves `count` held bytes
    while data := os.read(fd, CHUNK):
        held += data
        if len(held) >= count + slack:
            del held[: len(held) - count]
    out.write(held[max(0, len(held) - count) :])


def _skip_lines(fd: int, count: int, out) -> None:
    """Drop `count` lines, print the rest."""
    while count > 0:
        data = os.read(fd, CHUNK)
        if not data:
            return
        found = data.count(b"\n")
        if found >= count:
            out.write(data[newline_end(data, found, count) :])
            break
        count -= found
    copy_to_stdout(fd, out)


def _skip_bytes(fd: int, count: int, out) -> None:
    if count and _regular_size(fd):
        os.lseek(fd, count, os.SEEK_CUR)
    else:
        while count > 0:
            data = os.read(fd, min(count, CHUNK))
            if not data:
                return
            if len(data) > count:
                out.write(data[count:])
            count -= len(data)
    copy_to_stdout(fd, out)


def _print_tail(fd: int, count: _Count, by_bytes: bool, out) -> None:
    if count.from_top:
        skip = max(count.value - 1, 0)  # +N is 1-based: +0 and +1 both print everything
        (_skip_bytes if by_bytes else _skip_lines)(fd, skip, out)
        return
    size = _regular_size(fd)
    if count.value == 0:
        if size:
            os.lseek(fd, 0, os.SEEK_END)
    elif size:
        start = max(0, size - count.value) if by_bytes else _last_lines_start(fd, size, count.value)
        os.lseek(fd, start, os.SEEK_SET)
        copy_to_stdout(fd, out)
    elif by_bytes:
        _last_bytes_stream(fd, count.value, out)
    else:
        _last_lines_stream(fd, count.value, out)


class _Followed:
    """One file being tailed: its name as shown in headers and its fd (None while missing)."""

    def __init__(self, name: str, path: str, fd: int | None) -> None:
        self.name = name
        self.path = path
        self.fd = fd

    def reopen_if_replaced(self) -> None:
        """-F: notice a file that appeared, was replaced (rotated) or vanished."""
        try:
            if self.fd is not None:
                now, have = os.stat(self.path), os.fstat(self.fd)
                if (now.st_dev, now.st_ino) == (have.st_dev, have.st_ino):
                    return
        except OSError:
            pass
        old = self.fd
        if old is not None:
            os.close(old)
        try:
            self.fd = os.open(self.path, os.O_RDONLY)
            warn(f"{self.path} has {'appeared' if old is None else 'been replaced'}; following end of new file")
        except OSError as exc:
            self.fd = None
            if old is not None:
                warn_os(f"{self.path} has become inaccessible", exc)


def _follow(files: list, period: float, retry: bool, headers: bool) -> None:
    """Print what gets appended to the files, forever."""
    import time

    previous = files[-1].fd
    while True:
        time.sleep(period)
        for entry in files:
            if retry:
                entry.reopen_if_replaced()
            fd = entry.fd
            if fd is None:
                continue
            while True:
                size = _regular_size(fd)
                if size and size < os.lseek(fd, 0, os.SEEK_CUR):
                    os.lseek(fd, 0, os.SEEK_SET)  # truncated: start over
                data = os.read(fd, CHUNK)
                if not data:
                    break
                if headers and fd != previous:
                    os.write(1, f"\n==> {entry.name} <==\n".encode("utf-8", "surrogateescape"))
                    previous = fd
                view = memoryview(data)
                while view:
                    view = view[os.write(1, view) :]


def _parse_period(text: str) -> float:
    try:
        period = float(text)
    except ValueError:
        period = -1.0
    if not 0 <= period < float("inf"):
        raise Fail(f"invalid number '{text}'")
    return period


def main(argv: list[str]) -> int:
    args = argv[1:]
    count = _Count()
    if args and args[0][:1] in ("+", "-") and args[0][1:2].isdigit():
        count.set(args[0])  # obsolete `tail -5` / `tail +5`
        args = args[1:]
    options, paths = getopt(args, "fc:n:qs:vF")
    by_bytes = follow = retry = False
    headers = None  # None: only for several files; True: -v; False: -q
    period = 1.0
    for option, value in options:
        if option in ("-c", "-n"):
            by_bytes = by_bytes or option == "-c"
            count.set(value)
        elif option == "-f":
            follow = True
        elif option == "-F":
            follow = retry = True
        elif option == "-q":
            headers = False if headers is None else headers
        elif option == "-v":
            headers = True
        else:
            period = _parse_period(value)
    status = 0
    files = []
    if not paths:
        if follow and _is_fifo(0):
            follow = False
        files.append(_Followed("standard input", "-", 0))
    for path in paths:
        try:
            fd = 0 if path == "-" else os.open(path, os.O_RDONLY)
        except OSError as exc:
            warn(f"can't open '{path}': {exc.strerror}")
            status = 1
            if not retry:
                continue
            fd = None
        files.append(_Followed(path, path, fd))
    if not files:
        raise Fail("no files")
    if headers is None:
        headers = len(files) > 1
    out = stdout()
    separator = ""
    for entry in files:
        if entry.fd is None:
            continue
        if headers:
            out.write(f"{separator}==> {entry.name} <==\n".encode("utf-8", "surrogateescape"))
            separator = "\n"
        try:
            _print_tail(entry.fd, count, by_bytes, out)
        except OSError as exc:
            warn(f"read error: {exc.strerror}")
            status = 1
    out.flush()
    if follow:
        _follow(files, period, retry, headers)
    return status


def _is_fifo(fd: int) -> bool:
    try:
        return os.fstat(fd).st_mode & 0o170000 == 0o010000
    except OSError:
        return False
