"""uniq: collapse runs of adjacent equal lines.

The input streams in large blocks. Without options, duplicates are dropped
with C-level iterator plumbing (map/compress) instead of a per-line loop; the
option path groups a block's lines by their comparison keys, carrying the last
group over to the next block.
"""

import os
import re
from itertools import compress
from operator import ne

from applets import _text
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """uniq [-cduDiz] [-f,s,w N] [FILE [OUTFILE]]

Discard duplicate lines

\t-c\tPrefix lines by the number of occurrences
\t-d\tOnly print duplicate lines
\t-D\tPrint all duplicate lines
\t-u\tOnly print unique lines
\t-i\tIgnore case
\t-z\tNUL terminated output
\t-f N\tSkip first N fields
\t-s N\tSkip first N chars (after any skipped fields)
\t-w N\tCompare N characters in line"""

INT_MAX = 2**31 - 1


def _count(text: str) -> int:
    """A non-negative option value, BusyBox xatoi_positive style."""
    if not text.isdigit() or not text.isascii() or int(text) > INT_MAX:
        raise Fail(f"invalid number '{text}'")
    return int(text)


class Grouper:
    """Turns lines into (first line, count, all lines) groups of equal comparison keys."""

    def __init__(self, fields: int, chars: int, width: int | None, fold_case: bool, keep_all: bool):
        self.keep_all = keep_all
        self.fold_case = fold_case
        self.width = width
        self.chars = chars
        self.skip_fields = None
        if fields:
            blank = r"[ \t\n\v\f\r]"
            self.skip_fields = re.compile(rb"(?:%s*[^ \t\n\v\f\r]*){%d}" % (blank.encode(), fields))
        # The run still open at the end of the previous block: [key, first line, count, lines].
        self.open_group = None

    def key(self, line: bytes) -> bytes:
        if self.skip_fields is not None:
            line = line[self.skip_fields.match(line).end() :]
        if self.chars:
            line = line[self.chars :]
        if self.width is not None:
            line = line[: self.width]
        return line.lower() if self.fold_case else line

    def feed(self, lines: list[bytes]):
        """Yield the groups this block completes; the last one stays open."""
        keys = list(map(self.key, lines))
        starts = [0, *(index + 1 for index in compress(range(len(keys) - 1), map(ne, keys[1:], keys)))]
        starts.append(len(lines))
        group = self.open_group
        for begin, end in zip(starts, starts[1:]):
            key = keys[begin]
            if group is not None and group[0] == key:
                group[2] += end - begin
                if self.keep_all:
                    group[3].extend(lines[begin:end])
                continue
            if group is not None:
                yield group
            group = [key, lines[begin], end - begin, lines[begin:end] if self.keep_all else None]
        self.open_group = group

    def finish(self):
        if self.open_group is not None:
            yield self.open_group
            self.open_group = None


def _line_lists(fd: int, zero: bool):
    """Each block's lines. Under -z a record ends at NUL or at newline, as in BusyBox."""
    if not zero:
        for lines, _terminated in _text.read_lines(fd):
            yield lines
        return
    for block in _text.read_blocks(fd, b"\0"):
        lines = block.replace(b"\n", b"\0").split(b"\0")
        if not lines[-1]:
            lines.pop()
        if lines:
            yield lines


def _plain(blocks, out, line_end: bytes) -> None:
    """No options: keep the first line of each run of identical lines."""
    previous = None
    for lines in blocks:
        if previous is not None and lines[0] == previous:
            kept = list(compress(lines[1:], map(ne, lines[1:], lines)))
        else:
            kept = [lines[0], *compress(lines[1:], map(ne, lines[1:], lines))]
        previous = lines[-1]
        if kept:
            kept.append(b"")
            out.write(line_end.join(kept))


def _grouped(blocks, out, grouper: Grouper, flags: set, line_end: bytes) -> None:
    def emit(groups):
        pieces = []
        for _key, first, count, members in groups:
            repeated = count > 1
            if ("d" in flags or "D" in flags) and not repeated:
                continue
            if "u" in flags and repeated:
                continue
            prefix = b"%7d " % count if "c" in flags else b""
            for line in members if "D" in flags else (first,):
                pieces.append(prefix + line + line_end)
        out.write(b"".join(pieces))

    for lines in blocks:
        emit(grouper.feed(lines))
    emit(grouper.finish())


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "cduDf:s:w:iz")
    flags = set()
    fields = chars = 0
    width = None
    for option, value in options:
        letter = option[1]
        if letter == "f":
            fields = _count(value)
        elif letter == "s":
            chars = _count(value)
        elif letter == "w":
            width = _count(value)
        else:
            flags.add(letter)
    if len(operands) > 2:
        raise UsageError("")
    source = operands[0] if operands else "-"
    try:
        fd = _text.open_fd(source)
    except OSError as exc:
        raise Fail(f"can't open '{source}': {exc.strerror}") from None
    if len(operands) == 2 and operands[1] != "-":
        try:
            target = os.open(operands[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise Fail(f"can't open '{operands[1]}': {exc.strerror}") from None
        os.dup2(target, 1)
        os.close(target)

    zero = "z" in flags
    line_end = b"\0" if zero else b"\n"
    blocks = _line_lists(fd, zero)
    out = stdout()
    try:
        if flags <= {"z"} and not (fields or chars or width is not None):
            _plain(blocks, out, line_end)
        else:
            grouper = Grouper(fields, chars, width, "i" in flags, "D" in flags)
            _grouped(blocks, out, grouper, flags, line_end)
    except OSError as exc:
        if exc.errno not in (5, 21):  # EIO, EISDIR: a read error, reported as BusyBox does
            raise
        raise Fail(f"{source}: I/O error") from None
    finally:
        _text.close_fd(fd)
    return 0
