"""nl: number the lines of files; numbering continues from one file to the next."""

import os

from applets import _text
from applets.common import Fail, getopt, stdout

USAGE = """nl [OPTIONS] [FILE]...

Write FILEs to standard output with line numbers added

\t-b STYLE\tWhich lines to number - a: all, t: nonempty, n: none
\t-i N\t\tLine number increment
\t-n FORMAT\tln: left justified, rn: right justified, rz: leading zeros
\t-s STRING\tUse STRING as line number separator
\t-v N\t\tStart from N
\t-w N\t\tWidth of line numbers"""

LONG_OPTIONS = (
    "body-numbering=",
    "line-increment=",
    "number-format=",
    "no-renumber",
    "number-separator=",
    "starting-line-number=",
    "number-width=",
)
SHORT_FOR_LONG = {
    "--body-numbering": "-b",
    "--line-increment": "-i",
    "--number-format": "-n",
    "--no-renumber": "-p",
    "--number-separator": "-s",
    "--starting-line-number": "-v",
    "--number-width": "-w",
}
FORMATS = {"rn": b"%*d", "ln": b"%-*d", "rz": b"%0*d"}
INT_MAX = 2**31 - 1


def _number(text: str) -> int:
    """A non-negative option value (BusyBox xatoi_positive)."""
    if not text.isdigit() or not text.isascii() or int(text) > INT_MAX:
        raise Fail(f"invalid number '{text}'")
    return int(text)


class Numberer:
    def __init__(self, style: str, width: int, separator: bytes, start: int, step: int, number_format: bytes):
        self.all = style.startswith("a")
        self.nonempty = style.startswith("t")
        self.width = width
        self.separator = separator
        self.next = start
        self.step = step
        self.format = number_format + separator
        self.blank = b" " * (width + len(separator))

    def block(self, lines: list[bytes]) -> bytes:
        out = []
        for line in lines:
            if self.all or (self.nonempty and line):
                out.append(self.format % (self.width, self.next) + line)
                self.next = (self.next + self.step) & 0xFFFFFFFF
            else:
                out.append(self.blank + line)
        out.append(b"")
        return b"\n".join(out)


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "pw:s:v:i:b:n:", LONG_OPTIONS)
    style = "t"
    width, start, step = 6, 1, 1
    separator = b"\t"
    number_format = FORMATS["rn"]
    for option, value in options:
        option = SHORT_FOR_LONG.get(option, option)
        if option == "-w":
            width = _number(value)
        elif option == "-v":
            start = _number(value)
        elif option == "-i":
            step = _number(value)
        elif option == "-s":
            separator = os.fsencode(value)
        elif option == "-b":
            style = value
        elif option == "-n":
            if value not in FORMATS:
                raise Fail(f"invalid line numbering format: '{value}'")
            number_format = FORMATS[value]
    numberer = Numberer(style, width, separator, start, step, number_format)
    out = stdout()
    inputs = _text.Inputs(files)
    for chunks in inputs.each(_text.read_lines):
        for lines in chunks:
            out.write(numberer.block(lines))
    return inputs.status
