"""od: dump files in octal, decimal, hex, floating point or character form.

BusyBox's "desktop" od (a port of coreutils' od): -t TYPE formats plus the traditional
single-letter ones, -A/-j/-N/-w/-v, -S strings and --traditional offsets.
Each format prints a whole buffer at once and the lines are assembled by
extended-slice assignment, so the per-value work stays in C: bytes by translate
tables, hex by bytes.hex(), other numbers by one %-operation over memoryview.cast.
"""

import os
import sys

from applets.common import Fail, getopt, stdout, warn

USAGE = """od [-abcdfhilosvx] [-BDHILOX] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-S MINSTR] [-w[WIDTH]] [FILE]...

Print FILEs (or stdin) unambiguously, as octal bytes by default

\t-t TYPE\t\td, o, u or x with a size of 1, 2, 4, 8 (or C, S, I, L);
\t\t\tf with 4, 8, 16 (or F, D, L); a: named characters; c: characters.
\t\t\tA trailing z adds the printable characters
\t-A RADIX\tShow offsets in d(ecimal), o(ctal), x (hex) or n(one)
\t-j SKIP\t\tSkip SKIP input bytes
\t-N SIZE\t\tDump at most SIZE bytes
\t-w[WIDTH]\tDump WIDTH bytes per line (32 if not given)
\t-v\t\tDon't replace repeated lines with *
\t-S MINSTR\tPrint strings of at least MINSTR printable characters
\t--traditional\tAlso take [[+]OFFSET[.][b] [[+]LABEL[.][b]]] after FILE"""

CHUNK = 1 << 20

LONG_OPTIONS = (
    "skip-bytes=",
    "address-radix=",
    "read-bytes=",
    "format=",
    "output-duplicates",
    "strings=?",
    "width=?",
    "traditional",
)
LONG_TO_SHORT = {
    "--skip-bytes": "-j",
    "--address-radix": "-A",
    "--read-bytes": "-N",
    "--format": "-t",
    "--output-duplicates": "-v",
    "--strings": "-S",
    "--width": "-w",
}

# Formats of the single-letter options, in the order BusyBox applies them ("t": the -t list).
LETTER_FORMATS = (
    ("a", "a"), ("b", "oC"), ("c", "c"), ("d", "u2"), ("f", "fF"), ("h", "x2"),
    ("i", "dI"), ("l", "dL"), ("o", "o2"), ("t", None), ("x", "x2"), ("s", "d2"),
    ("B", "o2"), ("D", "u4"), ("H", "x4"), ("I", "dL"), ("L", "dL"), ("O", "o4"), ("X", "x4"),
)

SIZE_SUFFIXES = {"b": 512, "k": 1024, "m": 1024**2}
_INTEGER_SIZES = {"C": 1, "S": 2, "I": 4, "L": 8}
_FLOAT_SIZES = {"F": 4, "D": 8, "L": 16}
# field width of the 1/2/4/8-byte integers of each kind
_INTEGER_WIDTHS = {
    "d": {1: 4, 2: 6, 4: 11, 8: 20},
    "o": {1: 3, 2: 6, 4: 11, 8: 22},
    "u": {1: 3, 2: 5, 4: 10, 8: 20},
    "x": {1: 2, 2: 4, 4: 8, 8: 16},
}
_CAST_CODES = {1: "b", 2: "h", 4: "i", 8: "q"}  # memoryview/array codes; upper case: unsigned
# float size -> (field width, digits after the point) of its %e field
_FLOAT_FIELDS = {4: (15, 7), 8: (23, 15), 16: (23, 15)}

_CHAR_NAMES = (
    "nul soh stx etx eot enq ack bel bs ht nl vt ff cr so si "
    "dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs rs us sp"
).split()
_PRINTABLE = bytes(range(0x20, 0x7F))
_SHOWN = bytes(byte if 0x20 <= byte < 0x7F else ord(".") for byte in range(256))
_C_ESCAPES = {0: "\\0", 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _named_char(byte: int) -> str:
    """-t a: the character's name, ignoring the high bit."""
    code = byte & 0x7F
    if code == 0x7F:
        return " del"
    return f"{chr(code) if code > 0x20 else _CHAR_NAMES[code]:>4}"


def _c_char(byte: int) -> str:
    """-t c: printable ASCII as is, C escapes, else three octal digits."""
    if 0x20 <= byte < 0x7F:
        return "   " + chr(byte)
    if byte in _C_ESCAPES:
        return "  " + _C_ESCAPES[byte]
    return f" {byte:03o}"


class _Spec:
    """One output format: a value's size in bytes, its printed width, and how a buffer prints.

    `text(buffer)` prints every value of the buffer, each in width + 1 characters
    (leading space included); only 16-byte floats may overflow their width, and for
    them `text` is None and `values(buffer)` gives each value's text instead.
    """

    def __init__(self, size: int, width: int, trailer: bool, text=None, values=None) -> None:
        self.size = size
        self.width = width
        self.trailer = trailer  # "z": the line ends with its printable characters
        self.text = text
        self.values = values

    def block_texts(self, buffer: bytes, length: int) -> list:
        """What this format prints for each LENGTH-byte block of BUFFER."""
        if self.text is None:
            per_block = length // self.size
            values = self.values(buffer)
            return ["".join(values[at : at + per_block]).encode() for at in range(0, len(values), per_block)]
        text = self.text(buffer)
        step = length // self.size * (self.width + 1)
        return [text[at : at + step] for at in range(0, len(text), step)]


def _table_text(cells: list):
    """Printer of byte values by table: CELLS[byte] (all one length) per byte, laid out in C.

    Each column of the cells is a bytes.translate table; the columns are interleaved by
    extended-slice assignment.
    """
    cell_width = len(cells[0])
    columns = [bytes(cell[column] for cell in cells) for column in range(cell_width)]

    def text(buffer: bytes) -> bytearray:
        printed = bytearray(len(buffer) * cell_width)
        for column, table in enumerate(columns):
            printed[column::cell_width] = buffer.translate(table)
        return printed

    return text


def _integer_spec(kind: str, size: int, trailer: bool) -> _Spec:
    width = _INTEGER_WIDTHS[kind][size]
    field = {"d": f" %{width}d", "o": f" %0{width}o", "u": f" %{width}d", "x": f" %0{width}x"}[kind]
    if size == 1:
        signed = kind == "d"
        cells = [(field % (byte - 256 if signed and byte > 127 else byte)).encode() for byte in range(256)]
        return _Spec(size, width, trailer, text=_table_text(cells))
    code = _CAST_CODES[size] if kind == "d" else _CAST_CODES[size].upper()
    if kind == "x":
        return _Spec(size, width, trailer, text=lambda buffer: _hex_text(buffer, code))

    def text(buffer: bytes) -> bytes:
        values = memoryview(buffer).cast(code)
        return (field * len(values) % tuple(values)).encode()

    return _Spec(size, width, trailer, text=text)


def _hex_text(buffer: bytes, code: str) -> bytes:
    """Multi-byte hex values: made big-endian, bytes.hex() prints them all at once."""
    from array import array

    values = array(code, buffer)
    if sys.byteorder == "little":
        values.byteswap()
    return b" " + values.tobytes().hex(" ", values.itemsize).encode()


def _float_spec(size: int, trailer: bool) -> _Spec:
    width, digits = _FLOAT_FIELDS[size]
    if size == 16:
        return _Spec(size, width, trailer, values=lambda buffer: [
            " " + _long_double_text(buffer[at : at + 16], width, digits) for at in range(0, len(buffer), 16)
        ])
    field = f" %{width}.{digits}e"
    from math import isnan

    def text(buffer: bytes) -> bytes:
        numbers = memoryview(buffer).cast("f" if size == 4 else "d").tolist()
        if not any(map(isnan, numbers)):
            return (field * len(numbers) % tuple(numbers)).encode()
        texts = (field % number if number == number else f" {_nan_text(number):>{width}}" for number in numbers)
        return "".join(texts).encode()

    return _Spec(size, width, trailer, text=text)


def _nan_text(value: float) -> str:
    """C prints the sign of a NaN; Python does not."""
    import math

    return "-nan" if math.copysign(1.0, value) < 0 else "nan"


def _long_double_text(raw: bytes, width: int, digits: int) -> str:
    """An x86 80-bit extended float (in 16 bytes), printed as glibc's %*.*Le prints it."""
    mantissa = int.from_bytes(raw[:8], "little")
    exponent_word = int.from_bytes(raw[8:10], "little")
    sign = "-" if exponent_word & 0x8000 else ""
    exponent = exponent_word & 0x7FFF
    integer_bit = mantissa >> 63
    fraction = mantissa & (2**63 - 1)
    if exponent == 0x7FFF or (exponent and not integer_bit):  # inf, NaN, or an "unnormal"
        text = "inf" if exponent == 0x7FFF and integer_bit and not fraction else "nan"
        return f"{sign}{text}".rjust(width)
    if not mantissa:
        return f"{sign}{0:.{digits}e}".rjust(width)
    if exponent:
        scaled, power = mantissa, exponent - 16383 - 63
    else:  # denormal: glibc ignores the integer bit, except that alone it reads as 2**-16382
        scaled, power = (fraction, -16382 - 63) if fraction else (1, -16382)
    from decimal import Decimal, localcontext

    with localcontext() as context:
        context.prec = digits + 25
        text = f"{Decimal(scaled) * Decimal(2) ** power:.{digits}e}"
    significand, _, exponent_text = text.partition("e")
    return f"{sign}{significand}e{exponent_text[0]}{exponent_text[1:].zfill(2)}".rjust(width)


def _parse_type(text: str, specs: list) -> None:
    """Append the formats of a -t TYPE string to SPECS; BusyBox's messages on errors."""
    at = 0
    while at < len(text):
        kind = text[at]
        at += 1
        if kind in "doux":
            size, at = _type_size(text, at, _INTEGER_SIZES, 4, (1, 2, 4, 8), "integral")
        elif kind == "f":
            size, at = _type_size(text, at, _FLOAT_SIZES, 8, (4, 8, 16), "floating point")
        elif kind not in "ac":
            raise Fail(f"invalid character '{kind}' in type string '{text}'")
        trailer = text[at : at + 1] == "z"
        at += trailer
        if kind in "doux":
            specs.append(_integer_spec(kind, size, trailer))
        elif kind == "f":
            specs.append(_float_spec(size, trailer))
        else:
            cells = [(_named_char if kind == "a" else _c_char)(byte).encode() for byte in range(256)]
            specs.append(_Spec(1, 3, trailer, text=_table_text(cells)))


def _type_size(text: str, at: int, letters: dict, default: int, allowed: tuple, what: str) -> tuple[int, int]:
    """The size following a type letter (a letter like C/S/I/L or a byte count) and where it ends."""
    if text[at : at + 1] in letters and at < len(text):
        return letters[text[at]], at + 1
    end = at
    while end < len(text) and text[end].isdigit():
        end += 1
    if end == at:
        return default, at
    size = int(text[at:end])
    if size not in allowed:
        raise Fail(f"invalid type string '{text}'; {size}-byte {what} type is not supported")
    return size, end


def _parse_offset(text: str) -> int:
    """A byte count for -j/-N/-S as strtoull base 0 reads it (0x hex, 0 octal), then a b/k/m suffix."""
    if text[:2].lower() == "0x":
        base, start = 16, 2
    else:
        base, start = (8 if text[:1] == "0" else 10), 0
    digits = "0123456789abcdef"[:base]
    end = start
    while end < len(text) and text[end].lower() in digits:
        end += 1
    suffix = text[end:]
    if end == start or (suffix and suffix not in SIZE_SUFFIXES):
        raise Fail(f"invalid number '{text}'")
    return int(text[start:end], base) * SIZE_SUFFIXES.get(suffix, 1)


def _traditional_offset(text: str) -> int | None:
    """A --traditional [+]OFFSET[.][b]: octal, 0x hex, or decimal with a dot; b x512, B x1024."""
    if text.startswith("+"):
        text = text[1:]
    if not text[:1].isdigit():
        return None
    try:
        if text[:2].lower() == "0x":
            return int(text[2:], 16)
        multiplier = {"b": 512, "B": 1024}.get(text[-1:], 1)
        if multiplier > 1:
            text = text[:-1]
        if text.endswith("."):
            return int(text[:-1], 10) * multiplier
        return int(text, 8) * multiplier
    except ValueError:
        raise Fail(f"invalid number '{text}'") from None


class _Input:
    """The named files read as one stream, -j skipping and reads crossing file ends."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = iter(paths)
        self.fd: int | None = None
        self.name = ""
        self.status = 0
        self._open_next()

    def _open_next(self) -> None:
        if self.fd:
            os.close(self.fd)
        self.fd = None
        for path in self.paths:
            try:
                self.fd = 0 if path == "-" else os.open(path, os.O_RDONLY)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                self.status = 1
                continue
            self.name = "standard input" if path == "-" else path
            return

    def read(self, size: int) -> bytes:
        """Up to `size` bytes, fewer only at the end of the last file."""
        pieces = []
        while size > 0 and self.fd is not None:
            try:
                data = os.read(self.fd, min(size, CHUNK))
            except OSError:
                warn(f"{self.name}: read error")
                self.status = 1
                data = b""
            if not data:
                self._open_next()
                continue
            pieces.append(data)
            size -= len(data)
        return b"".join(pieces)

    def skip(self, count: int) -> None:
        while count > 0 and self.fd is not None:
            info = os.fstat(self.fd)
            if info.st_mode & 0o170000 == 0o100000 and info.st_size > 0:
                position = os.lseek(self.fd, 0, os.SEEK_CUR)
                left = info.st_size - position
                if count <= left:
                    os.lseek(self.fd, count, os.SEEK_CUR)
                    return
                count -= left
                self._open_next()
            else:
                data = self.read(min(count, CHUNK))
                if not data:
                    break
                count -= len(data)
        if count > 0:
            raise Fail("can't skip past end of combined input")


class _Address:
    """How offsets print: octal/decimal/hex digits or nothing, maybe with a --traditional label."""

    def __init__(self, radix: str, label_shift: int | None = None) -> None:
        self.digits = None if radix == "n" else "%06x" if radix == "x" else "%07o" if radix == "o" else "%07d"
        self.label_shift = label_shift

    def text(self, offset: int, after: str) -> str:
        if self.label_shift is None:
            return "" if self.digits is None else self.digits % offset + after
        if self.digits is None:  # BusyBox shows the offset itself in parentheses here
            return f"({offset:07o}){after}"
        return f"{self.digits % offset} ({self.digits % (offset + self.label_shift)}){after}"

    def texts(self, start: int, count: int, step: int) -> list:
        """The offsets of `count` lines, `step` bytes apart, as they start their lines (bytes)."""
        offsets = range(start, start + count * step, step)
        if self.label_shift is None:
            return [b""] * count if self.digits is None else list(map(self.digits.encode().__mod__, offsets))
        return [self.text(offset, "").encode() for offset in offsets]


class _Dumper:
    """Formats whole buffers of lines: offsets, every format, duplicate suppression."""

    def __init__(self, specs: list, per_line: int, address: _Address, pad: int, verbose: bool) -> None:
        self.specs = specs
        self.per_line = per_line
        self.address = address
        self.pad = b" " * pad  # starts the lines of the second and later formats
        self.verbose = verbose
        self.previous = None  # the last block, to spot repeats
        self.repeating = False  # a "*" stands for the blocks since the last one printed

    def _render(self, buffer: bytes, offset: int, length: int) -> bytes:
        """The lines of BUFFER, a run of LENGTH-byte blocks starting at OFFSET."""
        count = len(buffer) // length
        columns = [self.address.texts(offset, count, length)]
        for index, spec in enumerate(self.specs):
            if index and self.pad:
                columns.append([self.pad] * count)
            columns.append(spec.block_texts(buffer, length))
            if spec.trailer:
                blank = b" " * ((self.per_line - length) // spec.size * (spec.width + 1))
                shown = buffer.translate(_SHOWN)
                columns.append([blank + b"  >" + shown[at : at + length] + b"<" for at in range(0, len(shown), length)])
            columns.append([b"\n"] * count)
        pieces: list = [None] * (count * len(columns))
        for index, column in enumerate(columns):
            pieces[index :: len(columns)] = column
        return b"".join(pieces)

    def lines(self, buffer: bytes, offset: int, length: int) -> bytes:
        """The output for BUFFER's LENGTH-byte blocks, repeats after the first shown as one "*"."""
        if self.verbose:
            return self._render(buffer, offset, length)
        blocks = [buffer[at : at + length] for at in range(0, len(buffer), length)]
        if length == self.per_line:  # only full blocks count as repeats
            repeats = list(map(bytes.__eq__, blocks, [self.previous, *blocks[:-1]]))
        else:
            repeats = [False] * len(blocks)
        self.previous = blocks[-1]
        if True not in repeats:
            self.repeating = False
            return self._render(buffer, offset, length)
        pieces = []
        shown = 0
        while shown < len(blocks):
            first_repeat = repeats.index(True, shown) if True in repeats[shown:] else len(blocks)
            if first_repeat > shown:
                pieces.append(self._render(buffer[shown * length : first_repeat * length], offset + shown * length, length))
                self.repeating = False
            if first_repeat == len(blocks):
                break
            if not self.repeating:
                pieces.append(b"*\n")
                self.repeating = True
            shown = repeats.index(False, first_repeat) if False in repeats[first_repeat:] else len(blocks)
        return b"".join(pieces)

    def dump(self, source: _Input, offset: int, limit: int | None, lcm: int, out) -> None:
        per_line = self.per_line
        pending = b""
        while True:
            want = max(per_line, CHUNK - CHUNK % per_line)
            if limit is not None:
                want = min(want, limit)
                limit -= want
            data = source.read(want) if want else b""
            buffer = pending + data
            whole = len(buffer) - len(buffer) % per_line
            if whole:
                out.write(self.lines(buffer[:whole], offset, per_line))
                offset += whole
            pending = buffer[whole:]
            if len(data) < want or not data:
                break
        if pending:
            block = pending + bytes(-len(pending) % lcm)  # the last block is padded with zeros
            out.write(self.lines(block, offset, len(block)))
            offset += len(pending)
        out.write(self.address.text(offset, "\n").encode())


def _dump_strings(source: _Input, offset: int, limit: int | None, minimum: int, address: _Address, out) -> None:
    """-S: runs of at least MINIMUM printable characters ended by a NUL, with their offsets."""
    import re

    strings = re.compile(rb"(?<![\x20-\x7e])[\x20-\x7e]{%d,}\x00" % minimum)
    carry: list = []  # a printable run still open at the end of what was read
    base = offset  # offset of the first byte of the carry
    while True:
        want = CHUNK if limit is None else min(CHUNK, limit)
        data = source.read(want) if want else b""
        if not data:
            return
        if limit is not None:
            limit -= len(data)
        open_run = len(data.rstrip(_PRINTABLE))
        if open_run == 0 and carry:
            carry.append(data)  # still inside one long printable run
            continue
        text = b"".join(carry) + data
        settled = len(text) - (len(data) - open_run)
        lines = [
            address.text(base + match.start(), " ") + match.group()[:-1].decode("latin-1") + "\n"
            for match in strings.finditer(text, 0, settled)
        ]
        out.write("".join(lines).encode("latin-1"))
        carry = [text[settled:]]
        base += settled


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "A:N:abcdfhij:lot:vxsS:w::BDHILOX", LONG_OPTIONS)
    letters = set()
    types = []
    radix = "o"
    skip = 0
    limit = None
    width = None  # -w: None when not given; a bare -w keeps the last value (32 at first)
    minimum = None
    verbose = traditional = False
    for option, value in options:
        option = LONG_TO_SHORT.get(option, option)
        if option == "-A":
            radix = value[:1]
            if not radix or radix not in "doxn":
                raise Fail(f"bad output address radix '{value[:1]}' (must be [doxn])")
        elif option == "-N":
            limit = _parse_offset(value)
        elif option == "-j":
            skip = _parse_offset(value)
        elif option == "-t":
            types.append(value)
        elif option == "-v":
            verbose = True
        elif option == "-S":
            minimum = _parse_offset(value) if value is not None else 3
        elif option == "-w":
            width = _parse_width(value) if value is not None else 32 if width is None else width
        elif option == "--traditional":
            traditional = True
        else:
            letters.add(option[1])
    specs: list = []
    for letter, format_string in LETTER_FORMATS:
        if letter == "t":
            for text in types:
                _parse_type(text, specs)
        elif letter in letters:
            _parse_type(format_string, specs)
    address = _Address(radix)
    pad = {"o": 7, "d": 7, "x": 6, "n": 0}[radix]
    if traditional:
        files, skip, label = _traditional_operands(files, skip)
        if label is not None:
            address = _Address(radix, label - skip)
            pad = pad or 7
    if not specs:
        _parse_type("o2", specs)
    source = _Input(files or ["-"])
    source.skip(skip)
    if source.fd is None:
        return 1
    lcm = 1
    for spec in specs:
        lcm = lcm * spec.size // _gcd(lcm, spec.size)
    if width is None:
        per_line = lcm * max(1, 16 // lcm)
    elif not width or width % lcm:
        warn(f"warning: invalid width {width}; using {lcm} instead")
        per_line = lcm
    else:
        per_line = width
    out = stdout()
    if minimum is not None:
        _dump_strings(source, skip, limit, minimum, address, out)
    else:
        _Dumper(specs, per_line, address, pad, verbose).dump(source, skip, limit, lcm, out)
    return source.status


def _parse_width(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise Fail(f"invalid number '{text}'")
    return int(text)


def _gcd(first: int, second: int) -> int:
    while second:
        first, second = second, first % second
    return first


def _traditional_operands(files: list, skip: int) -> tuple[list, int, int | None]:
    """--traditional: od [FILE] [[+]OFFSET[.][b] [[+]LABEL[.][b]]] -> (files, skip, label)."""
    label = None
    if len(files) == 1:
        offset = _traditional_offset(files[0])
        if offset is not None:
            skip, files = offset, []
    elif len(files) == 2:
        first, second = _traditional_offset(files[0]), _traditional_offset(files[1])
        if first is not None and second is not None:
            skip, label, files = first, second, []
        elif second is not None:
            skip, files = second, files[:1]
        else:
            raise Fail(f"invalid second argument '{files[1]}'")
    elif len(files) == 3:
        first, second = _traditional_offset(files[1]), _traditional_offset(files[2])
        if first is None or second is None:
            raise Fail("the last two arguments must be offsets")
        skip, label, files = first, second, files[:1]
    elif len(files) > 3:
        raise Fail("too many arguments")
    return files, skip, label
