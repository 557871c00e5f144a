"""cmp: compare two files byte by byte; exit 0 if equal, 1 if different, 2 on trouble."""

import os

from applets.common import Fail, UsageError, getopt, parse_number, warn

USAGE = """cmp [-ls] [-n NUM] FILE1 [FILE2 [SKIP1 [SKIP2]]]

Compare FILE1 with FILE2 (or stdin)

\t-l\tWrite the byte numbers (decimal) and values (octal)
\t\tfor all differing bytes
\t-s\tQuiet
\t-n NUM\tCompare at most NUM bytes"""

CHUNK = 1 << 18


def _open(path: str) -> int:
    if path == "-":
        return 0
    try:
        return os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise Fail(f"{path}: {exc.strerror}", 2) from None


def _skip(fd: int, count: int) -> None:
    """Move past the first `count` bytes: seek where possible, else read them away."""
    if not count:
        return
    try:
        os.lseek(fd, count, os.SEEK_CUR)
        return
    except OSError:
        pass
    while count > 0:
        data = os.read(fd, min(count, CHUNK))
        if not data:
            return
        count -= len(data)


def _read(fd: int, size: int) -> bytes:
    """Read up to `size` bytes, looping over short reads from pipes."""
    parts = []
    while size > 0:
        data = os.read(fd, size)
        if not data:
            break
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def _first_difference(a: bytes, b: bytes) -> int:
    """Index of the first differing byte of two different equal-length buffers (binary search)."""
    low, high = 0, len(a)
    while high - low > 64:
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    while a[low] == b[low]:
        low += 1
    return low


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "sln:")
    flags = {opt for opt, _ in options}
    if "-l" in flags and "-s" in flags:
        raise UsageError()
    limit = None
    for opt, value in options:
        if opt == "-n":
            limit = parse_number(value)
    if not 1 <= len(operands) <= 4:
        raise UsageError()
    name1 = operands[0]
    name2 = operands[1] if len(operands) > 1 else "-"
    skip1 = parse_number(operands[2]) if len(operands) > 2 else 0
    skip2 = parse_number(operands[3]) if len(operands) > 3 else 0
    fd1 = _open(name1)
    fd2 = _open(name2)
    _skip(fd1, skip1)
    _skip(fd2, skip2)
    listing = "-l" in flags
    quiet = "-s" in flags
    position = 0  # bytes compared so far
    line = 1
    status = 0
    out = []
    try:
        while limit is None or position < limit:
            want = CHUNK if limit is None else min(CHUNK, limit - position)
            a = _read(fd1, want)
            b = _read(fd2, want)
            common = min(len(a), len(b))
            if a[:common] != b[:common]:
                status = 1
                if quiet:
                    break
                if not listing:
                    at = _first_difference(a[:common], b[:common])
                    line += a.count(b"\n", 0, at)
                    out.append(f"{name1} {name2} differ: char {position + at + 1}, line {line}\n")
                    break
                out.extend(
                    f"{position + i + 1} {x:3o} {y:3o}\n" for i, (x, y) in enumerate(zip(a, b)) if x != y
                )
            elif not listing:
                line += a.count(b"\n", 0, common)
            position += common
            if len(a) != len(b):
                status = 1
                if not quiet:
                    os.write(1, "".join(out).encode("utf-8", "surrogateescape"))
                    out = []
                    warn(f"EOF on {name1 if len(a) < len(b) else name2}")
                break
            if not a:
                break
            if out and len(out) > 4096:
                os.write(1, "".join(out).encode("utf-8", "surrogateescape"))
                out = []
    except OSError as exc:
        raise Fail(f"read error: {exc.strerror}", 2) from None
    os.write(1, "".join(out).encode("utf-8", "surrogateescape"))
    return status
