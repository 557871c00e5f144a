"""Helpers shared by the text and checksum applets (head, tail, wc, od, the sums, ...).

Loaded at start-up by each of them, so it imports nothing heavy: os, errno, common.
"""

import errno
import os

from applets.common import Fail, warn

CHUNK = 1 << 20
_NOT_SENDFILE_ABLE = (errno.EINVAL, errno.ESPIPE, errno.ENOSYS, errno.EOPNOTSUPP)

BKM_SUFFIXES = {"b": 512, "k": 1024, "m": 1024**2}


def open_or_warn(path: str, quoted: bool = True) -> int | None:
    """Open PATH (`-` is stdin) as a raw fd; on failure warn and return None.

    BusyBox words the failure two ways: "can't open 'F': ERR" (open_or_warn) and,
    for the stdio-based applets, plain "F: ERR" (fopen_or_warn): `quoted` picks one.
    """
    if path == "-":
        return 0
    try:
        return os.open(path, os.O_RDONLY)
    except OSError as exc:
        warn(f"can't open '{path}': {exc.strerror}" if quoted else f"{path}: {exc.strerror}")
        return None


def close_input(fd: int) -> None:
    """Close an fd from open_or_warn, leaving stdin open."""
    if fd != 0:
        os.close(fd)


def copy_to_stdout(fd: int, out, count: int | None = None) -> None:
    """Copy COUNT bytes (all, if None) from fd's offset to stdout, in the kernel when it can.

    sendfile works from regular files; pipes and the like fall back to read/write.
    """
    out.flush()
    left = count
    try:
        while left is None or left > 0:
            sent = os.sendfile(1, fd, None, 1 << 30 if left is None else min(left, 1 << 30))
            if not sent:
                return
            if left is not None:
                left -= sent
        return
    except OSError as exc:
        if exc.errno not in _NOT_SENDFILE_ABLE:
            raise
    while left is None or left > 0:
        data = os.read(fd, CHUNK if left is None else min(left, CHUNK))
        if not data:
            return
        out.write(data)
        if left is not None:
            left -= len(data)


def parse_count(text: str, suffixes: dict | None = None) -> int:
    """A non-negative decimal count with an optional multiplier suffix, as BusyBox's xatoul_sfx.

    Unlike int(), no sign, blanks or underscores are accepted: `invalid number 'X'` instead.
    """
    body, multiplier = text, 1
    if suffixes:
        for suffix, factor in suffixes.items():
            if body.endswith(suffix) and len(body) > len(suffix):
                body, multiplier = body[: -len(suffix)], factor
                break
    if not (body.isascii() and body.isdigit()):
        raise Fail(f"invalid number '{text}'")
    return int(body) * multiplier


def newline_end(data, total: int, nth: int) -> int:
    """Offset just past the nth newline of DATA, which holds `total` newlines.

    Scans from whichever end is nearer, so cutting near the tail of a big buffer stays cheap.
    Returns len(data) when nth > total (the cut falls past the buffer).
    """
    if nth > total:
        return len(data)
    if nth <= 0:
        return 0
    if nth <= total - nth:
        pos = -1
        for _ in range(nth):
            pos = data.index(b"\n", pos + 1)
        return pos + 1
    pos = len(data)
    for _ in range(total - nth + 1):
        pos = data.rindex(b"\n", 0, pos)
    return pos + 1


def utf8_locale() -> bool:
    """Whether the locale is UTF-8, judged from LC_ALL / LC_CTYPE / LANG as BusyBox does
    (the dispatcher has taken back Python's own C-locale coercion of LC_CTYPE)."""
    environ = os.environb
    for name in (b"LC_ALL", b"LC_CTYPE", b"LANG"):
        value = environ.get(name)
        if value:
            value = value.lower()
            return b"utf-8" in value or b"utf8" in value
    return False


def read_blocks(fd: int, name: str):
    """The input in large blocks; a read error names the input, as BusyBox does."""
    while True:
        try:
            data = os.read(fd, CHUNK)
        except OSError as exc:
            raise Fail(f"{name}: {exc.strerror}") from None
        if not data:
            return
        yield data
