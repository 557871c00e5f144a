"""fold: wrap long input lines to a width.

Columns follow BusyBox: a tab advances to the next multiple of 8, backspace
steps back, carriage return resets, and (Unicode being on) UTF-8 continuation
bytes take no column unless -b counts bytes. Where every byte is one column
(-b, or ASCII without those control characters) lines are cut by slicing and
rfind, and only the lines longer than the width are looked at; the rest go
through the same byte-by-byte wrapping BusyBox does.
"""

from itertools import compress, repeat
from operator import gt

from applets import _text
from applets.common import Fail, getopt, stdout

USAGE = """fold [-bs] [-w WIDTH] [FILE]...

Wrap input lines in FILEs (or stdin), writing to stdout

\t-b\tCount bytes rather than columns
\t-s\tBreak at spaces
\t-w\tUse WIDTH columns instead of 80"""

CONTINUATION = bytes(range(0x80, 0xC0))


def _width(text: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise Fail(f"invalid number '{text}'")
    if not 1 <= int(text) <= 10000:
        raise Fail(f"number {text} is not in 1..10000 range")
    return int(text)


class Folder:
    def __init__(self, width: int, count_bytes: bool, at_spaces: bool):
        self.width = width
        self.count_bytes = count_bytes
        self.at_spaces = at_spaces

    def advance(self, column: int, byte: int) -> int:
        """The column after printing `byte` at `column` (BusyBox adjust_column)."""
        if self.count_bytes:
            return column + 1
        if byte == 9:
            return column + 8 - column % 8
        if byte == 8:
            return max(column - 1, 0)
        if byte == 13:
            return 0
        return column if 0x80 <= byte < 0xC0 else column + 1

    def one_byte_columns(self, data: bytes) -> bool:
        """True when every byte of data takes exactly one column."""
        return self.count_bytes or (data.isascii() and not (b"\t" in data or b"\b" in data or b"\r" in data))

    def fold_line(self, line: bytes) -> bytes:
        """One line (without its newline) wrapped to the width."""
        if self.one_byte_columns(line):
            return self._fold_plain(line)
        simple = not (b"\t" in line or b"\b" in line or b"\r" in line)
        if simple and len(line.translate(None, CONTINUATION)) <= self.width:
            return line
        return self._fold_bytes(line)

    def _fold_plain(self, line: bytes) -> bytes:
        """A line where every byte is one column: cut at the width, or after the last blank (-s)."""
        width = self.width
        pieces = []
        start = 0
        while len(line) - start > width:
            limit = start + width
            cut = limit
            if self.at_spaces:
                cut = max(line.rfind(b" ", start, limit), line.rfind(b"\t", start, limit)) + 1 or limit
            pieces.append(line[start:cut])
            start = cut
        pieces.append(line[start:])
        return b"\n".join(pieces)

    def _fold_bytes(self, line: bytes) -> bytes:
        out = []
        pending = bytearray()
        column = 0
        for byte in line:
            while True:
                after = self.advance(column, byte)
                if after <= self.width or not pending:
                    pending.append(byte)
                    column = after
                    break
                if self.at_spaces:
                    blank = max(pending.rfind(b" "), pending.rfind(b"\t"))
                    if blank >= 0:
                        out.append(bytes(pending[: blank + 1]) + b"\n")
                        del pending[: blank + 1]
                        column = 0
                        for kept in pending:
                            column = self.advance(column, kept)
                        continue
                out.append(bytes(pending) + b"\n")
                pending.clear()
                column = 0
        out.append(bytes(pending))
        return b"".join(out)

    def fold_block(self, data: bytes) -> bytes:
        lines = data.split(b"\n")
        if self.one_byte_columns(data):
            # Only the lines longer than the width change.
            for index in compress(range(len(lines)), map(gt, map(len, lines), repeat(self.width))):
                lines[index] = self._fold_plain(lines[index])
            return b"\n".join(lines)
        return b"\n".join(map(self.fold_line, lines))


def main(argv: list[str]) -> int:
    # SUSv2: a bare -NUM is -w NUM.
    args = []
    for index, arg in enumerate(argv[1:], 1):
        if arg == "--":
            args.extend(argv[index:])
            break
        args.append("-w" + arg[1:] if arg[:1] == "-" and arg[1:2].isdigit() else arg)
    options, files = getopt(args, "bsw:")
    width = 80
    flags = set()
    for option, value in options:
        if option == "-w":
            width = _width(value)
        else:
            flags.add(option[1])
    folder = Folder(width, "b" in flags, "s" in flags)
    out = stdout()
    inputs = _text.Inputs(files, "Input/output error")
    for chunks in inputs.each(_text.read_blocks):
        for block in chunks:
            out.write(folder.fold_block(block))
    return inputs.status
