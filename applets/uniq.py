"""uniq: collapse runs of adjacent equal lines.

The input streams in large blocks. Without options, duplicates are dropped
with C-level iterator plumbing (map/compress) instead of a per-line loop; the
option path groups a block's lines by their comparison keys, carrying the last
group over to the next block.
"""

import os
import re
from itertools import compress, repeat
from operator import eq, gt, ne, sub

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
    """Splits each block into runs of equal comparison keys, carrying the last run over."""

    def __init__(self, fields: int, chars: int, width: int | None, fold_case: bool, keep_all: bool):
        self.keep_all = keep_all
        self.fold_case = fold_case
        self.width = width
        self.chars = chars
        self.skip_fields = None
        if fields:
            # Each field: leading blanks, then non-blanks (BusyBox skip_whitespace/skip_non_whitespace).
            self.skip_fields = re.compile(rb"(?:[ \t\n\v\f\r]*[^ \t\n\v\f\r]*){%d}" % fields)
        self.whole_lines = not (fields or chars or fold_case or width is not None)
        # The run still open at the end of the previous block: (key, first line, count, members).
        self.pending = None

    def key(self, line: bytes) -> bytes:
        if self.skip_fields is not None:
            line = line[self.skip_fields.match(line).end() :]
        if self.chars:
            line = line[self.chars :]
        if self.width is not None:
            line = line[: self.width]
        return line.lower() if self.fold_case else line

    def feed(self, lines: list[bytes]):
        """The runs this block completes, as (first lines, counts, members or None) columns."""
        keys = lines if self.whole_lines else list(map(self.key, lines))
        starts = [0, *compress(range(1, len(keys)), map(ne, keys[1:], keys))]
        ends = [*starts[1:], len(lines)]
        firsts = list(map(lines.__getitem__, starts))
        counts = list(map(sub, ends, starts))
        members = [lines[begin:end] for begin, end in zip(starts, ends)] if self.keep_all else None
        if self.pending is not None:
            key, first, count, held = self.pending
            if key == keys[0]:
                firsts[0] = first
                counts[0] += count
                if members is not None:
                    members[0] = held + members[0]
            else:
                firsts.insert(0, first)
                counts.insert(0, count)
                if members is not None:
                    members.insert(0, held)
        self.pending = (keys[starts[-1]], firsts.pop(), counts.pop(), members.pop() if members else None)
        return firsts, counts, members

    def finish(self):
        """The run left open at the end of the input."""
        if self.pending is None:
            return [], [], None
        _key, first, count, held = self.pending
        self.pending = None
        return [first], [count], [held] if self.keep_all else None


def _line_lists(fd: int, zero: bool):
    """Each block's lines. Like BusyBox, both newline and NUL end a line (-z only changes output)."""
    for block in _text.read_blocks(fd, b"\0" if zero else b"\n"):
        lines = block.replace(b"\0", b"\n").split(b"\n")
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
    counted = b"%7d %s" + line_end

    def emit(firsts, counts, members):
        if flags & {"d", "D", "u"}:
            if "u" in flags and flags & {"d", "D"}:
                return
            wanted = list(map(eq if "u" in flags else gt, counts, repeat(1)))
            firsts = list(compress(firsts, wanted))
            counts = list(compress(counts, wanted))
            if members is not None:
                members = list(compress(members, wanted))
        if "D" in flags:
            firsts = [line for group in members for line in group]
            counts = [count for count, group in zip(counts, members) for _ in group]
        if not firsts:
            return
        if "c" in flags:
            out.write(b"".join(map(counted.__mod__, zip(counts, firsts))))
        else:
            firsts.append(b"")
            out.write(line_end.join(firsts))

    for lines in blocks:
        emit(*grouper.feed(lines))
    emit(*grouper.finish())


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
