"""wc: count lines, words, characters and bytes, and find the longest line.

Only the requested counts are computed, each over whole buffers in C: newlines with
bytes.count, words by translating every byte to "word" / "blank" / nothing and counting
blank-to-word transitions, characters by dropping UTF-8 continuation bytes.
The rules are BusyBox's: a word is a run of printable non-space ASCII, which other
bytes neither start nor end; -L counts printable ASCII, tabs to the next multiple of 8.
"""

import os

from applets._textio import CHUNK, close_input, open_or_warn, utf8_locale
from applets.common import getopt, stdout, warn

USAGE = """wc [-cmlwL] [FILE]...

Count what each FILE (stdin if none or -) holds: lines, words and bytes by default

\t-l\tLines (newline characters)
\t-w\tWords
\t-m\tCharacters
\t-c\tBytes
\t-L\tLength of the longest line"""

# Columns in BusyBox's output order; option letter for each.
LINES, WORDS, CHARS, BYTES, LONGEST = range(5)
OPTION_COLUMN = {"-l": LINES, "-w": WORDS, "-m": CHARS, "-c": BYTES, "-L": LONGEST}

_WORD_CLASS = bytes(
    ord("a") if 0x21 <= byte <= 0x7E else ord(" ") for byte in range(256)
)
_NEITHER = bytes(byte for byte in range(256) if not (9 <= byte <= 13 or 0x20 <= byte <= 0x7E))
_CONTINUATION = bytes(range(0x80, 0xC0))
_LINE_BREAKS = b"\n\r\f"


class _Counter:
    """Running counts for one file; feed() takes consecutive buffers."""

    def __init__(self, columns: set, utf8: bool) -> None:
        self.columns = columns
        self.utf8 = utf8
        self.counts = [0] * 5
        self.in_word = False
        self.line_width = 0  # -L: width of the line still open at the end of the last buffer

    def feed(self, data: bytes) -> None:
        counts = self.counts
        columns = self.columns
        counts[BYTES] += len(data)
        if LINES in columns:
            counts[LINES] += data.count(b"\n")
        if CHARS in columns:
            counts[CHARS] += len(data.translate(None, _CONTINUATION)) if self.utf8 else len(data)
        if WORDS in columns:
            classes = data.translate(_WORD_CLASS, _NEITHER)
            if classes:
                counts[WORDS] += classes.count(b" a") + (classes[0] == 0x61 and not self.in_word)
                self.in_word = classes[-1] == 0x61
        if LONGEST in columns:
            self._feed_widths(data)

    def _feed_widths(self, data: bytes) -> None:
        """-L: a line ends at \\n, \\r or \\f (\\v ends nothing); other bytes have no width."""
        text = data.translate(None, _NEITHER).replace(b"\r", b"\n").replace(b"\f", b"\n")
        first_end = text.find(b"\n")
        if first_end < 0:
            self.line_width = _width(text, self.line_width)
            self.counts[LONGEST] = max(self.counts[LONGEST], self.line_width)
            return
        first = _width(text[:first_end], self.line_width)
        last_start = text.rfind(b"\n") + 1
        self.line_width = _width(text[last_start:], 0)
        middle = _widest_line(text[first_end + 1 : last_start])
        self.counts[LONGEST] = max(self.counts[LONGEST], first, middle, self.line_width)


def _widest_line(lines: bytes) -> int:
    """Widest of LINES (each ended by \\n). Only the lines holding a tab or \\v need a closer look."""
    if b"\v" in lines:
        return max((_width(line, 0) for line in lines.split(b"\n")), default=0)
    widest = max(map(len, lines.split(b"\n")))  # exact for lines without tabs, short for the rest
    tab = lines.find(b"\t")
    while tab >= 0:
        start = lines.rfind(b"\n", 0, tab) + 1
        end = lines.find(b"\n", tab)
        widest = max(widest, _width(lines[start:end], 0))
        tab = lines.find(b"\t", end)
    return widest


def _width(piece: bytes, start: int) -> int:
    """Column reached after PIECE (printable ASCII, \\t and \\v only) starting at `start`.

    Within a line the column only grows, so the width at the line's end is its widest.
    """
    if b"\t" not in piece:
        return start + len(piece) - piece.count(b"\v")
    column = start
    for index, part in enumerate(piece.split(b"\t")):
        if index:
            column = (column | 7) + 1
        column += len(part) - part.count(b"\v")
    return column


def _count_fd(fd: int, columns: set, utf8: bool) -> list:
    counter = _Counter(columns, utf8)
    while data := os.read(fd, CHUNK):
        counter.feed(data)
    return counter.counts


def _line(counts: list, columns: list, first_width: int, name: str | None) -> bytes:
    """One output line: the first count %*u (unpadded for a lone count of one input), the rest %9u."""
    fields = [f"{counts[column]:{first_width if index == 0 else 9}}" for index, column in enumerate(columns)]
    line = " ".join(fields) + ("" if name is None else f" {name}")
    return (line + "\n").encode("utf-8", "surrogateescape")


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "lwmcL")
    columns = sorted({OPTION_COLUMN[option] for option, _ in options} or {LINES, WORDS, BYTES})
    named = bool(files)
    files = files or ["-"]
    first_width = 0 if len(files) == 1 and len(columns) == 1 else 9
    utf8 = CHARS in columns and utf8_locale()
    out = stdout()
    totals = [0] * 5
    status = 0
    for path in files:
        fd = open_or_warn(path, quoted=False)
        if fd is None:
            status = 1
            continue
        try:
            counts = _count_fd(fd, set(columns), utf8)
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
            counts = [0] * 5
        finally:
            close_input(fd)
        longest = max(totals[LONGEST], counts[LONGEST])  # the total of -L is the longest of all
        totals = [total + count for total, count in zip(totals, counts)]
        totals[LONGEST] = longest
        out.write(_line(counts, columns, first_width, path if named else None))
    if len(files) > 1:
        out.write(_line(totals, columns, first_width, "total"))
    return status
