"""rev: reverse the characters of every line.

Whole buffers of complete lines are reversed at once (reverse everything, then put the
lines back in order); in a UTF-8 locale characters, not bytes, are reversed. A line
that is not valid UTF-8 there is printed unchanged, and a NUL ends a line's text (its
newline included), all as BusyBox does.
"""

import os

from applets._textio import CHUNK, close_input, open_or_warn, utf8_locale
from applets.common import getopt, stdout, warn

USAGE = """rev [FILE]...

Print the lines of the FILEs (stdin if none or -) with their characters reversed"""


def _reverse_line(line: bytes, utf8: bool) -> bytes:
    """One line without its newline, reversed; what the output line will be, newline included."""
    if b"\0" in line:
        line = line[: line.index(b"\0")]
        ending = b""
    else:
        ending = b"\n"
    if not utf8:
        return line[::-1] + ending
    try:
        return line.decode("utf-8")[::-1].encode("utf-8") + ending
    except UnicodeDecodeError:
        return line + ending


def _reverse_lines(data: bytes, utf8: bool) -> bytes:
    """Reverse each line of DATA (complete lines, except maybe an unterminated last one)."""
    if b"\0" not in data:
        try:
            text = data.decode("utf-8") if utf8 else data
        except UnicodeDecodeError:
            pass
        else:
            lines = text[::-1].split("\n" if utf8 else b"\n")
            lines.reverse()
            joined = "\n".join(lines).encode("utf-8") if utf8 else b"\n".join(lines)
            return joined
    lines = data.split(b"\n")
    last = lines.pop()
    result = b"".join([_reverse_line(line, utf8) for line in lines])
    if last:
        reversed_last = _reverse_line(last, utf8)
        result += reversed_last[:-1] if reversed_last.endswith(b"\n") else reversed_last
    return result


def _rev_fd(fd: int, utf8: bool, out) -> None:
    pending: list[bytes] = []
    while data := os.read(fd, CHUNK):
        end = data.rfind(b"\n") + 1
        if not end:
            pending.append(data)
            continue
        pending.append(data[:end])
        out.write(_reverse_lines(b"".join(pending), utf8))
        pending = [data[end:]]
    out.write(_reverse_lines(b"".join(pending), utf8))


def main(argv: list[str]) -> int:
    _, files = getopt(argv[1:], "")
    utf8 = utf8_locale()
    out = stdout()
    status = 0
    for path in files or ["-"]:
        fd = open_or_warn(path, quoted=False)
        if fd is None:
            status = 1
            continue
        try:
            _rev_fd(fd, utf8, out)
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
        finally:
            close_input(fd)
    return status
