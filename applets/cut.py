"""cut: print selected bytes, characters or fields of each line.

Field cutting follows BusyBox's cut_file() step by step (including -D, -F and
its corner cases). The common shapes take faster routes with the same output:
a single field range is one regex pass over a whole block, and byte ranges
are slices.
"""

import os
import re

from applets import _text
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """cut [OPTIONS] [FILE]...

Print selected fields from FILEs to stdout

\t-b LIST\tOutput only bytes from LIST
\t-c LIST\tOutput only characters from LIST
\t-d SEP\tField delimiter for input (default -f TAB, -F run of whitespace)
\t-O SEP\tField delimiter for output (default = -d for -f, one space for -F)
\t-s\tOutput only lines containing delimiter
\t-f LIST\tPrint only these fields (-d is single char)
\t-F LIST\tPrint only these fields (-d is regex)
\t-D\tDon't sort/collate sections or match -fF lines without delimiter
\t-n\tIgnored"""

INT_MAX = 2**31 - 1


def _position(text: str) -> int:
    """A 1-based list position (BusyBox xatoi_positive), made 0-based."""
    if not text.isdigit() or not text.isascii() or int(text) > INT_MAX:
        raise Fail(f"invalid number '{text}'")
    return int(text) - 1


def parse_list(spec: str, keep_order: bool) -> list[tuple[int, int]]:
    """N, N-, N-M, -M items separated by commas, as 0-based (start, end) ranges."""
    ranges = []
    for item in spec.split(","):
        if not item:
            continue
        first, dash, rest = item.partition("-")
        start = _position(first) if first else 0
        if not dash:
            end = start
        elif not rest:
            end = INT_MAX
        else:
            end = _position(rest)
        if start < 0 or end < start:
            raise Fail(f"invalid range {first}-{rest if dash else first}")
        ranges.append((start, end))
    if not ranges:
        raise Fail("missing list of positions")
    if not keep_order:
        ranges.sort(key=lambda pair: pair[0])
    return ranges


class FieldCutter:
    """BusyBox's field loop for one line: ranges in turn, delimiters found one by one."""

    def __init__(self, ranges, delimiter, out_delimiter: bytes, regex, suppress: bool, keep_order: bool):
        self.ranges = ranges
        self.delimiter = delimiter
        self.out_delimiter = out_delimiter
        self.regex = regex
        self.suppress = suppress
        self.keep_order = keep_order

    def _next_delimiter(self, line: bytes, at: int):
        """(start, end) of the next delimiter at or after `at`, or None."""
        if self.regex is None:
            found = line.find(self.delimiter, at)
            return None if found < 0 else (found, found + 1)
        while at <= len(line):
            match = self.regex.search(line, at)
            if match is None:
                return None
            if match.end() > match.start():
                return match.span()
            at = match.start() + 1
        return None

    def cut(self, line: bytes):
        """The output line (without newline), or None when the line is suppressed."""
        length = len(line)
        if not length and self.suppress:
            return None
        ranges = self.ranges
        regex = self.regex is not None
        current = 0
        after = start = end = 0
        seen = 0  # delimiters seen so far
        pieces = []
        range_done = False
        while True:
            if range_done or end == length or seen > ranges[current][1]:
                range_done = False
                current += 1
                if current >= len(ranges):
                    break
                if self.keep_order:
                    start = seen = after = 0
                end = 0
            if after == length:
                end = length
                if current == 0 and seen == 0 and not regex:
                    if self.suppress:
                        return None
                elif seen < ranges[current][0]:
                    range_done = True
                    continue
            else:
                found = self._next_delimiter(line, after)
                if found is None:
                    after = length
                    continue
                end, after = found
                seen += 1
                if seen - 1 < ranges[current][0]:
                    start = after
                    continue
            if end != start or not regex:
                if pieces:
                    pieces.append(self.out_delimiter)
                pieces.append(line[start:end])
            start = after
        return b"".join(pieces)


def _line_selector(ranges):
    """-d '\\n' with -f: a predicate on 0-based line numbers, walking ranges as BusyBox does."""

    def wanted(number: int) -> bool:
        current = 0
        position = ranges[0][0]
        if number < position:
            return False
        while position < number:
            position += 1
            if position > ranges[current][1]:
                current += 1
                if current >= len(ranges):
                    return False
                position = ranges[current][0]
                if number < position:
                    return False
        return True

    return wanted


def _merge(ranges):
    """Sorted ranges merged where they overlap or touch."""
    merged = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _single_range_pattern(start: int, end: int, delimiter: bytes):
    """A regex whose one group is a line's output under a lone field range, for findall."""
    d = re.escape(delimiter)
    other = b"[^" + d + b"\\n]"
    skip = b"(?:(?:%s*%s){%d}|%s*%s[^\\n]*)?" % (other, d, start, other, d) if start else b""
    span = b"*" if end == INT_MAX else b"{0,%d}" % (end - start)
    return re.compile(skip + b"(" + other + b"*(?:" + d + other + b"*)" + span + b")[^\\n]*\\n")


class Cutter:
    """Chooses the route for the options given and applies it block by block.

    Without -D, -F or a newline delimiter, and with ranges that do not overlap
    (BusyBox's loop adds stray delimiters for overlapping ones), the output is
    simply the selected fields joined: a regex pass for a lone range, a split
    per line otherwise. Anything else runs BusyBox's loop.
    """

    def __init__(self, mode, ranges, delimiter: bytes, out_delimiter: bytes, suppress: bool, keep_order: bool):
        self.mode = mode
        self.ranges = ranges
        self.suppress = suppress
        self.out_delimiter = out_delimiter
        self.single = delimiter[:1]
        self.pattern = None
        self.union = None
        self.line_number = 0
        if mode == "fields" and self.single == b"\n":
            self.mode = "lines"
            self.wanted = _line_selector(ranges)
            return
        if mode == "bytes":
            self.union = _merge(ranges) if not keep_order else None
            return
        regex = None
        if mode == "regex":
            from applets._regex import RegexError, compile_posix

            try:
                regex = compile_posix(delimiter, extended=True)
            except RegexError as exc:
                raise Fail(f"bad regex '{os.fsdecode(delimiter)}': {exc}") from None
        self.field = FieldCutter(ranges, self.single, out_delimiter, regex, suppress, keep_order)
        disjoint = all(later[0] > earlier[1] for earlier, later in zip(ranges, ranges[1:]))
        if mode != "fields" or keep_order or not disjoint:
            return
        if len(ranges) == 1 and not suppress:
            self.pattern = _single_range_pattern(ranges[0][0], ranges[0][1], self.single)
        else:
            self.union = _merge(ranges)

    def start_file(self) -> None:
        self.line_number = 0

    def block(self, data: bytes) -> bytes:
        if not data.endswith(b"\n"):
            data += b"\n"
        if self.pattern is not None:
            text = b"\n".join(self.pattern.findall(data)) + b"\n"
            if self.out_delimiter != self.single:
                text = text.replace(self.single, self.out_delimiter)
            return text
        lines = data.split(b"\n")
        lines.pop()
        if self.mode == "lines":
            first = self.line_number
            self.line_number += len(lines)
            return b"".join(line + b"\n" for number, line in enumerate(lines, first) if self.wanted(number))
        if self.mode == "bytes":
            cut = self._bytes if self.union is None else self._byte_union
        else:
            cut = self.field.cut if self.union is None else self._field_union
        out = [line for line in map(cut, lines) if line is not None]
        out.append(b"")
        return b"\n".join(out)

    def _byte_union(self, line: bytes) -> bytes:
        if len(self.union) == 1:
            start, end = self.union[0]
            return line[start : end + 1]
        return b"".join([line[start : end + 1] for start, end in self.union])

    def _bytes(self, line: bytes) -> bytes:
        """-D byte lists: each position once, in the order the list names them."""
        printed = set()
        pieces = []
        for start, end in self.ranges:
            for position in range(start, min(end, len(line) - 1) + 1):
                if position not in printed:
                    printed.add(position)
                    pieces.append(line[position : position + 1])
        return b"".join(pieces)

    def _field_union(self, line: bytes):
        if self.single not in line:
            return None if self.suppress else line
        fields = line.split(self.single)
        chosen = []
        for start, end in self.union:
            chosen.extend(fields[start : end + 1])
        return self.out_delimiter.join(chosen)


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "b:c:f:d:O:sDF:n", ("output-delimiter=",))
    mode = spec = delimiter = out_delimiter = None
    flags = set()
    for option, value in options:
        letter = option[2:] if option.startswith("--") else option[1]
        if letter in ("b", "c", "f", "F"):
            if mode is not None:
                raise UsageError("")
            mode = {"b": "bytes", "c": "bytes", "f": "fields", "F": "regex"}[letter]
            spec = value
        elif letter == "d":
            delimiter = os.fsencode(value)
        elif letter in ("O", "output-delimiter"):
            out_delimiter = os.fsencode(value)
        else:
            flags.add(letter)
    if mode is None:
        raise Fail("expected a list of bytes, characters, or fields")
    if mode == "bytes":
        suffix = " only when operating on fields"
        if "s" in flags:
            raise Fail("suppressing non-delimited lines makes sense" + suffix)
        if delimiter is not None:
            raise Fail("a delimiter may be specified" + suffix)
    if not delimiter:
        delimiter = b"[[:space:]]+" if mode == "regex" else b"\t"
    if out_delimiter is None:
        out_delimiter = b" " if mode == "regex" else delimiter
    keep_order = "D" in flags
    ranges = parse_list(spec, keep_order)
    cutter = Cutter(mode, ranges, delimiter, out_delimiter, "s" in flags, keep_order)

    out = stdout()
    inputs = _text.Inputs(files)
    for chunks in inputs.each(_text.read_blocks):
        cutter.start_file()
        for block in chunks:
            out.write(cutter.block(block))
    return inputs.status
