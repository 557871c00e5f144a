"""truncate: set the size of files, shrinking or extending them (with a hole)."""

import os

from applets.common import Fail, UsageError, getopt, warn

USAGE = """truncate [-c] [-o] -s [+-<>/%]SIZE FILE...

Truncate FILEs to SIZE

\t-c\tDo not create files
\t-o\tSIZE is in I/O blocks of the file
\t-s SIZE"""

SUFFIXES = {
    "k": 1024, "K": 1024, "KiB": 1024, "kiB": 1024,
    "m": 1024**2, "M": 1024**2, "MiB": 1024**2, "miB": 1024**2,
    "g": 1024**3, "G": 1024**3, "GiB": 1024**3, "giB": 1024**3,
    "T": 1024**4, "TiB": 1024**4,
    "kB": 1000, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
}


def _parse_size(text: str) -> tuple[str, int]:
    """`[+-<>/%]NUMBER[SUFFIX]` -> (relation, bytes); relation "" sets the size outright."""
    relation = text[:1] if text[:1] in ("+", "-", "<", ">", "/", "%") else ""
    body = text[len(relation):]
    multiplier = 1
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if body.endswith(suffix) and len(body) > len(suffix):
            multiplier = SUFFIXES[suffix]
            body = body[: -len(suffix)]
            break
    if not body.isdigit():
        raise Fail(f"invalid number '{text}'")
    value = int(body) * multiplier
    if relation in ("/", "%") and value == 0:
        raise Fail("division by zero")
    return relation, value


def _new_size(current: int, relation: str, value: int) -> int:
    if relation == "+":
        return current + value
    if relation == "-":
        return max(current - value, 0)
    if relation == "<":
        return min(current, value)
    if relation == ">":
        return max(current, value)
    if relation == "/":
        return current // value * value
    if relation == "%":
        return -(-current // value) * value
    return value


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "cos:", ["no-create", "io-blocks", "size="])
    size_text = None
    no_create = io_blocks = False
    for opt, value in options:
        if opt in ("-s", "--size"):
            size_text = value
        elif opt in ("-c", "--no-create"):
            no_create = True
        else:
            io_blocks = True
    if size_text is None or not paths:
        raise UsageError()
    relation, value = _parse_size(size_text)
    status = 0
    flags = os.O_WRONLY | os.O_NONBLOCK | (0 if no_create else os.O_CREAT)
    for path in paths:
        try:
            fd = os.open(path, flags, 0o666)
        except OSError as exc:
            if not (no_create and exc.errno == 2):
                warn(f"{path}: open: {exc.strerror}")
                status = 1
            continue
        try:
            st = os.fstat(fd)
            amount = value * st.st_blksize if io_blocks else value
            os.ftruncate(fd, _new_size(st.st_size, relation, amount))
        except OSError as exc:
            warn(f"{path}: truncate: {exc.strerror}")
            status = 1
        finally:
            os.close(fd)
    return status
